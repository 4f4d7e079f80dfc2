/**
 * VNeID federation end to end: a browser-like cookie jar drives the real redirect flow through the app's
 * own VNeID sandbox (start → sandbox login form → callback → TinhSo session).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app';
import { loadConfig } from '../../config';
import { sql } from '../../platform/db/database';
import { sameSitePath as safeNext } from '../../platform/http/same-site';
import { checkIdNumber } from './identity.numbers';
import { createAccount } from './identity.service';
import { errorLocation } from './identity.vneid';
import { SANDBOX_IDENTITIES } from './identity.vneid.sandbox';
import { currentTotp, decryptSecret } from './totp';

const PUBLIC = 'http://localhost:3000';
type Identity = (typeof SANDBOX_IDENTITIES)[number];
const [hong, yblok, minh, trang, bao] = SANDBOX_IDENTITIES as [Identity, Identity, Identity, Identity, Identity];

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** A tiny browser: cookies by (name, path), follows redirects inside this app. */
class Browser {
  jar = new Map<string, Cookie>();
  constructor(private t: TestApp) {}

  private cookiesFor(path: string): Record<string, string> {
    const out: Record<string, string> = {};
    // Longer paths first, as browsers order them; the first value of a name wins.
    const list = [...this.jar.values()].sort((a, b) => b.path.length - a.path.length);
    for (const c of list) if (path.startsWith(c.path) && !(c.name in out)) out[c.name] = c.value;
    return out;
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; path?: string; expires?: Date; maxAge?: number }[]) {
      const key = `${c.name}|${c.path ?? '/'}`;
      const gone = (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (gone) this.jar.delete(key);
      else this.jar.set(key, { name: c.name, value: c.value, path: c.path ?? '/' });
    }
  }

  cookie(name: string): string | undefined {
    return [...this.jar.values()].find((c) => c.name === name)?.value;
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<LightMyRequestResponse> {
    const u = new URL(url, PUBLIC);
    if (u.origin !== PUBLIC) throw new Error(`left the app: ${url}`);
    const res = await this.t.app.inject({
      method,
      url: `${u.pathname}${u.search}`,
      cookies: this.cookiesFor(u.pathname),
      ...(form ? { payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    });
    this.keep(res);
    return res;
  }

  /** Requests and follows redirects while they stay in the VNeID flow; returns the last response and its URL. */
  async follow(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    let res = await this.request(method, url, form);
    let at = url;
    const trail: string[] = [url];
    for (let i = 0; i < 10 && res.statusCode >= 300 && res.statusCode < 400; i++) {
      const loc = String(res.headers.location);
      const path = new URL(loc, PUBLIC).pathname;
      if (!path.startsWith('/vneid-sandbox') && !path.startsWith('/auth/vneid')) return { res, at, trail, location: loc };
      at = loc;
      trail.push(loc);
      res = await this.request('GET', loc);
    }
    return { res, at, trail, location: res.statusCode >= 300 && res.statusCode < 400 ? String(res.headers.location) : null };
  }

  /** Start → sandbox login page; returns the interaction uid. */
  async openSandbox(next = '/'): Promise<string> {
    const { res, at } = await this.follow('GET', `/auth/vneid/start?next=${encodeURIComponent(next)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Môi trường thử nghiệm VNeID');
    const m = /\/vneid-sandbox\/interaction\/([\w-]+)$/.exec(new URL(at, PUBLIC).pathname);
    if (!m) throw new Error(`not on the sandbox page: ${at}`);
    return m[1] as string;
  }

  /** The whole flow for one identity; returns where the browser lands. */
  async vneidLogin(sub: string, next = '/', password = 'demo') {
    const uid = await this.openSandbox(next);
    return this.follow('POST', `/vneid-sandbox/interaction/${uid}/login`, { identity: sub, password, action: 'login' });
  }

  async me() {
    return this.t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: this.cookiesFor('/api/v1/auth/me') });
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: PUBLIC });
});
afterAll(async () => t?.close());

const accountByUsername = async (username: string) =>
  (
    await t.db.rows<{ id: string; id_number: string | null; assurance_level: number; birth_date: unknown }>(
      sql`select id, id_number, assurance_level, birth_date::text as birth_date from accounts where username = ${username}`,
    )
  )[0];

describe('sandbox identities', () => {
  it('all carry valid ID numbers consistent with their birth date and gender', () => {
    expect(SANDBOX_IDENTITIES.length).toBeGreaterThanOrEqual(3);
    for (const p of SANDBOX_IDENTITIES) {
      expect(checkIdNumber(p.idNumber, { birthDate: p.birthdate, gender: p.gender }), p.name).toMatchObject({ ok: true });
    }
    expect(new Set(SANDBOX_IDENTITIES.map((p) => p.idNumber)).size).toBe(SANDBOX_IDENTITIES.length);
    expect(SANDBOX_IDENTITIES.filter((p) => p.username === null).length).toBeGreaterThanOrEqual(1);
  });

  it('the demo seed gives congdan and congdan2 the sandbox ID numbers', async () => {
    expect((await accountByUsername('congdan'))?.id_number).toBe(hong.idNumber);
    expect((await accountByUsername('congdan2'))?.id_number).toBe(yblok.idNumber);
    expect((await accountByUsername('congdan'))?.assurance_level).toBe(1);
  });

  it('publishes discovery with the public URL as issuer and base of every endpoint', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/vneid-sandbox/.well-known/openid-configuration' });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.issuer).toBe(`${PUBLIC}/vneid-sandbox`);
    for (const k of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
      expect(d[k]).toMatch(new RegExp(`^${PUBLIC}/vneid-sandbox/`));
    }
    expect(d.scopes_supported).toContain('id_number');
  });

  it('refuses a wrong password on its login page and shows it in Vietnamese', async () => {
    const b = new Browser(t);
    const uid = await b.openSandbox();
    const res = await b.request('POST', `/vneid-sandbox/interaction/${uid}/login`, {
      identity: hong.sub,
      password: 'sai',
      action: 'login',
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Mật khẩu không đúng');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).not.toMatch(/<script/i);
  });
});

describe('VNeID sign-in', () => {
  it('maps to the local account congdan by ID number, with a full federated session at level 2', async () => {
    const b = new Browser(t);
    const { res, location, trail } = await b.vneidLogin(hong.sub, '/ho-so/cua-toi?tab=2');
    expect(res.statusCode).toBe(303);
    expect(location).toBe('/ho-so/cua-toi?tab=2');
    // The flow went through the callback, and the flow cookie is gone.
    expect(trail.some((u) => u.includes('/auth/vneid/callback?'))).toBe(true);
    expect(b.cookie('tinhso_vneid')).toBeUndefined();
    const sessionCookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find(
      (c) => c.name === 'tinhso_session',
    );
    expect(sessionCookie?.httpOnly).toBe(true);

    const me = await b.me();
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: 'congdan',
      kind: 'citizen',
      assuranceLevel: 2,
      idNumberMasked: `********${hong.idNumber.slice(-4)}`,
    });

    const congdan = await accountByUsername('congdan');
    expect(congdan).toMatchObject({ assurance_level: 2, birth_date: hong.birthdate });
    const [session] = await t.db.rows<{ auth_methods: string[]; assurance_level: number; stage: string }>(
      sql`select auth_methods, assurance_level, stage from sessions where account_id = ${congdan?.id} order by created_at desc limit 1`,
    );
    expect(session).toEqual({ auth_methods: ['fed'], assurance_level: 2, stage: 'full' });
    const links = await t.db.rows<{ issuer: string; subject: string }>(
      sql`select issuer, subject from account_federations where account_id = ${congdan?.id}`,
    );
    expect(links).toEqual([{ issuer: `${PUBLIC}/vneid-sandbox`, subject: hong.sub }]);

    const audit = await t.db.rows<{ action: string; details: Record<string, unknown> }>(
      sql`select action, details from audit_log where target_id = ${congdan?.id} order by seq desc limit 2`,
    );
    expect(audit.map((a) => a.action)).toEqual(['auth.login', 'identity.federation_linked']);
    expect(audit[0]?.details).toMatchObject({ method: 'vneid' });
  });

  it('creates a citizen account for an identity without one, and reuses the link on the next login', async () => {
    const before = await t.db.rows(sql`select 1 from accounts where id_number = ${minh.idNumber}`);
    expect(before).toHaveLength(0);
    const b = new Browser(t);
    const first = await b.vneidLogin(minh.sub);
    expect(first.location).toBe('/');
    const me = (await b.me()).json();
    expect(me).toMatchObject({ kind: 'citizen', displayName: minh.name, assuranceLevel: 2, idNumberMasked: '********7315' });
    expect(me.username).toMatch(/^vneid\.[0-9a-f]{10}$/);
    const [row] = await t.db.rows<{ id: string; phone: string; birth_date: string; assurance_level: number }>(
      sql`select id, phone, birth_date::text as birth_date, assurance_level from accounts where id_number = ${minh.idNumber}`,
    );
    expect(row).toMatchObject({ id: me.id, phone: '0935246810', birth_date: minh.birthdate, assurance_level: 2 });
    // Its random password is unknown: password login does not work.
    const pw = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: me.username, password: 'demo' } });
    expect(pw.statusCode).toBe(401);

    const again = new Browser(t);
    expect((await again.vneidLogin(minh.sub)).location).toBe('/');
    expect((await again.me()).json().id).toBe(me.id);
    expect(await t.db.rows(sql`select 1 from accounts where id_number = ${minh.idNumber}`)).toHaveLength(1);
    expect(await t.db.rows(sql`select 1 from account_federations where account_id = ${me.id}`)).toHaveLength(1);
    const linked = await t.db.rows(sql`select 1 from audit_log where target_id = ${me.id} and action = 'identity.federation_linked'`);
    expect(linked).toHaveLength(1);
  });

  it('two first logins of the same identity at once end in one account and one link', async () => {
    const toCallback = async () => {
      const b = new Browser(t);
      const uid = await b.openSandbox();
      const post = await b.request('POST', `/vneid-sandbox/interaction/${uid}/login`, {
        identity: bao.sub,
        password: 'demo',
        action: 'login',
      });
      const resume = await b.request('GET', String(post.headers.location));
      return { b, callback: String(resume.headers.location) };
    };
    const [x, y] = [await toCallback(), await toCallback()];
    const [rx, ry] = await Promise.all([x.b.request('GET', x.callback), y.b.request('GET', y.callback)]);
    expect([rx.headers.location, ry.headers.location]).toEqual(['/', '/']);
    const ids = await t.db.rows<{ id: string }>(sql`select id from accounts where id_number = ${bao.idNumber}`);
    expect(ids).toHaveLength(1);
    expect((await x.b.me()).json().id).toBe(ids[0]?.id);
    expect((await y.b.me()).json().id).toBe(ids[0]?.id);
    expect(await t.db.rows(sql`select 1 from account_federations where subject = ${bao.sub}`)).toHaveLength(1);
  });

  it('refuses a staff account, whatever its ID number says', async () => {
    await t.db.rows(sql`update accounts set id_number = ${trang.idNumber} where username = 'motcua'`);
    const b = new Browser(t);
    const { location } = await b.vneidLogin(trang.sub, '/ho-so');
    expect(location).toBe(`/login?error=vneid_staff&next=${encodeURIComponent('/ho-so')}`);
    expect(b.cookie('tinhso_session')).toBeUndefined();
    const [staff] = await t.db.rows<{ id: string }>(sql`select id from accounts where username = 'motcua'`);
    expect(await t.db.rows(sql`select 1 from account_federations where account_id = ${staff?.id}`)).toHaveLength(0);
    const [failed] = await t.db.rows<{ details: Record<string, unknown> }>(
      sql`select details from audit_log where target_id = ${staff?.id} and action = 'auth.login_failed' order by seq desc limit 1`,
    );
    expect(failed?.details).toEqual({ method: 'vneid', reason: 'staff' });
  });

  it('refuses a tampered state, a missing flow cookie and a replayed callback', async () => {
    const b = new Browser(t);
    const uid = await b.openSandbox('/login?interaction=abc');
    const post = await b.request('POST', `/vneid-sandbox/interaction/${uid}/login`, {
      identity: yblok.sub,
      password: 'demo',
      action: 'login',
    });
    const resume = await b.request('GET', String(post.headers.location));
    const callback = new URL(String(resume.headers.location));
    expect(callback.pathname).toBe('/auth/vneid/callback');

    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const bad = await b.request('GET', tampered.href);
    expect(bad.statusCode).toBe(303);
    // An OIDC interaction in `next` is kept: the login page can resume it.
    expect(bad.headers.location).toBe('/login?interaction=abc&error=vneid_state');
    expect(b.cookie('tinhso_session')).toBeUndefined();

    // The flow cookie was spent by the failed attempt: the genuine callback is refused too.
    const replay = await b.request('GET', callback.href);
    expect(replay.headers.location).toBe('/login?error=vneid_state');

    // Another browser (no flow cookie) cannot use the code either.
    const other = new Browser(t);
    expect((await other.request('GET', callback.href)).headers.location).toBe('/login?error=vneid_state');
    expect(other.cookie('tinhso_session')).toBeUndefined();
  });

  it('refuses a flow cookie whose signature does not match', async () => {
    const b = new Browser(t);
    const uid = await b.openSandbox();
    for (const [k, c] of b.jar)
      if (c.name === 'tinhso_vneid') b.jar.set(k, { ...c, value: c.value.replace(/^./, (x) => (x === 'a' ? 'b' : 'a')) });
    const { location } = await b.follow('POST', `/vneid-sandbox/interaction/${uid}/login`, {
      identity: hong.sub,
      password: 'demo',
      action: 'login',
    });
    expect(location).toBe('/login?error=vneid_state');
  });

  it('reports a cancel at VNeID as vneid_denied', async () => {
    const b = new Browser(t);
    const uid = await b.openSandbox();
    const { location } = await b.follow('POST', `/vneid-sandbox/interaction/${uid}/login`, { action: 'cancel' });
    expect(location).toBe('/login?error=vneid_denied');
  });

  it('never sends the browser to another site after login', async () => {
    const b = new Browser(t);
    expect((await b.vneidLogin(yblok.sub, '//evil.example/steal')).location).toBe('/');
    const c = new Browser(t);
    expect((await c.vneidLogin(yblok.sub, 'https://evil.example/')).location).toBe('/');
  });

  it('keeps full ID numbers out of the audit log', async () => {
    const all = await t.db.rows<{ details: string }>(sql`select details::text as details from audit_log`);
    for (const p of SANDBOX_IDENTITIES) expect(all.filter((a) => a.details.includes(p.idNumber))).toHaveLength(0);
  });

  it('exposes whether VNeID is enabled', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/vneid' });
    expect(res.json()).toEqual({ enabled: true, sandbox: true, startUrl: '/auth/vneid/start' });
  });
});

describe('sessions record how they were established', () => {
  it('password login is {pwd}; after TOTP it is {pwd,otp}', async () => {
    await t.db.orm.transaction((tx) =>
      createAccount(tx, { username: 'vneid.totp', displayName: 'TOTP', kind: 'citizen', password: 'demo' }, { skipPolicy: true }),
    );
    const csrf = await t.app.inject({ method: 'GET', url: '/api/v1/auth/csrf' });
    const cookies: Record<string, string> = {};
    const keep = (r: LightMyRequestResponse) => {
      for (const c of r.cookies as { name: string; value: string }[]) cookies[c.name] = c.value;
    };
    keep(csrf);
    const h = { 'x-csrf-token': csrf.json().token };
    const call = async (url: string, payload?: object) => {
      const r = await t.app.inject({ method: 'POST', url, cookies, headers: h, ...(payload ? { payload } : {}) });
      keep(r);
      return r;
    };
    expect((await call('/api/v1/auth/login', { username: 'vneid.totp', password: 'demo' })).statusCode).toBe(200);
    const methods = async () =>
      (
        await t.db.rows<{ auth_methods: string[]; assurance_level: number }>(
          sql`select s.auth_methods, s.assurance_level from sessions s join accounts a on a.id = s.account_id
              where a.username = 'vneid.totp' order by s.created_at desc limit 1`,
        )
      )[0];
    expect(await methods()).toEqual({ auth_methods: ['pwd'], assurance_level: 1 });
    await call('/api/v1/auth/totp/setup');
    const [row] = await t.db.rows<{ totp_secret_enc: string }>(sql`select totp_secret_enc from accounts where username = 'vneid.totp'`);
    const secret = decryptSecret(row?.totp_secret_enc as string, t.platform.config.dataEncryptionKey);
    expect((await call('/api/v1/auth/totp/enable', { code: currentTotp(secret, 'vneid.totp') })).statusCode).toBe(204);
    for (const k of Object.keys(cookies)) delete cookies[k];
    keep(csrf);
    expect((await call('/api/v1/auth/login', { username: 'vneid.totp', password: 'demo' })).json()).toEqual({ stage: 'totp' });
    const done = await call('/api/v1/auth/login/totp', { code: currentTotp(secret, 'vneid.totp', Date.now() + 30_000) });
    expect(done.statusCode).toBe(200);
    expect(done.json().me).toMatchObject({ assuranceLevel: 1, idNumberMasked: null });
    expect(await methods()).toEqual({ auth_methods: ['pwd', 'otp'], assurance_level: 1 });
  });
});

describe('configuration', () => {
  it('turns the sandbox off in production and on in development', () => {
    const prod = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_ENCRYPTION_KEY: 'y'.repeat(40) });
    expect(prod.vneid).toMatchObject({ sandbox: false, enabled: false, clientSecret: '' });
    const real = loadConfig({ NODE_ENV: 'production', VNEID_ISSUER: 'https://vneid.example.gov.vn/', VNEID_CLIENT_SECRET: 's' });
    expect(real.vneid).toMatchObject({ sandbox: false, enabled: true, issuer: 'https://vneid.example.gov.vn' });
    const dev = loadConfig({ PORT: '4000' });
    expect(dev.vneid).toMatchObject({
      sandbox: true,
      enabled: true,
      issuer: 'http://localhost:4000/vneid-sandbox',
      idNumberClaim: 'id_number',
    });
  });

  it('with the sandbox off, nothing is mounted and sign-in reports vneid_unavailable', async () => {
    const off = await createTestApp({ PUBLIC_URL: PUBLIC, VNEID_SANDBOX: 'false' });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/vneid-sandbox/.well-known/openid-configuration' })).statusCode).toBe(404);
      const start = await off.app.inject({ method: 'GET', url: '/auth/vneid/start?next=/ho-so' });
      expect(start.statusCode).toBe(303);
      expect(start.headers.location).toBe(`/login?error=vneid_unavailable&next=${encodeURIComponent('/ho-so')}`);
      expect((await off.app.inject({ method: 'GET', url: '/api/v1/auth/vneid' })).json()).toMatchObject({ enabled: false });
    } finally {
      await off.close();
    }
  });
});

describe('redirect helpers', () => {
  it('keeps only same-site paths', () => {
    expect(safeNext('/a/b?c=1#d')).toBe('/a/b?c=1#d');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '',
      undefined,
      'a/b',
      '/a\nb',
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
  it('builds login error locations', () => {
    expect(errorLocation('denied')).toBe('/login?error=vneid_denied');
    expect(errorLocation('state', '/ho-so?x=1')).toBe(`/login?error=vneid_state&next=${encodeURIComponent('/ho-so?x=1')}`);
    expect(errorLocation('staff', '/login?interaction=u1')).toBe('/login?interaction=u1&error=vneid_staff');
  });
});
