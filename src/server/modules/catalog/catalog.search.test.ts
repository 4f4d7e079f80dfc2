/**
 * Public search of the demo catalogue: accent- and typo-insensitive queries find the right procedure
 * first; filters, facets, totals and cursor pagination agree with each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';
import { demoAgencyId } from '../org';
import { listStatement } from './catalog.repo';

interface Summary {
  id: string;
  code: string;
  name: string;
  field: string;
  level: string;
  onlineLevel: string;
  processingHours: number | null;
  processingDays: number | null;
  feeTotalVnd: number | null;
  agencies: { id: string; name: string }[];
  version: number;
}
interface ListBody {
  items: Summary[];
  nextCursor: string | null;
  total: number;
  facets: Record<'field' | 'level' | 'onlineLevel', { value: string; count: number }[]> & {
    agency: { value: string; label: string; count: number }[];
  };
}

const SXD = demoAgencyId('H66.007');
const BMT = demoAgencyId('H66.201');

let t: TestApp;
let anon: Session;

beforeAll(async () => {
  t = await createTestApp();
  anon = await anonymousSession(t.app);
});
afterAll(async () => t?.close());

async function list(query: Record<string, string | number>): Promise<ListBody> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await anon.request('GET', `/api/v1/procedures?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const first = async (q: string) => (await list({ q, limit: 5 })).items[0]?.code;

describe('search finds the right procedure first', () => {
  it.each([
    ['dang ky khai sinh', '1.001193.000.00.00.H66'],
    ['khai sinh', '1.001193.000.00.00.H66'],
    ['giay phep xay dung', '1.013225.000.00.00.H66'],
    ['đăng ki kết hôn', '1.000894.000.00.00.H66'],
  ])('"%s" → %s', async (q, code) => {
    expect(await first(q)).toBe(code);
  });

  it.each([
    ['Đăng Ký Khai Sinh', '1.001193.000.00.00.H66'], // capitals, accents
    ['dang ki khai sinh', '1.001193.000.00.00.H66'], // i for y
    ['dang ky khai snh', '1.001193.000.00.00.H66'], // a letter missing
    ['dng ky khai sinh', '1.001193.000.00.00.H66'],
    ['giay phep xay dug', '1.013225.000.00.00.H66'], // a letter missing in the last word
    ['ket hon', '1.000894.000.00.00.H66'],
    ['khai tu', '1.000656.000.00.00.H66'], // the main procedure before "đăng ký lại khai tử"
    ['lí lịch tư pháp', '3.000333.000.00.00.H66'],
    ['chứng thực bản sao', '2.000815.000.00.00.H66'],
    ['giay phep lai xe', '1.002820.000.00.00.H66'],
    ['khai sinh nuoc ngoai', '2.000528.000.00.00.H66'], // words apart in the name
    ['hoa giai tranh chap dat dai', '1.012812.000.00.00.H66'],
  ])('"%s" → %s', async (q, code) => {
    expect(await first(q)).toBe(code);
  });

  it('finds by national code, full or its beginning', async () => {
    expect((await list({ q: '1.001193.000.00.00.H66' })).items.map((i) => i.code)).toEqual(['1.001193.000.00.00.H66']);
    expect(await first('1.001193')).toBe('1.001193.000.00.00.H66');
    const prefix = await list({ q: '1.0132', limit: 50 });
    expect(prefix.items.map((i) => i.code).sort()).toEqual(['1.013225.000.00.00.H66', '1.013227.000.00.00.H66', '1.013229.000.00.00.H66']);
  });

  it('does not let near spellings of different words match (thay ≠ thai), and wildcards are literal', async () => {
    expect((await list({ q: 'mang thai' })).items.map((i) => i.name)).not.toContain('Đăng ký thay đổi nội dung đăng ký hộ kinh doanh');
    expect((await list({ q: '%' })).total).toBe(0);
    expect((await list({ q: 'zzzqqq xwv' })).items).toEqual([]);
  });

  it('returns the summary the portal shows', async () => {
    const [birth] = (await list({ q: 'dang ky khai sinh', limit: 1 })).items;
    expect(birth).toMatchObject({
      code: '1.001193.000.00.00.H66',
      name: 'Thủ tục đăng ký khai sinh',
      field: 'Hộ tịch',
      level: 'commune',
      onlineLevel: 'toan_trinh',
      processingHours: 8,
      processingDays: 1,
      feeTotalVnd: null, // free on time, 8.000 đ late: alternatives, so no single amount
      version: 1,
    });
    expect(birth?.agencies).toHaveLength(6);
    expect(birth?.agencies[0]).toEqual({ id: BMT, code: 'H66.201', name: 'Ủy ban nhân dân phường Buôn Ma Thuột' });
  });

  it('searches with the trigram and word indexes', async () => {
    const rows = await t.db.rows<{ indexdef: string }>(sql`select indexdef from pg_indexes where tablename = 'procedure_versions'`);
    expect(rows.some((r) => r.indexdef.includes('gin_trgm_ops') && r.indexdef.includes('(search '))).toBe(true);
    expect(rows.some((r) => /USING gin \(search_tsv\)/.test(r.indexdef))).toBe(true);
  });
});

describe('filters and facets', () => {
  it('counts the whole catalogue by field, level, online level and agency', async () => {
    const all = await list({ limit: 1 });
    expect(all.total).toBe(73);
    const sum = (xs: { count: number }[]) => xs.reduce((s, x) => s + x.count, 0);
    expect(sum(all.facets.field)).toBe(73);
    expect(sum(all.facets.level)).toBe(73);
    expect(sum(all.facets.onlineLevel)).toBe(73);
    expect(all.facets.field.length).toBeGreaterThanOrEqual(8);
    expect(all.facets.field[0]).toEqual({ value: 'Hộ tịch', count: 16 });
    expect(all.facets.agency).toContainEqual({ value: SXD, label: 'Sở Xây dựng', count: 2 });
  });

  it('filters by field, level, online level and agency; totals and facets follow', async () => {
    const hoTich = await list({ field: 'Hộ tịch', limit: 100 });
    expect(hoTich.total).toBe(16);
    expect(hoTich.items).toHaveLength(16);
    expect(hoTich.items.every((i) => i.field === 'Hộ tịch')).toBe(true);
    // A facet ignores its own filter (the other fields stay selectable) but applies the others.
    expect(hoTich.facets.field.length).toBeGreaterThan(1);
    expect(hoTich.facets.onlineLevel.reduce((s, x) => s + x.count, 0)).toBe(16);

    const full = await list({ field: 'Hộ tịch', onlineLevel: 'toan_trinh', limit: 100 });
    expect(full.items.map((i) => i.onlineLevel)).toEqual(full.items.map(() => 'toan_trinh'));
    expect(full.total).toBe(hoTich.facets.onlineLevel.find((f) => f.value === 'toan_trinh')?.count);

    const province = await list({ level: 'province', limit: 100 });
    expect(province.items.every((i) => i.level === 'province')).toBe(true);
    expect(province.total).toBe(16);

    const sxd = await list({ agencyId: SXD });
    expect(sxd.items.map((i) => i.code).sort()).toEqual(['1.000703.000.00.00.H66', '2.002288.000.00.00.H66']);
    expect(sxd.facets.agency).toContainEqual({ value: BMT, label: 'Ủy ban nhân dân phường Buôn Ma Thuột', count: 57 });
  });

  it('counts facets for the current query', async () => {
    const r = await list({ q: 'khai sinh' });
    expect(r.total).toBe(r.items.length);
    expect(r.facets.field).toEqual([{ value: 'Hộ tịch', count: r.total }]);
    expect(r.facets.level).toEqual([{ value: 'commune', count: r.total }]);
  });

  it('rejects unknown filter values with field errors', async () => {
    const res = await anon.request('GET', '/api/v1/procedures?level=district&agencyId=x');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['querystring/level', 'querystring/agencyId']),
    );
    expect((await anon.request('GET', '/api/v1/procedures?cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('lists the fields with counts', async () => {
    const res = await anon.request('GET', '/api/v1/procedure-fields');
    expect(res.statusCode).toBe(200);
    const fields = res.json() as { value: string; count: number }[];
    expect(fields).toContainEqual({ value: 'Chứng thực', count: 8 });
    expect(fields.reduce((s, f) => s + f.count, 0)).toBe(73);
  });
});

describe('pagination', () => {
  it('walks the whole catalogue with the cursor, each procedure once, in name order', async () => {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListBody = await list({ limit: 10, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(73);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(8);
    expect(seen).toHaveLength(73);
    expect(new Set(seen.map((i) => i.id)).size).toBe(73);
  });

  it('keeps the ranking across pages of a search', async () => {
    const one = await list({ q: 'ho tich', limit: 100 });
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListBody = await list({ q: 'ho tich', limit: 3, ...(cursor ? { cursor } : {}) });
      paged.push(...page.items.map((i) => i.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(one.items.map((i) => i.code));
    expect(paged.length).toBe(one.total);
  });
});

describe('one statement per search', () => {
  const sum = (xs: { count: number }[]) => xs.reduce((n, x) => n + x.count, 0);

  it('counts each facet value as the total that filtering on it gives, the other filters applied', async () => {
    const q = 'dang ky';
    const base = await list({ q, onlineLevel: 'toan_trinh', limit: 1 });
    expect(base.total).toBeGreaterThan(3);
    expect(sum(base.facets.field)).toBe(base.total);
    expect(sum(base.facets.level)).toBe(base.total);
    // The online-level facet ignores its own filter: all of the query's matches, by level.
    expect(base.facets.onlineLevel.find((x) => x.value === 'toan_trinh')?.count).toBe(base.total);
    expect(sum(base.facets.onlineLevel)).toBe((await list({ q, limit: 1 })).total);
    expect(base.facets.field.length).toBeGreaterThan(1);
    for (const { value, count } of base.facets.field) {
      expect((await list({ q, onlineLevel: 'toan_trinh', field: value, limit: 1 })).total, value).toBe(count);
    }
    expect(base.facets.agency.length).toBeGreaterThan(1);
    for (const { value, count } of base.facets.agency.slice(0, 3)) {
      const byAgency = await list({ q, onlineLevel: 'toan_trinh', agencyId: value, limit: 1 });
      expect(byAgency.total, value).toBe(count);
      expect(byAgency.facets.agency).toEqual(base.facets.agency);
    }
  });

  /** Rows for which the list statement evaluated trigram word similarity (`<%`) in a WHERE or join clause. */
  async function similarityRows(q: string): Promise<number> {
    const [r] = await t.db.rows<{ 'QUERY PLAN': unknown }>(
      sql`explain (analyze, format json) ${listStatement({ q, codePrefix: null }, 21, null)}`,
    );
    const raw = r?.['QUERY PLAN'];
    const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: Record<string, unknown> }[];
    let n = 0;
    const walk = (node: Record<string, unknown>) => {
      const conditions = ['Filter', 'Join Filter', 'Recheck Cond', 'Index Cond'].map((k) => String(node[k] ?? ''));
      if (conditions.some((c) => c.includes('<%') || c.includes('%>'))) {
        const removed = ['Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck'];
        const perLoop = Number(node['Actual Rows']) + removed.reduce((s, k) => s + Number(node[k] ?? 0), 0);
        n += perLoop * Number(node['Actual Loops']);
      }
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(doc[0]?.Plan ?? {});
    return Math.round(n);
  }

  it('computes word similarity for no procedure when the catalogue knows the words, for a few when one is a typo', async () => {
    expect(await similarityRows('dang ky khai sinh')).toBe(0);
    expect(await similarityRows('giấy phép lái xe')).toBe(0);
    const typo = await similarityRows('dang ky khai snh');
    expect(typo).toBeGreaterThan(0);
    expect(typo).toBeLessThan(15); // of 73: only those with đăng, ký, khai and a word near "snh"
  });

  it('learns the words of a newly published procedure; a typo finds it; retired, it is gone', async () => {
    const admin = await login(t.app, 'admin');
    const code = '1.999101.000.00.00.H66';
    const res = await admin.request('POST', '/api/v1/procedures', {
      code,
      name: 'Cấp giấy phép nuôi chim yến',
      field: 'Chăn nuôi',
      level: 'province',
      onlineLevel: 'mot_phan',
      processingDays: 10,
      fees: [],
      components: [{ key: 'don', name: 'Đơn đề nghị', original: true, copies: 1 }],
      form: { fields: [{ key: 'ho_ten', label: 'Họ tên', type: 'text', required: true }] },
      legalBasis: [],
      resultType: 'Giấy phép',
      agencies: [{ id: SXD }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const words = await t.db.rows<{ word: string }>(
      sql`select word from catalog_words where form = word and word in ('chim', 'yen', 'chan') order by word`,
    );
    expect(words.map((w) => w.word)).toEqual(['chan', 'chim', 'yen']);
    expect(await first('giay phep nuoi chm yen')).toBe(code);
    expect(await first('nuôi chim yến')).toBe(code);

    expect((await admin.request('POST', `/api/v1/procedures/${res.json().id}/retire`)).statusCode).toBe(200);
    expect((await list({ q: 'nuoi chim yen' })).items.map((i) => i.code)).not.toContain(code);
    expect((await list({ q: 'nuoi chm yen' })).items.map((i) => i.code)).not.toContain(code);
    expect((await list({ q: 'nuoi chim yen', includeRetired: 'true' })).items.map((i) => i.code)).toContain(code);
  });
});
