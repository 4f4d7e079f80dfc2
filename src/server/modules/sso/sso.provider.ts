/**
 * The OIDC provider (oidc-provider 9) configured for TinhSo: database storage, signing keys from
 * `sso_keys`, TinhSo's own login and consent pages (the SPA), scope-gated claims, Vietnamese pages,
 * and an audit entry for every grant and token issue. The instance is rebuilt when the keys rotate.
 */
import type { IncomingMessage } from 'node:http';
import Provider, { type Configuration, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import type { ClaimsSource } from '../identity';
import { adapterFactory } from './sso.adapter';
import { cookieKeys } from './sso.crypto';
import { ensureKeys, keysFingerprint, loadJwks } from './sso.keys';
import { htmlPage } from './sso.pages';
import type { SsoRepo } from './sso.repo';

export const OIDC_PREFIX = '/oidc';
export const ALLOWED_SCOPES = [
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

export const TTL = { accessToken: 10 * 60, idToken: 60 * 60, refreshToken: 14 * 24 * 3600, grant: 365 * 24 * 3600 };

/** The browser's TinhSo session, attached to the raw request before oidc-provider sees it. */
export const BROWSER = Symbol('tinhso.browser');
export interface BrowserSession {
  accountId: string | null;
  sessionId: string | null;
  ip: string | null;
  requestId: string | null;
}

export const issuerOf = (config: Config) => `${config.publicUrl}${OIDC_PREFIX}`;

export const isFirstParty = (client: { metadata(): Record<string, unknown> } | undefined) => client?.metadata().tinhso_first_party === true;

export interface ProviderDeps {
  db: Database;
  config: Config;
  claims: ClaimsSource;
  repo: SsoRepo;
}

function browserOf(ctx: KoaContextWithOIDC): BrowserSession | undefined {
  return (ctx.req as IncomingMessage & { [BROWSER]?: BrowserSession })[BROWSER];
}

/** The OP session must never outlive (or belong to another account than) the browser's TinhSo session. */
const tinhsoSessionCheck = new interactionPolicy.Check(
  'tinhso_session',
  'Phiên đăng nhập TinhSo đã kết thúc hoặc thuộc tài khoản khác',
  'login_required',
  (ctx) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // no_session asks already
    if (ctx.oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // just signed in through the SPA
    const browser = browserOf(ctx);
    return browser?.accountId === accountId ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
  },
);

function policy() {
  const p = interactionPolicy.base();
  p.get('login')?.checks.add(tinhsoSessionCheck, 1);
  return p;
}

function auditContext(accountId: string | null | undefined, clientId: string | undefined, ctx?: KoaContextWithOIDC): RequestContext {
  const b = ctx ? browserOf(ctx) : undefined;
  return {
    actor: { kind: 'system', accountId: accountId ?? null, label: clientId ? `sso-client:${clientId}` : 'sso', grants: [] },
    ip: b?.ip ?? null,
    requestId: b?.requestId ?? null,
  };
}

export async function buildProvider(deps: ProviderDeps): Promise<Provider> {
  const { db, config, claims, repo } = deps;
  const jwks = await loadJwks(db, config);
  const configuration: Configuration = {
    adapter: adapterFactory(db, config),
    jwks: { keys: jwks.keys as NonNullable<Configuration['jwks']>['keys'] },
    cookies: {
      keys: cookieKeys(config.sso.cookieKeys, config.sessionSecret),
      // `secure` follows the request (HTTPS behind the proxy in production).
      long: { httpOnly: true, sameSite: 'lax' },
      // path '/': the `_interaction` cookie (the interaction's uid) also reaches /api/v1/sso/interactions/*,
      // which only serves the interaction to the browser that started it.
      short: { httpOnly: true, sameSite: 'lax', path: '/' },
    },
    scopes: [...ALLOWED_SCOPES],
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      iss: null,
      // acr/amr (how the TinhSo session was established) in every ID token, not only when requested.
      openid: ['sub', 'acr', 'amr'],
      profile: ['name'],
      email: ['email'],
      phone: ['phone_number'],
      'tinhso:id_number': ['tinhso:id_number'],
      'tinhso:assurance_level': ['tinhso:assurance_level'],
      'tinhso:agency': ['tinhso:agency'],
      'tinhso:roles': ['tinhso:roles'],
    },
    acrValues: ['urn:tinhso:loa:1', 'urn:tinhso:loa:2', 'urn:tinhso:loa:3'],
    extraClientMetadata: { properties: ['tinhso_first_party'] },
    async findAccount(_ctx, sub, token) {
      const scope = new Set(String((token as { scope?: string } | undefined)?.scope ?? '').split(' '));
      const all = !token; // the ID token: oidc-provider filters the claims by the granted scopes
      const c = await claims.claims(sub, {
        idNumber: all || scope.has('tinhso:id_number'),
        assurance: all || scope.has('tinhso:assurance_level'),
        agency: all || scope.has('tinhso:agency'),
        roles: all || scope.has('tinhso:roles'),
      });
      if (!c) return undefined;
      return {
        accountId: sub,
        claims: async () => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined && v !== null)) as { sub: string },
      };
    },
    async loadExistingGrant(ctx) {
      const { client, session, provider } = ctx.oidc;
      const accountId = ctx.oidc.account?.accountId ?? session?.accountId;
      if (!client || !accountId) return undefined;
      const grantId =
        ctx.oidc.result?.consent?.grantId || session?.grantIdFor(client.clientId) || (await repo.latestGrantId(accountId, client.clientId));
      let grant = grantId ? await provider.Grant.find(grantId) : undefined;
      if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
      if (!isFirstParty(client)) return grant;
      // First-party applications (the TinhSo web app) are consented to by the province itself.
      grant ??= new provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      const wanted = ctx.oidc.requestParamClaims;
      if (wanted.size) grant.addOIDCClaims([...wanted]);
      await grant.save();
      return grant;
    },
    interactions: {
      policy: policy(),
      url: (_ctx, interaction) => `/login?interaction=${encodeURIComponent(interaction.uid)}`,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
          ctx.body = htmlPage(
            'Đăng xuất',
            `<h1>Đăng xuất khỏi TinhSo?</h1>
             <p>${client ? `Ứng dụng <strong>${esc(client)}</strong> yêu cầu đăng xuất.` : 'Một ứng dụng yêu cầu đăng xuất.'}
             Bạn có muốn đăng xuất khỏi phiên đăng nhập một lần (SSO) của tỉnh không?</p>
             ${form}
             <div class="actions">
               <button type="submit" form="op.logoutForm" value="yes" name="logout" autofocus>Có, đăng xuất</button>
               <button type="submit" form="op.logoutForm" class="secondary">Không, giữ đăng nhập</button>
             </div>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
          ctx.body = htmlPage(
            'Đã đăng xuất',
            `<h1>Bạn đã đăng xuất</h1><p>${client ? `Đã đăng xuất khỏi ${esc(client)}. ` : ''}<a href="/">Về trang chủ TinhSo</a></p>`,
          );
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = htmlPage(
        'Có lỗi xảy ra',
        `<h1>Không thực hiện được yêu cầu đăng nhập</h1>
         <p>Ứng dụng đã gửi một yêu cầu không hợp lệ hoặc yêu cầu đã hết hạn. Vui lòng quay lại ứng dụng và thử lại.</p>
         <p class="code">Mã lỗi: <code>${esc(String(out.error ?? 'server_error'))}</code>${
           out.error_description ? ` — ${esc(String(out.error_description))}` : ''
         }</p>
         <p><a href="/">Về trang chủ TinhSo</a></p>`,
      );
    },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || isFirstParty(client)),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: TTL.accessToken,
      AuthorizationCode: 60,
      ClientCredentials: TTL.accessToken,
      IdToken: TTL.idToken,
      RefreshToken: TTL.refreshToken,
      Interaction: 60 * 60,
      Session: config.sessionTtlHours * 3600,
      Grant: TTL.grant,
    },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((u) => {
        try {
          return new URL(u).origin === origin;
        } catch {
          return false;
        }
      }) ?? false,
    conformIdTokenClaims: true,
    responseTypes: ['code'],
    enabledJWA: { authorizationSigningAlgValues: ['RS256', 'ES256'], idTokenSigningAlgValues: ['RS256', 'ES256'] },
  };
  const provider = new Provider(issuerOf(config), configuration);
  provider.proxy = config.production;
  attachAudit(provider, db);
  return provider;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Pending audit writes (tests wait for them; failures are logged, never thrown at the protocol). */
export const pendingAudits = new Set<Promise<void>>();

function attachAudit(provider: Provider, db: Database) {
  const write = (ctx: RequestContext, action: string, targetId: string | null, details: Record<string, unknown>) => {
    const p: Promise<void> = db.orm
      .transaction((tx) => recordAudit(tx, ctx, { action, targetType: 'sso_client', targetId, details }))
      .catch((err: unknown) => console.error(`Không ghi được nhật ký SSO (${action}):`, err instanceof Error ? err.message : err))
      .finally(() => pendingAudits.delete(p));
    pendingAudits.add(p);
  };
  // Token endpoint: every successful grant (code, refresh, client credentials) — the kinds issued, never values.
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const e = ctx.oidc.entities;
    const token = e.AccessToken ?? e.ClientCredentials;
    const issued = [
      e.AccessToken && 'access_token',
      e.ClientCredentials && 'access_token',
      e.RefreshToken && 'refresh_token',
      e.IdToken && 'id_token',
    ]
      .filter(Boolean)
      .concat(ctx.oidc.entities.RotatedRefreshToken ? ['refresh_token_rotated'] : []);
    write(
      auditContext(e.Account?.accountId ?? null, ctx.oidc.client?.clientId, ctx),
      'sso.token_issued',
      ctx.oidc.client?.clientId ?? null,
      {
        grantType: ctx.oidc.params?.grant_type,
        issued: [...new Set(issued)],
        scope: token?.scope ?? null,
        grantId: (token as { grantId?: string } | undefined)?.grantId ?? null,
      },
    );
  });
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    write(
      auditContext(ctx.oidc.session?.accountId, ctx.oidc.client?.clientId, ctx),
      'sso.authorization_code_issued',
      ctx.oidc.client?.clientId ?? null,
      {
        scope: ctx.oidc.params?.scope ?? null,
        grantId: ctx.oidc.entities.Grant?.jti ?? null,
        acr: ctx.oidc.session?.acr ?? null,
      },
    );
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    write(
      auditContext(ctx.oidc.session?.accountId ?? null, ctx.oidc.client?.clientId, ctx),
      'sso.grant_revoked',
      ctx.oidc.client?.clientId ?? null,
      {
        grantId,
        via: ctx.oidc.route,
      },
    );
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    write(
      auditContext(ctx.oidc.session?.accountId ?? null, ctx.oidc.client?.clientId, ctx),
      'sso.logout',
      ctx.oidc.client?.clientId ?? null,
      {},
    );
  });
  provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => {
    console.error('Lỗi máy chủ OIDC:', err.message);
  });
}

/**
 * Holds the current provider. `refresh()` rebuilds it when the signing keys changed (a rotation here or
 * in another process — checked at most every KEY_CHECK_MS).
 */
export interface ProviderHolder {
  readonly provider: Provider;
  handler(): ReturnType<Provider['callback']>;
  rebuild(): Promise<void>;
  refreshIfKeysChanged(): Promise<void>;
}

const KEY_CHECK_MS = 30_000;

export async function providerHolder(deps: ProviderDeps): Promise<ProviderHolder> {
  await ensureKeys(deps.db, deps.config);
  let fingerprint = await keysFingerprint(deps.db);
  let provider = await buildProvider(deps);
  let callback = provider.callback();
  let checkedAt = Date.now();
  let rebuilding: Promise<void> | null = null;
  const holder: ProviderHolder = {
    get provider() {
      return provider;
    },
    handler: () => callback,
    async rebuild() {
      fingerprint = await keysFingerprint(deps.db);
      provider = await buildProvider(deps);
      callback = provider.callback();
      checkedAt = Date.now();
    },
    async refreshIfKeysChanged() {
      if (Date.now() - checkedAt < KEY_CHECK_MS) return;
      checkedAt = Date.now();
      rebuilding ??= (async () => {
        try {
          if ((await keysFingerprint(deps.db)) !== fingerprint) await holder.rebuild();
        } finally {
          rebuilding = null;
        }
      })();
      await rebuilding;
    },
  };
  return holder;
}
