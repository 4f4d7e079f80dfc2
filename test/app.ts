/**
 * Boots the real app on a fresh database for one test file, and helps log in as demo users.
 */
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import type { Platform } from '../src/server/platform';
import type { Database } from '../src/server/platform/db/database';
import type { App } from '../src/server/platform/http/types';
import { freshDatabase } from './template';

export interface TestApp {
  app: App;
  db: Database;
  platform: Platform;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}, platform: Partial<Platform> = {}): Promise<TestApp> {
  const db = await freshDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    SERVE_WEB: 'false',
    JOBS: 'false',
    // Errors are printed so that an unexpected 500 shows its cause in the test output.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    TINHSO_DATA_DIR: `/tmp/tinhso-test-${process.pid}`,
    ...env,
  });
  const built = await buildApp({ config, db, platform });
  return {
    app: built.app,
    db,
    platform: built.platform,
    async close() {
      await built.app.close();
      await db.close();
    },
  };
}

/** A logged-in browser-like client: keeps cookies and sends the CSRF token on writes. */
export interface Session {
  cookies: Record<string, string>;
  csrf: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function anonymousSession(app: App): Promise<Session> {
  const cookies: Record<string, string> = {};
  const keep = (res: LightMyRequestResponse) => {
    for (const c of res.cookies as { name: string; value: string }[]) cookies[c.name] = c.value;
  };
  const csrfRes = await app.inject({ method: 'GET', url: '/api/v1/auth/csrf' });
  keep(csrfRes);
  const session: Session = {
    cookies,
    csrf: csrfRes.json().token,
    async request(method, url, body, headers = {}) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        cookies,
        headers: { 'x-csrf-token': session.csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      keep(res);
      return res;
    },
  };
  return session;
}

/** Logs in with username/password (demo password is `demo`). */
export async function login(app: App, username: string, password = 'demo'): Promise<Session> {
  const s = await anonymousSession(app);
  const res = await s.request('POST', '/api/v1/auth/login', { username, password });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return s;
}
