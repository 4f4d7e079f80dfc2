import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';

const dataFile = (name: string) => fs.readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
/** Rows of the national list for one province, with the header. */
const provinceCsv = (code: string) => {
  const [header, ...lines] = dataFile('units-2025.csv').split('\n');
  return [header, ...lines.filter((l) => l.startsWith(`${code},`))].join('\n');
};
const csvHeaders = { 'content-type': 'text/csv; charset=utf-8' };

let t: TestApp;
let anon: Session;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  anon = await anonymousSession(t.app);
  admin = await login(t.app, 'admin');
});
afterAll(async () => t?.close());

describe('directory of units (public)', () => {
  it('lists the 102 communes of Đắk Lắk in force, to anyone', async () => {
    const res = await anon.request('GET', '/api/v1/units?provinceCode=66&level=commune&limit=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; type: string; current: boolean }[];
    expect(items).toHaveLength(102);
    expect(items.filter((u) => u.type === 'phuong')).toHaveLength(14);
    expect(items.every((u) => u.current)).toBe(true);
  });

  it('searches without accents: "dak lak", "buon ma thuot"', async () => {
    const dak = (await anon.request('GET', '/api/v1/units?q=dak%20lak')).json().items;
    expect(dak.map((u: { code: string }) => u.code)).toContain('66');
    const bmt = (await anon.request('GET', '/api/v1/units?q=buon%20ma%20thuot')).json().items;
    expect(bmt).toEqual([expect.objectContaining({ code: '24133', name: 'Phường Buôn Ma Thuột' })]);
    // The same query with accents and capitals finds the same unit.
    const accented = (await anon.request('GET', `/api/v1/units?q=${encodeURIComponent('BUÔN Ma Thuột')}`)).json().items;
    expect(accented.map((u: { code: string }) => u.code)).toEqual(['24133']);
    // With closed units: the former city (district 643) too.
    const all = (await anon.request('GET', '/api/v1/units?q=buon%20ma%20thuot&includeClosed=true')).json().items;
    expect(all.map((u: { code: string }) => u.code)).toEqual(['24133', '643']);
    // Wildcards in the query are literal.
    expect((await anon.request('GET', '/api/v1/units?q=%25')).json().items).toEqual([]);
  });

  it('uses a trigram index for the search column', async () => {
    const rows = await t.db.rows<{ indexdef: string }>(sql`select indexdef from pg_indexes where tablename = 'admin_units'`);
    expect(rows.some((r) => r.indexdef.includes('gin_trgm_ops') && r.indexdef.includes('search'))).toBe(true);
  });

  it('pages with a cursor until the end', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/units?provinceCode=66&level=commune&limit=25${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await anon.request('GET', url)).json();
      seen.push(...body.items.map((u: { code: string }) => u.code));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(102);
    expect(new Set(seen).size).toBe(102);
    expect([...seen].sort()).toEqual(seen);
    const bad = await anon.request('GET', '/api/v1/units?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('query/cursor');
  });

  it('answers "what was it on that day" with earlier names (at=)', async () => {
    const before = (await anon.request('GET', '/api/v1/units?at=2025-01-01&q=thanh%20cong&provinceCode=66')).json().items;
    expect(before).toEqual([expect.objectContaining({ code: '24133', name: 'Phường Thành Công', districtCode: '643', current: false })]);
    const after = (await anon.request('GET', '/api/v1/units?at=2025-08-01&q=thanh%20cong&provinceCode=66')).json().items;
    expect(after).toEqual([]);
    const provinces = (await anon.request('GET', '/api/v1/units?at=2025-01-01&level=province')).json().items;
    expect(provinces.map((u: { code: string }) => u.code)).toEqual(['54', '66']);
    const now = (await anon.request('GET', '/api/v1/units?level=province')).json().items;
    expect(now.map((u: { code: string }) => u.code)).toEqual(['66']);
    const old = (await anon.request('GET', '/api/v1/units?at=2025-06-30&provinceCode=54&level=commune&limit=200')).json().items;
    expect(old.length).toBeGreaterThan(100);
    expect(old.some((u: { code: string; name: string }) => u.code === '22015' && u.name === 'Phường 1')).toBe(true);
  });

  it('shows a unit with its history chain', async () => {
    const closed = (await anon.request('GET', '/api/v1/units/24136')).json();
    expect(closed).toMatchObject({
      code: '24136',
      name: 'Phường Tân Lợi',
      validTo: '2025-07-01',
      successorCode: '24133',
      districtCode: '643',
    });
    expect(closed.successor).toMatchObject({ code: '24133', name: 'Phường Buôn Ma Thuột' });
    expect(closed.successorChain.map((u: { code: string }) => u.code)).toEqual(['24133']);

    const bmt = (await anon.request('GET', '/api/v1/units/24133')).json();
    expect(bmt.predecessors.map((u: { code: string }) => u.code)).toEqual(
      expect.arrayContaining(['24136', '24142', '24145', '24148', '24160']),
    );
    expect(bmt.versions).toEqual([expect.objectContaining({ name: 'Phường Thành Công', validTo: '2025-07-01', districtCode: '643' })]);

    const phuYen = (await anon.request('GET', '/api/v1/units/54')).json();
    expect(phuYen).toMatchObject({ name: 'Tỉnh Phú Yên', successorCode: '66', validTo: '2025-07-01' });
    const daklak = (await anon.request('GET', '/api/v1/units/66')).json();
    expect(daklak.predecessors.map((u: { code: string }) => u.code)).toContain('54');

    const missing = await anon.request('GET', '/api/v1/units/99999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not_found');
  });
});

describe('unit history writes (province-wide administrator)', () => {
  it('closes with a successor, follows the chain, and never reuses a code', async () => {
    const mk = (code: string, name: string) =>
      admin.request('POST', '/api/v1/units', {
        code,
        level: 'commune',
        name,
        type: 'xa',
        provinceCode: '66',
        validFrom: '2025-07-01',
        legalBasis: 'Thử nghiệm',
      });
    expect((await mk('99901', 'Xã Thử Một')).statusCode).toBe(201);
    expect((await mk('99902', 'Xã Thử Hai')).statusCode).toBe(201);

    const c1 = await admin.request('POST', '/api/v1/units/99901/close', {
      validTo: '2026-01-01',
      successorCode: '99902',
      legalBasis: 'Nghị quyết thử 1',
    });
    expect(c1.statusCode).toBe(200);
    expect(c1.json()).toMatchObject({ validTo: '2026-01-01', successorCode: '99902' });
    const c2 = await admin.request('POST', '/api/v1/units/99902/close', {
      validTo: '2026-06-01',
      successorCode: '24133',
      legalBasis: 'Nghị quyết thử 2',
    });
    expect(c2.statusCode).toBe(200);

    const chain = (await anon.request('GET', '/api/v1/units/99901')).json();
    expect(chain.successorChain.map((u: { code: string }) => u.code)).toEqual(['99902', '24133']);
    expect(chain.successors).toEqual([
      expect.objectContaining({ code: '99902', relation: 'full', effectiveDate: '2026-01-01', legalBasis: 'Nghị quyết thử 1' }),
    ]);
    const host = (await anon.request('GET', '/api/v1/units/24133')).json();
    expect(host.predecessors).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: '99902', name: 'Xã Thử Hai', inForce: false })]),
    );

    // The closed code stays taken for ever, whatever the level or name.
    const reuse = await mk('99901', 'Xã Mới Trùng Mã');
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json()).toMatchObject({ code: 'unit_code_taken' });
    expect(reuse.json().detail).toMatch(/không bao giờ được dùng lại/);
    const reuseOld = await mk('24136', 'Xã Tân Lợi Mới');
    expect(reuseOld.statusCode).toBe(409);

    const again = await admin.request('POST', '/api/v1/units/99901/close', {
      validTo: '2026-02-01',
      successorCode: '24133',
      legalBasis: 'x',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('unit_already_closed');
  });

  it('refuses bad closures', async () => {
    await admin.request('POST', '/api/v1/units', {
      code: '99903',
      level: 'commune',
      name: 'Xã Thử Ba',
      type: 'xa',
      provinceCode: '66',
      validFrom: '2025-07-01',
    });
    const self = await admin.request('POST', '/api/v1/units/99903/close', {
      validTo: '2026-01-01',
      successorCode: '99903',
      legalBasis: 'x',
    });
    expect(self.statusCode).toBe(400);
    const toClosed = await admin.request('POST', '/api/v1/units/99903/close', {
      validTo: '2026-01-01',
      successorCode: '24136',
      legalBasis: 'x',
    });
    expect(toClosed.statusCode).toBe(400);
    expect(toClosed.json().errors[0]).toMatchObject({ field: 'body/successorCode' });
    const wrongLevel = await admin.request('POST', '/api/v1/units/99903/close', {
      validTo: '2026-01-01',
      successorCode: '66',
      legalBasis: 'x',
    });
    expect(wrongLevel.statusCode).toBe(400);
    const province = await admin.request('POST', '/api/v1/units/66/close', { validTo: '2026-01-01', successorCode: '54', legalBasis: 'x' });
    expect([400, 409]).toContain(province.statusCode);
    const withChildren = await admin.request('POST', '/api/v1/units', {
      code: '98',
      level: 'province',
      name: 'Tỉnh Thử',
      type: 'tinh',
      validFrom: '2025-07-01',
    });
    expect(withChildren.statusCode).toBe(201);
    await admin.request('POST', '/api/v1/units', {
      code: '99904',
      level: 'commune',
      name: 'Xã Con',
      type: 'xa',
      provinceCode: '98',
      validFrom: '2025-07-01',
    });
    const busy = await admin.request('POST', '/api/v1/units/98/close', { validTo: '2026-01-01', successorCode: '66', legalBasis: 'x' });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('unit_has_children');
    const unknown = await admin.request('POST', '/api/v1/units/99999/close', {
      validTo: '2026-01-01',
      successorCode: '66',
      legalBasis: 'x',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('validates a new unit', async () => {
    const res = await admin.request('POST', '/api/v1/units', {
      code: '123',
      level: 'commune',
      name: 'Xã Sai',
      type: 'tinh',
      provinceCode: '77',
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body/code', 'body/type']));
    const noProvince = await admin.request('POST', '/api/v1/units', {
      code: '99905',
      level: 'commune',
      name: 'Xã Sai',
      type: 'xa',
      provinceCode: '77',
    });
    expect(noProvince.statusCode).toBe(400);
    expect(noProvince.json().errors[0]).toMatchObject({ field: 'body/provinceCode', message: 'Không có tỉnh mã 77' });
  });

  it('renames from a date and keeps the earlier name', async () => {
    await admin.request('POST', '/api/v1/units', {
      code: '99906',
      level: 'commune',
      name: 'Xã Thử Sáu',
      type: 'xa',
      provinceCode: '66',
      validFrom: '2025-07-01',
    });
    const res = await admin.request('PATCH', '/api/v1/units/99906', {
      name: 'Phường Thử Sáu',
      type: 'phuong',
      effectiveFrom: '2026-04-30',
      legalBasis: 'Nghị quyết thử',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Phường Thử Sáu', type: 'phuong', validFrom: '2026-04-30' });
    const detail = (await anon.request('GET', '/api/v1/units/99906')).json();
    expect(detail.versions).toEqual([
      expect.objectContaining({ name: 'Xã Thử Sáu', type: 'xa', validFrom: '2025-07-01', validTo: '2026-04-30' }),
    ]);
    const then = (await anon.request('GET', '/api/v1/units?at=2026-01-01&q=thu%20sau')).json().items;
    expect(then).toEqual([expect.objectContaining({ name: 'Xã Thử Sáu', current: false })]);
    const later = (await anon.request('GET', '/api/v1/units?at=2026-05-01&q=thu%20sau')).json().items;
    expect(later).toEqual([expect.objectContaining({ name: 'Phường Thử Sáu', current: true })]);
    const tooEarly = await admin.request('PATCH', '/api/v1/units/99906', { name: 'Phường X', effectiveFrom: '2025-01-01' });
    expect(tooEarly.statusCode).toBe(422);
    // Without a date: a correction in place, no new version.
    await admin.request('PATCH', '/api/v1/units/99906', { name: 'Phường Thử Sáu (sửa)' });
    expect((await anon.request('GET', '/api/v1/units/99906')).json().versions).toHaveLength(1);
  });
});

describe('CSV import of units', () => {
  it('imports a province of the national list, then finds nothing to change the second time', async () => {
    const csv = provinceCsv('56');
    const res = await admin.request('POST', '/api/v1/units/import', csv, csvHeaders);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'units', applied: true, counts: { rows: 65, created: 66, updated: 0, rejected: 0 } });
    const list = (await anon.request('GET', '/api/v1/units?provinceCode=56&limit=200')).json().items;
    expect(list).toHaveLength(65);
    const again = (await admin.request('POST', '/api/v1/units/import', csv, csvHeaders)).json();
    expect(again.counts).toMatchObject({ rows: 65, created: 0, updated: 0, unchanged: 65 });
    const audit = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'org.unit.import'`);
    expect(audit[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it('rejects bad rows with line numbers and Vietnamese reasons, and writes nothing', async () => {
    const csv = [
      'province_code,province_name,commune_code,commune_name,commune_type',
      '66,Tỉnh Đắk Lắk,99950,Xã Hợp Lệ,xa',
      '66,Tỉnh Đắk Lắk,9995,Xã Mã Ngắn,xa',
      '66,Tỉnh Đắk Lắk,99951,Phường Sai Loại,xa',
      '66,Tỉnh Đắk Lắk,24136,Phường Tân Lợi,phuong',
      '66,Tỉnh Đắk Lắk,99952,Xã Thiếu Cột',
      '6A,Đắk Lắk,99953,Xã Tỉnh Sai,xa',
    ].join('\n');
    const res = await admin.request('POST', '/api/v1/units/import', csv, csvHeaders);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('import_rejected');
    expect(body.report.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5, 6, 7]);
    const reasons = Object.fromEntries(
      body.report.rejected.map((r: { line: number; reasons: string[] }) => [r.line, r.reasons.join(' | ')]),
    );
    expect(reasons[3]).toMatch(/mã xã phải gồm đúng 5 chữ số/);
    expect(reasons[4]).toMatch(/tên phải bắt đầu bằng "Xã"/);
    expect(reasons[5]).toMatch(/không được dùng lại/);
    expect(reasons[6]).toMatch(/Số cột không đúng/);
    expect(reasons[7]).toMatch(/mã tỉnh phải gồm đúng 2 chữ số/);
    expect(reasons[7]).toMatch(/"Tỉnh" hoặc "Thành phố"/);
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'line/3' })]));
    // All or nothing: the good row on line 2 was not written either.
    expect((await anon.request('GET', '/api/v1/units/99950')).statusCode).toBe(404);

    const dry = await admin.request('POST', '/api/v1/units/import?dryRun=true', csv, csvHeaders);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ applied: false, counts: { rejected: 5 } });
  });

  it('refuses files it cannot read', async () => {
    const wrong = await admin.request('POST', '/api/v1/units/import', 'a,b\n1,2\n', csvHeaders);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('csv_columns');
    const quotes = await admin.request('POST', '/api/v1/units/import', 'province_code,province_name\n"66,Tỉnh\n', csvHeaders);
    expect(quotes.statusCode).toBe(400);
    expect(quotes.json().code).toBe('csv_malformed');
  });

  it('imports the old → new mapping (idempotent) and later changes with their dates', async () => {
    const mapping = dataFile('units-2025-mapping-66.csv');
    const again = await admin.request('POST', '/api/v1/units/import', mapping, csvHeaders);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ format: 'mapping', counts: { rows: 295, created: 0, updated: 0, unchanged: 295 } });

    // Đồng Nai (75): list first, then the 2026 changes (province renamed, 10 communes become wards).
    expect((await admin.request('POST', '/api/v1/units/import', provinceCsv('75'), csvHeaders)).statusCode).toBe(200);
    const changes = await admin.request('POST', '/api/v1/units/import', dataFile('units-2025-changes.csv'), csvHeaders);
    expect(changes.statusCode).toBe(200);
    expect(changes.json()).toMatchObject({ format: 'changes', counts: { rows: 21, updated: 11, rejected: 0 } });
    const p75 = (await anon.request('GET', '/api/v1/units/75')).json();
    expect(p75).toMatchObject({ name: 'Thành phố Đồng Nai', type: 'thanh_pho', validFrom: '2026-04-30', legalBasis: '30/2026/QH16' });
    expect(p75.versions).toEqual([expect.objectContaining({ name: 'Tỉnh Đồng Nai', type: 'tinh', validTo: '2026-04-30' })]);
    const ward = (await anon.request('GET', '/api/v1/units?at=2026-05-01&q=loc%20ninh&provinceCode=75')).json().items;
    expect(ward).toEqual([expect.objectContaining({ code: '25270', name: 'Phường Lộc Ninh', type: 'phuong' })]);
    const before = (await anon.request('GET', '/api/v1/units?at=2026-01-01&q=loc%20ninh&provinceCode=75')).json().items;
    expect(before).toEqual([expect.objectContaining({ code: '25270', name: 'Xã Lộc Ninh', type: 'xa', current: false })]);
    // Applying the same changes again changes nothing; the baseline list is still accepted.
    expect(
      (await admin.request('POST', '/api/v1/units/import', dataFile('units-2025-changes.csv'), csvHeaders)).json().counts.unchanged,
    ).toBe(21);
    expect((await admin.request('POST', '/api/v1/units/import', provinceCsv('75'), csvHeaders)).json().counts).toMatchObject({
      rejected: 0,
      unchanged: 95,
    });
  });

  it('rejects a mapping row whose new commune is unknown', async () => {
    const csv = [
      'old_province_code,old_province_name,old_district_code,old_district_name,old_ward_code,old_ward_name,new_province_code,new_province_name,new_commune_code,new_commune_name,relation,note',
      '01,Thành phố Hà Nội,001,Quận Ba Đình,00001,Phường Phúc Xá,01,Thành phố Hà Nội,00097,Phường Hồng Hà,full,',
    ].join('\n');
    const res = await admin.request('POST', '/api/v1/units/import', csv, csvHeaders);
    expect(res.statusCode).toBe(422);
    expect(res.json().report.rejected[0]).toMatchObject({
      line: 2,
      reasons: expect.arrayContaining([expect.stringMatching(/chưa có trong danh mục/)]),
    });
  });
});
