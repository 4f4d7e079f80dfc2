/**
 * The pure parts of dossiers: the action fold (allowed transitions, public status codes) and the
 * checks of form values.
 */
import { describe, expect, it } from 'vitest';
import type { FormSchema } from '../catalog';
import { applicantOf, checkFormValues, lastDigits } from './dossiers.form-values';
import { applyAction, type DossierEvent, type DossierRecord, replay, TransitionError } from './dossiers.state';

const at = (n: number) => new Date(Date.UTC(2026, 10, 24, 2, n)).toISOString();
const create: DossierEvent = {
  action: 'create',
  payload: {
    id: '00000000-0000-4000-8000-000000000001',
    procedureId: '00000000-0000-4000-8000-000000000002',
    procedureVersion: 1,
    agencyId: 'a',
    agencyScope: '/p/a',
    deskAgencyId: 'a',
    deskScope: '/p/a',
    channel: 2,
    ownerAccountId: 'u',
    createdByAccountId: 'u',
    processingHours: 16,
    form: {},
    applicant: { kind: 'citizen', name: 'Nguyễn Văn An', idNumber: null, phone: null, email: null, address: null },
    summary: null,
    resultDelivery: 'online',
    notifyChannel: null,
    notifyTo: null,
    requestKey: null,
  },
};
const log = (...events: DossierEvent[]) => events.map((event, i) => ({ seq: i + 1, at: at(i), event }));
const clock = { budgetMs: 16 * 3_600_000, usedMs: 0, runningSince: at(3), pausedAt: null, restarts: 0 };

describe('the action fold', () => {
  it('follows submission and reception with the national status codes', () => {
    const steps = log(
      create,
      { action: 'submit', payload: { code: 'H66.201-261124-0001' } },
      { action: 'request_supplement', payload: { items: [{ text: 'Giấy chứng sinh' }], reason: 'Thiếu', clock: null, fileId: 'f2' } },
      { action: 'supplement', payload: { clock: null, dueAt: null } },
      { action: 'receive', payload: { clock, dueAt: at(50), receiptFileId: 'f1' } },
    );
    const states = steps.map((_, i) => replay(steps.slice(0, i + 1)) as DossierRecord);
    expect(states.map((d) => [d.state, d.publicStatus])).toEqual([
      ['draft', null],
      ['submitted', 1],
      ['supplement_requested', 5],
      ['submitted', 1],
      ['received', 2],
    ]);
    const last = states.at(-1) as DossierRecord;
    expect(last).toMatchObject({ code: 'H66.201-261124-0001', version: 5, submittedAt: at(1), receivedAt: at(4), dueAt: at(50) });
    expect(last.openSupplement).toBeNull();
  });

  it('returns a supplemented dossier that had been received to processing, not to the queue', () => {
    const d = replay(
      log(
        create,
        { action: 'submit', payload: { code: 'X-261124-0001' } },
        { action: 'receive', payload: { clock, dueAt: at(50), receiptFileId: 'f1' } },
        { action: 'request_supplement', payload: { items: [{ text: 'x' }], reason: 'y', clock, fileId: 'f2' } },
        { action: 'supplement', payload: { clock, dueAt: at(59) } },
      ),
    );
    expect(d).toMatchObject({ state: 'received', dueAt: at(59) });
  });

  it('refuses transitions the process does not allow', () => {
    const draft = replay(log(create)) as DossierRecord;
    const bad: DossierEvent[] = [
      { action: 'receive', payload: { clock: null, dueAt: null, receiptFileId: 'f' } },
      { action: 'refuse', payload: { reasons: ['x'], fileId: 'f' } },
      { action: 'supplement', payload: { clock: null, dueAt: null } },
    ];
    for (const event of bad) expect(() => applyAction(draft, { seq: 2, at: at(1), event })).toThrow(TransitionError);
    const refused = replay(
      log(create, { action: 'submit', payload: { code: 'X-261124-0001' } }, { action: 'refuse', payload: { reasons: ['x'], fileId: 'f' } }),
    );
    expect(() =>
      applyAction(refused, { seq: 4, at: at(4), event: { action: 'receive', payload: { clock: null, dueAt: null, receiptFileId: 'f' } } }),
    ).toThrow(/Từ chối tiếp nhận/);
    expect(() => applyAction(draft, { seq: 2, at: at(1), event: create })).toThrow(TransitionError);
  });
});

describe('form values', () => {
  const schema: FormSchema = {
    fields: [
      { key: 'ho_ten', label: 'Họ và tên', type: 'text', required: true, maxLength: 10 },
      { key: 'so_dinh_danh', label: 'Số định danh', type: 'id_number', required: true },
      { key: 'ngay_sinh', label: 'Ngày sinh', type: 'date', required: false },
      { key: 'co_uy_quyen', label: 'Có ủy quyền', type: 'checkbox', required: false },
      { key: 'nguoi_uy_quyen', label: 'Người ủy quyền', type: 'text', required: false, requiredIf: { field: 'co_uy_quyen', equals: true } },
      { key: 'so_tang', label: 'Số tầng', type: 'number', required: false, min: 1, max: 7 },
      { key: 'gioi_tinh', label: 'Giới tính', type: 'select', required: false, options: [{ value: 'nam', label: 'Nam' }] },
    ],
  };
  const fields = (values: Record<string, unknown>, complete = true) =>
    checkFormValues(schema, values as never, complete).map((e) => e.field);

  it('names every missing required field only at submission', () => {
    expect(fields({}, false)).toEqual([]);
    expect(fields({})).toEqual(['form/ho_ten', 'form/so_dinh_danh']);
    expect(fields({ ho_ten: 'An', so_dinh_danh: '066090001234', co_uy_quyen: true })).toEqual(['form/nguoi_uy_quyen']);
  });

  it('checks each type', () => {
    expect(
      fields({ ho_ten: 'Nguyễn Văn Anh Tuấn', so_dinh_danh: '06609000123', ngay_sinh: '2026-02-30', so_tang: 9, gioi_tinh: 'khac', la: 1 }),
    ).toEqual(['form/la', 'form/ho_ten', 'form/so_dinh_danh', 'form/ngay_sinh', 'form/so_tang', 'form/gioi_tinh']);
    expect(fields({ ho_ten: 'An', so_dinh_danh: '066090001234', ngay_sinh: '2024-02-29', so_tang: '3', gioi_tinh: 'nam' })).toEqual([]);
  });

  it('reads the applicant and compares the last digits of numbers', () => {
    const a = applicantOf({ ho_ten: ' Nguyễn Văn An ', so_dinh_danh: '066090001234', so_dien_thoai: '0912 345 678' });
    expect(a).toMatchObject({ kind: 'citizen', name: 'Nguyễn Văn An', idNumber: '066090001234', phone: '0912345678' });
    expect(lastDigits('+84 912 345 678', 9)).toBe(lastDigits('0912345678', 9));
    expect(lastDigits('12')).toBeNull();
  });
});
