import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type TestApp } from '../../../../test/app';
import { createAccount } from './identity.service';
import { currentTotp, decryptSecret } from './totp';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  await t.db.orm.transaction(async (tx) => {
    for (const u of ['locky', 'pwuser', 'totpuser', 'sessuser']) {
      await createAccount(tx, { username: u, displayName: `Người dùng ${u}`, kind: 'citizen', password: 'demo' }, { skipPolicy: true });
    }
  });
});
afterAll(async () => t?.close());

async function secretOf(username: string): Promise<string> {
  const [row] = await t.db.rows<{ totp_secret_enc: string }>(sql`select totp_secret_enc from accounts where username = ${username}`);
  return decryptSecret(row!.totp_secret_enc, t.platform.config.dataEncryptionKey);
}

describe('login and logout', () => {
  it('signs in with the right password and sets an HttpOnly SameSite cookie', async () => {
    const s = await anonymousSession(t.app);
    const res = await s.request('POST', '/api/v1/auth/login', { username: 'congdan', password: 'demo' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'done', me: { username: 'congdan', kind: 'citizen', displayName: 'Nguyễn Thị Hồng' } });
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find((c) => c.name === 'tinhso_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const me = await s.request('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('congdan');
  });

  it('refuses a wrong password with a Vietnamese problem and does not reveal whether the user exists', async () => {
    const s = await anonymousSession(t.app);
    const wrong = await s.request('POST', '/api/v1/auth/login', { username: 'congdan', password: 'sai' });
    const nobody = await s.request('POST', '/api/v1/auth/login', { username: 'khongcoai', password: 'sai' });
    for (const r of [wrong, nobody]) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ code: 'invalid_credentials', title: 'Sai tên đăng nhập hoặc mật khẩu' });
    }
  });

  it('rejects a login body that breaks the schema with field errors', async () => {
    const s = await anonymousSession(t.app);
    const res = await s.request('POST', '/api/v1/auth/login', { username: '' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body/username', 'body/password']));
  });

  it('logs out: the cookie no longer works', async () => {
    const s = await login(t.app, 'congdan');
    expect((await s.request('POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await s.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('requires the CSRF token for cookie-authenticated writes', async () => {
    const s = await login(t.app, 'congdan');
    const res = await s.request('POST', '/api/v1/auth/logout', undefined, { 'x-csrf-token': 'forged' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_invalid');
    expect((await s.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('lockout', () => {
  it('locks the account after repeated failures, even for the right password, and records it', async () => {
    const s = await anonymousSession(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await s.request('POST', '/api/v1/auth/login', { username: 'locky', password: 'x' })).statusCode);
    expect(codes).toEqual([401, 401, 423]);
    const right = await s.request('POST', '/api/v1/auth/login', { username: 'locky', password: 'demo' });
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('account_locked');
    expect(right.json().lockedUntil).toBeTruthy();
    const audit = await t.db.rows<{ action: string }>(sql`select action from audit_log where action = 'auth.account_locked'`);
    expect(audit.length).toBe(1);
  });
});

describe('rate limit', () => {
  it('answers 429 problem+json when login is hammered', async () => {
    const limited = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const s = await anonymousSession(limited.app);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await s.request('POST', '/api/v1/auth/login', { username: 'x1y2z3', password: 'x' })).statusCode);
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[4]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('password change', () => {
  it('enforces the policy, then changes it and signs out other sessions', async () => {
    const a = await login(t.app, 'pwuser');
    const b = await login(t.app, 'pwuser');
    // b's session is now known to the server (resolved sessions are kept a moment): the change must still end it.
    expect((await b.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const weak = await a.request('POST', '/api/v1/auth/password', { currentPassword: 'demo', newPassword: 'ngan' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0]).toMatchObject({ field: 'body/newPassword' });
    const wrongCurrent = await a.request('POST', '/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'DakLak2026vui' });
    expect(wrongCurrent.json().errors[0].field).toBe('body/currentPassword');
    const ok = await a.request('POST', '/api/v1/auth/password', { currentPassword: 'demo', newPassword: 'DakLak2026vui' });
    expect(ok.statusCode).toBe(204);
    expect((await a.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    expect((await b.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    await login(t.app, 'pwuser', 'DakLak2026vui');
    await expect(login(t.app, 'pwuser', 'demo')).rejects.toThrow();
  });

  it('is refused to anonymous callers', async () => {
    const s = await anonymousSession(t.app);
    const res = await s.request('POST', '/api/v1/auth/password', { currentPassword: 'demo', newPassword: 'DakLak2026vui' });
    expect(res.statusCode).toBe(401);
  });
});

describe('TOTP second factor', () => {
  it('enrols, then requires the code at login, and refuses a replayed code', async () => {
    const s = await login(t.app, 'totpuser');
    const setup = await s.request('POST', '/api/v1/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    expect(setup.json().qrSvg).toContain('<svg');
    const secret = await secretOf('totpuser');
    expect(setup.json().secret).toBe(secret);
    expect(
      (await s.request('POST', '/api/v1/auth/totp/enable', { code: '000000' === currentTotp(secret, 'totpuser') ? '111111' : '000000' }))
        .statusCode,
    ).toBe(400);
    const code = currentTotp(secret, 'totpuser');
    expect((await s.request('POST', '/api/v1/auth/totp/enable', { code })).statusCode).toBe(204);

    const s2 = await anonymousSession(t.app);
    const first = await s2.request('POST', '/api/v1/auth/login', { username: 'totpuser', password: 'demo' });
    expect(first.json()).toEqual({ stage: 'totp' });
    // Password alone gives no access.
    expect((await s2.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    // The code used to enable TOTP cannot be replayed.
    const replay = await s2.request('POST', '/api/v1/auth/login/totp', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_totp');
    const next = currentTotp(secret, 'totpuser', Date.now() + 30_000);
    const done = await s2.request('POST', '/api/v1/auth/login/totp', { code: next });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ stage: 'done', me: { username: 'totpuser', totpEnabled: true } });
  });

  it('makes staff enrol first when the policy requires it', async () => {
    const strict = await createTestApp({ STAFF_TOTP: 'required' });
    try {
      await strict.db.orm.transaction((tx) =>
        createAccount(tx, { username: 'canbo1', displayName: 'Cán bộ 1', kind: 'staff', password: 'demo' }, { skipPolicy: true }),
      );
      const s = await anonymousSession(strict.app);
      const res = await s.request('POST', '/api/v1/auth/login', { username: 'canbo1', password: 'demo' });
      expect(res.json()).toMatchObject({ stage: 'totp_enroll', me: { permissions: [] } });
      await s.request('POST', '/api/v1/auth/totp/setup');
      const [row] = await strict.db.rows<{ totp_secret_enc: string }>(sql`select totp_secret_enc from accounts where username = 'canbo1'`);
      const secret = decryptSecret(row!.totp_secret_enc, strict.platform.config.dataEncryptionKey);
      expect((await s.request('POST', '/api/v1/auth/totp/enable', { code: currentTotp(secret, 'canbo1') })).statusCode).toBe(204);
      const disable = await s.request('POST', '/api/v1/auth/totp/disable', { code: currentTotp(secret, 'canbo1', Date.now() + 30_000) });
      expect(disable.statusCode).toBe(422);
      // Citizens are not forced.
      const c = await anonymousSession(strict.app);
      expect((await c.request('POST', '/api/v1/auth/login', { username: 'congdan', password: 'demo' })).json().stage).toBe('done');
    } finally {
      await strict.close();
    }
  });
});

describe('sessions', () => {
  it('lists own sessions and revokes one; another user cannot revoke it', async () => {
    const a = await login(t.app, 'sessuser');
    const b = await login(t.app, 'sessuser');
    expect((await b.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const list = (await a.request('GET', '/api/v1/auth/sessions')).json().items as { id: string; current: boolean }[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    const other = list.find((x) => !x.current)!;
    const stranger = await login(t.app, 'congdan2');
    expect((await stranger.request('DELETE', `/api/v1/auth/sessions/${other.id}`)).statusCode).toBe(404);
    expect((await a.request('DELETE', `/api/v1/auth/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await b.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await (await anonymousSession(t.app)).request('GET', '/api/v1/auth/sessions')).statusCode).toBe(401);
  });
});
