import { describe, expect, it } from 'vitest';
import {
  actionBody,
  ageOf,
  categoryBody,
  categoryValues,
  checkBoundaries,
  clientActive,
  clientBody,
  currentDue,
  dueBand,
  emptyActionValues,
  formOf,
  initialActionValues,
  type Officer,
  officeActions,
  officerLabel,
  officersFor,
  parseQueueFilters,
  queueApiQuery,
  queueFiltersToParams,
  validateAction,
  validateCategory,
  validateClient,
} from './logic';

/** An instant written in Việt Nam local time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe('queue filters in the URL', () => {
  it('keeps known states and the overdue switch, drops the rest', () => {
    expect(parseQueueFilters(new URLSearchParams('state=in_progress&overdue=1'))).toEqual({ state: 'in_progress', overdue: true });
    expect(parseQueueFilters(new URLSearchParams('state=bogus&overdue=yes'))).toEqual({ state: '', overdue: false });
  });

  it('round-trips through the address bar and maps onto the API query', () => {
    const f = { state: 'triage' as const, overdue: true };
    expect(parseQueueFilters(queueFiltersToParams(f))).toEqual(f);
    expect(queueApiQuery(f)).toEqual({ state: 'triage', overdue: 'true' });
    expect(queueApiQuery({ state: '', overdue: false })).toEqual({ state: undefined, overdue: undefined });
    expect(queueFiltersToParams({ state: '', overdue: false }).toString()).toBe('');
  });
});

describe('which due date counts, and its colour', () => {
  const r = { acceptDueAt: '2025-11-26T10:00:00.000Z', resolveDueAt: '2025-12-05T10:00:00.000Z' };

  it('acceptance while waiting to be taken in, resolution while handled, none afterwards', () => {
    for (const state of ['new', 'moderated', 'triage']) expect(currentDue({ ...r, state })?.kind).toBe('accept');
    for (const state of ['accepted', 'assigned', 'in_progress'])
      expect(currentDue({ ...r, state })).toEqual({ kind: 'resolve', dueAt: r.resolveDueAt });
    for (const state of ['resolved', 'rated', 'closed', 'removed']) expect(currentDue({ ...r, state })).toBeNull();
    expect(currentDue({ state: 'accepted', acceptDueAt: r.acceptDueAt, resolveDueAt: null })).toBeNull();
  });

  it('uses the working-time bands of the dossier queues', () => {
    // Monday 24/11/2025 08:00, accept due Wednesday 26/11 17:00 → two working days left: ok.
    const report = { state: 'new', acceptDueAt: vn('2025-11-26T17:00:00').toISOString() };
    expect(dueBand(report, vn('2025-11-24T08:00:00'))?.band).toBe('ok');
    // Wednesday 14:00 → 3 working hours left: soon.
    expect(dueBand(report, vn('2025-11-26T14:00:00'))?.band).toBe('soon');
    // Thursday → overdue, and it says which due date.
    expect(dueBand(report, vn('2025-11-27T09:00:00'))).toMatchObject({ band: 'overdue', kind: 'accept' });
    expect(dueBand({ state: 'resolved', resolveDueAt: report.acceptDueAt }, vn('2025-11-27T09:00:00'))).toBeNull();
  });

  it('gives the age in minutes, hours or days', () => {
    const now = new Date('2025-11-24T12:00:00Z');
    expect(ageOf('2025-11-24T11:35:00Z', now)).toEqual({ unit: 'minutes', count: 25 });
    expect(ageOf('2025-11-24T02:00:00Z', now)).toEqual({ unit: 'hours', count: 10 });
    expect(ageOf('2025-11-21T11:00:00Z', now)).toEqual({ unit: 'days', count: 3 });
    expect(ageOf('not a date', now)).toBeNull();
  });
});

describe('actions', () => {
  it('offers the staff actions of the options answer in workflow order, never rate', () => {
    expect(officeActions(['extend', 'rate', 'accept', 'moderate', 'unknown'])).toEqual(['moderate', 'accept', 'extend']);
    expect(formOf('accept')).toBe('confirm');
    expect(formOf('close')).toBe('confirm');
    expect(formOf('extend')).toBe('extend');
  });

  it('starts moderation from the raw text (or the earlier public text) and return with the usual reason', () => {
    expect(initialActionValues('moderate', { description: 'Gọi anh Nam 0905123456' }, 'x').publicDescription).toBe(
      'Gọi anh Nam 0905123456',
    );
    expect(initialActionValues('moderate', { description: 'a', publicDescription: 'b' }, 'x').publicDescription).toBe('b');
    expect(initialActionValues('return', { description: 'a' }, 'Không thuộc thẩm quyền: ').reason).toBe('Không thuộc thẩm quyền: ');
  });

  it('checks each form like the server does', () => {
    const v = { ...emptyActionValues };
    expect(validateAction('moderate', { ...v, publicDescription: '  ' })).toEqual({
      publicDescription: 'feedbackOffice.validation.publicDescription',
    });
    expect(validateAction('moderate', { ...v, moderation: 'remove' })).toEqual({ reason: 'feedbackOffice.validation.removeReason' });
    expect(validateAction('assign', v)).toEqual({ departmentCode: 'feedbackOffice.validation.assignee' });
    expect(validateAction('assign', { ...v, accountId: 'a' })).toEqual({});
    expect(validateAction('resolve', v, 6)).toEqual({
      resultText: 'feedbackOffice.validation.resultText',
      photos: 'feedbackOffice.validation.photos',
    });
    expect(validateAction('return', v)).toEqual({ reason: 'feedbackOffice.validation.returnReason' });
    expect(validateAction('reassign', v)).toEqual({ agencyId: 'feedbackOffice.validation.agency' });
    expect(validateAction('extend', { ...v, days: '31', reason: 'r' })).toEqual({ days: 'feedbackOffice.validation.days' });
    expect(validateAction('extend', { ...v, days: '2.5', reason: 'r' })).toEqual({ days: 'feedbackOffice.validation.days' });
    expect(validateAction('extend', { ...v, days: '30', reason: '' })).toEqual({ reason: 'feedbackOffice.validation.extendReason' });
    expect(validateAction('accept', { ...v, note: 'x'.repeat(2001) })).toEqual({ note: 'feedbackOffice.validation.tooLong' });
    expect(validateAction('start', v)).toEqual({});
  });

  it('builds bodies with only the fields the action reads', () => {
    const v = { ...emptyActionValues, note: ' ', publicDescription: ' Đèn hỏng ', reason: ' Rác ', days: ' 5 ', resultText: ' Đã thay ' };
    expect(actionBody('moderate', v)).toEqual({ publicDescription: 'Đèn hỏng' });
    expect(actionBody('moderate', { ...v, moderation: 'remove' })).toEqual({ remove: true, reason: 'Rác' });
    expect(actionBody('assign', { ...v, departmentCode: 'VHXH', note: 'gấp' })).toEqual({ departmentCode: 'VHXH', note: 'gấp' });
    expect(actionBody('resolve', v, ['p1'])).toEqual({ resultText: 'Đã thay', photoIds: ['p1'] });
    expect(actionBody('resolve', v)).toEqual({ resultText: 'Đã thay' });
    expect(actionBody('return', v)).toEqual({ reason: 'Rác' });
    expect(actionBody('reassign', { ...v, agencyId: 'ag' })).toEqual({ agencyId: 'ag' });
    expect(actionBody('extend', v)).toEqual({ days: 5, reason: 'Rác' });
    expect(actionBody('accept', v)).toEqual({});
  });

  it('offers the officers of the chosen department, known by code or by name', () => {
    const departments = [
      { code: 'VHXH', name: 'Phòng Văn hóa - Xã hội' },
      { code: 'KT', name: 'Phòng Kinh tế' },
    ];
    const officers = [
      { accountId: '1', name: 'A', departmentCode: 'VHXH' },
      { accountId: '2', name: 'B', departmentCode: null },
      { accountId: '3', name: 'C', department: 'Phòng Văn hóa - Xã hội' },
      { accountId: '4', name: 'D', department: 'Phòng Kinh tế' },
    ];
    expect(officersFor(officers, departments, 'VHXH').map((o) => o.accountId)).toEqual(['1', '3']);
    expect(officersFor(officers, departments, 'KT').map((o) => o.accountId)).toEqual(['4']);
    expect(officersFor(officers, departments, '')).toHaveLength(4);
    expect(officerLabel(officers[0] as Officer, departments)).toBe('A — Phòng Văn hóa - Xã hội');
    expect(officerLabel(officers[1] as Officer, departments)).toBe('B');
    expect(officerLabel(officers[3] as Officer, departments)).toBe('D — Phòng Kinh tế');
  });
});

describe('admin forms', () => {
  it('checks a category and turns it into the API body', () => {
    const ok = { ...categoryValues(), code: 'chieu_sang', name: 'Chiếu sáng' };
    expect(validateCategory(ok, true)).toEqual({});
    expect(categoryBody(ok)).toEqual({
      code: 'chieu_sang',
      name: 'Chiếu sáng',
      acceptDays: 1,
      resolveDays: 5,
      unitKind: 'ubnd_xa',
      active: true,
      sortOrder: 0,
    });
    expect(validateCategory({ ...ok, code: 'Chiếu sáng', acceptDays: '31', resolveDays: '0', sortOrder: '1.5' }, true)).toEqual({
      code: 'feedbackOffice.validation.categoryCode',
      acceptDays: 'feedbackOffice.validation.acceptDays',
      resolveDays: 'feedbackOffice.validation.resolveDays',
      sortOrder: 'feedbackOffice.validation.sortOrder',
    });
    expect(validateCategory({ ...ok, code: 'chieu-sang', acceptDays: '0', resolveDays: '121', sortOrder: '-1' }, true)).toEqual({
      code: 'feedbackOffice.validation.categoryCode',
      resolveDays: 'feedbackOffice.validation.resolveDays',
      sortOrder: 'feedbackOffice.validation.sortOrder',
    });
    // The code of an existing category is not edited, so not checked.
    expect(validateCategory({ ...ok, code: 'Cũ' }, false)).toEqual({});
    expect(
      categoryValues({ code: 'x', name: 'X', acceptDays: 2, resolveDays: 10, unitKind: 'so_nganh', active: false, sortOrder: 3 }),
    ).toMatchObject({
      acceptDays: '2',
      resolveDays: '10',
      sortOrder: '3',
      active: false,
    });
  });

  it('accepts only a FeatureCollection of coded features', () => {
    const feature = (props: Record<string, unknown>) => ({
      type: 'Feature',
      properties: props,
      geometry: { type: 'Polygon', coordinates: [] },
    });
    expect(checkBoundaries('{')).toEqual({ ok: false, error: 'feedbackOffice.admin.boundaries.notJson' });
    expect(checkBoundaries('{"type":"Feature"}')).toEqual({ ok: false, error: 'feedbackOffice.admin.boundaries.notCollection' });
    expect(checkBoundaries('{"type":"FeatureCollection","features":[]}')).toEqual({
      ok: false,
      error: 'feedbackOffice.admin.boundaries.noFeatures',
    });
    const noCode = JSON.stringify({ type: 'FeatureCollection', features: [feature({ name: 'X' })] });
    expect(checkBoundaries(noCode)).toEqual({ ok: false, error: 'feedbackOffice.admin.boundaries.noCode' });
    const good = JSON.stringify({
      type: 'FeatureCollection',
      features: [feature({ unit_code: '24133' }), feature({ code: '24136' }), feature({ commune_code: '22015' })],
    });
    expect(checkBoundaries(good)).toMatchObject({ ok: true, features: 3 });
  });

  it('checks an Open311 client and reads its status whichever way the API says it', () => {
    expect(validateClient({ name: '', contactEmail: 'x' })).toEqual({
      name: 'feedbackOffice.validation.required',
      contactEmail: 'feedbackOffice.validation.email',
    });
    expect(validateClient({ name: 'App', contactEmail: 'dev@example.vn' })).toEqual({});
    expect(validateClient({ name: 'App', contactEmail: ' ' })).toEqual({});
    expect(clientBody({ name: ' App ', contactEmail: ' ' })).toEqual({ name: 'App' });
    expect(clientBody({ name: 'App', contactEmail: ' dev@example.vn ' })).toEqual({ name: 'App', contactEmail: 'dev@example.vn' });
    expect(clientActive({ id: '1', name: 'a' })).toBe(true);
    expect(clientActive({ id: '1', name: 'a', active: false })).toBe(false);
    expect(clientActive({ id: '1', name: 'a', status: 'disabled' })).toBe(false);
    expect(clientActive({ id: '1', name: 'a', disabledAt: '2025-01-01T00:00:00Z' })).toBe(false);
  });
});
