/**
 * Single sign-on benchmark, one run, one machine, PostgreSQL (DATABASE_URL, default the local CI cluster):
 *   token  — POST /oidc/token (client_credentials, a machine client) req/s next to GET /healthz req/s on the
 *            same server (autocannon); the ratio is what we track.
 *   flow   — complete sign-ins of a third-party application, one after another: TinhSo login, /oidc/auth,
 *            the interaction (login, consent the first time), the code, the token exchange with PKCE and
 *            userinfo — latency percentiles of the whole flow.
 *
 *   npx tsx bench/sso.ts        Settings: BENCH_SECONDS (autocannon, 10), BENCH_CONNECTIONS (20), BENCH_FLOWS (60).
 * Results are merged into bench/results/latest.json under "sso".
 */
import { createHash, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Client, machine, mergeResults, percentiles, scratchPostgres, startServer, stopServer } from './lib';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const flows = Number(process.env.BENCH_FLOWS ?? 60);

async function cannon(url: string, opts: Partial<autocannon.Options> = {}) {
  const r = await autocannon({ url, connections, duration: seconds, ...opts });
  return { reqPerSec: Math.round(r.requests.average), p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

/** A cookie jar over fetch that does not follow redirects (the browser's part of the flow). */
function browser(origin: string) {
  const jar = new Map<string, string>();
  let csrf = '';
  const go = async (method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (csrf) headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(url, origin), {
      method,
      headers,
      redirect: 'manual',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const v = pair.slice(eq + 1).trim();
      if (v) jar.set(pair.slice(0, eq).trim(), v);
      else jar.delete(pair.slice(0, eq).trim());
    }
    return res;
  };
  return {
    go,
    async login(username: string) {
      csrf = ((await (await go('GET', '/api/v1/auth/csrf')).json()) as { token: string }).token;
      const r = await go('POST', '/api/v1/auth/login', { username, password: 'demo' });
      if (r.status !== 200) throw new Error(`login ${r.status}`);
    },
  };
}

/** One sign-in of `client` by a citizen, from nothing to userinfo; returns milliseconds. */
async function signIn(origin: string, client: { id: string; secret: string; redirect: string }): Promise<number> {
  const t0 = performance.now();
  const b = browser(origin);
  await b.login('congdan');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const auth = new URL('/oidc/auth', origin);
  for (const [k, v] of Object.entries({
    client_id: client.id,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: client.redirect,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }))
    auth.searchParams.set(k, v);
  let url = auth.toString();
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(client.redirect)) break;
    const interaction = new URL(url, origin).searchParams.get('interaction');
    if (new URL(url, origin).pathname === '/login' && interaction) {
      const info = (await (await b.go('GET', `/api/v1/sso/interactions/${interaction}`)).json()) as { prompt: string };
      const step = info.prompt === 'consent' ? 'consent' : 'login';
      const done = (await (await b.go('POST', `/api/v1/sso/interactions/${interaction}/${step}`, {})).json()) as { redirectTo: string };
      url = done.redirectTo;
      continue;
    }
    const res = await b.go('GET', url);
    const next = res.headers.get('location');
    if (!next) throw new Error(`no redirect from ${url}: ${res.status}`);
    url = new URL(next, url).toString();
  }
  const code = new URL(url).searchParams.get('code');
  if (!code) throw new Error(`no code: ${url}`);
  const token = await fetch(`${origin}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirect, code_verifier: verifier }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const me = await fetch(`${origin}/oidc/me`, { headers: { authorization: `Bearer ${access_token}` } });
  if (me.status !== 200) throw new Error(`userinfo ${me.status}`);
  return performance.now() - t0;
}

async function main() {
  const db = await scratchPostgres('bench_sso');
  const server = await startServer({
    DATABASE_URL: db.url,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    SSO_TOKEN_RATE_LIMIT_PER_MINUTE: '1000000',
    JOBS: 'false',
  });
  try {
    const admin = await new Client(server.origin).login('admin');
    const create = (body: unknown) => admin.json<{ clientId: string; clientSecret: string }>('POST', '/api/v1/sso/clients', body);
    const m2m = await create({ name: 'Bench máy chủ', kind: 'machine', redirectUris: [], scopes: [] });
    const app = await create({
      name: 'Bench ứng dụng',
      kind: 'confidential',
      redirectUris: ['http://127.0.0.1:9/cb'],
      scopes: ['openid', 'profile'],
    });

    await cannon(`${server.origin}/healthz`, { duration: 2 }); // warm-up
    const healthz = await cannon(`${server.origin}/healthz`);
    const token = await cannon(`${server.origin}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${m2m.clientId}:${m2m.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });

    const client = { id: app.clientId, secret: app.clientSecret, redirect: 'http://127.0.0.1:9/cb' };
    await signIn(server.origin, client); // the first one consents
    const samples: number[] = [];
    for (let i = 0; i < flows; i++) samples.push(await signIn(server.origin, client));
    const flow = percentiles(samples);

    const result = {
      machine: machine(),
      healthz,
      clientCredentials: { ...token, ratioToHealthz: Number((token.reqPerSec / healthz.reqPerSec).toFixed(3)) },
      signInFlow: { flows, ...flow },
    };
    mergeResults('sso', result);
    console.log('| measure | result |\n|---|---|');
    console.log(`| GET /healthz | ${healthz.reqPerSec} req/s, p99 ${healthz.p99Ms} ms |`);
    console.log(
      `| POST /oidc/token (client_credentials) | ${token.reqPerSec} req/s, p99 ${token.p99Ms} ms, non-2xx ${token.non2xx} (${(result.clientCredentials.ratioToHealthz * 100).toFixed(1)} % of healthz) |`,
    );
    console.log(`| full sign-in of an application (${flows} in a row) | p50 ${flow.p50} ms, p95 ${flow.p95} ms, p99 ${flow.p99} ms |`);
  } finally {
    await stopServer(server.child);
    await db.drop();
  }
}

await main();
