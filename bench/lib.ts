/**
 * Shared pieces of the public-services benchmarks (public-services.ts, kill-storm.ts): starting the real
 * server as a child process, scratch PostgreSQL databases, a cookie-keeping HTTP client that logs in the
 * way the web app does, ~200 KB PDF scans with distinct bytes, percentiles, and merging results into
 * bench/results/latest.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const root = path.resolve(import.meta.dirname, '..');
export const pgBase = process.env.DATABASE_URL || 'postgres://tinhso:tinhso@127.0.0.1:5432/postgres';

export interface Server {
  child: ChildProcess;
  port: number;
  origin: string;
  /** Seconds from spawn to /readyz 200. */
  readySeconds: number;
}

export const randomPort = () => 20000 + Math.floor(Math.random() * 20000);

/**
 * `npm start`'s code path (web serving off) on its own port; stdout and stderr go to `logFile`
 * (a killed server's last words are there).
 */
export async function startServer(
  env: Record<string, string>,
  /** `nodeArgs`: extra flags for node, e.g. ['--cpu-prof'] (not allowed in NODE_OPTIONS). */
  opts: { port?: number; logFile?: string; nodeArgs?: string[] } = {},
): Promise<Server> {
  const port = opts.port ?? randomPort();
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const t0 = performance.now();
  // BENCH_NODE_ARGS: flags for every server a bench starts, e.g. "--trace-gc" or a heap setting to compare.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, ...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/server/main.ts', 'start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SERVE_WEB: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', out, opts.logFile ? out : 'inherit'],
  });
  if (typeof out === 'number') fs.closeSync(out);
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(origin, child);
  return { child, port, origin, readySeconds: (performance.now() - t0) / 1000 };
}

async function waitReady(origin: string, child: ChildProcess, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode})`);
    try {
      const r = await fetch(`${origin}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error('server not ready in time');
}

export async function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await done;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A new empty database on the PostgreSQL server; `drop()` removes it (and kicks its connections out). */
export async function scratchPostgres(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgBase);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgBase });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of durations in ms, rounded to 0.1 ms. */
export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), max: r(s[s.length - 1] ?? Number.NaN) };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

const keepAlive = new http.Agent({ keepAlive: true });

/** A browser-like client: keeps cookies and sends the CSRF token on writes, like the web app. */
export class Client {
  private cookies = new Map<string, string>();
  private csrf = '';

  constructor(readonly origin: string) {}

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie ? { cookie } : {}), ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}), ...extra };
  }

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, headers: this.headers(headers) };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.origin}${url}`, init);
    this.keep(res);
    return res;
  }

  /**
   * One request over node:http with a keep-alive agent: the load generator shares the machine with the
   * server, and fetch (undici) costs several times more CPU per request, most of all for multipart bodies.
   * A transport error is thrown with the socket error as `cause` (like fetch does).
   */
  private raw(
    method: string,
    url: string,
    body: Buffer | null,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.origin}${url}`,
        { method, agent: keepAlive, headers: { ...this.headers(headers), ...(body ? { 'content-length': String(body.length) } : {}) } },
        (res) => {
          const cookies = res.headers['set-cookie'] ?? [];
          for (const c of cookies) {
            const [pair] = c.split(';');
            const eq = pair?.indexOf('=') ?? -1;
            if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(new Error(err.message, { cause: err })));
        },
      );
      req.on('error', (err) => reject(new Error(err.message, { cause: err })));
      req.end(body ?? undefined);
    });
  }

  /** JSON answer of a request that must succeed (2xx); throws HttpError otherwise. */
  async json<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const res = await this.raw(method, url, payload, payload ? { ...headers, 'content-type': 'application/json' } : headers);
    if (res.status < 200 || res.status >= 300) throw new HttpError(res.status, res.text, `${method} ${url}`);
    return JSON.parse(res.text) as T;
  }

  /** GET /api/v1/auth/csrf, then POST /api/v1/auth/login (demo password `demo`). */
  async login(username: string, password = 'demo'): Promise<this> {
    this.csrf = (await this.json<{ token: string }>('GET', '/api/v1/auth/csrf')).token;
    await this.json('POST', '/api/v1/auth/login', { username, password });
    return this;
  }

  /** POST /api/v1/files with a multipart body already made (see scanUploads) → the file's id. */
  async uploadBody(body: Buffer, boundary: string): Promise<string> {
    const res = await this.raw('POST', '/api/v1/files', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    if (res.status !== 201) throw new HttpError(res.status, res.text, 'POST /api/v1/files');
    return (JSON.parse(res.text) as { id: string }).id;
  }

  /** POST /api/v1/files (multipart field `file`) → the file's id. */
  upload(bytes: Buffer, name: string, type = 'application/pdf'): Promise<string> {
    const { body, boundary } = multipartFile(bytes, name, type);
    return this.uploadBody(body, boundary);
  }
}

/** multipart/form-data as a browser sends one file: one part, field "file"; `offset`: where the bytes start. */
export function multipartFile(bytes: Buffer, name: string, type = 'application/pdf'): { body: Buffer; boundary: string; offset: number } {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`,
  );
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), boundary, offset: head.length };
}

/**
 * A one-page PDF holding a grey-scale "scan" of noise (~`size` bytes, incompressible like a real scan).
 * Its last 32 image bytes, at `randomAt`, are the ones scanUploads replaces before each upload, so every
 * upload has its own SHA-256 (the file store keeps one blob per distinct content) and stays a valid PDF.
 */
export function pdfScanFactory(size = 200 * 1024): { bytes: number; template: Buffer; randomAt: number } {
  const width = 500;
  const height = Math.max(1, Math.floor((size - 900) / width));
  const image = randomBytes(width * height);
  const content = Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q\n', 'latin1');
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  let imageOffset = 0;
  const add = (head: string, stream?: Buffer) => {
    offsets.push(length);
    const chunks: Buffer[] = [Buffer.from(head, 'latin1')];
    if (stream) {
      if (stream === image) imageOffset = length + chunks[0]!.length + 'stream\n'.length;
      chunks.push(Buffer.from('stream\n', 'latin1'), stream, Buffer.from('\nendstream\n', 'latin1'));
    }
    chunks.push(Buffer.from('endobj\n', 'latin1'));
    for (const c of chunks) {
      parts.push(c);
      length += c.length;
    }
  };
  add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n');
  add('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n');
  add('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>\n');
  add(`4 0 obj\n<< /Length ${content.length} >>\n`, content);
  add(
    `5 0 obj\n<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${image.length} >>\n`,
    image,
  );
  const xref = [
    `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  const template = Buffer.concat(parts);
  const randomAt = imageOffset + image.length - 32;
  return {
    bytes: template.length,
    template,
    randomAt,
  };
}

/**
 * The scans of `pdfScanFactory` as one client's multipart upload body, made once and reused: before each upload
 * `next()` writes 32 fresh random bytes into it and finishes the scan's SHA-256 from a state kept after the
 * unchanging start. The load generator shares the machine with the server: a fresh 200 KB body, its copy and
 * its hash for every upload cost it 2–3 ms of CPU per dossier.
 */
export function scanUploads(size = 200 * 1024) {
  const { template, randomAt } = pdfScanFactory(size);
  const prefix = createHash('sha256').update(template.subarray(0, randomAt));
  return {
    bytes: template.length,
    body(name: string) {
      const { body: buffer, boundary, offset } = multipartFile(template, name);
      const at = offset + randomAt;
      return {
        boundary,
        buffer,
        /** New bytes for the next upload of this body; their SHA-256. */
        next(): string {
          const fresh = randomBytes(32);
          fresh.copy(buffer, at);
          return prefix
            .copy()
            .update(fresh)
            .update(template.subarray(randomAt + 32))
            .digest('hex');
        },
      };
    },
  };
}

export const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Writes `value` under `key` in bench/results/latest.json, keeping what other benchmarks wrote there
 * (and, for an object, the entries of `key` this run did not measure).
 */
export function mergeResults(key: string, value: Record<string, unknown>): void {
  const file = path.join(root, 'bench/results/latest.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  current[key] = { ...(current[key] as Record<string, unknown> | undefined), ...value };
  fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
}

/** Where and when: the machine is shared, so the load average at the start is part of the result. */
export const machine = () => ({
  date: new Date().toISOString(),
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? '',
  node: process.version,
  loadAverage1m: +(os.loadavg()[0] ?? 0).toFixed(2),
});

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * A process's CPU seconds split: user and system time of the whole process, and of its main thread
 * (JavaScript) vs its other threads (libuv's pool: file writes and fsync, hashing; V8's GC helpers).
 */
export function cpuDetail(pid: number): { user: number; system: number; mainThread: number } {
  const read = (file: string) => {
    const f = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { user: Number(f[11]) / 100, system: Number(f[12]) / 100 };
  };
  const all = read(`/proc/${pid}/stat`);
  const main = read(`/proc/${pid}/task/${pid}/stat`);
  return { ...all, mainThread: main.user + main.system };
}

/** Busy and total jiffies of the whole machine (all cores), for "how busy was it meanwhile". */
export function machineJiffies(): { busy: number; total: number } {
  const cpu = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}
