/**
 * Field-report benchmark, one run, one machine, PostgreSQL (DATABASE_URL, default the local CI cluster):
 *   board   — GET /api/v1/public/field-reports over BENCH_REPORTS (200,000) reports: map views of a city, of a
 *             district-sized area and of the whole province, with and without category/state filters, one after
 *             another; latency percentiles next to GET /healthz's on the same server (the baseline).
 *   create  — POST /api/v1/field-reports as multipart with one ~2 MB phone-sized JPEG (4000×3000), BENCH_CONNECTIONS
 *             at a time for BENCH_SECONDS: reports per second (each photo decoded, resized, re-encoded, stored);
 *             then the same with the photo as the web app sends it (resized to 1600 px on the phone).
 *
 *   npx tsx bench/feedback.ts   Settings: BENCH_REPORTS (200000), BENCH_QUERIES (400), BENCH_SECONDS (20),
 *                               BENCH_CONNECTIONS (8). Results are merged into bench/results/latest.json under "feedback".
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';
import { machine, mergeResults, percentiles, scratchPostgres, sleep, startServer, stopServer } from './lib';

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

/** A phone-sized photo: 4000×3000 JPEG of about 2 MB. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#7a9', noise: { type: 'gaussian', mean: 120, sigma: 8 } } })
    .jpeg({ quality: 86 })
    .toBuffer();
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

function multipart(photo: Buffer, i: number) {
  const boundary = `----bench${i}`;
  const report = {
    categoryCode: 'moi_truong',
    description: `Rác thải tồn đọng, thử số ${i}`,
    location: { lon: 108.0378, lat: 12.6667 },
    contact: { phone: '0905123456' },
  };
  return {
    body: Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="report"\r\n\r\n${JSON.stringify(report)}\r\n`),
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="photo"; filename="IMG_${i}.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
      ),
      photo,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function createLoad(origin: string, photo: Buffer) {
  const end = Date.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  let i = 0;
  const latencies: number[] = [];
  const worker = async () => {
    while (Date.now() < end) {
      const m = multipart(photo, i++);
      const t0 = performance.now();
      const res = await fetch(`${origin}/api/v1/field-reports`, {
        method: 'POST',
        headers: { 'content-type': m.type, 'idempotency-key': `bench-${randomUUID()}` },
        body: m.body,
      });
      await res.arrayBuffer();
      if (res.status === 201) {
        ok++;
        latencies.push(performance.now() - t0);
      } else failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  return { reportsPerSec: Math.round((ok / elapsed) * 10) / 10, ok, failed, connections, latency: percentiles(latencies) };
}

async function main() {
  const db = await scratchPostgres('bench_feedback');
  const server = await startServer({ DATABASE_URL: db.url, JOBS: 'false', REPORT_RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    const t0 = performance.now();
    await fill(db.url);
    const fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
    await timeGets(server.origin, boardPaths(30)); // warm-up
    const healthz = await timeGets(server.origin, Array(queries).fill('/healthz'));
    const board = await timeGets(server.origin, boardPaths(queries));
    const photo = await phonePhoto();
    await sleep(500);
    const create = await createLoad(server.origin, photo);
    // What the web app sends: the phone resizes to 1600 px before queueing (src/web/feedback/photos.ts).
    const resized = await sharp(photo).resize({ width: 1600, height: 1600, fit: 'inside' }).jpeg({ quality: 85 }).toBuffer();
    const createResized = await createLoad(server.origin, resized);
    const result = {
      machine: machine(),
      reports,
      fillSeconds,
      healthz,
      board,
      photoBytes: photo.length,
      create,
      resizedBytes: resized.length,
      createResized,
    };
    mergeResults('feedback', result);
    console.log('| measure | result |\n|---|---|');
    console.log(`| GET /healthz, ${queries} in a row | p50 ${healthz.p50} ms, p95 ${healthz.p95} ms |`);
    console.log(
      `| board over ${reports.toLocaleString('en')} reports (bbox city/district/province, ± category/state), ${queries} in a row | p50 ${board.p50} ms, p95 ${board.p95} ms, p99 ${board.p99} ms |`,
    );
    console.log(
      `| create with one ${(photo.length / 1e6).toFixed(2)} MB photo, ${connections} at a time, ${seconds} s | ${create.reportsPerSec} reports/s (${create.ok} ok, ${create.failed} failed), p95 ${create.latency.p95} ms |`,
    );
    console.log(
      `| create with one photo resized on the phone (${Math.round(resized.length / 1024)} KB, 1600 px), ${connections} at a time | ${createResized.reportsPerSec} reports/s (${createResized.ok} ok, ${createResized.failed} failed), p95 ${createResized.latency.p95} ms |`,
    );
  } finally {
    await stopServer(server.child);
    await db.drop();
  }
}

await main();
