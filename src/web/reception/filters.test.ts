import { describe, expect, it } from 'vitest';
import { emptyFilters, hasFilters, parseQueueFilters, queueApiQuery, queueFiltersToParams, withView } from './filters';

const PROC = '0b7a4c1e-2f3d-4a5b-8c9d-0e1f2a3b4c5d';
const parse = (qs: string) => parseQueueFilters(new URLSearchParams(qs));

describe('queue filters ↔ URL', () => {
  it('an empty address is the reception queue with no filter', () => {
    expect(parse('')).toEqual(emptyFilters);
    expect(queueFiltersToParams(emptyFilters).toString()).toBe('');
  });

  it('round-trips every filter through the URL', () => {
    const f = { view: 'all' as const, state: 'received', channel: '3', procedureId: PROC, q: 'Nguyễn Văn A' };
    const qs = queueFiltersToParams(f).toString();
    expect(qs).toBe(`view=all&state=received&channel=3&procedureId=${PROC}&q=Nguy%E1%BB%85n+V%C4%83n+A`);
    expect(parse(qs)).toEqual(f);
  });

  it('drops values the server would refuse (unknown view/state/channel, non-uuid procedure, drafts)', () => {
    expect(parse('view=bogus&state=draft&channel=9&procedureId=abc&q=%20%20')).toEqual(emptyFilters);
    expect(parse('view=all&state=draft').state).toBe('');
  });

  it('keeps the state only on the "all" tab', () => {
    expect(parse('view=supplement&state=received').state).toBe('');
    expect(queueFiltersToParams({ ...emptyFilters, view: 'reception', state: 'received' }).has('state')).toBe(false);
    expect(withView({ ...emptyFilters, view: 'all', state: 'refused', channel: '1' }, 'supplement')).toEqual({
      ...emptyFilters,
      view: 'supplement',
      channel: '1',
    });
  });

  it('trims the search text and caps it at the server limit (100)', () => {
    expect(parse(`q=${'x'.repeat(150)}`).q).toHaveLength(100);
    expect(queueFiltersToParams({ ...emptyFilters, q: '  66.201-251124-0001 ' }).get('q')).toBe('66.201-251124-0001');
  });
});

describe('queue filters → API query', () => {
  it('reception tab asks for the reception queue', () => {
    expect(queueApiQuery(emptyFilters)).toEqual({ queue: 'reception', channel: undefined, procedureId: undefined, q: undefined });
  });

  it('"chờ bổ sung" tab is every dossier in scope in state supplement_requested', () => {
    expect(queueApiQuery({ ...emptyFilters, view: 'supplement', channel: '2' })).toMatchObject({
      queue: 'all',
      state: 'supplement_requested',
      channel: '2',
    });
  });

  it('"tất cả" tab passes the chosen state, or none', () => {
    expect(queueApiQuery({ ...emptyFilters, view: 'all' }).state).toBeUndefined();
    expect(queueApiQuery({ ...emptyFilters, view: 'all', state: 'refused', procedureId: PROC, q: ' An ' })).toEqual({
      queue: 'all',
      state: 'refused',
      channel: undefined,
      procedureId: PROC,
      q: 'An',
    });
  });

  it('knows when filters narrow the list (for the empty-state wording)', () => {
    expect(hasFilters(emptyFilters)).toBe(false);
    expect(hasFilters({ ...emptyFilters, view: 'all' })).toBe(false);
    expect(hasFilters({ ...emptyFilters, channel: '1' })).toBe(true);
  });
});
