/**
 * A fetch for openid-client (its `customFetch`) that sends requests for this app's own origin — optionally
 * only under `prefix` — through `app.inject`: the app talks OIDC to itself (its /oidc provider, the VNeID
 * sandbox) without a network hop and whatever port it listens on. Other URLs go to the real fetch.
 */
import type * as oidc from 'openid-client';
import type { App } from './types';

function payloadOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : (body as Uint8Array));
}

export function inProcessFetch(app: App, publicUrl: string, prefix = ''): oidc.CustomFetch {
  const own = new URL(publicUrl).origin;
  return async (url, options) => {
    const u = new URL(url);
    if (u.origin !== own || !u.pathname.startsWith(prefix)) return fetch(url, options as RequestInit);
    const headers: Record<string, string> = {};
    new Headers(options.headers as HeadersInit).forEach((v, k) => {
      headers[k] = v;
    });
    headers.host = u.host;
    headers['x-forwarded-proto'] = u.protocol.slice(0, -1);
    const payload = payloadOf(options.body);
    const res = await app.inject({
      method: options.method as 'GET',
      url: `${u.pathname}${u.search}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [String(v)]) out.append(k, one);
    }
    const empty = res.statusCode === 204 || res.statusCode === 304 || options.method === 'HEAD';
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out });
  };
}
