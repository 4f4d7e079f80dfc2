/**
 * Writing the catalogue: create, publish new versions (earlier ones unchanged, also in the
 * database), retire, validation with field paths, and import/export round trips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { systemContext } from '../../platform/auth/actor';
import { sql } from '../../platform/db/database';
import { samplePdf } from '../../platform/files/testing';
import { demoAgencyId } from '../org';
import { currentProcedure, procedureIdFor, procedureVersion } from '.';

const BMT = demoAgencyId('H66.201');
const EAKAR = demoAgencyId('H66.204');
const CODE = '1.999001.000.00.00.H66';

let t: TestApp;
let admin: Session;
let anon: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, 'admin');
  anon = await anonymousSession(t.app);
});
afterAll(async () => t?.close());

const count = async (table: 'procedures' | 'procedure_versions') =>
  Number((await t.db.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`))[0]?.n);

const input = (over: Record<string, unknown> = {}) => ({
  code: CODE,
  name: 'Thủ tục thử nghiệm cấp giấy xác nhận',
  field: 'Hộ tịch',
  level: 'commune',
  onlineLevel: 'mot_phan',
  processingDays: 2,
  processingNote: 'Trong 02 ngày làm việc',
  fees: [{ name: 'Lệ phí', amountVnd: 5000, note: 'Theo nghị quyết HĐND' }],
  components: [
    { key: 'to_khai', name: 'Tờ khai theo mẫu', original: true, copies: 1 },
    { key: 'cccd', name: 'Thẻ căn cước (xuất trình)', fromEdataStore: true, documentType: 'can_cuoc' },
  ],
  form: {
    fields: [
      { key: 'ho_ten', label: 'Họ tên', type: 'text', required: true, maxLength: 100 },
      { key: 'ly_do', label: 'Lý do', type: 'select', required: true, options: [{ value: 'khac', label: 'Khác' }] },
      { key: 'ghi_ro', label: 'Ghi rõ', type: 'textarea', requiredIf: { field: 'ly_do', equals: 'khac' } },
    ],
  },
  legalBasis: ['Luật Hộ tịch 60/2014/QH13'],
  resultType: 'Giấy xác nhận',
  agencies: [{ id: BMT }],
  ...over,
});

describe('versions', () => {
  let id: string;
  let v1: Record<string, unknown>;

  it('creates a procedure as version 1', async () => {
    const res = await admin.request('POST', '/api/v1/procedures', input());
    expect(res.statusCode, res.body).toBe(201);
    v1 = res.json();
    id = v1.id as string;
    expect(v1).toMatchObject({
      code: CODE,
      version: 1,
      status: 'active',
      processingHours: 16,
      processingDays: 2,
      feeTotalVnd: 5000,
      resultDelivery: ['counter', 'post'],
      publishedBy: 'admin',
      agencies: [{ id: BMT, code: 'H66.201', name: 'Ủy ban nhân dân phường Buôn Ma Thuột' }],
      versions: [{ version: 1, publishedBy: 'admin' }],
    });
    expect((v1.components as { key: string; required: boolean }[]).map((c) => [c.key, c.required])).toEqual([
      ['to_khai', true],
      ['cccd', true],
    ]);
    // Public reads, by id and by code.
    expect((await anon.request('GET', `/api/v1/procedures/${id}`)).json()).toEqual(v1);
    expect((await anon.request('GET', `/api/v1/procedures/${CODE}`)).json().id).toBe(id);
    expect((await anon.request('GET', '/api/v1/procedures/1.999001')).json().id).toBe(id);
    expect((await anon.request('GET', '/api/v1/procedures/1.999002')).statusCode).toBe(404);
  });

  it('refuses a second procedure with the same code', async () => {
    const res = await admin.request('POST', '/api/v1/procedures', input());
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'procedure_code_taken', errors: [{ field: 'body/code' }] });
  });

  it('publishes version 2; version 1 stays readable and unchanged', async () => {
    const res = await admin.request('PUT', `/api/v1/procedures/${id}`, {
      ...input({ name: 'Thủ tục thử nghiệm cấp giấy xác nhận (sửa đổi)', processingHours: 8, processingDays: undefined }),
      agencies: [{ id: BMT }, { code: 'H66.204' }],
      baseVersion: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    const v2 = res.json();
    expect(v2).toMatchObject({
      id,
      version: 2,
      processingHours: 8,
      processingDays: 1,
      name: 'Thủ tục thử nghiệm cấp giấy xác nhận (sửa đổi)',
    });
    expect(v2.agencies.map((a: { id: string }) => a.id)).toEqual([BMT, EAKAR]);
    expect(v2.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const current = (await anon.request('GET', `/api/v1/procedures/${CODE}`)).json();
    expect(current.version).toBe(2);
    const old = (await anon.request('GET', `/api/v1/procedures/${id}/versions/1`)).json();
    expect({ ...old, versions: undefined }).toEqual({ ...v1, versions: undefined });
    expect((await anon.request('GET', `/api/v1/procedures/${id}/versions/3`)).statusCode).toBe(404);

    // Other modules read pinned versions through the index.
    expect((await procedureVersion(t.db, id, 1))?.name).toBe('Thủ tục thử nghiệm cấp giấy xác nhận');
    expect((await currentProcedure(t.db, CODE))?.version).toBe(2);
    expect(await procedureVersion(t.db, id, 9)).toBeNull();
    expect(await currentProcedure(t.db, 'not-a-code')).toBeNull();

    // Search reads the new version's name (procedure_search follows the current version).
    const found = (await anon.request('GET', `/api/v1/procedures?q=${encodeURIComponent('thu nghiem xac nhan sua doi')}`)).json();
    expect(found.items[0]).toMatchObject({ id, version: 2, name: 'Thủ tục thử nghiệm cấp giấy xác nhận (sửa đổi)' });
    // The agency filter follows the current version.
    const eaKar = (await anon.request('GET', `/api/v1/procedures?agencyId=${EAKAR}&q=${CODE}`)).json();
    expect(eaKar.items.map((i: { id: string }) => i.id)).toEqual([id]);
    const otherAgency = demoAgencyId('H66.205');
    expect((await anon.request('GET', `/api/v1/procedures?agencyId=${otherAgency}&q=${CODE}`)).json().items).toEqual([]);
  });

  it('refuses an edit based on an older version, and a change of code', async () => {
    const stale = await admin.request('PUT', `/api/v1/procedures/${id}`, { ...input(), baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    const recode = await admin.request('PUT', `/api/v1/procedures/${id}`, input({ code: '1.999009.000.00.00.H66' }));
    expect(recode.statusCode).toBe(400);
    expect(recode.json().errors).toEqual([{ field: 'body/code', message: expect.stringContaining('không đổi được') }]);
  });

  it('versions are immutable in the database itself', async () => {
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(
      await failure(t.db.rows(sql`update procedure_versions set name = 'sửa trộm' where procedure_id = ${id} and version = 1`)),
    ).toMatch(/immutable/);
    expect(await failure(t.db.rows(sql`delete from procedure_versions where procedure_id = ${id}`))).toMatch(/immutable/);
    // The current version must exist.
    expect(await failure(t.db.rows(sql`update procedures set current_version = 7 where id = ${id}`))).toMatch(
      /procedures_current_version_fk/,
    );
    expect((await procedureVersion(t.db, id, 1))?.name).toBe('Thủ tục thử nghiệm cấp giấy xác nhận');
  });

  it('writes the audit log', async () => {
    const rows = await t.db.rows<{ action: string }>(
      sql`select action from audit_log where target_type = 'procedure' and target_id = ${id} order by seq`,
    );
    expect(rows.map((r) => r.action)).toEqual(['catalog.procedure.create', 'catalog.procedure.publish']);
  });

  it('retires: gone from the public list, still readable, no new versions', async () => {
    const res = await admin.request('POST', `/api/v1/procedures/${id}/retire`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'retired', version: 2 });
    expect((await anon.request('GET', `/api/v1/procedures?q=${CODE}`)).json().items).toEqual([]);
    const withRetired = (await anon.request('GET', `/api/v1/procedures?q=${CODE}&includeRetired=true`)).json();
    expect(withRetired.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[id, 'retired']]);
    expect((await anon.request('GET', `/api/v1/procedures/${id}/versions/1`)).statusCode).toBe(200);
    const again = await admin.request('PUT', `/api/v1/procedures/${id}`, input());
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('procedure_retired');
  });
});

describe('validation', () => {
  const post = (body: unknown) => admin.request('POST', '/api/v1/procedures', body);
  const fieldsOf = (res: { json(): { errors?: { field: string }[] } }) => (res.json().errors ?? []).map((e) => e.field);

  it('reports shape errors with JSON paths and Vietnamese messages', async () => {
    const res = await post(
      input({ code: '1.999101.000.00.00.H66', components: [{ original: true }], fees: [{ name: 'Lệ phí', amountVnd: -1 }] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'body/components/0/name', message: 'Trường này là bắt buộc' },
        { field: 'body/fees/0/amountVnd', message: 'Giá trị phải ≥ 0' },
      ]),
    );
  });

  it('reports every rule broken in the whole input', async () => {
    const res = await post(
      input({
        code: '1.999101',
        components: [
          { key: 'a', name: 'A' },
          { key: 'a', name: 'B' },
        ],
        form: { fields: [{ key: 'loai', label: 'Loại', type: 'select' }] },
        processingDays: 1,
        processingHours: 3,
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['body/code', 'body/processingDays', 'body/components/1/key', 'body/form/fields/0/options']);
    expect(res.json().title).toBe('Dữ liệu gửi lên không hợp lệ');
  });

  it('checks the agencies against the directory', async () => {
    const res = await post(
      input({ code: '1.999102.000.00.00.H66', agencies: [{ id: '00000000-0000-4000-8000-000000000000' }, { code: 'H66.999' }] }),
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['body/agencies/0', 'body/agencies/1']);
  });

  it('writes nothing when the input is refused', async () => {
    const before = await count('procedures');
    await post(input({ code: '1.999103.000.00.00.H66', fees: [{ name: '', amountVnd: 1 }] }));
    expect(await count('procedures')).toBe(before);
  });
});

describe('template files', () => {
  it('refuses a template that is not in the file store, and serves a published one to anyone', async () => {
    const missing = await admin.request(
      'POST',
      '/api/v1/procedures',
      input({ code: '1.999401.000.00.00.H66', components: [{ name: 'Tờ khai', templateFileId: '00000000-0000-4000-8000-000000000001' }] }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ field: 'body/components/0/templateFileId', message: 'Không có tệp mẫu này trong kho tệp' }]);

    const file = await t.platform.files.upload(systemContext('test'), { name: 'Tờ khai mẫu.pdf', bytes: samplePdf('Tờ khai') });
    const created = await admin.request(
      'POST',
      '/api/v1/procedures',
      input({ code: '1.999402.000.00.00.H66', components: [{ key: 'to_khai', name: 'Tờ khai', templateFileId: file.id }] }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const res = await anon.request('GET', `/api/v1/procedures/${id}/versions/1/components/to_khai/template`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="To khai mau\.pdf"; filename\*=UTF-8''/);
    expect(res.rawPayload.equals(samplePdf('Tờ khai'))).toBe(true);
    expect((await anon.request('GET', `/api/v1/procedures/${id}/versions/1/components/khac/template`)).statusCode).toBe(404);
    // Unpublished uploads stay private.
    expect((await anon.request('GET', `/api/v1/files/${file.id}/content`)).statusCode).toBe(401);
  });
});

describe('import and export', () => {
  const importJson = (body: unknown, dryRun = false) =>
    admin.request('POST', `/api/v1/procedures/import${dryRun ? '?dryRun=true' : ''}`, body as object);
  const importCsv = (csv: string, dryRun = false) =>
    admin.request('POST', `/api/v1/procedures/import${dryRun ? '?dryRun=true' : ''}`, csv, { 'content-type': 'text/csv; charset=utf-8' });

  it('exports JSON that imports back unchanged', async () => {
    const res = await admin.request('GET', '/api/v1/procedures/export?format=json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="thu-tuc-hanh-chinh-\d{4}-\d{2}-\d{2}\.json"$/);
    const items = res.json() as { code: string }[];
    const active = (await anon.request('GET', '/api/v1/procedures?limit=1')).json().total;
    expect(items).toHaveLength(active);
    const [versionsBefore, proceduresBefore] = [await count('procedure_versions'), await count('procedures')];
    const report = await importJson(items);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toEqual({ applied: true, created: 0, updated: 0, unchanged: items.length, rejected: [] });
    expect(await count('procedure_versions')).toBe(versionsBefore);
    expect(await count('procedures')).toBe(proceduresBefore);
  });

  it('exports CSV that imports back unchanged (components and forms kept)', async () => {
    const res = await admin.request('GET', '/api/v1/procedures/export?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('code,name,field,level,online_level,processing_days,processing_hours,fee_vnd,agencies,legal_basis,result_type');
    expect(lines.find((l) => l.startsWith('1.001193.'))).toContain(
      ',commune,toan_trinh,1,8,,H66.201;H66.202;H66.203;H66.204;H66.205;H66.206,',
    );
    const report = await importCsv(res.body);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: lines.length - 1 });
  });

  it('creates new codes and publishes a new version of changed ones; dryRun writes nothing', async () => {
    const birthId = procedureIdFor('1.001193.000.00.00.H66');
    const exported = (await admin.request('GET', '/api/v1/procedures/export')).json() as Record<string, unknown>[];
    const birth = exported.find((p) => p.code === '1.001193.000.00.00.H66') as Record<string, unknown>;
    const changed = { ...birth, processingNote: 'Trả kết quả trong ngày' };
    const fresh = input({ code: '1.999201.000.00.00.H66', agencies: [{ code: 'H66.201' }] });

    const dry = await importJson([changed, fresh], true);
    expect(dry.json()).toEqual({ applied: false, created: 1, updated: 1, unchanged: 0, rejected: [] });
    expect((await currentProcedure(t.db, birthId))?.version).toBe(1);

    const done = await importJson([changed, fresh]);
    expect(done.json()).toEqual({ applied: true, created: 1, updated: 1, unchanged: 0, rejected: [] });
    const now = await currentProcedure(t.db, birthId);
    expect(now).toMatchObject({ version: 2, processingNote: 'Trả kết quả trong ngày' });
    expect((await procedureVersion(t.db, birthId, 1))?.processingNote).toMatch(/^Ngay trong ngày tiếp nhận/);
    expect(now?.components).toEqual((await procedureVersion(t.db, birthId, 1))?.components);
    expect((await currentProcedure(t.db, '1.999201.000.00.00.H66'))?.agencies.map((a) => a.code)).toEqual(['H66.201']);
  });

  it('updates from CSV: the row changes what it carries and keeps the rest', async () => {
    const csv =
      'code,name,field,level,online_level,processing_days,processing_hours,fee_vnd,agencies,legal_basis,result_type\n' +
      '1.999201.000.00.00.H66,Thủ tục thử nghiệm nhập CSV,Hộ tịch,commune,mot_phan,3,,5000,H66.201;H66.204,Luật Hộ tịch 60/2014/QH13,Giấy xác nhận\n';
    const res = await importCsv(csv);
    expect(res.json()).toMatchObject({ applied: true, updated: 1 });
    const p = await currentProcedure(t.db, '1.999201.000.00.00.H66');
    expect(p).toMatchObject({ version: 2, name: 'Thủ tục thử nghiệm nhập CSV', processingHours: 24, feeTotalVnd: 5000 });
    expect(p?.fees).toEqual([{ name: 'Lệ phí', amountVnd: 5000, note: 'Theo nghị quyết HĐND' }]);
    expect(p?.components.map((c) => c.key)).toEqual(['to_khai', 'cccd']);
    expect(p?.agencies.map((a) => a.code)).toEqual(['H66.201', 'H66.204']);
  });

  it('all or nothing: one bad item and nothing is written; the report says where', async () => {
    const before = await count('procedure_versions');
    const items = [
      input({ code: '1.999301.000.00.00.H66' }),
      input({ code: '1.999302.000.00.00.H66', components: [{ name: '' }] }),
      input({ code: '1.999301.000.00.00.H66' }),
      input({ code: '1.999303.000.00.00.H66', agencies: [{ code: 'H66.999' }] }),
    ];
    const res = await importJson(items);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('import_rejected');
    expect(body.report.rejected).toEqual([
      { line: 2, code: '1.999302.000.00.00.H66', errors: [{ field: 'components/0/name', message: 'Không được để trống' }] },
      { line: 3, code: '1.999301.000.00.00.H66', errors: [{ field: 'code', message: 'Mã 1.999301.000.00.00.H66 trùng với mục ở dòng 1' }] },
      { line: 4, code: '1.999303.000.00.00.H66', errors: [{ field: 'agencies/0', message: 'Không có cơ quan H66.999' }] },
    ]);
    expect(await count('procedure_versions')).toBe(before);
    // dryRun answers 200 with the same report.
    const dry = await importJson(items, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().rejected).toHaveLength(3);

    const csv =
      'code,name,field,level,online_level,fee_vnd\n1.999304.000.00.00.H66,Tên,Hộ tịch,xa,mot_phan,abc\n1.999305,Tên,Hộ tịch,commune,mot_phan,\n';
    const bad = await importCsv(csv);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().report.rejected).toEqual([
      { line: 2, code: '1.999304.000.00.00.H66', errors: [{ field: 'fee_vnd', message: expect.any(String) }] },
      { line: 3, code: '1.999305', errors: expect.arrayContaining([{ field: 'agencies', message: 'Cần ít nhất 1 phần tử' }]) },
    ]);
    expect(await count('procedure_versions')).toBe(before);
  });

  it('refuses malformed files as a whole', async () => {
    expect((await importCsv('code,name\n1,2\n')).statusCode).toBe(400);
    expect((await importJson({ not: 'an array' })).statusCode).toBe(400);
  });

  it('keeps the per-agency counts of procedures in force equal to a count of the pairs, after every change above', async () => {
    // This file has created, re-published with other agencies, retired and imported procedures by now.
    const kept = await t.db.rows<{ agency_id: string; n: number }>(
      sql`select agency_id, procedures as n from catalog_agency_counts where procedures > 0 order by agency_id`,
    );
    const counted = await t.db.rows<{ agency_id: string; n: number }>(
      sql`select pa.agency_id, count(*)::int as n from procedure_agencies pa join procedures p on p.id = pa.procedure_id
           where p.status = 'active' group by pa.agency_id order by pa.agency_id`,
    );
    expect(kept.length).toBeGreaterThan(5);
    expect(kept).toEqual(counted);
    // And the catalogue's agency facet, browsing without a filter, is those counts.
    const facet = (await anon.request('GET', '/api/v1/procedures?limit=1')).json().facets.agency as { value: string; count: number }[];
    expect(new Map(facet.map((a) => [a.value, a.count]))).toEqual(new Map(counted.map((c) => [c.agency_id, c.n])));
  });
});
