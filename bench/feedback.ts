/**
 * Field-report benchmark, one run, one machine, PostgreSQL (DATABASE_URL, default the local CI cluster):
 *   board   — GET /api/v1/public/field-reports over BENCH_REPORTS (200,000) reports: map views of a city, of a
 *             district-sized area and of the whole province, with and without category/state filters, one after
 *             another; latency percentiles next to GET /healthz's on the same server (the baseline).
 *   create  — POST /api/v1/field-reports as multipart with one ~2 MB phone-sized JPEG (4000×3000), BENCH_CONNECTIONS
 *             at a time for BENCH_SECONDS: reports per second (each photo decoded, resized, re-encoded, stored);
 *             then the same with the photo as the web app sends it (resized to 1600 px on the phone).
 *
 *   display — the first view of each new report's photo makes its ≤ 1600 px copy (sharp); later views read it.
 *
 *   npx tsx bench/feedback.ts [board] [create]   (both by default)   Settings: BENCH_REPORTS (200000), BENCH_QUERIES (400), BENCH_SECONDS (20),
 *                               BENCH_CONNECTIONS (8). Results are merged into bench/results/latest.json under "feedback".
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { cpuDetail, machine, mergeResults, percentiles, scratchPostgres, sleep, startServer, stopServer } from './lib';

const reports = Number(process.env.BENCH_REPORTS ?? 200_000);
const queries = Number(process.env.BENCH_QUERIES ?? 400);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

/** 200,000 reports spread over Đắk Lắk's bbox and the past year, 95 % public and moderated, all categories and states. */
async function fill(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`
    insert into field_reports (id, code, category_code, description, lon, lat, commune_code, agency_id, agency_scope, state,
                               is_public, reporter_account_id, contact, moderated_at, accept_due_at, resolve_due_at, created_at, updated_at)
    select gen_random_uuid(), 'PA-BENCH-' || g, cat.code, 'Phản ánh thử số ' || g,
           107.4 + random() * 2.2, 12.1 + random() * 1.7, '24133', a.id, a.path,
           (array['moderated','accepted','assigned','in_progress','resolved','rated','closed'])[1 + (g % 7)],
           g % 20 <> 0, null, '{"phone":"0900000000"}'::jsonb, t, t + interval '1 day', t + interval '8 days', t, t
      from generate_series(1, ${reports}) g
      cross join lateral (select now() - (random() * interval '365 days') as t) tt
      join lateral (select code from field_report_categories order by code offset (g % 10) limit 1) cat on true
      join agencies a on a.code = 'H66.201'`);
  await c.query('analyze field_reports');
  await c.end();
}

/** A phone-sized photo: 4000×3000 JPEG of about 2 MB, with the EXIF a phone writes (camera, GPS position). */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#7a9', noise: { type: 'gaussian', mean: 120, sigma: 8 } } })
    .jpeg({ quality: 86 })
    .withExif({
      IFD0: { Make: 'BenchPhone', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '12/1 40/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '108/1 2/1 0/1' },
    })
    .toBuffer();
}

/**
 * The first and second view of photos of reports just created (made public by SQL, as moderation would):
 * the first makes the display copy, the second reads it. Also checks that nothing of the EXIF was stored.
 */
async function displayViews(origin: string, url: string, n: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query<{ id: string; photo: string }>(
    `update field_reports set moderated_at = now(), state = 'moderated'
      where id in (select id from field_reports where code not like 'PA-BENCH-%' and cardinality(photo_ids) > 0 order by created_at desc limit $1)
      returning id, photo_ids[1]::text as photo`,
    [n],
  );
  await c.end();
  const view = async (r: { id: string; photo: string }) => {
    const t0 = performance.now();
    const res = await fetch(`${origin}/api/v1/public/field-reports/${r.id}/photos/${r.photo}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new Error(`photo: HTTP ${res.status}`);
    return { ms: performance.now() - t0, bytes };
  };
  const first = [];
  for (const r of rows) first.push(await view(r));
  const second = [];
  for (const r of rows) second.push(await view(r));
  const meta = await sharp(first[0]?.bytes ?? Buffer.alloc(0)).metadata();
  return {
    photos: rows.length,
    first: percentiles(first.map((v) => v.ms)),
    cached: percentiles(second.map((v) => v.ms)),
    displayBytes: first[0]?.bytes.length ?? 0,
    displaySize: `${meta.width}×${meta.height}`,
    exifShown: first.some((v) => v.bytes.includes(Buffer.from('BenchPhone'))),
  };
}

async function timeGets(origin: string, paths: string[]) {
  const samples: number[] = [];
  for (const p of paths) {
    const t0 = performance.now();
    const res = await fetch(origin + p);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

function boardPaths(n: number): string[] {
  const cats = ['moi_truong', 'giao_thong', 'chieu_sang', 'trat_tu_do_thi'];
  const states = ['accepted', 'in_progress', 'resolved'];
  return Array.from({ length: n }, (_, i) => {
    const size = [0.05, 0.3, 2.2][i % 3] as number; // a city, a district, the whole province
    const lon = 107.4 + Math.random() * (2.2 - Math.min(size, 2.2));
    const lat = 12.1 + Math.random() * Math.max(0, 1.7 - size);
    const q = new URLSearchParams({ bbox: [lon, lat, lon + size, lat + size].map((x) => x.toFixed(4)).join(','), limit: '100' });
    if (i % 2) q.set('category', cats[i % cats.length] as string);
    if (i % 4 === 1) q.set('state', states[i % states.length] as string);
    return `/api/v1/public/field-reports?${q}`;
  });
}

/** Where the last three entries of the photo's first quantisation table are (8-bit DQT). */
function dqtTail(photo: Buffer): number {
  for (let i = 2; i + 4 < photo.length && photo[i] === 0xff; i += 2 + photo.readUInt16BE(i + 2)) {
    if (photo[i + 1] === 0xdb && (photo[i + 4] as number) >> 4 === 0) return i + 5 + 61;
  }
  throw new Error('no 8-bit DQT in the bench photo');
}

/**
 * The multipart body as buffers (written one after another, never concatenated), with a photo made unique by
 * three high-frequency quantisation steps: every upload is new content (a real write and fsync, no
 * de-duplication by SHA-256), and still a valid JPEG that looks the same.
 */
function multipart(photo: Buffer, tail: number, i: number) {
  const boundary = `----bench${i}`;
  const report = {
    categoryCode: 'moi_truong',
    description: `Rác thải tồn đọng, thử số ${i}`,
    location: { lon: 108.0378, lat: 12.6667 },
    contact: { phone: '0905123456' },
  };
  const steps = Buffer.from([1 + (i % 255), 1 + (Math.floor(i / 255) % 255), 1 + (Math.floor(i / 65025) % 255)]);
  return {
    parts: [
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="report"\r\n\r\n${JSON.stringify(report)}\r\n`),
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="photo"; filename="IMG_${i}.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
      ),
      photo.subarray(0, tail),
      steps,
      photo.subarray(tail + 3),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ],
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** POST over node:http (fetch costs the load generator several times more CPU per request). */
function post(url: string, parts: Buffer[], headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const length = parts.reduce((n, p) => n + p.length, 0);
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const p of parts.slice(0, -1)) req.write(p);
    req.end(parts.at(-1));
  });
}

/** Reports per second, and the CPU per report of the server (main thread / other threads) and of this process. */
async function createLoad(origin: string, pid: number, photo: Buffer) {
  const end = Date.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  let i = 0;
  const latencies: number[] = [];
  const tail = dqtTail(photo);
  const worker = async () => {
    while (Date.now() < end) {
      const m = multipart(photo, tail, i++);
      const t0 = performance.now();
      const status = await post(`${origin}/api/v1/field-reports`, m.parts, {
        'content-type': m.type,
        'idempotency-key': `bench-${randomUUID()}`,
      });
      if (status === 201) {
        ok++;
        latencies.push(performance.now() - t0);
      } else failed++;
    }
  };
  const t0 = performance.now();
  const server0 = cpuDetail(pid);
  const self0 = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const server1 = cpuDetail(pid);
  const self = process.cpuUsage(self0);
  const perReport = (s: number) => Math.round((s * 1000 * 10) / Math.max(ok, 1)) / 10;
  const serverAll = server1.user + server1.system - server0.user - server0.system;
  const serverMain = server1.mainThread - server0.mainThread;
  return {
    reportsPerSec: Math.round((ok / elapsed) * 10) / 10,
    ok,
    failed,
    connections,
    latency: percentiles(latencies),
    cpuMsPerReport: {
      server: perReport(serverAll),
      serverMainThread: perReport(serverMain),
      serverOtherThreads: perReport(serverAll - serverMain),
      loadGenerator: perReport((self.user + self.system) / 1e6),
    },
  };
}

async function main() {
  const phases = process.argv.slice(2).length ? process.argv.slice(2) : ['board', 'create'];
  const db = await scratchPostgres('bench_feedback');
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops.
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const server = await startServer({ DATABASE_URL: db.url, JOBS: 'false', REPORT_RATE_LIMIT_PER_MINUTE: '1000000' }, { nodeArgs });
  const lines: string[] = [];
  const result: Record<string, unknown> = { machine: machine() };
  try {
    const healthz = await timeGets(server.origin, Array(queries).fill('/healthz'));
    result.healthz = healthz;
    lines.push(`| GET /healthz, ${queries} in a row | p50 ${healthz.p50} ms, p95 ${healthz.p95} ms |`);
    if (phases.includes('board')) {
      const t0 = performance.now();
      await fill(db.url);
      result.fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
      await timeGets(server.origin, boardPaths(30)); // warm-up
      const board = await timeGets(server.origin, boardPaths(queries));
      Object.assign(result, { reports, board });
      lines.push(
        `| board over ${reports.toLocaleString('en')} reports (bbox city/district/province, ± category/state), ${queries} in a row | p50 ${board.p50} ms, p95 ${board.p95} ms, p99 ${board.p99} ms |`,
      );
    }
    if (phases.includes('create')) {
      const photo = await phonePhoto();
      await sleep(500);
      const create = await createLoad(server.origin, server.child.pid as number, photo);
      const display = await displayViews(server.origin, db.url, 20);
      // What the web app sends: the phone resizes to 1600 px before queueing (src/web/feedback/photos.ts).
      const resized = await sharp(photo).resize({ width: 1600, height: 1600, fit: 'inside' }).jpeg({ quality: 85 }).toBuffer();
      const createResized = await createLoad(server.origin, server.child.pid as number, resized);
      Object.assign(result, { photoBytes: photo.length, create, display, resizedBytes: resized.length, createResized });
      lines.push(
        `| create with one ${(photo.length / 1e6).toFixed(2)} MB photo, ${connections} at a time, ${seconds} s | ${create.reportsPerSec} reports/s (${create.ok} ok, ${create.failed} failed), p95 ${create.latency.p95} ms; CPU ms per report: server ${create.cpuMsPerReport.server} (main thread ${create.cpuMsPerReport.serverMainThread}), load generator ${create.cpuMsPerReport.loadGenerator} |`,
        `| first view of a new photo (makes the ${display.displaySize} copy, ${Math.round(display.displayBytes / 1024)} KB), ${display.photos} one after another | p50 ${display.first.p50} ms, p95 ${display.first.p95} ms; later views p50 ${display.cached.p50} ms; EXIF shown: ${display.exifShown ? 'yes ✗' : 'no'} |`,
        `| create with one photo resized on the phone (${Math.round(resized.length / 1024)} KB, 1600 px), ${connections} at a time | ${createResized.reportsPerSec} reports/s (${createResized.ok} ok, ${createResized.failed} failed), p95 ${createResized.latency.p95} ms; CPU ms per report: server ${createResized.cpuMsPerReport.server} |`,
      );
    }
    mergeResults('feedback', result);
    console.log(`| measure | result |\n|---|---|\n${lines.join('\n')}`);
  } finally {
    await stopServer(server.child);
    await db.drop();
  }
}

await main();
