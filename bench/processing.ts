/**
 * Processing benchmark on PostgreSQL, one run, one machine (targets in bench/README.md):
 *   path  — the whole path of a received dossier as API calls, many dossiers at once: receive (desk) →
 *           forward (desk) → assign (leader) → draft the result from the template (specialist) → submit the
 *           appraisal (specialist) → approve, which signs the e-result with the agency's PKCS#12 certificate
 *           (leader) → return the result (desk). Dossiers/s end to end, the latency of each call, and the
 *           signing cost alone (the same PAdES signature made in this process, per signature).
 *   queue — the work queue of a leader whose agency holds 10,000 open dossiers: GET /api/v1/work p50/p95/p99
 *           next to GET /healthz in the same loop.
 *
 *   npx tsx bench/processing.ts [path] [queue]     (no argument = both)
 *
 * The dossiers of `path` are submitted beforehand (setup, not timed) by citizens over HTTP with two small
 * PDFs each. The 10,000 queue dossiers are copies of one dossier in processing, written with SQL (a
 * submission storm of that size would take minutes and measures something else).
 * Settings: BENCH_PATH_DOSSIERS (600), BENCH_PATH_WARMUP (150, taken through the path first, not counted),
 * BENCH_WORKERS (16), BENCH_QUEUE_DOSSIERS (10000), BENCH_ROUNDS (200).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { renderResultDocument } from '../src/server/modules/dossiers/dossiers.pdf-processing';
import { samplePdf } from '../src/server/platform/files/testing';
import { createPadesSigner, readPkcs12 } from '../src/server/platform/signing';
import {
  Client,
  cpuSeconds,
  machine,
  mergeResults,
  type Percentiles,
  percentiles,
  scratchDir,
  scratchPostgres,
  sleep,
  startServer,
  stopServer,
} from './lib';

const pathDossiers = Number(process.env.BENCH_PATH_DOSSIERS ?? 600);
// Taken through the same path first, not counted: V8 optimises the hot functions of the seven requests
// (and pdf-lib's, fontkit's) over the first hundred or so dossiers; a server runs warm for days.
const warmupDossiers = Number(process.env.BENCH_PATH_WARMUP ?? 150);
const workers = Number(process.env.BENCH_WORKERS ?? 16);
const queueDossiers = Number(process.env.BENCH_QUEUE_DOSSIERS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 200);
const THO_CUNG = '1.010803.000.00.00.H66';
const SNV = 'H66.002';
const serverEnv = { LOGIN_RATE_LIMIT_PER_MINUTE: '100000', TRACKING_LOOKUPS_PER_MINUTE: '100000' };

interface Detail {
  id: string;
  code: string;
  version: number;
}

const thoCungForm = (i: number) => ({
  ho_ten: `Nguyễn Văn Bình ${i}`,
  ngay_sinh: '1990-05-12',
  so_dinh_danh: `0660900${String(i).padStart(5, '0')}`,
  so_dien_thoai: '0912345678',
  email: `congdan${i}@example.vn`,
  dia_chi_don_vi: '24133',
  dia_chi: '12 Lê Duẩn, tổ dân phố 3',
  noi_dung_yeu_cau: 'Đề nghị giải quyết chế độ trợ cấp thờ cúng liệt sĩ.',
});

/** Submitted dossiers for the path (setup): `n` citizens' submissions, 8 at a time. */
async function submitted(origin: string, n: number): Promise<string[]> {
  const citizens = await Promise.all(Array.from({ length: 8 }, (_, i) => new Client(origin).login(i % 2 ? 'congdan2' : 'congdan')));
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    citizens.map(async (c) => {
      while (next < n) {
        const i = next++;
        const files = [];
        for (const key of ['tp1', 'tp2'])
          files.push({ componentKey: key, fileId: await c.upload(samplePdf(`${key}-${i}-${Math.random()}`), `${key}.pdf`) });
        const d = await c.json<Detail>('POST', '/api/v1/dossiers', {
          procedureId: THO_CUNG,
          form: thoCungForm(i),
          files,
          resultDelivery: 'counter',
          submit: true,
        });
        ids.push(d.id);
      }
    }),
  );
  return ids;
}

async function waitForCertificate(dataDir: string, code: string): Promise<string> {
  const file = path.join(dataDir, 'signing', 'agencies', `${code}.p12`);
  for (let i = 0; i < 600 && !fs.existsSync(file); i++) await sleep(100);
  if (!fs.existsSync(file)) throw new Error(`no demo certificate for ${code}`);
  return file;
}

type Step = 'receive' | 'forward' | 'assign' | 'draft' | 'submit_appraisal' | 'approve' | 'return_result';

async function benchPath(origin: string, pid: number, p12File: string) {
  console.error(`path: submitting ${warmupDossiers} + ${pathDossiers} dossiers (setup)…`);
  const all = await submitted(origin, warmupDossiers + pathDossiers);
  const sessions = await Promise.all(
    Array.from({ length: workers }, async () => ({
      desk: await new Client(origin).login('motcua'),
      leader: await new Client(origin).login('lanhdao.snv'),
      specialist: await new Client(origin).login('chuyenvien.snv'),
    })),
  );
  const specialistId = (await sessions[0]?.specialist.json<{ id: string }>('GET', '/api/v1/auth/me'))?.id as string;
  const latency = new Map<Step, number[]>();
  const time = async <T>(step: Step, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await run();
    const list = latency.get(step) ?? [];
    list.push(performance.now() - t0);
    latency.set(step, list);
    return r;
  };
  const act = (c: Client, id: string, body: Record<string, unknown>) => c.json<Detail>('POST', `/api/v1/dossiers/${id}/act`, body);
  let done = 0;
  const failures = new Map<string, number>();
  const run = async (ids: string[]) => {
    let next = 0;
    await Promise.all(
      sessions.map(async (s) => {
        while (next < ids.length) {
          const id = ids[next++] as string;
          try {
            await time('receive', () => s.desk.json('POST', `/api/v1/dossiers/${id}/receive`, {}));
            await time('forward', () => act(s.desk, id, { action: 'forward' }));
            await time('assign', () => act(s.leader, id, { action: 'assign', assigneeId: specialistId }));
            await time('draft', () =>
              s.specialist.json('POST', `/api/v1/dossiers/${id}/result-draft`, {
                title: 'QUYẾT ĐỊNH',
                paragraphs: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ theo quy định.', 'Quyết định có hiệu lực kể từ ngày ký.'],
              }),
            );
            await time('submit_appraisal', () => act(s.specialist, id, { action: 'submit_appraisal' }));
            await time('approve', () => act(s.leader, id, { action: 'approve' }));
            const last = await time('return_result', () => act(s.desk, id, { action: 'return_result', returnMethod: 'counter' }));
            if (last.code) done++;
          } catch (e) {
            const why = (e as Error).message.slice(0, 120);
            failures.set(why, (failures.get(why) ?? 0) + 1);
          }
        }
      }),
    );
  };
  await run(all.slice(0, warmupDossiers));
  latency.clear();
  failures.clear();
  done = 0;
  const ids = all.slice(warmupDossiers);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await run(ids);
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = cpuSeconds(pid) - cpu0;

  // The signing cost alone: the same kind of signature on a result-sized PDF, in this process.
  const key = readPkcs12(fs.readFileSync(p12File), process.env.SIGNING_P12_PASSWORD ?? 'tinhso-demo', SNV);
  const signer = createPadesSigner(key);
  const { pdf: draft, signatureBox } = await renderResultDocument({
    agency: { name: 'Sở Nội vụ', parentName: 'UBND tỉnh Đắk Lắk' },
    number: '0001',
    title: 'QUYẾT ĐỊNH',
    procedureName: 'Giải quyết chế độ trợ cấp thờ cúng liệt sĩ',
    code: 'H66.002-261124-0001',
    applicant: { name: 'Nguyễn Văn Bình', idNumber: '066090001234', address: null, phone: null, email: null },
    paragraphs: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ theo quy định.', 'Quyết định có hiệu lực kể từ ngày ký.'],
    verifyUrl: 'http://127.0.0.1/xac-thuc/H66.002-261124-0001',
    signerTitle: 'GIÁM ĐỐC',
    signerName: '',
    issuedAt: new Date(),
    place: 'Đắk Lắk',
  });
  const signMs: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s0 = performance.now();
    await signer.sign(draft, { reason: 'Phê duyệt kết quả', location: 'Đắk Lắk', appearance: signatureBox });
    signMs.push(performance.now() - s0);
  }

  const perStep = Object.fromEntries([...latency].map(([k, v]) => [k, percentiles(v)])) as Record<Step, Percentiles>;
  return {
    dossiers: done,
    seconds: +seconds.toFixed(1),
    dossiersPerSecond: +(done / seconds).toFixed(1),
    apiCallsPerSecond: +((done * 7) / seconds).toFixed(1),
    serverCpuMsPerDossier: done ? +((serverCpu * 1000) / done).toFixed(1) : null,
    workers,
    perStep,
    signingInProcess: percentiles(signMs),
    failures: Object.fromEntries(failures),
  };
}

/** 10,000 open dossiers waiting for assignment at Sở Nội vụ: copies of one dossier already forwarded. */
async function fillQueue(dbUrl: string, origin: string, n: number) {
  const [id] = await submitted(origin, 1);
  const desk = await new Client(origin).login('motcua');
  await desk.json('POST', `/api/v1/dossiers/${id}/receive`, {});
  await desk.json('POST', `/api/v1/dossiers/${id}/act`, { action: 'forward' });
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const t0 = performance.now();
  await c.query('begin');
  // Same content, new ids and codes, due dates spread over 20 days so the order by due date has work to do.
  await c.query(
    `create temp table copies on commit drop as
       select gen_random_uuid() as id, g as n, now() + (g % 20) * interval '1 day' + (g % 97) * interval '1 minute' as due
         from generate_series(1, $1::int) g`,
    [n],
  );
  const cols = (
    await c.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'dossiers' and column_name not in ('id', 'code', 'request_key', 'due_at')`,
    )
  ).rows.map((r) => r.column_name);
  await c.query(
    `insert into dossiers (id, code, due_at, ${cols.join(', ')})
       select x.id, 'H66.002-260101-' || lpad(x.n::text, 6, '0'), x.due, ${cols.map((k) => `d.${k}`).join(', ')}
         from copies x cross join dossiers d where d.id = $1`,
    [id],
  );
  await c.query(
    `insert into dossier_queue (dossier_id, branch, step, step_name, agency_id, agency_scope, roles, assignee_account_id, entered_at, step_due_at, due_at)
       select x.id, q.branch, q.step, q.step_name, q.agency_id, q.agency_scope, q.roles, null, q.entered_at, x.due - interval '5 days', x.due
         from copies x cross join dossier_queue q where q.dossier_id = $1`,
    [id],
  );
  await c.query('commit');
  await c.query('analyze dossiers; analyze dossier_queue');
  const open = (
    await c.query<{ n: number }>(
      `select count(*)::int as n from dossier_queue where agency_scope = (select path from agencies where code = $1)`,
      [SNV],
    )
  ).rows[0]?.n;
  await c.end();
  return { open, seconds: +((performance.now() - t0) / 1000).toFixed(1) };
}

async function benchQueue(origin: string) {
  const leader = await new Client(origin).login('lanhdao.snv');
  const views = ['/api/v1/work?view=unassigned', '/api/v1/work?view=all&due=soon', '/api/v1/work?view=all&q=H66.002-260101-0099'];
  const per = new Map<string, number[]>(views.map((v) => [v, []]));
  const health: number[] = [];
  let firstPage = 0;
  for (let r = -10; r < rounds; r++) {
    for (const v of views) {
      const t0 = performance.now();
      const page = await leader.json<{ items: unknown[] }>('GET', v);
      const ms = performance.now() - t0;
      if (v === views[0]) firstPage = page.items.length;
      if (r >= 0) per.get(v)?.push(ms);
    }
    const h0 = performance.now();
    await fetch(`${origin}/healthz`).then((x) => x.text());
    if (r >= 0) health.push(performance.now() - h0);
  }
  return {
    firstPageItems: firstPage,
    views: Object.fromEntries([...per].map(([k, v]) => [k, percentiles(v)])),
    all: percentiles([...per.values()].flat()),
    healthz: percentiles(health),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const want = (x: string) => args.length === 0 || args.includes(x);
  const db = await scratchPostgres('bench_processing');
  const dataDir = scratchDir('tinhso-bench-processing');
  const server = await startServer(
    { ...serverEnv, DATABASE_URL: db.url, TINHSO_DATA_DIR: dataDir },
    {
      logFile: path.join(dataDir, 'server.log'),
      // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops.
      nodeArgs: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [],
    },
  );
  const out: Record<string, unknown> = { machine: machine() };
  try {
    const p12 = await waitForCertificate(dataDir, SNV);
    if (want('path')) {
      out.path = await benchPath(server.origin, server.child.pid as number, p12);
      console.error(JSON.stringify(out.path, null, 2));
    }
    if (want('queue')) {
      out.queueFill = await fillQueue(db.url, server.origin, queueDossiers);
      out.queue = await benchQueue(server.origin);
      console.error(JSON.stringify(out.queue, null, 2));
    }
  } finally {
    await stopServer(server.child);
    await db.drop();
  }
  mergeResults('processing', out);
  console.log(JSON.stringify(out, null, 2));
}

await main();
