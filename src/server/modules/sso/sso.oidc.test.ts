/**
 * The provider against the running app, with openid-client as the relying party (the browser part is
 * driven with fetch + a cookie jar and the SPA's interaction API).
 */
import net from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/app';
import { sql } from '../../platform/db/database';
import { pendingAudits } from './sso.provider';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './sso.service';
import { authorize, type Browser, browser } from './sso.testing';

const DEMO_REDIRECT = 'http://localhost:4000/callback';
const ID_NUMBER = '066190001234';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let t: TestApp;
let base: string;
let issuer: URL;

async function rp(clientId: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(issuer, clientId, undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

async function authUrl(cfg: oidc.Configuration, redirectUri: string, scope: string, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(cfg, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/** A full sign-in for `b` at `cfg`: authorization → code → tokens. */
async function signIn(b: Browser, cfg: oidc.Configuration, redirectUri: string, scope: string, extra: Record<string, string> = {}) {
  const a = await authUrl(cfg, redirectUri, scope, extra);
  const out = await authorize(b, a.url, redirectUri);
  const tokens = await oidc.authorizationCodeGrant(cfg, out.callback, {
    pkceCodeVerifier: a.verifier,
    expectedState: a.state,
    expectedNonce: a.nonce,
  });
  return { tokens, prompts: out.prompts };
}

/** The OAuth error code of a rejected call (body error or WWW-Authenticate challenge). */
async function oauthError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    const err = e as { error?: string; cause?: { parameters?: { error?: string } }[] };
    return err.error ?? err.cause?.[0]?.parameters?.error;
  }
}

async function accountId(username: string): Promise<string> {
  const [r] = await t.db.rows<{ id: string }>(sql`select id from accounts where username = ${username}`);
  return r?.id as string;
}

async function admin() {
  return login(t.app, 'admin');
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ PUBLIC_URL: base, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  await t.app.listen({ port, host: '127.0.0.1' });
  issuer = new URL(`${base}/oidc`);
  await t.db.rows(sql`update accounts set id_number = ${ID_NUMBER} where username = 'congdan'`);
});
afterAll(async () => {
  await Promise.all([...pendingAudits]);
  await t?.close();
});

describe('OIDC provider', () => {
  it('publishes discovery at /oidc/.well-known/openid-configuration with its own URLs', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const m = cfg.serverMetadata();
    expect(m.issuer).toBe(`${base}/oidc`);
    expect(m.authorization_endpoint).toBe(`${base}/oidc/auth`);
    expect(m.token_endpoint).toBe(`${base}/oidc/token`);
    expect(m.end_session_endpoint).toBe(`${base}/oidc/session/end`);
    expect(m.code_challenge_methods_supported).toContain('S256');
    expect(m.scopes_supported).toEqual(expect.arrayContaining(['openid', 'tinhso:id_number', 'tinhso:roles']));
    expect(m.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    const jwks = await (await fetch(m.jwks_uri as string)).json();
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
  });

  it('code + PKCE for a third-party app: login, consent, tokens, userinfo with scope-gated claims, refresh', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const b = browser(base);
    await b.login('congdan');
    const scope = 'openid profile email phone offline_access tinhso:id_number tinhso:assurance_level';
    const { tokens, prompts } = await signIn(b, cfg, DEMO_REDIRECT, scope, { prompt: 'consent' });
    expect(prompts).toEqual(['login', 'consent']);
    const claims = tokens.claims();
    expect(claims?.sub).toBe(await accountId('congdan'));
    expect(claims?.acr).toBe('urn:tinhso:loa:1');
    expect(claims?.amr).toEqual(['pwd']);
    expect(tokens.expires_in).toBe(600);
    expect(tokens.refresh_token).toBeTruthy();

    const info = await oidc.fetchUserInfo(cfg, tokens.access_token, claims?.sub as string);
    expect(info.name).toBe('Nguyễn Thị Hồng');
    expect(info.email).toBe('congdan@example.vn');
    expect(info.phone_number).toBe('0905123456');
    expect(info['tinhso:id_number']).toBe(ID_NUMBER);
    expect(info['tinhso:assurance_level']).toBe(1);
    expect(info['tinhso:roles']).toBeUndefined();

    // Refresh tokens rotate.
    const refreshed = await oidc.refreshTokenGrant(cfg, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    // The consent is remembered: the next sign-in asks nothing (same TinhSo and OP session).
    const again = await signIn(b, cfg, DEMO_REDIRECT, 'openid profile');
    expect(again.prompts).toEqual([]);
    // A scope not granted yet asks for consent again, listing only what is new.
    const a = await authUrl(cfg, DEMO_REDIRECT, 'openid profile tinhso:roles');
    const res = await b.request('GET', a.url.toString());
    const uid = new URL(res.location as string).searchParams.get('interaction');
    const info2 = (await b.request('GET', `/api/v1/sso/interactions/${uid}`)).json<{
      prompt: string;
      scopes: string[];
      client: { firstParty: boolean };
    }>();
    expect(info2.prompt).toBe('consent');
    expect(info2.scopes).toEqual(['tinhso:roles']);
    expect(info2.client.firstParty).toBe(false);

    // A used refresh token presented again is refused, and the reuse revokes the whole grant.
    await expect(oidc.refreshTokenGrant(cfg, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(cfg, refreshed.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('leaves out ID number without its scope; gives staff agency and roles under their scopes', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const citizen = browser(base);
    await citizen.login('congdan');
    const c = await signIn(citizen, cfg, DEMO_REDIRECT, 'openid profile');
    const ci = await oidc.fetchUserInfo(cfg, c.tokens.access_token, c.tokens.claims()?.sub as string);
    expect(ci.name).toBe('Nguyễn Thị Hồng');
    expect(ci['tinhso:id_number']).toBeUndefined();
    expect(ci.email).toBeUndefined();
    expect(c.tokens.claims()?.['tinhso:id_number']).toBeUndefined();

    const staff = browser(base);
    await staff.login('admin');
    const s = await signIn(staff, cfg, DEMO_REDIRECT, 'openid profile tinhso:agency tinhso:roles');
    const si = await oidc.fetchUserInfo(cfg, s.tokens.access_token, s.tokens.claims()?.sub as string);
    expect(si['tinhso:roles']).toContain('admin');
    expect(si['tinhso:agency']).toMatchObject({ id: expect.any(String), name: expect.any(String) });
  });

  it('refuses a redirect URI that is not registered (no redirect to it)', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const a = await authUrl(cfg, 'http://localhost:4000/other', 'openid');
    const res = await browser(base).request('GET', a.url.toString());
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.body).toContain('redirect_uri');
    expect(res.body).toContain('Không thực hiện được yêu cầu đăng nhập');
    expect(res.body).not.toContain('<script');
  });

  it('refuses a code exchanged with a bad PKCE verifier', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const b = browser(base);
    await b.login('congdan');
    const a = await authUrl(cfg, DEMO_REDIRECT, 'openid');
    const out = await authorize(b, a.url, DEMO_REDIRECT);
    await expect(
      oidc.authorizationCodeGrant(cfg, out.callback, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: a.state,
        expectedNonce: a.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('requires PKCE for public clients', async () => {
    const adm = await admin();
    const created = await adm.request('POST', '/api/v1/sso/clients', {
      clientId: 'spa-test',
      name: 'SPA thử',
      kind: 'public',
      redirectUris: ['http://localhost:5173/cb'],
      scopes: ['openid', 'profile'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().clientSecret).toBeUndefined();
    const cfg = await rp('spa-test');
    const noPkce = oidc.buildAuthorizationUrl(cfg, { redirect_uri: 'http://localhost:5173/cb', scope: 'openid', state: 'x' });
    const b = browser(base);
    await b.login('congdan');
    const res = await b.request('GET', noPkce.toString());
    expect(res.location).toContain('error=invalid_request');
    expect(decodeURIComponent(res.location as string)).toContain('PKCE');
    const ok = await signIn(b, cfg, 'http://localhost:5173/cb', 'openid profile');
    expect(ok.tokens.claims()?.sub).toBe(await accountId('congdan'));
  });

  it('client credentials for a machine client; introspection and revocation', async () => {
    const adm = await admin();
    const created = await adm.request('POST', '/api/v1/sso/clients', {
      clientId: 'lgsp-sync',
      name: 'Đồng bộ LGSP',
      kind: 'machine',
      scopes: [],
    });
    expect(created.statusCode).toBe(201);
    const secret = created.json().clientSecret as string;
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const cfg = await rp('lgsp-sync', secret);
    const tok = await oidc.clientCredentialsGrant(cfg);
    expect(tok.access_token).toBeTruthy();
    expect(tok.expires_in).toBe(600);
    const intro = await oidc.tokenIntrospection(cfg, tok.access_token);
    expect(intro.active).toBe(true);
    expect(intro.client_id).toBe('lgsp-sync');
    await oidc.tokenRevocation(cfg, tok.access_token);
    expect((await oidc.tokenIntrospection(cfg, tok.access_token)).active).toBe(false);
    // A wrong secret is refused.
    expect(await oauthError(oidc.clientCredentialsGrant(await rp('lgsp-sync', 'wrong-secret')))).toBe('invalid_client');
    // The admin rotates the secret: the old one stops working at once.
    const rotated = await adm.request('POST', '/api/v1/sso/clients/lgsp-sync/secret');
    expect(rotated.statusCode).toBe(200);
    expect(await oauthError(oidc.clientCredentialsGrant(cfg))).toBe('invalid_client');
    expect((await oidc.clientCredentialsGrant(await rp('lgsp-sync', rotated.json().clientSecret))).access_token).toBeTruthy();
    // The token endpoint's issue is audited, without the token.
    await Promise.all([...pendingAudits]);
    const rows = await t.db.rows<{ details: Record<string, unknown> }>(
      sql`select details from audit_log where action = 'sso.token_issued' and target_id = 'lgsp-sync'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(rows)).not.toContain(tok.access_token);
  });

  it('RP-initiated logout: a Vietnamese confirmation form without script, then back to the app; the OP session is gone', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const b = browser(base);
    await b.login('congdan');
    const { tokens } = await signIn(b, cfg, DEMO_REDIRECT, 'openid');
    const endUrl = oidc.buildEndSessionUrl(cfg, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: 'http://localhost:4000/',
      state: 'bye',
    });
    const page = await b.request('GET', endUrl.toString());
    expect(page.status).toBe(200);
    expect(page.body).toContain('Đăng xuất khỏi TinhSo?');
    expect(page.body).not.toContain('<script');
    const action = /action="([^"]+)"/.exec(page.body)?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const done = await b.request('POST', new URL(action.replace(/&amp;/g, '&'), base).toString(), { form: { xsrf, logout: 'yes' } });
    expect(done.status).toBe(303);
    expect(done.location).toBe('http://localhost:4000/?state=bye');
    await Promise.all([...pendingAudits]);
    // Still signed in to TinhSo, but the OP session ended: a new sign-in goes through the login prompt again.
    const again = await signIn(b, cfg, DEMO_REDIRECT, 'openid');
    expect(again.prompts[0]).toBe('login');
  });

  it('an OP session without a live TinhSo session asks for login again (prompt=none fails)', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const b = browser(base);
    await b.login('congdan');
    await signIn(b, cfg, DEMO_REDIRECT, 'openid');
    expect(b.jar.has('_session')).toBe(true);
    // Signed out of TinhSo (the OP cookie is still in the browser).
    const out = await b.request('POST', '/api/v1/auth/logout', { json: {}, headers: { 'x-csrf-token': await b.csrf() } });
    expect(out.status).toBe(204);
    const none = await authUrl(cfg, DEMO_REDIRECT, 'openid', { prompt: 'none' });
    const res = await b.request('GET', none.url.toString());
    expect(res.location).toContain(`${DEMO_REDIRECT}?error=login_required`);
    const a = await authUrl(cfg, DEMO_REDIRECT, 'openid');
    const res2 = await b.request('GET', a.url.toString());
    expect(new URL(res2.location as string).pathname).toBe('/login');
    // The interaction API refuses to complete the login without a TinhSo session.
    const uid = new URL(res2.location as string).searchParams.get('interaction');
    const info = (await b.request('GET', `/api/v1/sso/interactions/${uid}`)).json<{ prompt: string; signedIn: boolean }>();
    expect(info).toMatchObject({ prompt: 'login', signedIn: false });
    expect(
      (await b.request('POST', `/api/v1/sso/interactions/${uid}/login`, { json: {}, headers: { 'x-csrf-token': await b.csrf() } })).status,
    ).toBe(401);
    // Another account signing in to TinhSo in this browser does not inherit the OP session.
    await b.login('congdan2');
    const other = await signIn(b, cfg, DEMO_REDIRECT, 'openid');
    expect(other.prompts[0]).toBe('login');
    expect(other.tokens.claims()?.sub).toBe(await accountId('congdan2'));
  });

  it('revoking a connected app revokes its refresh tokens', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const b = browser(base);
    await b.login('congdan');
    const { tokens } = await signIn(b, cfg, DEMO_REDIRECT, 'openid offline_access', { prompt: 'consent' });
    expect(tokens.refresh_token).toBeTruthy();
    const grants = (await b.request('GET', '/api/v1/sso/grants')).json<{ items: { id: string; clientId: string; scopes: string[] }[] }>();
    const g = grants.items.find((x) => x.clientId === DEMO_CLIENT_ID);
    expect(g?.scopes).toContain('offline_access');
    const del = await b.request('DELETE', `/api/v1/sso/grants/${g?.id}`, { headers: { 'x-csrf-token': await b.csrf() } });
    expect(del.status).toBe(204);
    await expect(oidc.refreshTokenGrant(cfg, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(cfg, tokens.access_token)).active).toBe(false);
  });

  it('rotates signing keys: tokens signed before still verify, new tokens use the new key', async () => {
    const cfg = await rp(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    const b = browser(base);
    await b.login('congdan');
    const before = (await signIn(b, cfg, DEMO_REDIRECT, 'openid')).tokens.id_token as string;
    const oldKid = decodeProtectedHeader(before).kid;
    const adm = await admin();
    const rot = await adm.request('POST', '/api/v1/sso/keys/rotate');
    expect(rot.statusCode).toBe(200);
    expect(rot.json().kids).not.toContain(oldKid);
    const after = (await signIn(b, cfg, DEMO_REDIRECT, 'openid')).tokens.id_token as string;
    const newKid = decodeProtectedHeader(after).kid;
    expect(newKid).not.toBe(oldKid);
    expect(rot.json().kids).toContain(newKid);
    const jwks = createRemoteJWKSet(new URL(`${base}/oidc/jwks`));
    await expect(jwtVerify(before, jwks, { issuer: `${base}/oidc` })).resolves.toBeTruthy();
    await expect(jwtVerify(after, jwks, { issuer: `${base}/oidc` })).resolves.toBeTruthy();
  });

  it('the web app signs in through its provider (first party: no consent) and returns to a same-site path only', async () => {
    const b = browser(base);
    await b.login('congdan');
    const start = await b.request('GET', '/auth/sso/start?next=%2Faccount%3Ftab%3D1');
    expect(start.status).toBe(303);
    const out = await authorize(b, start.location as string, `${base}/auth/sso/callback`);
    expect(out.prompts).toEqual(['login']);
    const cb = await b.request('GET', out.callback.toString());
    expect(cb.status).toBe(303);
    expect(cb.location).toBe(`${base}/account?tab=1`);
    const evil = await b.request('GET', '/auth/sso/start?next=%2F%2Fevil.example%2F');
    const out2 = await authorize(b, evil.location as string, `${base}/auth/sso/callback`);
    expect(out2.prompts).toEqual([]);
    expect((await b.request('GET', out2.callback.toString())).location).toBe(`${base}/`);
    await Promise.all([...pendingAudits]);
    const [n] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'auth.sso_login'`);
    expect(n?.n).toBe(2);
  });
});
