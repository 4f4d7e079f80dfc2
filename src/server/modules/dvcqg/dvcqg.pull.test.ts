/**
 * Pulling dossiers from the national portal, end to end on the real app over real HTTP: an admin files a
 * test dossier on the local portal, a pull brings it into the desk's reception queue with its files and
 * the portal's code; a second pull creates nothing; records that cannot be mapped land in the rejects;
 * the session handshake (absent or expired tokens refused, a fresh one obtained); who may call the routes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';
import { THO_CUNG } from '../dossiers/testing';
import { downloadFile, forgetSessions, portalUrls, sessionToken } from './dvcqg.client';
import { dvcqgDate } from './dvcqg.payload';
import { PUSH_JOB } from './dvcqg.push';

let t: TestApp;
let admin: Session;
let motcua: Session;
let motcuaBmt: Session;
let congdan: Session;
let anon: Session;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  // Two records a page, so that a pull of three reads several pages.
  t = await createTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}`, DVCQG_PULL_PAGE_SIZE: '2' });
  await t.app.listen({ port, host: '127.0.0.1' });
  forgetSessions();
  [admin, motcua, motcuaBmt, congdan, anon] = await Promise.all([
    login(t.app, 'admin'),
    login(t.app, 'motcua'),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'congdan'),
    anonymousSession(t.app),
  ]);
});
afterAll(async () => {
  await t?.close();
});

interface Filed {
  maHoSo: string;
  filedAt: string;
  record: { TaiLieuNop: { TepDinhKemId: string; MaThanhPhanHoSo: string; DuongDanTaiTepTin: string }[] } & Record<string, unknown>;
}

async function fileOnPortal(body: Record<string, unknown>): Promise<Filed> {
  const res = await admin.request('POST', '/api/v1/dvcqg/local/filed', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function pull() {
  const res = await admin.request('POST', '/api/v1/dvcqg/pull');
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { pages: number; read: number; created: number; existing: number; rejected: number; skipped: number };
}

async function inQueue(code: string) {
  const res = await motcua.request('GET', `/api/v1/dossiers?queue=reception&q=${encodeURIComponent(code)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { id: string; code: string; state: string; channel: number; procedureCode: string; submittedAt: string }[];
}

const served = async (endpoint: string) =>
  (await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dvcqg_local_served where endpoint = ${endpoint}`))[0]?.n ?? 0;

describe('a dossier filed on the national portal', () => {
  let filed: Filed;
  let dossierId: string;

  it('is filed on the local portal with a file per required component', async () => {
    filed = await fileOnPortal({ MaTTHC: THO_CUNG });
    expect(filed.maHoSo).toMatch(/^H66\.002-\d{6}-00\d{4}$/);
    expect(filed.record).toMatchObject({ MaTTHC: THO_CUNG, MaDonViXuLy: 'H66.002', KenhThucHien: '2', TrangThaiHoSo: '1' });
    expect(filed.record.TaiLieuNop.map((f) => f.MaThanhPhanHoSo).sort()).toEqual(['tp1', 'tp2']);
  });

  it('arrives in the reception queue of its desk with the portal code, channel 2, submitted', async () => {
    const result = await pull();
    expect(result).toMatchObject({ read: 1, created: 1, rejected: 0 });
    const [item, ...rest] = await inQueue(filed.maHoSo);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ code: filed.maHoSo, state: 'submitted', channel: 2, procedureCode: THO_CUNG });
    expect(item?.submittedAt).toBe(filed.filedAt);
    dossierId = item?.id as string;
    // A commune desk does not see it.
    expect((await motcuaBmt.request('GET', `/api/v1/dossiers/${dossierId}`)).statusCode).toBe(404);
  });

  it('carries its files (the bytes the portal served), the form and the portal in its timeline', async () => {
    const res = await motcua.request('GET', `/api/v1/dossiers/${dossierId}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.files.map((f: { componentKey: string }) => f.componentKey).sort()).toEqual(['tp1', 'tp2']);
    expect(d.applicant.name).toBe('Trần Thị Mai');
    expect(d.form.noi_dung_yeu_cau).toMatch(/Cổng Dịch vụ công quốc gia/);
    expect(d.timeline.map((a: { action: string }) => a.action)).toEqual(['create', 'submit']);
    expect(d.timeline[0].actorLabel).toBe('Cổng DVC quốc gia');
    const file = d.files.find((f: { componentKey: string }) => f.componentKey === 'tp1');
    const got = await motcua.request('GET', `/api/v1/dossiers/${dossierId}/files/${file.fileId}`);
    expect(got.statusCode).toBe(200);
    const source = filed.record.TaiLieuNop.find((f) => f.MaThanhPhanHoSo === 'tp1');
    const [original] = await t.db.rows<{ b64: string }>(
      sql`select encode(content, 'base64') as b64 from dvcqg_local_files where id = ${source?.TepDinhKemId}`,
    );
    expect(got.rawPayload.toString('base64')).toBe(original?.b64.replace(/\s/g, ''));
    expect(got.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('its submission is pushed back to the portal like any other', async () => {
    const jobs = await t.db.rows(sql`select 1 from pgboss.job where name = ${PUSH_JOB} and data->>'dossierId' = ${dossierId}`);
    expect(jobs).toHaveLength(1);
  });

  it('a second pull creates nothing', async () => {
    const again = await pull();
    expect(again.created).toBe(0);
    expect(again.skipped + again.existing).toBe(again.read);
    expect(await inQueue(filed.maHoSo)).toHaveLength(1);
    const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where code = ${filed.maHoSo}`);
    expect(n?.n).toBe(1);
  });

  it('several dossiers filed at the same second come in over several pages, each once', async () => {
    const at = dvcqgDate(new Date());
    const tied: Filed[] = [];
    for (let i = 0; i < 3; i++) tied.push(await fileOnPortal({ MaTTHC: THO_CUNG, NgayNopHoSo: at }));
    const later = await fileOnPortal({ MaTTHC: THO_CUNG });
    const result = await pull();
    // Read from the watermark (inclusive): the dossier taken before is skipped, two records a page.
    expect(result).toMatchObject({ read: 5, skipped: 1, created: 4, rejected: 0 });
    expect(result.pages).toBeGreaterThanOrEqual(3);
    for (const f of [...tied, later]) expect(await inQueue(f.maHoSo)).toHaveLength(1);
    const again = await pull();
    expect(again.created).toBe(0);
    expect(again.skipped).toBe(again.read);
  });

  it('a record read again from the start is found by its code (existing, not created twice)', async () => {
    await t.db.rows(sql`update dvcqg_pull_state set since = null, codes_at_since = '{}'`);
    const result = await pull();
    expect(result).toMatchObject({ read: 5, created: 0, existing: 5, skipped: 0 });
    const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where channel = 2 and owner_account_id is null`);
    expect(n?.n).toBe(5);
  });
});

describe('records that cannot be mapped', () => {
  it('land in the rejects with the reason, and create no dossier', async () => {
    const unknown = await fileOnPortal({ MaTTHC: '1.999999.000.00.00.H66', MaDonViXuLy: 'H66.002', ThanhPhan: [] });
    const wrongAgency = await fileOnPortal({ MaTTHC: THO_CUNG, MaDonViXuLy: 'H66.003' });
    const missing = await fileOnPortal({ MaTTHC: THO_CUNG, ThanhPhan: ['tp1'] });
    const badCode = await fileOnPortal({ MaTTHC: THO_CUNG, MaHoSo: 'HS-KHONG-HOP-LE' });
    const result = await pull();
    expect(result).toMatchObject({ created: 0, rejected: 4 });

    const res = await admin.request('GET', '/api/v1/dvcqg/pull/rejects?limit=50');
    expect(res.statusCode, res.body).toBe(200);
    const byCode = new Map((res.json().items as { maHoSo: string; reason: string; maTthc: string }[]).map((r) => [r.maHoSo, r]));
    expect(byCode.get(unknown.maHoSo)?.reason).toMatch(/Thủ tục có mã "1\.999999\.000\.00\.00\.H66" không có trong danh mục/);
    expect(byCode.get(unknown.maHoSo)?.maTthc).toBe('1.999999.000.00.00.H66');
    expect(byCode.get(wrongAgency.maHoSo)?.reason).toMatch(/không thực hiện thủ tục/);
    expect(byCode.get(missing.maHoSo)?.reason).toMatch(/Thiếu thành phần hồ sơ bắt buộc/);
    expect(byCode.get(badCode.maHoSo)?.reason).toMatch(/không đúng cấu trúc mã hồ sơ/);
    for (const f of [unknown, wrongAgency, missing]) {
      const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where code = ${f.maHoSo}`);
      expect(n?.n).toBe(0);
    }
  });
});

describe('the session handshake', () => {
  const LIST = '/dvcqg-local/api/hoso/danhsach';
  const listBody = { service: 'LayDanhSachHoSo', TuNgay: '', TrangSo: 1, SoLuong: 10 };

  it('the portal refuses calls without a token or with an unknown one', async () => {
    const none = await t.app.inject({ method: 'POST', url: LIST, payload: listBody });
    expect(none.json()).toMatchObject({ error_code: 100 });
    const wrong = await t.app.inject({ method: 'POST', url: LIST, payload: listBody, headers: { authorization: 'Bearer khong-co' } });
    expect(wrong.json()).toMatchObject({ error_code: 100 });
    const [file] = await t.db.rows<{ id: string }>(sql`select id from dvcqg_local_files limit 1`);
    const download = await t.app.inject({ method: 'GET', url: `/dvcqg-local/api/tep/${file?.id}` });
    expect(download.statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/dvcqg-local/api/hoso/dongbo', payload: { service: 'DongBoHoSoMC', data: [] } })).json(),
    ).toMatchObject({
      error_code: 100,
    });
  });

  it('a session is obtained once and reused until it expires', async () => {
    const before = await served('token');
    const token = await sessionToken(t.platform.config);
    await pull();
    await pull();
    expect(await served('token')).toBe(before);
    expect(await sessionToken(t.platform.config)).toBe(token);
    const ok = await t.app.inject({ method: 'POST', url: LIST, payload: listBody, headers: { authorization: `Bearer ${token}` } });
    expect(ok.json()).toMatchObject({ error_code: 0, TongSo: expect.any(Number) });
  });

  it('an expired session is refused, and the client obtains a fresh one and goes on', async () => {
    const old = await sessionToken(t.platform.config);
    await t.db.rows(sql`update dvcqg_local_sessions set expires_at = now() - interval '1 second'`);
    const refused = await t.app.inject({ method: 'POST', url: LIST, payload: listBody, headers: { authorization: `Bearer ${old}` } });
    expect(refused.json()).toMatchObject({ error_code: 100 });
    const before = await served('token');
    const f = await fileOnPortal({ MaTTHC: THO_CUNG });
    expect((await pull()).created).toBe(1);
    expect(await served('token')).toBe(before + 1);
    expect(await sessionToken(t.platform.config)).not.toBe(old);
    expect(await inQueue(f.maHoSo)).toHaveLength(1);
  });

  it('a file download with an expired session is retried with a fresh one', async () => {
    const f = await fileOnPortal({ MaTTHC: THO_CUNG });
    const url = f.record.TaiLieuNop[0]?.DuongDanTaiTepTin as string;
    const old = await sessionToken(t.platform.config);
    await t.db.rows(sql`update dvcqg_local_sessions set expires_at = now() - interval '1 second'`);
    const got = await downloadFile(t.platform.config, url, 1_000_000);
    expect(got.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await sessionToken(t.platform.config)).not.toBe(old);
    const rows = await t.db.rows<{ error_code: number }>(
      sql`select error_code from dvcqg_local_served where endpoint = 'file' and detail->>'fileId' = ${url.split('/').at(-1)} order by served_at`,
    );
    expect(rows.map((r) => r.error_code)).toEqual([100, 0]);
  });
});

describe('endpoints', () => {
  it('default to siblings of DVCQG_URL, unless set; the local portal otherwise', () => {
    const base = {
      publicUrl: 'http://localhost:3000',
      dvcqg: { ...t.platform.config.dvcqg, url: undefined, authUrl: undefined, pullUrl: undefined },
    };
    expect(portalUrls(base)).toEqual({
      sync: 'http://localhost:3000/dvcqg-local/api/hoso/dongbo',
      auth: 'http://localhost:3000/dvcqg-local/api/xacthuc/laymaxacthuc',
      pull: 'http://localhost:3000/dvcqg-local/api/hoso/danhsach',
    });
    const url = 'https://lgsp.example.gov.vn/dvcqg/api/hoso/dongbo';
    expect(portalUrls({ ...base, dvcqg: { ...base.dvcqg, url } })).toEqual({
      sync: url,
      auth: 'https://lgsp.example.gov.vn/dvcqg/api/xacthuc/laymaxacthuc',
      pull: 'https://lgsp.example.gov.vn/dvcqg/api/hoso/danhsach',
    });
    expect(portalUrls({ ...base, dvcqg: { ...base.dvcqg, url, authUrl: 'https://x/token', pullUrl: 'https://x/list' } })).toMatchObject({
      auth: 'https://x/token',
      pull: 'https://x/list',
    });
  });
});

describe('who may', () => {
  it('pull now: admins; a desk officer 403; a citizen 403; anonymous 401', async () => {
    expect((await admin.request('POST', '/api/v1/dvcqg/pull')).statusCode).toBe(200);
    expect((await motcua.request('POST', '/api/v1/dvcqg/pull')).statusCode).toBe(403);
    expect((await congdan.request('POST', '/api/v1/dvcqg/pull')).statusCode).toBe(403);
    expect((await anon.request('POST', '/api/v1/dvcqg/pull')).statusCode).toBe(401);
  });

  it('read the rejects: admins; a desk officer 403; anonymous 401', async () => {
    expect((await admin.request('GET', '/api/v1/dvcqg/pull/rejects')).statusCode).toBe(200);
    expect((await motcua.request('GET', '/api/v1/dvcqg/pull/rejects')).statusCode).toBe(403);
    expect((await anon.request('GET', '/api/v1/dvcqg/pull/rejects')).statusCode).toBe(401);
  });

  it('file a test dossier and read what the local portal served: admins only', async () => {
    expect((await motcua.request('POST', '/api/v1/dvcqg/local/filed', { MaTTHC: THO_CUNG })).statusCode).toBe(403);
    expect((await congdan.request('POST', '/api/v1/dvcqg/local/filed', { MaTTHC: THO_CUNG })).statusCode).toBe(403);
    expect((await anon.request('POST', '/api/v1/dvcqg/local/filed', { MaTTHC: THO_CUNG })).statusCode).toBe(401);
    const servedPage = await admin.request('GET', '/api/v1/dvcqg/local/served?endpoint=token&limit=5');
    expect(servedPage.statusCode).toBe(200);
    expect(servedPage.json().items[0]).toMatchObject({ endpoint: 'token', errorCode: 0 });
    expect(JSON.stringify(servedPage.json().items)).not.toMatch(/session/);
    expect((await motcua.request('GET', '/api/v1/dvcqg/local/served')).statusCode).toBe(403);
    expect((await anon.request('GET', '/api/v1/dvcqg/local/served')).statusCode).toBe(401);
  });
});

describe('a portal that cannot be reached', () => {
  it('the manual pull answers 502 and the pull state keeps the error', async () => {
    const port = await freePort();
    const w = await createTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}` });
    try {
      const a = await login(w.app, 'admin');
      const res = await a.request('POST', '/api/v1/dvcqg/pull');
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json().detail).toMatch(/Không kết nối được/);
      const [state] = await w.db.rows<{ last_error: string }>(sql`select last_error from dvcqg_pull_state`);
      expect(state?.last_error).toMatch(/Không kết nối được/);
    } finally {
      await w.close();
    }
  });
});
