import { describe, expect, it } from 'vitest';
import { emptyRegister, parseRegisterFilters, parseWorkFilters, registerXlsxUrl, workApiQuery, workFiltersToParams } from './filters';

const ID = '0b8c4a52-6f1e-4f55-9a55-3c2f4d1e9a10';

describe('work queue filters', () => {
  it('defaults to "assigned to me" and drops unknown values', () => {
    expect(parseWorkFilters(new URLSearchParams('view=bogus&due=later&procedureId=x&q=%20H66%20'))).toEqual({
      view: 'assigned',
      due: '',
      procedureId: '',
      q: 'H66',
    });
  });

  it('round-trips through the URL and maps onto the API', () => {
    const f = { view: 'unassigned' as const, due: 'overdue', procedureId: ID, q: 'An' };
    const p = workFiltersToParams(f);
    expect(p.toString()).toBe(`view=unassigned&due=overdue&procedureId=${ID}&q=An`);
    expect(parseWorkFilters(p)).toEqual(f);
    expect(workApiQuery({ ...f, due: '', q: ' ' })).toEqual({ view: 'unassigned', due: undefined, procedureId: ID, q: undefined });
    expect(workFiltersToParams({ view: 'assigned', due: '', procedureId: '', q: '' }).toString()).toBe('');
  });
});

describe('register filters', () => {
  it('keeps valid dates, statuses, channels and timeliness only', () => {
    expect(parseRegisterFilters(new URLSearchParams('from=2026-01-01&to=01/02/2026&status=11&channel=2&timeliness=late'))).toEqual({
      ...emptyRegister,
      from: '2026-01-01',
      channel: '2',
      timeliness: 'late',
    });
  });

  it('the Excel link carries the same filters as the table', () => {
    expect(registerXlsxUrl(emptyRegister)).toBe('/api/v1/dossiers/register.xlsx');
    expect(registerXlsxUrl({ ...emptyRegister, from: '2026-01-01', status: '10' })).toBe(
      '/api/v1/dossiers/register.xlsx?from=2026-01-01&status=10',
    );
  });
});
