/** The pure parts of the SSO screens: where the browser goes, loop guard, scopes, client form checks. */
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import vi from '../i18n/vi.json';
import {
  type ClientFormValues,
  checkSsoStart,
  clientInput,
  consentScopes,
  type KeyValueStore,
  lines,
  SSO_SCOPES,
  safeNext,
  scopeKey,
  ssoStartUrl,
  startGuard,
  uriProblem,
  validateClient,
  vneidErrorKey,
  vneidStartUrl,
} from './logic';

describe('safeNext', () => {
  it('keeps same-site paths only and never /login', () => {
    expect(safeNext('/my-dossiers?x=1')).toBe('/my-dossiers?x=1');
    expect(safeNext('//evil.example/')).toBeNull();
    expect(safeNext('/\\evil.example')).toBeNull();
    expect(safeNext('https://evil.example/')).toBeNull();
    expect(safeNext('/login?interaction=abc')).toBeNull();
    expect(safeNext(null)).toBeNull();
    expect(safeNext('')).toBeNull();
  });
});

describe('start URLs', () => {
  it('starts the app sign-in with an encoded next, defaulting to /', () => {
    expect(ssoStartUrl('/office?view=mine&x=1')).toBe('/auth/sso/start?next=%2Foffice%3Fview%3Dmine%26x%3D1');
    expect(ssoStartUrl(null)).toBe('/auth/sso/start?next=%2F');
    expect(ssoStartUrl('https://evil.example')).toBe('/auth/sso/start?next=%2F');
  });

  it('VNeID returns to the interaction page, or to next', () => {
    expect(vneidStartUrl({ interaction: 'Ab_9-x' })).toBe(`/auth/vneid/start?next=${encodeURIComponent('/login?interaction=Ab_9-x')}`);
    expect(vneidStartUrl({ interaction: null, next: '/my-dossiers' })).toBe('/auth/vneid/start?next=%2Fmy-dossiers');
    expect(vneidStartUrl({ next: '//evil' })).toBe('/auth/vneid/start?next=%2F');
  });
});

describe('vneidErrorKey', () => {
  it('maps the callback error codes, unknown ones to "failed", others to null', () => {
    expect(vneidErrorKey('vneid_denied')).toBe('sso.vneid.errors.denied');
    expect(vneidErrorKey('vneid_staff')).toBe('sso.vneid.errors.staff');
    expect(vneidErrorKey('vneid_whatever')).toBe('sso.vneid.errors.failed');
    expect(vneidErrorKey('access_denied')).toBeNull();
    expect(vneidErrorKey(null)).toBeNull();
  });
});

describe('checkSsoStart', () => {
  const fake =
    (res: Response | Error): typeof fetch =>
    async () => {
      if (res instanceof Error) throw res;
      return res;
    };

  it('a redirect (opaque, as the browser gives it with redirect: manual) means go', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers() } as unknown as Response;
    expect(await checkSsoStart('/auth/sso/start?next=%2F', fake(opaque))).toEqual({ ok: true });
    expect(await checkSsoStart('/x', fake(new Response(null, { status: 302, headers: { location: '/oidc/auth' } })))).toEqual({ ok: true });
  });

  it('asks with redirect: manual and same-origin credentials', async () => {
    let seen: RequestInit | undefined;
    await checkSsoStart('/auth/sso/start', async (_u, init) => {
      seen = init;
      return new Response(null, { status: 302 });
    });
    expect(seen?.redirect).toBe('manual');
    expect(seen?.credentials).toBe('same-origin');
  });

  it('a problem answer is reported with its detail', async () => {
    const res = new Response(JSON.stringify({ title: 'Lỗi', detail: 'Máy chủ định danh chưa sẵn sàng.' }), {
      status: 503,
      headers: { 'content-type': 'application/problem+json' },
    });
    expect(await checkSsoStart('/x', fake(res))).toEqual({ ok: false, status: 503, detail: 'Máy chủ định danh chưa sẵn sàng.' });
  });

  it('the SPA page (route missing) and network failures are not a go', async () => {
    const html = new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } });
    expect(await checkSsoStart('/x', fake(html))).toEqual({ ok: false, status: 200, detail: undefined });
    expect(await checkSsoStart('/x', fake(new TypeError('Failed to fetch')))).toEqual({ ok: false, status: 0 });
  });
});

describe('startGuard', () => {
  const memory = (): KeyValueStore => {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  };

  it('is recent for a minute after marking, then not; clear forgets it', () => {
    const s = memory();
    expect(startGuard.recent(s, 1_000)).toBe(false);
    startGuard.mark(s, 1_000);
    expect(startGuard.recent(s, 30_000)).toBe(true);
    expect(startGuard.recent(s, 62_000)).toBe(false);
    startGuard.mark(s, 100_000);
    startGuard.clear(s);
    expect(startGuard.recent(s, 100_001)).toBe(false);
  });

  it('survives storage that throws or is missing', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => startGuard.mark(broken)).not.toThrow();
    expect(startGuard.recent(broken)).toBe(false);
    expect(startGuard.recent(null)).toBe(false);
  });
});

describe('scopes', () => {
  it('consent lists known scopes once, without openid', () => {
    expect(consentScopes(['openid', 'profile', 'email', 'profile', 'weird', 'tinhso:id_number'])).toEqual([
      'profile',
      'email',
      'tinhso:id_number',
    ]);
  });

  it('every scope has a plain-language label in both languages', () => {
    const get = (tree: unknown, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], tree);
    for (const s of SSO_SCOPES) {
      expect(typeof get(vi, scopeKey(s)), s).toBe('string');
      expect(typeof get(en, scopeKey(s)), s).toBe('string');
    }
    expect(get(vi, scopeKey('tinhso:id_number'))).toMatch(/CCCD/);
    expect(get(vi, scopeKey('profile'))).toBe('Họ tên');
  });
});

describe('client form', () => {
  const base: ClientFormValues = {
    name: 'Cổng dịch vụ công huyện',
    kind: 'confidential',
    redirectUris: 'https://app.example.vn/callback\n\n  https://app.example.vn/callback  \nhttp://localhost:3000/cb',
    postLogoutRedirectUris: '',
    scopes: ['openid', 'profile'],
    firstParty: false,
  };

  it('lines trims, drops blanks and duplicates', () => {
    expect(lines(base.redirectUris)).toEqual(['https://app.example.vn/callback', 'http://localhost:3000/cb']);
  });

  it('accepts a good client and builds the API body', () => {
    expect(validateClient(base)).toEqual({});
    expect(clientInput({ ...base, scopes: ['profile', 'openid'] })).toEqual({
      name: 'Cổng dịch vụ công huyện',
      kind: 'confidential',
      redirectUris: ['https://app.example.vn/callback', 'http://localhost:3000/cb'],
      postLogoutRedirectUris: [],
      scopes: ['openid', 'profile'],
      firstParty: false,
    });
  });

  it('refuses a missing name, no redirect URI, bad URIs and no openid', () => {
    expect(validateClient({ ...base, name: '  ' }).name?.key).toBe('validation.required');
    expect(validateClient({ ...base, redirectUris: ' \n ' }).redirectUris?.key).toBe('sso.validation.redirectRequired');
    expect(validateClient({ ...base, redirectUris: 'not a url' }).redirectUris).toEqual({
      key: 'sso.validation.uriInvalid',
      uri: 'not a url',
    });
    expect(validateClient({ ...base, redirectUris: 'http://app.example.vn/cb' }).redirectUris?.key).toBe('sso.validation.uriHttps');
    expect(validateClient({ ...base, postLogoutRedirectUris: 'https://a.vn/x#y' }).postLogoutRedirectUris?.key).toBe(
      'sso.validation.uriFragment',
    );
    expect(validateClient({ ...base, scopes: ['profile'] }).scopes?.key).toBe('sso.validation.openidRequired');
    expect(validateClient({ ...base, scopes: ['openid', 'admin:all'] }).scopes?.key).toBe('sso.validation.scopeUnknown');
  });

  it('machine clients take no redirect URIs and need no openid', () => {
    const machine = { ...base, kind: 'machine' as const, scopes: [] };
    expect(validateClient(machine).redirectUris?.key).toBe('sso.validation.machineNoRedirect');
    expect(validateClient({ ...machine, redirectUris: '' })).toEqual({});
    expect(clientInput({ ...machine, redirectUris: 'https://x.vn/cb' }).redirectUris).toEqual([]);
  });

  it('uriProblem allows app schemes for native apps but not javascript:', () => {
    expect(uriProblem('vn.gov.daklak.app:/callback')).toBeNull();
    expect(uriProblem('javascript:alert(1)')).toBe('sso.validation.uriInvalid');
    expect(uriProblem('http://127.0.0.1:8080/cb')).toBeNull();
  });
});
