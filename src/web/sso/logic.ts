/**
 * Pure pieces of the single sign-on screens (no React, no DOM beyond what is passed in), so they can be
 * unit-tested: where the browser is sent, which scopes exist and how client forms are checked.
 */

/** Scopes a client may ask for (contract: SSO-server). */
export const SSO_SCOPES = [
  'openid',
  'profile',
  'email',
  'phone',
  'offline_access',
  'tinhso:id_number',
  'tinhso:assurance_level',
  'tinhso:agency',
  'tinhso:roles',
] as const;

export const SSO_CLIENT_KINDS = ['confidential', 'public', 'machine'] as const;

/** i18n key of a scope's plain-language description ("tinhso:id_number" → "sso.scopes.tinhso_id_number"). */
export const scopeKey = (scope: string): string => `sso.scopes.${scope.replace(/[^a-zA-Z0-9_]/g, '_')}`;

/** Scopes worth telling the person about on the consent screen (openid is the sign-in itself). */
export function consentScopes(scopes: readonly string[]): string[] {
  const known = new Set<string>(SSO_SCOPES);
  return [...new Set(scopes)].filter((s) => s !== 'openid' && known.has(s));
}

/** Only same-site paths are followed after sign-in (no open redirect); never back to /login itself. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next.startsWith('/login') ? null : next;
}

/** The server route that starts the web app's own OIDC sign-in. */
export const ssoStartUrl = (next: string | null | undefined): string => `/auth/sso/start?next=${encodeURIComponent(safeNext(next) ?? '/')}`;

/** The VNeID button: back to `next` (an OIDC interaction page or a path in the app) afterwards. */
export function vneidStartUrl(opts: { interaction?: string | null; next?: string | null }): string {
  const back = opts.interaction ? `/login?interaction=${encodeURIComponent(opts.interaction)}` : (safeNext(opts.next) ?? '/');
  return `/auth/vneid/start?next=${encodeURIComponent(back)}`;
}

const VNEID_ERRORS = ['unavailable', 'state', 'denied', 'failed', 'id_number', 'staff', 'disabled', 'conflict'];

/** `?error=vneid_<code>` (set by /auth/vneid/callback) → the i18n key of its explanation, or null. */
export function vneidErrorKey(error: string | null | undefined): string | null {
  if (!error?.startsWith('vneid_')) return null;
  const code = error.slice('vneid_'.length);
  return `sso.vneid.errors.${VNEID_ERRORS.includes(code) ? code : 'failed'}`;
}

export type StartCheck = { ok: true } | { ok: false; status: number; detail?: string };

/**
 * Asks the start route without following it: a redirect means the provider is there and the browser
 * may go; anything else (an error, the SPA's own page because the route does not exist, no network)
 * means the person must be told and offered the local form instead.
 */
export async function checkSsoStart(url: string, doFetch: typeof fetch = fetch): Promise<StartCheck> {
  try {
    const res = await doFetch(url, { method: 'GET', redirect: 'manual', credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) return { ok: true };
    let detail: string | undefined;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      const body = (await res.json().catch(() => null)) as { title?: string; detail?: string } | null;
      detail = body?.detail ?? body?.title;
    }
    return { ok: false, status: res.status, detail };
  } catch {
    return { ok: false, status: 0 };
  }
}

/**
 * Loop guard: the SPA sends the browser to the provider at most once in a short while; if it comes back
 * to a bare /login without being signed in, something went wrong and the page shows the form instead.
 */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const GUARD_KEY = 'tinhso.sso.started';
export const GUARD_MS = 60_000;

export const startGuard = {
  recent(store: KeyValueStore | null, now = Date.now()): boolean {
    try {
      const at = Number(store?.getItem(GUARD_KEY) ?? 0);
      return at > 0 && now - at < GUARD_MS;
    } catch {
      return false;
    }
  },
  mark(store: KeyValueStore | null, now = Date.now()): void {
    try {
      store?.setItem(GUARD_KEY, String(now));
    } catch {
      // storage unavailable: no guard, the server still ends loops
    }
  },
  clear(store: KeyValueStore | null): void {
    try {
      store?.removeItem(GUARD_KEY);
    } catch {
      // ignore
    }
  },
};

/** Splits a textarea into trimmed, non-empty, distinct lines. */
export function lines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

/** Why a redirect URI is refused (an i18n key), or null when it is fine. */
export function uriProblem(uri: string): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'sso.validation.uriInvalid';
  }
  if (u.hash) return 'sso.validation.uriFragment';
  if (u.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return 'sso.validation.uriHttps';
  if (u.protocol !== 'https:' && u.protocol !== 'http:' && !/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(u.protocol))
    return 'sso.validation.uriInvalid';
  return null;
}

export interface ClientFormValues extends Record<string, unknown> {
  name: string;
  kind: (typeof SSO_CLIENT_KINDS)[number];
  redirectUris: string;
  postLogoutRedirectUris: string;
  scopes: string[];
  firstParty: boolean;
}

/** Checks a client form; values are i18n keys (with `{ uri }` where one URI is at fault). */
export function validateClient(v: ClientFormValues): Record<string, { key: string; uri?: string; count?: number }> {
  const out: Record<string, { key: string; uri?: string; count?: number }> = {};
  const name = v.name.trim();
  if (!name) out.name = { key: 'validation.required' };
  else if (name.length > 200) out.name = { key: 'validation.maxLength', count: 200 };
  if (!SSO_CLIENT_KINDS.includes(v.kind)) out.kind = { key: 'validation.required' };
  const redirect = lines(v.redirectUris);
  const postLogout = lines(v.postLogoutRedirectUris);
  if (v.kind === 'machine') {
    if (redirect.length > 0) out.redirectUris = { key: 'sso.validation.machineNoRedirect' };
    if (postLogout.length > 0) out.postLogoutRedirectUris = { key: 'sso.validation.machineNoRedirect' };
  } else {
    if (redirect.length === 0) out.redirectUris = { key: 'sso.validation.redirectRequired' };
    for (const [field, list] of [
      ['redirectUris', redirect],
      ['postLogoutRedirectUris', postLogout],
    ] as const) {
      if (out[field]) continue;
      for (const uri of list) {
        const p = uriProblem(uri);
        if (p) {
          out[field] = { key: p, uri };
          break;
        }
      }
    }
    if (!v.scopes.includes('openid')) out.scopes = { key: 'sso.validation.openidRequired' };
  }
  if (v.scopes.some((s) => !(SSO_SCOPES as readonly string[]).includes(s))) out.scopes = { key: 'sso.validation.scopeUnknown' };
  return out;
}

/** The API body for a form. Machine clients have no browser redirects. */
export function clientInput(v: ClientFormValues) {
  const machine = v.kind === 'machine';
  return {
    name: v.name.trim(),
    kind: v.kind,
    redirectUris: machine ? [] : lines(v.redirectUris),
    postLogoutRedirectUris: machine ? [] : lines(v.postLogoutRedirectUris),
    scopes: SSO_SCOPES.filter((s) => v.scopes.includes(s)),
    firstParty: v.firstParty,
  };
}
