/**
 * Test helpers: a browser with a cookie jar driving the OIDC redirects against a running app (fetch) or
 * in-process (app.inject), and the SPA's part of an interaction (login / consent through the API).
 */
import type { App } from '../../platform/http/types';

export interface BrowserResponse {
  status: number;
  location: string | null;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface Browser {
  jar: Map<string, string>;
  request(
    method: string,
    url: string,
    opts?: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<BrowserResponse>;
  csrf(): Promise<string>;
  login(username: string, password?: string): Promise<void>;
}

/** A cookie-keeping browser. `app` given: requests go through app.inject; otherwise over HTTP to `base`. */
export function browser(base: string, app?: App): Browser {
  const jar = new Map<string, string>();
  const keep = (setCookies: string[]) => {
    for (const sc of setCookies) {
      const [pair = '', ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        attrs.some((a) => /^\s*max-age=0/i.test(a)) ||
        attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '').getTime() < Date.now()) ||
        value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const b: Browser = {
    jar,
    async request(method, url, opts = {}) {
      const u = new URL(url, base);
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (jar.size) headers.cookie = cookieHeader();
      let body: string | undefined;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      } else if (opts.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(opts.form).toString();
      }
      let status: number;
      let location: string | null;
      let text: string;
      if (app) {
        headers.host = u.host;
        const res = await app.inject({
          method: method as 'GET',
          url: `${u.pathname}${u.search}`,
          headers,
          ...(body === undefined ? {} : { payload: body }),
        });
        const sc = res.headers['set-cookie'];
        keep(sc === undefined ? [] : Array.isArray(sc) ? sc : [sc]);
        status = res.statusCode;
        location = (res.headers.location as string | undefined) ?? null;
        text = res.body;
      } else {
        const res = await fetch(u, { method, headers, body, redirect: 'manual' });
        keep(res.headers.getSetCookie());
        status = res.status;
        location = res.headers.get('location');
        text = await res.text();
      }
      return {
        status,
        location: location ? new URL(location, u).toString() : null,
        body: text,
        json: <T>() => JSON.parse(text) as T,
      };
    },
    async csrf() {
      return (await b.request('GET', '/api/v1/auth/csrf')).json<{ token: string }>().token;
    },
    async login(username, password = 'demo') {
      const res = await b.request('POST', '/api/v1/auth/login', {
        json: { username, password },
        headers: { 'x-csrf-token': await b.csrf() },
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.body}`);
    },
  };
  return b;
}

export interface AuthorizeOutcome {
  /** The URL the provider sent the browser back to (the client's redirect URI with code or error). */
  callback: URL;
  /** Prompts the SPA was shown, in order. */
  prompts: string[];
}

/**
 * Follows an authorization request like a browser with the SPA: every interaction is completed
 * through the interaction API (login with the current TinhSo session, consent when `consent` allows).
 */
export async function authorize(
  b: Browser,
  authUrl: string | URL,
  redirectUri: string,
  opts: { consent?: boolean } = {},
): Promise<AuthorizeOutcome> {
  const prompts: string[] = [];
  let url = String(authUrl);
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(redirectUri)) return { callback: new URL(url), prompts };
    const u = new URL(url);
    if (u.pathname === '/login' && u.searchParams.get('interaction')) {
      const uid = u.searchParams.get('interaction') as string;
      const info = await b.request('GET', `/api/v1/sso/interactions/${uid}`);
      if (info.status !== 200) throw new Error(`interaction ${uid}: ${info.status} ${info.body}`);
      const prompt = info.json<{ prompt: string }>().prompt;
      prompts.push(prompt);
      const action = prompt === 'login' ? 'login' : opts.consent === false ? 'abort' : 'consent';
      const done = await b.request('POST', `/api/v1/sso/interactions/${uid}/${action}`, {
        json: {},
        headers: { 'x-csrf-token': await b.csrf() },
      });
      if (done.status !== 200) throw new Error(`interaction ${action}: ${done.status} ${done.body}`);
      url = new URL(done.json<{ redirectTo: string }>().redirectTo, u).toString();
      continue;
    }
    const res = await b.request('GET', url);
    if (!res.location) throw new Error(`no redirect from ${u.pathname}: ${res.status} ${res.body.slice(0, 500)}`);
    url = res.location;
  }
  throw new Error('too many redirects');
}
