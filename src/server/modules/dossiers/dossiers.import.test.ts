/**
 * importFromNational on the real app and database: a national record becomes a submitted dossier at its
 * desk (idempotent by code); what it rejects and why; transient failures are thrown; who may call it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/app';
import { type Actor, type RequestContext, systemContext } from '../../platform/auth/actor';
import { sql } from '../../platform/db/database';
import { samplePdf } from '../../platform/files/testing';
import { Problem } from '../../platform/http/problem';
import { grantsForAccount } from '../org';
import { type FetchNationalFile, type NationalDossier, NationalFileRefused } from './dossiers.import';
import { type DossiersService, dossiersService } from './dossiers.service';
import { submitThoCung, THO_CUNG, thoCungForm } from './testing';

let t: TestApp;
let dossiers: DossiersService;
const system = systemContext('Cổng DVC quốc gia');
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  dossiers = dossiersService(t.platform);
});
afterAll(async () => {
  await t?.close();
});

async function ctxOf(username: string): Promise<RequestContext> {
  const [a] = await t.db.rows<{ id: string }>(sql`select id from accounts where username = ${username}`);
  const id = a?.id as string;
  const actor: Actor = {
    kind: username === 'congdan' ? 'citizen' : 'staff',
    accountId: id,
    label: username,
    grants: await grantsForAccount(t.db, id),
  };
  return { actor, ip: null, requestId: null };
}

const record = (over: Partial<NationalDossier> = {}): NationalDossier => ({
  code: `H66.002-260105-00${String(7000 + ++n)}`,
  procedureCode: THO_CUNG,
  agencyCode: 'H66.002',
  submittedAt: new Date(Date.now() - 60_000),
  form: thoCungForm(),
  files: ['tp1', 'tp2'].map((k) => ({ id: `tep-${k}`, name: `${k}.pdf`, componentKey: k, url: `https://dvcqg.example/tep/${k}` })),
  ...over,
});

const pdfs: FetchNationalFile = async (f) => samplePdf(`${f.name} ${n}`);

describe('importFromNational', () => {
  it('creates a submitted dossier at the provincial desk, once per code', async () => {
    const r = record();
    const first = await dossiers.importFromNational(system, r, pdfs);
    expect(first).toMatchObject({ status: 'created', code: r.code });
    const [row] = await t.db.rows<{ state: string; channel: number; public_status: number; submitted_at: string }>(
      sql`select state, channel, public_status, submitted_at from dossiers where code = ${r.code}`,
    );
    expect(row).toMatchObject({ state: 'submitted', channel: 2, public_status: 1 });
    expect(new Date(row?.submitted_at as string).toISOString()).toBe(r.submittedAt.toISOString());
    const files = await t.db.rows(sql`select 1 from dossier_files df join dossiers d on d.id = df.dossier_id where d.code = ${r.code}`);
    expect(files).toHaveLength(2);
    const [audit] = await t.db.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'dossier.imported' and target_id = ${(first as { dossierId: string }).dossierId}`,
    );
    expect(audit?.n).toBe(1);
    const again = await dossiers.importFromNational(system, r, pdfs);
    expect(again).toEqual({ status: 'exists', dossierId: (first as { dossierId: string }).dossierId, code: r.code });
  });

  it('rejects what cannot be mapped, with the reason', async () => {
    const cases: [Partial<NationalDossier>, RegExp][] = [
      [{ code: 'H66.002/250101/1' }, /không đúng cấu trúc mã hồ sơ/],
      [{ procedureCode: '1.999999.000.00.00.H66' }, /không có trong danh mục/],
      [{ agencyCode: 'H66.999' }, /Không tìm thấy cơ quan/],
      [{ agencyCode: 'H66.003' }, /không thực hiện thủ tục/],
      [{ form: thoCungForm({ so_dinh_danh: '123' }) }, /Tờ khai chưa hợp lệ: so_dinh_danh/],
      [{ form: { ...thoCungForm(), khong_co: 'x' } }, /khong_co/],
      [{ files: [] }, /Thiếu thành phần hồ sơ bắt buộc/],
      [{ files: [{ id: 'x', name: 'x.pdf', componentKey: 'tp99', url: 'https://dvcqg.example/x' }] }, /không có thành phần hồ sơ "tp99"/],
    ];
    for (const [over, reason] of cases) {
      const out = await dossiers.importFromNational(system, record(over), pdfs);
      expect(out.status, JSON.stringify(over)).toBe('rejected');
      expect((out as { reason: string }).reason).toMatch(reason);
    }
  });

  it('rejects a code another dossier of the province already has', async () => {
    const submitted = await submitThoCung(await login(t.app, 'congdan'));
    expect(submitted.statusCode, submitted.body).toBe(201);
    const out = await dossiers.importFromNational(system, record({ code: submitted.json().code }), pdfs);
    expect(out).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/trùng với một hồ sơ khác/) });
  });

  it('a file the portal refuses, or that is not an accepted type, rejects the record; an outage is thrown', async () => {
    const gone: FetchNationalFile = async () => {
      throw new NationalFileRefused('HTTP 404');
    };
    expect(await dossiers.importFromNational(system, record(), gone)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/Không tải được tệp "tp1.pdf": HTTP 404/),
    });
    const text: FetchNationalFile = async () => Buffer.from('chỉ là văn bản, không phải PDF');
    expect(await dossiers.importFromNational(system, record(), text)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/không được chấp nhận/),
    });
    const down: FetchNationalFile = async () => {
      throw new Error('ECONNRESET');
    };
    const r = record();
    await expect(dossiers.importFromNational(system, r, down)).rejects.toThrow(/ECONNRESET/);
    expect(await t.db.rows(sql`select 1 from dossiers where code = ${r.code}`)).toHaveLength(0);
  });

  it('who may: the system and the receiving desk; another desk 404; a citizen 403', async () => {
    expect((await dossiers.importFromNational(await ctxOf('motcua'), record(), pdfs)).status).toBe('created');
    const other = dossiers.importFromNational(await ctxOf('motcua.bmt'), record(), pdfs);
    await expect(other).rejects.toBeInstanceOf(Problem);
    await expect(other).rejects.toMatchObject({ status: 404 });
    await expect(dossiers.importFromNational(await ctxOf('congdan'), record(), pdfs)).rejects.toMatchObject({ status: 403 });
  });
});
