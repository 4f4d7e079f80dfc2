/**
 * Who may use the SSO API: client administration needs sso.clients.manage; connected apps are the
 * user's own; the interaction API needs the browser's full TinhSo session. Runs in-process (app.inject):
 * the web app's own sign-in works without any network listener.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';
import { inProcessFetch as injectFetch } from '../../platform/http/inject-fetch';
import { sameSitePath as safeNext } from '../../platform/http/same-site';
import { safeUrl } from '../../platform/log';
import { pendingAudits } from './sso.provider';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './sso.service';
import { authorize, browser } from './sso.testing';

const BASE = 'http://localhost:3999';
const DEMO_REDIRECT = 'http://localhost:4000/callback';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: BASE, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => {
  await Promise.all([...pendingAudits]);
  await t?.close();
});

async function demoRp() {
  return oidc.discovery(new URL(`${BASE}/oidc`), DEMO_CLIENT_ID, undefined, oidc.ClientSecretBasic(DEMO_CLIENT_SECRET), {
    [oidc.customFetch]: injectFetch(t.app, BASE),
    execute: [oidc.allowInsecureRequests],
  });
}

/** A third-party grant of `username` to demo-app, through the whole flow in-process. */
async function connect(username: string) {
  const b = browser(BASE, t.app);
  await b.login(username);
  const cfg = await demoRp();
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(cfg, {
    redirect_uri: DEMO_REDIRECT,
    scope: 'openid profile offline_access',
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const out = await authorize(b, url, DEMO_REDIRECT);
  const tokens = await oidc.authorizationCodeGrant(cfg, out.callback, { pkceCodeVerifier: verifier });
  return { b, cfg, tokens };
}

describe('client administration', () => {
  const body = { name: 'Ứng dụng thử', kind: 'confidential', redirectUris: ['https://app.example.vn/cb'], scopes: ['openid', 'profile'] };

  it('anonymous: 401 everywhere', async () => {
    const anon = await anonymousSession(t.app);
    expect((await anon.request('GET', '/api/v1/sso/clients')).statusCode).toBe(401);
    expect((await anon.request('POST', '/api/v1/sso/clients', body)).statusCode).toBe(401);
    expect((await anon.request('POST', '/api/v1/sso/keys/rotate')).statusCode).toBe(401);
  });

  it('a citizen or an officer without sso.clients.manage: 403', async () => {
    for (const who of ['congdan', 'chuyenvien']) {
      const s = await login(t.app, who);
      expect((await s.request('GET', '/api/v1/sso/clients')).statusCode).toBe(403);
      expect((await s.request('POST', '/api/v1/sso/clients', body)).statusCode).toBe(403);
      expect((await s.request('GET', `/api/v1/sso/clients/${DEMO_CLIENT_ID}`)).statusCode).toBe(403);
      expect((await s.request('PATCH', `/api/v1/sso/clients/${DEMO_CLIENT_ID}`, { name: 'x' })).statusCode).toBe(403);
      expect((await s.request('POST', `/api/v1/sso/clients/${DEMO_CLIENT_ID}/secret`)).statusCode).toBe(403);
      expect((await s.request('DELETE', `/api/v1/sso/clients/${DEMO_CLIENT_ID}`)).statusCode).toBe(403);
      expect((await s.request('POST', '/api/v1/sso/keys/rotate')).statusCode).toBe(403);
    }
  });

  it('the administrator registers an app: the secret is shown once, stored encrypted, audited', async () => {
    const adm = await login(t.app, 'admin');
    const res = await adm.request('POST', '/api/v1/sso/clients', { ...body, clientId: 'app-thu' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ clientId: 'app-thu', kind: 'confidential', firstParty: false, status: 'active' });
    expect(created.clientSecret).toMatch(/^[\w-]{43}$/);
    const got = await adm.request('GET', '/api/v1/sso/clients/app-thu');
    expect(got.json().clientSecret).toBeUndefined();
    const list = (await adm.request('GET', '/api/v1/sso/clients')).json().items.map((c: { clientId: string }) => c.clientId);
    expect(list).toEqual(expect.arrayContaining(['app-thu', 'tinhso-web', DEMO_CLIENT_ID]));
    const [row] = await t.db.rows<{ secret_enc: string }>(sql`select secret_enc from sso_clients where client_id = 'app-thu'`);
    expect(row?.secret_enc).not.toContain(created.clientSecret);
    const audit = await t.db.rows(
      sql`select details::text as d from audit_log where action = 'sso.client_created' and target_id = 'app-thu'`,
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(created.clientSecret);
    // Same id again: conflict.
    expect((await adm.request('POST', '/api/v1/sso/clients', { ...body, clientId: 'app-thu' })).statusCode).toBe(409);
  });

  it('validates redirect URIs and scopes', async () => {
    const adm = await login(t.app, 'admin');
    const bad = async (patch: Record<string, unknown>) =>
      (await adm.request('POST', '/api/v1/sso/clients', { ...body, ...patch })).statusCode;
    expect(await bad({ redirectUris: ['https://app.example.vn/cb#frag'] })).toBe(400);
    expect(await bad({ redirectUris: ['/relative'] })).toBe(400);
    expect(await bad({ redirectUris: ['javascript:alert(1)'] })).toBe(400);
    expect(await bad({ redirectUris: [] })).toBe(400);
    expect(await bad({ scopes: ['openid', 'admin:all'] })).toBe(400);
    expect(await bad({ scopes: ['profile'] })).toBe(400);
    expect(await bad({ clientId: 'Bad Id' })).toBe(400);
  });

  it('disabling an app revokes its tokens; the web app itself cannot be disabled', async () => {
    const { cfg, tokens } = await connect('congdan2');
    expect((await oidc.tokenIntrospection(cfg, tokens.access_token)).active).toBe(true);
    const adm = await login(t.app, 'admin');
    expect((await adm.request('DELETE', '/api/v1/sso/clients/tinhso-web')).statusCode).toBe(409);
    // demo-app is disabled, then re-enabled for the other tests.
    expect((await adm.request('DELETE', `/api/v1/sso/clients/${DEMO_CLIENT_ID}`)).statusCode).toBe(204);
    expect((await adm.request('GET', `/api/v1/sso/clients/${DEMO_CLIENT_ID}`)).json().status).toBe('disabled');
    const [n] = await t.db.rows<{ n: number }>(
      sql`select count(*)::int as n from sso_payloads where client_id = ${DEMO_CLIENT_ID} and model <> 'Session'`,
    );
    expect(n?.n).toBe(0);
    expect((await adm.request('PATCH', `/api/v1/sso/clients/${DEMO_CLIENT_ID}`, { status: 'active' })).json().status).toBe('active');
    expect((await oidc.tokenIntrospection(cfg, tokens.access_token)).active).toBe(false);
  });
});

describe('connected apps (grants)', () => {
  it('a user lists and revokes only their own grants', async () => {
    const mine = await connect('congdan');
    const other = await connect('congdan2');
    const list = (await mine.b.request('GET', '/api/v1/sso/grants')).json<{ items: { id: string; clientId: string; scopes: string[] }[] }>()
      .items;
    expect(list.map((g) => g.clientId)).toEqual([DEMO_CLIENT_ID]);
    expect(list[0]?.scopes).toEqual(expect.arrayContaining(['openid', 'profile', 'offline_access']));
    const otherList = (await other.b.request('GET', '/api/v1/sso/grants')).json<{ items: { id: string }[] }>().items;
    expect(otherList).toHaveLength(1);
    const otherId = otherList[0]?.id as string;
    expect(list.some((g) => g.id === otherId)).toBe(false);
    // Not mine: 404, and the other user's token still works.
    const csrf = await mine.b.csrf();
    expect((await mine.b.request('DELETE', `/api/v1/sso/grants/${otherId}`, { headers: { 'x-csrf-token': csrf } })).status).toBe(404);
    expect((await oidc.tokenIntrospection(other.cfg, other.tokens.access_token)).active).toBe(true);
    // Mine: revoked with its tokens.
    expect((await mine.b.request('DELETE', `/api/v1/sso/grants/${list[0]?.id}`, { headers: { 'x-csrf-token': csrf } })).status).toBe(204);
    expect((await oidc.tokenIntrospection(mine.cfg, mine.tokens.access_token)).active).toBe(false);
    expect((await mine.b.request('GET', '/api/v1/sso/grants')).json<{ items: unknown[] }>().items).toHaveLength(0);
    const anon = await anonymousSession(t.app);
    expect((await anon.request('GET', '/api/v1/sso/grants')).statusCode).toBe(401);
  });
});

describe('interaction API', () => {
  async function newInteraction(b: ReturnType<typeof browser>) {
    const cfg = await demoRp();
    const url = oidc.buildAuthorizationUrl(cfg, {
      redirect_uri: DEMO_REDIRECT,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const res = await b.request('GET', url.toString());
    return new URL(res.location as string).searchParams.get('interaction') as string;
  }

  it('refuses to finish a login without a full TinhSo session, and unknown interactions are 404', async () => {
    const b = browser(BASE, t.app);
    const uid = await newInteraction(b);
    const info = (await b.request('GET', `/api/v1/sso/interactions/${uid}`)).json();
    expect(info).toMatchObject({ uid, prompt: 'login', signedIn: false, account: null, client: { clientId: DEMO_CLIENT_ID } });
    const csrf = await b.csrf();
    expect((await b.request('POST', `/api/v1/sso/interactions/${uid}/login`, { json: {}, headers: { 'x-csrf-token': csrf } })).status).toBe(
      401,
    );
    expect(
      (await b.request('POST', `/api/v1/sso/interactions/${uid}/consent`, { json: {}, headers: { 'x-csrf-token': csrf } })).status,
    ).toBe(401);
    const missing = await b.request('GET', '/api/v1/sso/interactions/khong-ton-tai');
    expect(missing.status).toBe(404);
    expect(missing.json().code).toBe('interaction_not_found');
    // Abort sends access_denied to the client.
    const abort = await b.request('POST', `/api/v1/sso/interactions/${uid}/abort`, { json: {}, headers: { 'x-csrf-token': csrf } });
    expect(abort.status).toBe(200);
    const back = await b.request('GET', abort.json<{ redirectTo: string }>().redirectTo);
    expect(back.location).toContain(`${DEMO_REDIRECT}?error=access_denied`);
  });

  it('an interaction is served only to the browser that started it', async () => {
    const attacker = browser(BASE, t.app);
    const uid = await newInteraction(attacker);
    const victim = browser(BASE, t.app);
    await victim.login('congdan');
    expect((await victim.request('GET', `/api/v1/sso/interactions/${uid}`)).status).toBe(404);
    const r = await victim.request('POST', `/api/v1/sso/interactions/${uid}/login`, {
      json: {},
      headers: { 'x-csrf-token': await victim.csrf() },
    });
    expect(r.status).toBe(404);
    expect(r.json().code).toBe('interaction_not_found');
    expect((await attacker.request('GET', `/api/v1/sso/interactions/${uid}`)).status).toBe(200);
  });

  it('a session-cookie POST without the CSRF token is refused', async () => {
    const b = browser(BASE, t.app);
    await b.login('congdan');
    const uid = await newInteraction(b);
    expect((await b.request('POST', `/api/v1/sso/interactions/${uid}/login`, { json: {} })).status).toBe(403);
  });

  it('consent must come from the account that signed in', async () => {
    const b = browser(BASE, t.app);
    await b.login('congdan');
    const uid = await newInteraction(b);
    const done = await b.request('POST', `/api/v1/sso/interactions/${uid}/login`, {
      json: {},
      headers: { 'x-csrf-token': await b.csrf() },
    });
    const next = await b.request('GET', done.json<{ redirectTo: string }>().redirectTo);
    const consentUid = new URL(next.location as string).searchParams.get('interaction') as string;
    expect((await b.request('GET', `/api/v1/sso/interactions/${consentUid}`)).json().prompt).toBe('consent');
    // Another account takes over the TinhSo session in this browser before consenting.
    await b.login('congdan2');
    const r = await b.request('POST', `/api/v1/sso/interactions/${consentUid}/consent`, {
      json: {},
      headers: { 'x-csrf-token': await b.csrf() },
    });
    expect(r.status).toBe(403);
  });
});

describe('web sign-in and logging', () => {
  it('works in-process (no listener) and ends the OP session at logout', async () => {
    const b = browser(BASE, t.app);
    await b.login('congdan');
    const start = await b.request('GET', '/auth/sso/start?next=/tai-khoan');
    const out = await authorize(b, start.location as string, `${BASE}/auth/sso/callback`);
    const cb = await b.request('GET', out.callback.toString());
    expect(cb.location).toBe(`${BASE}/tai-khoan`);
    expect(b.jar.has('_session')).toBe(true);
    // A replayed callback (state cookie gone) does not sign in again.
    expect((await b.request('GET', out.callback.toString())).location).toBe(`${BASE}/login`);
    const opSession = b.jar.get('_session') as string;
    const live = sql`select count(*)::int as n from sso_payloads where model = 'Session' and id = ${opSession}`;
    expect((await t.db.rows<{ n: number }>(live))[0]?.n).toBe(1);
    // A GET (what another site's <img> could fire) signs nobody out.
    expect((await b.request('GET', '/auth/sso/logout')).status).toBe(404);
    expect((await t.db.rows<{ n: number }>(live))[0]?.n).toBe(1);
    // Without the CSRF token: refused, still signed in.
    expect((await b.request('POST', '/auth/sso/logout', { json: {} })).status).toBe(403);
    const lo = await b.request('POST', '/auth/sso/logout', { json: {}, headers: { 'x-csrf-token': await b.csrf() } });
    expect(lo.status).toBe(204);
    expect(b.jar.has('tinhso_session')).toBe(false);
    expect((await t.db.rows<{ n: number }>(live))[0]?.n).toBe(0);
    expect((await b.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('only same-site next paths; no codes or tokens in logged URLs', () => {
    expect(safeNext('/a?b=1')).toBe('/a?b=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', ''])
      expect(safeNext(bad)).toBe('/');
    expect(safeUrl('/auth/sso/callback?code=SECRETCODE&state=s')).toBe('/auth/sso/callback?[ẩn]');
    expect(safeUrl('/oidc/session/end?id_token_hint=eyJ')).toBe('/oidc/session/end?[ẩn]');
    expect(safeUrl('/api/v1/dossiers?page=2')).toBe('/api/v1/dossiers?page=2');
  });
});
