/**
 * National portal sync on the real app: dossier actions enqueue one push each; the worker sends the
 * dossier over real HTTP to the local national portal (the app itself, listening on a port), which
 * checks and records it; failures are recorded and rethrown for pg-boss to retry; older pushes are
 * skipped; who may read the sync state.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { startJobs } from '../../platform';
import { sql } from '../../platform/db/database';
import { submitThoCung } from '../dossiers/testing';
import { localPortal } from './dvcqg.local';
import { dvcqgDate, type HoSoDongBoDVC, SYNC_SERVICE } from './dvcqg.payload';
import { PUSH_JOB, type PushData, type PushDeps, pushDossier, pushDossiers, pushHandler } from './dvcqg.push';

let t: TestApp;
let deps: PushDeps;
let congdan: Session;
let congdan2: Session;
let motcua: Session;
let motcuaBmt: Session;
let admin: Session;
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
  t = await createTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}` });
  await t.app.listen({ port, host: '127.0.0.1' });
  deps = { db: t.db, config: t.platform.config };
  [congdan, congdan2, motcua, motcuaBmt, admin, anon] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    login(t.app, 'motcua'),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'admin'),
    anonymousSession(t.app),
  ]);
});
afterAll(async () => {
  await t?.close();
});

/** The push jobs enqueued for a dossier, in action order. */
async function pushJobs(dossierId: string): Promise<PushData[]> {
  const rows = await t.db.rows<{ data: PushData }>(
    sql`select data from pgboss.job where name = ${PUSH_JOB} and data->>'dossierId' = ${dossierId} order by (data->>'seq')::int`,
  );
  return rows.map((r) => r.data);
}

interface Received {
  maHoSo: string | null;
  trangThai: number | null;
  errorCode: number;
  message: string;
  payload: HoSoDongBoDVC;
}

/** What the local portal recorded for a code, oldest first (through the admin route). */
async function received(code: string): Promise<Received[]> {
  const res = await admin.request('GET', `/api/v1/dvcqg/local/received?code=${encodeURIComponent(code)}&limit=200`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Received[]).reverse();
}

async function submit(): Promise<{ id: string; code: string; version: number; submittedAt: string }> {
  const res = await submitThoCung(congdan);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function receive(id: string, version: number) {
  const res = await motcua.request('POST', `/api/v1/dossiers/${id}/receive`, { version });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { version: number; dueAt: string; receivedAt: string };
}

describe('push on every dossier action', () => {
  let d: { id: string; code: string; version: number; submittedAt: string };
  let firstJob: PushData;

  it('submitting enqueues exactly one push (the draft steps none)', async () => {
    d = await submit();
    const jobs = await pushJobs(d.id);
    expect(jobs).toEqual([{ dossierId: d.id, seq: d.version }]);
    firstJob = jobs[0] as PushData;
  });

  it('the worker sends status 1 over HTTP to the local portal, which records it', async () => {
    expect(await pushDossier(deps, firstJob)).toBe('sent');
    const got = await received(d.code);
    expect(got).toHaveLength(1);
    const r = got[0] as Received;
    expect(r).toMatchObject({ maHoSo: d.code, trangThai: 1, errorCode: 0, message: 'Thành công' });
    expect(r.payload).toMatchObject({
      MaHoSo: d.code,
      MaTTHC: '1.010803.000.00.00.H66',
      KenhThucHien: '2',
      TrangThaiHoSo: '1',
      ChuHoSo: 'Nguyễn Văn An',
      SoGiayToChuHoSo: '066090001234',
      NgayNopHoSo: dvcqgDate(d.submittedAt),
    });
    expect(r.payload.NgayTiepNhan).toBeUndefined();
    expect(r.payload.NgayHenTra).toBeUndefined();
    expect(r.payload.TaiLieuNop.map((f) => f.MaThanhPhanHoSo).sort()).toEqual(['tp1', 'tp2']);
    expect(r.payload.QuaTrinhXuLy.map((q) => q.TrangThai)).toEqual(['1']);
  });

  it('receiving enqueues one more push; the worker sends status 2 with the due date', async () => {
    const after = await receive(d.id, d.version);
    const jobs = await pushJobs(d.id);
    expect(jobs).toEqual([firstJob, { dossierId: d.id, seq: after.version }]);
    expect(await pushDossier(deps, jobs[1] as PushData)).toBe('sent');
    const got = await received(d.code);
    expect(got.map((r) => r.trangThai)).toEqual([1, 2]);
    const last = (got[1] as Received).payload;
    expect(after.dueAt).toBeTruthy();
    expect(last).toMatchObject({
      TrangThaiHoSo: '2',
      NgayTiepNhan: dvcqgDate(after.receivedAt),
      NgayHenTra: dvcqgDate(after.dueAt),
    });
    expect(last.NgayHenTra).toMatch(/^\d{14}$/);
    const receiveStep = last.QuaTrinhXuLy.at(-1);
    expect(receiveStep).toMatchObject({ TrangThai: '2', NgayKetThucTheoQuyDinh: dvcqgDate(after.dueAt) });
    d.version = after.version;
  });

  it('an older push after a newer one is skipped (nothing sent), and so is a rerun', async () => {
    expect(await pushDossier(deps, firstJob)).toBe('skipped');
    expect(await pushDossier(deps, { dossierId: d.id, seq: d.version })).toBe('skipped');
    expect(await received(d.code)).toHaveLength(2);
  });

  it('shows the sync state to the desk', async () => {
    const res = await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      dossierId: d.id,
      code: d.code,
      target: 'local',
      currentVersion: d.version,
      currentStatus: 2,
      lastSeqSent: d.version,
      lastStatusSent: 2,
      lastError: null,
      failures: 0,
      upToDate: true,
    });
    expect(res.json().lastOkAt).toBeTruthy();
  });

  it('a push that runs late sends the current state once; the later push then has nothing to send', async () => {
    const e = await submit();
    const after = await receive(e.id, e.version);
    const [submitJob, receiveJob] = await pushJobs(e.id);
    expect(receiveJob?.seq).toBe(after.version);
    expect(await pushDossier(deps, submitJob as PushData)).toBe('sent');
    expect(await pushDossier(deps, receiveJob as PushData)).toBe('skipped');
    const got = await received(e.code);
    expect(got.map((r) => r.trangThai)).toEqual([2]);
  });

  it('a supplement request is pushed with status 5 and the request in DanhSachHoSoBoSung', async () => {
    const s = await submit();
    const res = await motcua.request('POST', `/api/v1/dossiers/${s.id}/request-supplement`, {
      version: s.version,
      items: [{ componentKey: 'tp2', text: 'Bản sao giấy chứng nhận liệt sĩ có chứng thực' }],
      reason: 'Giấy tờ nộp chưa rõ nét',
    });
    expect(res.statusCode, res.body).toBe(200);
    const jobs = await pushJobs(s.id);
    expect(jobs).toHaveLength(2);
    expect(await pushDossier(deps, jobs[1] as PushData)).toBe('sent');
    const [r] = await received(s.code);
    expect(r?.payload.TrangThaiHoSo).toBe('5');
    expect(r?.payload.DanhSachHoSoBoSung).toEqual([
      expect.objectContaining({ TrangThaiBoSung: '1', NoiDungBoSung: expect.stringContaining('Giấy tờ nộp chưa rõ nét') }),
    ]);
  });
});

describe('a failing national portal', () => {
  let server: Server;
  let mode: 'http500' | 'refuse' | 'ok' = 'http500';
  /** In 'ok' mode, a message holding this code is refused as a whole (error_code 99), as the portal does. */
  let refuseCode: string | null = null;
  /** The sync messages received, in order. */
  const messages: { isUpdating: boolean; data: HoSoDongBoDVC[] }[] = [];
  const auth: (string | undefined)[] = [];
  const keys: unknown[] = [];
  let failing: PushDeps;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/xacthuc/laymaxacthuc') {
          // The handshake works throughout: only the sync endpoint misbehaves.
          keys.push(JSON.parse(Buffer.concat(chunks).toString()).apiKey);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ error_code: 0, message: 'OK', session: 'phien-1', expires: dvcqgDate(new Date(Date.now() + 3600_000)) }),
          );
          return;
        }
        auth.push(req.headers.authorization);
        const message = JSON.parse(Buffer.concat(chunks).toString());
        messages.push(message);
        if (mode === 'http500') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
        } else {
          const refused = mode === 'refuse' || message.data.some((h: HoSoDongBoDVC) => h.MaHoSo === refuseCode);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(refused ? { error_code: 99, message: 'Hệ thống bận' } : { error_code: '0', message: 'OK' }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    failing = {
      db: t.db,
      config: {
        ...t.platform.config,
        dvcqg: { ...t.platform.config.dvcqg, url: `http://127.0.0.1:${port}/dongbo`, apiKey: 'khoa-bi-mat', timeoutSeconds: 5 },
      },
    };
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('HTTP 500: the job fails (for pg-boss to retry) and the sync state keeps the error', async () => {
    const d = await submit();
    const [job] = await pushJobs(d.id);
    const run = pushHandler(failing);
    const failed = await run([{ id: 'j1', name: PUSH_JOB, data: job as PushData, retryCount: 0, retryLimit: 8 }]);
    expect([...(failed?.keys() ?? [])]).toEqual(['j1']);
    expect(failed?.get('j1')?.message).toMatch(/HTTP 500/);
    // The key goes to the token endpoint only; the sync call carries the session it gave.
    expect(keys).toEqual(['khoa-bi-mat']);
    expect(auth.at(-1)).toBe('Bearer phien-1');
    let state = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).json();
    expect(state).toMatchObject({ lastSeqSent: null, lastOkAt: null, failures: 1, upToDate: false });
    expect(state.lastError).toMatch(/HTTP 500/);

    mode = 'refuse';
    await expect(pushDossier(failing, job as PushData)).rejects.toThrow(/error_code 99/);
    state = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).json();
    expect(state).toMatchObject({ lastSeqSent: null, failures: 2 });
    expect(state.lastError).toMatch(/error_code 99.*Hệ thống bận/);

    // The retry after the portal recovers succeeds and clears the error.
    mode = 'ok';
    expect(await pushDossier(failing, job as PushData)).toBe('sent');
    state = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).json();
    expect(state).toMatchObject({ lastSeqSent: d.version, lastStatusSent: 1, lastError: null, failures: 0, upToDate: true });
  });

  it('a batch of jobs: each dossier once, in one message per kind, its actions in order; a rerun sends nothing', async () => {
    mode = 'ok';
    refuseCode = null;
    const a = await submit();
    const b = await submit();
    const c = await submit();
    const cReceived = await receive(c.id, c.version);
    const jobs = [...(await pushJobs(a.id)), ...(await pushJobs(b.id)), ...(await pushJobs(c.id))];
    expect(jobs).toHaveLength(4);
    const ctx = jobs.reverse().map((data, i) => ({ id: `j${i}`, name: PUSH_JOB, data, retryCount: 0, retryLimit: 8 }));
    const before = messages.length;
    expect((await pushHandler(failing)(ctx))?.size ?? 0).toBe(0);
    const sent = messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.isUpdating).toBe(false);
    const byCode = new Map(sent[0]?.data.map((h) => [h.MaHoSo, h]));
    expect([...byCode.keys()].sort()).toEqual([a.code, b.code, c.code].sort());
    expect(sent[0]?.data).toHaveLength(3);
    // c's submission and reception, in that order, in its one record.
    expect(byCode.get(c.code)?.TrangThaiHoSo).toBe('2');
    expect(byCode.get(c.code)?.QuaTrinhXuLy.map((q) => q.TrangThai)).toEqual(['1', '2']);
    expect(byCode.get(a.code)?.QuaTrinhXuLy.map((q) => q.TrangThai)).toEqual(['1']);
    for (const d of [a, b]) {
      const state = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).json();
      expect(state).toMatchObject({ lastSeqSent: d.version, upToDate: true });
    }
    expect((await motcua.request('GET', `/api/v1/dossiers/${c.id}/dvcqg`)).json()).toMatchObject({ lastSeqSent: cReceived.version });

    // Again (a retry, a duplicate delivery): nothing to send.
    expect((await pushHandler(failing)(ctx))?.size ?? 0).toBe(0);
    expect(messages.length).toBe(before + 1);

    // A later action of a, with b's old job in the same batch: one update message, a only.
    const aReceived = await receive(a.id, a.version);
    const more = [{ dossierId: a.id, seq: aReceived.version }, jobs.find((j) => j.dossierId === b.id) as PushData];
    const r = await pushDossiers(failing, more);
    expect([...r.sent]).toEqual([a.id]);
    expect([...r.skipped]).toEqual([b.id]);
    expect(messages.slice(before + 1).map((m) => [m.isUpdating, m.data.map((h) => h.MaHoSo)])).toEqual([[true, [a.code]]]);
  });

  it('a message refused for one record: the others are sent on their own, only that one fails', async () => {
    mode = 'ok';
    const bad = await submit();
    const good = await submit();
    refuseCode = bad.code;
    const ctx = [...(await pushJobs(bad.id)), ...(await pushJobs(good.id))].map((data, i) => ({
      id: `r${i}`,
      name: PUSH_JOB,
      data,
      retryCount: 0,
      retryLimit: 8,
    }));
    const before = messages.length;
    const failed = await pushHandler(failing)(ctx);
    refuseCode = null;
    // The pair (refused), then each alone.
    expect(messages.slice(before).map((m) => m.data.map((h) => h.MaHoSo))).toEqual([[bad.code, good.code], [bad.code], [good.code]]);
    expect([...(failed?.keys() ?? [])]).toEqual(['r0']);
    expect(failed?.get('r0')?.message).toMatch(/error_code 99/);
    expect((await motcua.request('GET', `/api/v1/dossiers/${good.id}/dvcqg`)).json()).toMatchObject({ upToDate: true, failures: 0 });
    const state = (await motcua.request('GET', `/api/v1/dossiers/${bad.id}/dvcqg`)).json();
    expect(state).toMatchObject({ upToDate: false, failures: 1 });
    expect(state.lastError).toMatch(/error_code 99/);
  });

  it('an unreachable portal is a failure too', async () => {
    const d = await submit();
    const [job] = await pushJobs(d.id);
    const port = await freePort();
    const down: PushDeps = {
      db: t.db,
      config: {
        ...t.platform.config,
        dvcqg: { ...t.platform.config.dvcqg, url: `http://127.0.0.1:${port}/x`, apiKey: undefined, timeoutSeconds: 2 },
      },
    };
    await expect(pushDossier(down, job as PushData)).rejects.toThrow(/Không kết nối được/);
    const state = (await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).json();
    expect(state.lastError).toMatch(/Không kết nối được/);
  });

  it('the push queue retries with backoff and ends in a dead-letter queue', async () => {
    expect(t.platform.jobs.queues()).toContainEqual({ name: PUSH_JOB, deadLetter: `${PUSH_JOB}.dead` });
    const [q] = await t.db.rows<{ retry_limit: number; retry_backoff: boolean; dead_letter: string }>(
      sql`select retry_limit, retry_backoff, dead_letter from pgboss.queue where name = ${PUSH_JOB}`,
    );
    expect(q).toMatchObject({ retry_limit: 8, retry_backoff: true, dead_letter: `${PUSH_JOB}.dead` });
  });
});

describe('the local national portal', () => {
  const URL = '/dvcqg-local/api/hoso/dongbo';
  const valid = (over: Record<string, unknown> = {}) => ({
    service: SYNC_SERVICE,
    isUpdating: false,
    data: [
      {
        MaHoSo: 'H66.999-250708-0001',
        MaTTHC: '1.010803.000.00.00.H66',
        TenTTHC: 'Thủ tục thử',
        KenhThucHien: '2',
        ChuHoSo: 'Nguyễn Văn An',
        TrangThaiHoSo: '2',
        NgayNopHoSo: '20250708080000',
        NgayTiepNhan: '20250708090000',
        DonViXuLy: 'Sở Nội vụ',
        ...over,
      },
    ],
  });
  let session = '';
  beforeAll(async () => {
    const res = await t.app.inject({ method: 'POST', url: '/dvcqg-local/api/xacthuc/laymaxacthuc', payload: { service: 'LayMaXacThuc' } });
    session = res.json().session;
  });
  const post = async (body: unknown) => {
    const res = await t.app.inject({ method: 'POST', url: URL, payload: body as object, headers: { authorization: `Bearer ${session}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { error_code: number; message: string };
  };

  it('accepts a complete message', async () => {
    expect(await post(valid())).toEqual({ error_code: 0, message: 'Thành công' });
  });

  it('refuses invalid messages with an error code and says which field', async () => {
    const cases: [unknown, number, RegExp][] = [
      [valid({ MaHoSo: undefined }), 200, /MaHoSo/],
      [valid({ ChuHoSo: '' }), 200, /ChuHoSo/],
      [valid({ TrangThaiHoSo: '11' }), 500, /TrangThaiHoSo/],
      [valid({ TrangThaiHoSo: 2 }), 302, /TrangThaiHoSo/],
      [valid({ KenhThucHien: '9' }), 500, /KenhThucHien/],
      [valid({ NgayNopHoSo: '2025-07-08T08:00:00Z' }), 302, /NgayNopHoSo/],
      [valid({ NgayHenTra: '20250230080000' }), 302, /NgayHenTra/],
      [valid({ NgayTiepNhan: undefined }), 200, /NgayTiepNhan/],
      [valid({ TrangThaiHoSo: '3' }), 200, /NgayTuChoi/],
      [valid({ NgayTiepNhan: '20250701080000' }), 500, /NgayTiepNhan/],
      [valid({ QuaTrinhXuLy: [{ MaHoSo: 'khac', NguoiXuLy: 'A', ThoiDiemXuLy: '20250708090000' }] }), 500, /MaHoSo/],
      [valid({ TaiLieuNop: 'x' }), 302, /TaiLieuNop/],
      [{ ...valid(), service: 'XoaHoSo' }, 500, /XoaHoSo/],
      [{ service: SYNC_SERVICE, data: [] }, 200, /data/],
      [[1, 2], 302, /JSON/],
    ];
    for (const [body, code, field] of cases) {
      const answer = await post(body);
      expect(answer.error_code, JSON.stringify(body)).toBe(code);
      expect(answer.message).toMatch(field);
    }
  });

  it('records refused messages too, with the answer given', async () => {
    await post(valid({ MaHoSo: 'H66.999-250708-0002', TrangThaiHoSo: '11' }));
    const got = await received('H66.999-250708-0002');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ maHoSo: 'H66.999-250708-0002', trangThai: null, errorCode: 500 });
  });

  it('gives a session only for the API key when one is set, and requires the session', async () => {
    const config = t.platform.config;
    const portal = localPortal(t.db, { ...config, dvcqg: { ...config.dvcqg, apiKey: 'khoa' } });
    expect((await portal.token({ service: 'LayMaXacThuc', apiKey: 'sai' })).error_code).toBe(100);
    expect((await portal.token({ service: 'LayMaXacThuc' })).error_code).toBe(100);
    const given = await portal.token({ service: 'LayMaXacThuc', apiKey: 'khoa' });
    expect(given).toMatchObject({ error_code: 0, session: expect.any(String), expires: expect.stringMatching(/^\d{14}$/) });
    expect((await portal.receive(valid(), undefined)).error_code).toBe(100);
    expect((await portal.receive(valid(), 'Bearer khoa')).error_code).toBe(100);
    expect((await portal.receive(valid(), `Bearer ${given.session}`)).error_code).toBe(0);
  });
});

describe('who may read', () => {
  let d: { id: string; code: string };

  beforeAll(async () => {
    d = await submit();
  });

  it('the sync state: the receiving desk yes; another desk, another citizen 404; anonymous 401', async () => {
    expect((await motcua.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).statusCode).toBe(200);
    expect((await motcuaBmt.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).statusCode).toBe(404);
    const other = await congdan2.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`);
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect((await anon.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).statusCode).toBe(401);
    // Staff information: the applicant follows the dossier itself, not its sync.
    expect((await congdan.request('GET', `/api/v1/dossiers/${d.id}/dvcqg`)).statusCode).toBe(404);
    expect((await motcua.request('GET', '/api/v1/dossiers/00000000-0000-4000-8000-000000000000/dvcqg')).statusCode).toBe(404);
  });

  it('what the local portal received: admins yes, a desk officer 403, anonymous 401', async () => {
    expect((await admin.request('GET', '/api/v1/dvcqg/local/received')).statusCode).toBe(200);
    expect((await motcua.request('GET', '/api/v1/dvcqg/local/received')).statusCode).toBe(403);
    expect((await anon.request('GET', '/api/v1/dvcqg/local/received')).statusCode).toBe(401);
  });
});

describe('with job workers running', () => {
  it('a submission reaches the local portal through the dvcqg.push queue on its own', async () => {
    const port = await freePort();
    const w = await createTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}`, JOBS: 'true', JOBS_POLL_SECONDS: '1' });
    try {
      await w.app.listen({ port, host: '127.0.0.1' });
      await startJobs(w.platform);
      const citizen = await login(w.app, 'congdan');
      const res = await submitThoCung(citizen);
      expect(res.statusCode, res.body).toBe(201);
      const { id, code } = res.json();
      let rows: { trang_thai: number }[] = [];
      for (let i = 0; i < 100 && rows.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await w.db.rows(sql`select trang_thai from dvcqg_local_received where ma_ho_so = ${code}`);
      }
      expect(rows).toEqual([{ trang_thai: 1 }]);
      // The worker records the outcome once the portal has answered.
      let state: { last_status_sent: number } | undefined;
      for (let i = 0; i < 50 && !state; i++) {
        [state] = await w.db.rows<{ last_status_sent: number }>(sql`select last_status_sent from dvcqg_sync where dossier_id = ${id}`);
        if (!state) await new Promise((r) => setTimeout(r, 100));
      }
      expect(state?.last_status_sent).toBe(1);

      // Several at once (batched by the worker): each reaches the portal once, and every job completes.
      const many = await Promise.all(Array.from({ length: 5 }, () => submitThoCung(citizen)));
      const codes = many.map((m) => m.json().code as string);
      let got: { ma_ho_so: string }[] = [];
      for (let i = 0; i < 100 && got.length < codes.length; i++) {
        await new Promise((r) => setTimeout(r, 100));
        got = await w.db.rows(
          sql`select ma_ho_so from dvcqg_local_received where ma_ho_so in (${sql.join(
            codes.map((c) => sql`${c}`),
            sql`, `,
          )})`,
        );
      }
      expect(got.map((g) => g.ma_ho_so).sort()).toEqual([...codes].sort());
      let open: unknown[] = [];
      for (let i = 0; i < 50; i++) {
        open = await w.db.rows(sql`select state from pgboss.job where name = ${PUSH_JOB} and state <> 'completed'`);
        if (!open.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(open).toEqual([]);
    } finally {
      await w.close();
    }
  });
});
