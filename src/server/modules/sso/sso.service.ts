/**
 * SSO use cases: client applications (admin), connected apps (own grants), the login/consent
 * interactions of the SPA, and key rotation.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { requireAccess, requireSignedIn } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { type FieldError, Problem, problems } from '../../platform/http/problem';
import type { ClaimsSource } from '../identity';
import { encrypt, newClientSecret } from './sso.crypto';
import { rotateSigningKeys } from './sso.keys';
import { ALLOWED_SCOPES, type ProviderHolder } from './sso.provider';
import { type ClientKind, type GrantPayload, SECRET_PURPOSE, type SsoClient, type SsoClientRow, ssoRepo, toClient } from './sso.repo';

export const WEB_CLIENT_ID = 'tinhso-web';
export const DEMO_CLIENT_ID = 'demo-app';
/** Documented in docs/sso.md and used by examples/sso-client; only ever created in demo mode. */
export const DEMO_CLIENT_SECRET = 'demo-app-secret-chi-dung-cho-demo';

export interface ClientInput {
  clientId?: string;
  name: string;
  kind: ClientKind;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  firstParty?: boolean;
}

export type ClientPatch = Partial<Omit<ClientInput, 'clientId' | 'kind'>> & { status?: 'active' | 'disabled' };

const interactionNotFound = () =>
  new Problem(404, 'interaction_not_found', 'Phiên đăng nhập ứng dụng đã hết hạn', 'Vui lòng quay lại ứng dụng và đăng nhập lại.');

const epochNow = () => Math.floor(Date.now() / 1000);

/** Redirect URIs: absolute https, http only for localhost (or outside production), no fragment. */
export function checkRedirectUris(uris: string[], field: string, production: boolean): FieldError[] {
  const errors: FieldError[] = [];
  uris.forEach((raw, i) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      errors.push({
        field: `${field}/${i}`,
        message: 'Địa chỉ không hợp lệ (cần địa chỉ đầy đủ, ví dụ https://ungdung.example.vn/callback).',
      });
      return;
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (raw.includes('#')) errors.push({ field: `${field}/${i}`, message: 'Địa chỉ chuyển hướng không được chứa phần “#…”.' });
    else if (u.protocol === 'http:' && production && !local)
      errors.push({ field: `${field}/${i}`, message: 'Phải dùng https (http chỉ được phép với localhost).' });
    else if (u.protocol !== 'https:' && u.protocol !== 'http:')
      errors.push({ field: `${field}/${i}`, message: 'Chỉ chấp nhận địa chỉ http(s).' });
    else if (u.username || u.password) errors.push({ field: `${field}/${i}`, message: 'Địa chỉ không được chứa tên đăng nhập/mật khẩu.' });
  });
  return errors;
}

export function ssoService(deps: { db: Database; config: Config; holder: ProviderHolder; claims: ClaimsSource }) {
  const { db, config, holder, claims } = deps;
  const repo = ssoRepo(db);
  const tx = <T>(fn: (t: Orm) => Promise<T>) => db.orm.transaction(fn);

  function validate(input: ClientInput | (ClientPatch & { kind: ClientKind }), creating: boolean) {
    const errors: FieldError[] = [];
    if (
      creating &&
      (input as ClientInput).clientId !== undefined &&
      !/^[a-z0-9][a-z0-9._-]{2,63}$/.test((input as ClientInput).clientId ?? '')
    ) {
      errors.push({ field: '/clientId', message: 'Mã ứng dụng gồm 3–64 ký tự thường: a–z, 0–9, dấu chấm, gạch ngang, gạch dưới.' });
    }
    if (input.name !== undefined && !input.name.trim()) errors.push({ field: '/name', message: 'Hãy nhập tên ứng dụng.' });
    const machine = input.kind === 'machine';
    if (input.redirectUris) errors.push(...checkRedirectUris(input.redirectUris, '/redirectUris', config.production));
    if (input.postLogoutRedirectUris)
      errors.push(...checkRedirectUris(input.postLogoutRedirectUris, '/postLogoutRedirectUris', config.production));
    if (creating && !machine && !input.redirectUris?.length)
      errors.push({ field: '/redirectUris', message: 'Cần ít nhất một địa chỉ chuyển hướng.' });
    if (!creating && !machine && input.redirectUris && !input.redirectUris.length) {
      errors.push({ field: '/redirectUris', message: 'Cần ít nhất một địa chỉ chuyển hướng.' });
    }
    for (const [i, s] of (input.scopes ?? []).entries()) {
      if (!(ALLOWED_SCOPES as readonly string[]).includes(s))
        errors.push({ field: `/scopes/${i}`, message: `Phạm vi “${s}” không được hỗ trợ.` });
      if (machine && s === 'openid')
        errors.push({ field: `/scopes/${i}`, message: 'Ứng dụng máy chủ (client credentials) không đăng nhập người dùng: bỏ “openid”.' });
    }
    if (!machine && input.scopes && !input.scopes.includes('openid'))
      errors.push({ field: '/scopes', message: 'Phạm vi phải gồm “openid”.' });
    if (errors.length) throw problems.validation(errors);
  }

  async function clientRow(clientId: string, t?: Orm): Promise<SsoClientRow> {
    const c = await repo.get(clientId, t);
    if (!c) throw problems.notFound('Không tìm thấy ứng dụng.');
    return c;
  }

  const reserved = (clientId: string) => {
    if (clientId === WEB_CLIENT_ID) {
      throw problems.conflict(
        'client_reserved',
        'Ứng dụng hệ thống',
        'Ứng dụng web TinhSo được cấu hình tự động khi khởi động; không sửa hay vô hiệu hóa được.',
      );
    }
  };

  /**
   * The interaction, only for the browser that started it (its `_interaction` cookie holds the uid): a uid sent
   * to someone else cannot be completed with their session and then resumed by the sender.
   */
  async function findInteraction(uid: string, browserUid: string | undefined) {
    if (!browserUid || browserUid !== uid) throw interactionNotFound();
    const i = await holder.provider.Interaction.find(uid);
    if (!i) throw interactionNotFound();
    return i;
  }

  const service = {
    repo,

    async listClients(ctx: RequestContext): Promise<SsoClient[]> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      return (await repo.list()).map(toClient);
    },

    async getClient(ctx: RequestContext, clientId: string): Promise<SsoClient> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      return toClient(await clientRow(clientId));
    },

    async createClient(ctx: RequestContext, input: ClientInput): Promise<SsoClient & { clientSecret?: string }> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      validate(input, true);
      const machine = input.kind === 'machine';
      const clientId = input.clientId ?? `app-${randomBytes(6).toString('hex')}`;
      const secret = input.kind === 'public' ? null : newClientSecret();
      const scopes = [...new Set(input.scopes ?? (machine ? [] : ['openid', 'profile']))];
      const row = await tx(async (t) => {
        const r = await repo.insert(t, {
          client_id: clientId,
          name: input.name.trim(),
          kind: input.kind,
          secret_enc: secret ? encrypt(secret, config.dataEncryptionKey, SECRET_PURPOSE) : null,
          redirect_uris: machine ? [] : [...new Set(input.redirectUris ?? [])],
          post_logout_redirect_uris: machine ? [] : [...new Set(input.postLogoutRedirectUris ?? [])],
          scopes,
          first_party: input.firstParty ?? false,
        });
        if (!r) throw problems.conflict('client_exists', 'Mã ứng dụng đã tồn tại', `Đã có ứng dụng với mã “${clientId}”.`);
        await recordAudit(t, ctx, {
          action: 'sso.client_created',
          targetType: 'sso_client',
          targetId: clientId,
          details: { kind: input.kind, scopes, firstParty: r.first_party, redirectUris: r.redirect_uris },
        });
        return r;
      });
      return { ...toClient(row), ...(secret ? { clientSecret: secret } : {}) };
    },

    async updateClient(ctx: RequestContext, clientId: string, patch: ClientPatch): Promise<SsoClient> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      reserved(clientId);
      const cur = await clientRow(clientId);
      validate({ ...patch, kind: cur.kind }, false);
      const machine = cur.kind === 'machine';
      const row = await tx(async (t) => {
        const r = await repo.update(t, clientId, {
          name: patch.name?.trim() ?? cur.name,
          redirect_uris: machine ? [] : patch.redirectUris ? [...new Set(patch.redirectUris)] : cur.redirect_uris,
          post_logout_redirect_uris: machine
            ? []
            : patch.postLogoutRedirectUris
              ? [...new Set(patch.postLogoutRedirectUris)]
              : cur.post_logout_redirect_uris,
          scopes: patch.scopes ? [...new Set(patch.scopes)] : cur.scopes,
          first_party: patch.firstParty ?? cur.first_party,
          status: patch.status ?? cur.status,
        });
        if (!r) throw problems.notFound('Không tìm thấy ứng dụng.');
        if (r.status === 'disabled' && cur.status !== 'disabled') await repo.revokeClientArtifacts(t, clientId);
        await recordAudit(t, ctx, {
          action: 'sso.client_updated',
          targetType: 'sso_client',
          targetId: clientId,
          details: { changed: Object.keys(patch).sort(), status: r.status },
        });
        return r;
      });
      return toClient(row);
    },

    /** Disables a client: its tokens and grants are revoked; the record stays (audit). */
    async disableClient(ctx: RequestContext, clientId: string): Promise<void> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      reserved(clientId);
      await clientRow(clientId);
      await tx(async (t) => {
        const cur = await clientRow(clientId, t);
        await repo.update(t, clientId, { ...cur, status: 'disabled' });
        await repo.revokeClientArtifacts(t, clientId);
        await recordAudit(t, ctx, { action: 'sso.client_disabled', targetType: 'sso_client', targetId: clientId });
      });
    },

    async rotateSecret(ctx: RequestContext, clientId: string): Promise<{ clientSecret: string }> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      const cur = await clientRow(clientId);
      if (cur.kind === 'public') {
        throw problems.badRequest(
          'public_client',
          'Ứng dụng công khai không có khóa bí mật',
          'Ứng dụng công khai (SPA, di động) dùng PKCE thay cho khóa bí mật.',
        );
      }
      const secret = newClientSecret();
      await tx(async (t) => {
        await repo.setSecret(t, clientId, encrypt(secret, config.dataEncryptionKey, SECRET_PURPOSE));
        await recordAudit(t, ctx, { action: 'sso.client_secret_rotated', targetType: 'sso_client', targetId: clientId });
      });
      return { clientSecret: secret };
    },

    async rotateKeys(ctx: RequestContext): Promise<{ kids: string[] }> {
      requireAccess(ctx.actor, 'sso.clients.manage');
      const kids = await rotateKeys(db, config, ctx);
      await holder.rebuild();
      return { kids };
    },

    async listGrants(ctx: RequestContext) {
      requireSignedIn(ctx.actor);
      const rows = await repo.grantsOf(ctx.actor.accountId);
      const items = [];
      for (const r of rows) {
        const c = await repo.get(r.client_id);
        if (c?.first_party) continue; // the province's own applications are not consents
        const p = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as GrantPayload;
        items.push({
          id: r.id,
          clientId: r.client_id,
          clientName: r.client_name ?? r.client_id,
          scopes: (p.openid?.scope ?? '').split(' ').filter(Boolean),
          createdAt: new Date(p.iat ? p.iat * 1000 : r.created_at).toISOString(),
        });
      }
      return items;
    },

    async revokeGrant(ctx: RequestContext, grantId: string): Promise<void> {
      requireSignedIn(ctx.actor);
      const owner = await repo.grantOwner(grantId);
      if (!owner || owner.account_id !== ctx.actor.accountId) throw problems.notFound('Không tìm thấy ứng dụng đã kết nối.');
      await tx(async (t) => {
        await repo.revokeGrant(t, grantId);
        await recordAudit(t, ctx, {
          action: 'sso.grant_revoked',
          targetType: 'sso_client',
          targetId: owner.client_id,
          details: { grantId },
        });
      });
    },

    // ---- Interactions (the SPA's login and consent pages) ----

    async interaction(ctx: RequestContext, uid: string, browserUid: string | undefined) {
      const i = await findInteraction(uid, browserUid);
      const client = await repo.get(String(i.params.client_id));
      if (!client || client.status !== 'active') throw interactionNotFound();
      const details = i.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      const requested = String(i.params.scope ?? '')
        .split(' ')
        .filter(Boolean);
      const { actor } = ctx;
      const signedIn = !!actor.accountId && !actor.pending && actor.kind !== 'anonymous';
      return {
        uid: i.uid,
        prompt: i.prompt.name === 'consent' ? ('consent' as const) : ('login' as const),
        client: { clientId: client.client_id, name: client.name, firstParty: client.first_party },
        scopes: i.prompt.name === 'consent' && details.missingOIDCScope ? details.missingOIDCScope : requested,
        claims: details.missingOIDCClaims ?? [],
        signedIn,
        account: signedIn && actor.accountId ? { displayName: (await claims.displayName(actor.accountId)) ?? actor.label } : null,
      };
    },

    async interactionLogin(ctx: RequestContext, uid: string, browserUid: string | undefined): Promise<{ redirectTo: string }> {
      const { actor } = ctx;
      if (!actor.accountId || !actor.sessionId || actor.pending || actor.kind === 'anonymous') throw problems.unauthorized();
      const s = await claims.sessionAssurance(actor.sessionId);
      if (!s || s.accountId !== actor.accountId) throw problems.unauthorized();
      const i = await findInteraction(uid, browserUid);
      if (i.session?.accountId && i.session.accountId !== s.accountId) {
        // Another account signed in to TinhSo in this browser: its OP session ends here (oidc-provider would
        // otherwise end it through an auto-submitting page) and the interaction starts a new one.
        await repo.destroyOpSession(i.session.cookie);
        i.session = undefined;
      }
      i.result = {
        ...(i.lastSubmission ?? {}),
        login: { accountId: s.accountId, acr: `urn:tinhso:loa:${s.assuranceLevel}`, amr: s.authMethods, remember: true },
      };
      await i.save(Math.max(i.exp - epochNow(), 1));
      await tx((t) =>
        recordAudit(t, ctx, {
          action: 'sso.login',
          targetType: 'sso_client',
          targetId: String(i.params.client_id),
          details: { acr: `urn:tinhso:loa:${s.assuranceLevel}`, amr: s.authMethods },
        }),
      );
      return { redirectTo: i.returnTo };
    },

    async interactionConsent(ctx: RequestContext, uid: string, browserUid: string | undefined): Promise<{ redirectTo: string }> {
      const { actor } = ctx;
      if (!actor.accountId || actor.pending || actor.kind === 'anonymous') throw problems.unauthorized();
      const { provider } = holder;
      const i = await findInteraction(uid, browserUid);
      if (i.prompt.name !== 'consent' || !i.session?.accountId) {
        throw problems.conflict('interaction_not_consent', 'Chưa tới bước đồng ý', 'Hãy đăng nhập trước khi đồng ý chia sẻ thông tin.');
      }
      if (i.session.accountId !== actor.accountId) {
        throw new Problem(403, 'interaction_other_account', 'Tài khoản khác', 'Yêu cầu này thuộc phiên đăng nhập của tài khoản khác.');
      }
      const clientId = String(i.params.client_id);
      const details = i.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const existing = i.grantId ? await provider.Grant.find(i.grantId) : undefined;
      const grant = existing ?? new provider.Grant({ accountId: actor.accountId, clientId });
      if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
      if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {}))
        grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      i.result = { ...(i.lastSubmission ?? {}), consent: existing ? {} : { grantId } };
      await i.save(Math.max(i.exp - epochNow(), 1));
      await tx((t) =>
        recordAudit(t, ctx, {
          action: 'sso.consent_granted',
          targetType: 'sso_client',
          targetId: clientId,
          details: { grantId, scopes: details.missingOIDCScope ?? [], claims: details.missingOIDCClaims ?? [] },
        }),
      );
      return { redirectTo: i.returnTo };
    },

    async interactionAbort(ctx: RequestContext, uid: string, browserUid: string | undefined): Promise<{ redirectTo: string }> {
      const i = await findInteraction(uid, browserUid);
      i.result = { error: 'access_denied', error_description: 'Người dùng đã từ chối yêu cầu đăng nhập.' };
      await i.save(Math.max(i.exp - epochNow(), 1));
      await tx((t) =>
        recordAudit(t, ctx, { action: 'sso.interaction_aborted', targetType: 'sso_client', targetId: String(i.params.client_id) }),
      );
      return { redirectTo: i.returnTo };
    },
  };
  return service;
}

export type SsoService = ReturnType<typeof ssoService>;

/** Adds new signing keys (the previous stay published); the caller rebuilds its provider. CLI and admin API. */
export async function rotateKeys(db: Database, config: Config, ctx: RequestContext): Promise<string[]> {
  return db.orm.transaction(async (t) => {
    const kids = await rotateSigningKeys(db, config, t);
    await recordAudit(t, ctx, { action: 'sso.keys_rotated', targetType: 'sso_keys', targetId: null, details: { kids } });
    return kids;
  });
}

/** The TinhSo web app's own client (redirect URI from PUBLIC_URL) and, in demo mode, the example app. */
export async function ensureBuiltInClients(db: Database, config: Config): Promise<void> {
  const repo = ssoRepo(db);
  const redirect = `${config.publicUrl}/auth/sso/callback`;
  await db.orm.transaction(async (t) => {
    const web = await repo.get(WEB_CLIENT_ID, t);
    const want = {
      name: 'Cổng TinhSo',
      redirect_uris: [redirect],
      post_logout_redirect_uris: [`${config.publicUrl}/`],
      scopes: ['openid', 'profile', 'email', 'phone', 'offline_access'],
      first_party: true,
      status: 'active' as const,
    };
    if (!web) {
      await repo.insert(t, {
        client_id: WEB_CLIENT_ID,
        kind: 'confidential',
        secret_enc: encrypt(newClientSecret(), config.dataEncryptionKey, SECRET_PURPOSE),
        ...want,
      });
    } else if (
      web.redirect_uris.join(' ') !== want.redirect_uris.join(' ') ||
      web.post_logout_redirect_uris.join(' ') !== want.post_logout_redirect_uris.join(' ') ||
      web.status !== 'active' ||
      !web.first_party
    ) {
      await repo.update(t, WEB_CLIENT_ID, { ...want, scopes: web.scopes.length ? web.scopes : want.scopes });
    }
    if (config.demo && !config.production) {
      await repo.insert(t, {
        client_id: DEMO_CLIENT_ID,
        name: 'Ứng dụng mẫu (demo)',
        kind: 'confidential',
        secret_enc: encrypt(DEMO_CLIENT_SECRET, config.dataEncryptionKey, SECRET_PURPOSE),
        redirect_uris: ['http://localhost:4000/callback'],
        post_logout_redirect_uris: ['http://localhost:4000/'],
        scopes: [
          'openid',
          'profile',
          'email',
          'phone',
          'offline_access',
          'tinhso:id_number',
          'tinhso:assurance_level',
          'tinhso:agency',
          'tinhso:roles',
        ],
        first_party: false,
      });
    }
  });
}
