/**
 * "Môi trường thử nghiệm VNeID": a local OpenID Connect provider that stands in for the national e-ID
 * (VNeID) in development, demo and tests, mounted at /vneid-sandbox in the same server. It is a test
 * double of an external system, so it keeps everything in memory (oidc-provider's memory adapter, a
 * signing key made at start): a restart forgets its codes, tokens and sessions, which is harmless — the
 * TinhSo session made from a sandbox login lives in TinhSo's own database. Never enabled by default in
 * production (VNEID_SANDBOX).
 *
 * Identities: the demo citizens below, password `demo`. Its login page is plain server-rendered HTML
 * (no script: the CSP forbids inline scripts) where one picks an identity; consent is given
 * automatically.
 */
import { createHmac, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Provider, {
  type AdapterPayload,
  type Configuration,
  type Interaction,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Config } from '../../config';
import type { App } from '../../platform/http/types';
import type { Gender } from './identity.numbers';

export const SANDBOX_PREFIX = '/vneid-sandbox';
export const SANDBOX_PASSWORD = 'demo';
/** The scope under which the sandbox releases the ID-number claim. */
export const SANDBOX_ID_NUMBER_SCOPE = 'id_number';

export interface SandboxIdentity {
  /** Stable upstream subject (opaque, as a real provider would give). */
  sub: string;
  /** Local demo account with the same ID number, if any (the seed sets it). */
  username: string | null;
  idNumber: string;
  name: string;
  familyName: string;
  givenName: string;
  /** YYYY-MM-DD */
  birthdate: string;
  gender: Gender;
  /** E.164 */
  phone: string;
}

/** Demo identities; every ID number is valid per checkIdNumber (province, century/gender, birth year). */
export const SANDBOX_IDENTITIES: readonly SandboxIdentity[] = Object.freeze([
  {
    sub: 'vneid-sb-7f3a9c21e4d54b0c',
    username: 'congdan',
    idNumber: '066190004217',
    name: 'Nguyễn Thị Hồng',
    familyName: 'Nguyễn',
    givenName: 'Thị Hồng',
    birthdate: '1990-03-15',
    gender: 'female',
    phone: '+84905123456',
  },
  {
    sub: 'vneid-sb-2c81d0f6b93e4a7d',
    username: 'congdan2',
    idNumber: '066085001932',
    name: 'Y Blốk Niê',
    familyName: 'Niê',
    givenName: 'Y Blốk',
    birthdate: '1985-07-02',
    gender: 'male',
    phone: '+84912345678',
  },
  {
    // No TinhSo account: the first VNeID login creates one.
    sub: 'vneid-sb-91e45b7a0c2d4f68',
    username: null,
    idNumber: '056201007315',
    name: 'Trần Văn Minh',
    familyName: 'Trần',
    givenName: 'Văn Minh',
    birthdate: '2001-11-20',
    gender: 'male',
    phone: '+84935246810',
  },
  {
    sub: 'vneid-sb-4d0b6e2f8a1c3957',
    username: null,
    idNumber: '001196008532',
    name: 'Phạm Thu Trang',
    familyName: 'Phạm',
    givenName: 'Thu Trang',
    birthdate: '1996-09-08',
    gender: 'female',
    phone: '+84978123450',
  },
  {
    sub: 'vneid-sb-6a2e9f13c7b84d05',
    username: null,
    idNumber: '066078005621',
    name: 'Lê Quốc Bảo',
    familyName: 'Lê',
    givenName: 'Quốc Bảo',
    birthdate: '1978-04-30',
    gender: 'male',
    phone: '+84983456712',
  },
]);

const bySub = new Map(SANDBOX_IDENTITIES.map((p) => [p.sub, p]));

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const maskId = (id: string) => `${id.slice(0, 3)}******${id.slice(-3)}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Môi trường thử nghiệm VNeID</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1a1a1a}
.banner{background:#b3261e;color:#fff;padding:.6rem 1rem;font-weight:600;text-align:center}
main{max-width:34rem;margin:1.5rem auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.35rem;margin:0 0 .5rem}
fieldset{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
label.id{display:block;padding:.5rem 0;border-bottom:1px solid #eee;cursor:pointer}
label.id:last-child{border-bottom:0}
small{color:#555}
input[type=password]{width:100%;padding:.55rem;font-size:1rem;border:1px solid #888;border-radius:4px;box-sizing:border-box}
.actions{display:flex;gap:.75rem;margin-top:1rem}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #b3261e;cursor:pointer}
button.primary{background:#b3261e;color:#fff}
button.secondary{background:#fff;color:#b3261e}
.error{background:#fdecea;border:1px solid #b3261e;color:#7a1a14;padding:.6rem;border-radius:4px}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
</style></head>
<body><div class="banner" role="note">Môi trường thử nghiệm VNeID — không phải hệ thống định danh điện tử thật</div>
<main>${body}</main></body></html>`;
}

function loginPage(uid: string, clientName: string, error?: string, chosen?: string): string {
  const items = SANDBOX_IDENTITIES.map((p, i) => {
    const checked = chosen ? chosen === p.sub : i === 0;
    return `<label class="id"><input type="radio" name="identity" value="${esc(p.sub)}"${checked ? ' checked' : ''}>
 <strong>${esc(p.name)}</strong><br><small>Số định danh ${esc(maskId(p.idNumber))} · sinh ngày ${esc(
   p.birthdate.split('-').reverse().join('/'),
 )} · ${p.gender === 'female' ? 'Nữ' : 'Nam'}${p.username ? ` · tài khoản TinhSo: ${esc(p.username)}` : ' · chưa có tài khoản TinhSo'}</small></label>`;
  }).join('\n');
  return page(
    'Đăng nhập',
    `<h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
<p>Môi trường thử nghiệm VNeID. Ứng dụng <strong>${esc(clientName)}</strong> yêu cầu xác thực danh tính của bạn.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${SANDBOX_PREFIX}/interaction/${esc(uid)}/login">
<fieldset><legend>Chọn danh tính thử nghiệm</legend>
${items}
</fieldset>
<label for="password">Mật khẩu (thử nghiệm: <code>${SANDBOX_PASSWORD}</code>)</label>
<input id="password" name="password" type="password" autocomplete="off" required>
<div class="actions"><button class="primary" type="submit" name="action" value="login">Đăng nhập</button>
<button class="secondary" type="submit" name="action" value="cancel" formnovalidate>Hủy</button></div>
</form>`,
  );
}

function passwordOk(given: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(SANDBOX_PASSWORD);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * oidc-provider storage for the sandbox: in memory, per process, bounded. A test double of an external
 * system may forget its short-lived codes and sessions on restart (see the module comment).
 */
function memoryAdapterClass() {
  const store = new Map<string, { payload: AdapterPayload; until: number }>();
  const MAX = 20_000;
  const live = (key: string) => {
    const e = store.get(key);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      store.delete(key);
      return undefined;
    }
    return e;
  };
  return class SandboxMemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      if (store.size >= MAX) {
        const now = Date.now();
        for (const [k, e] of store) if (e.until < now) store.delete(k);
        // Still full: drop the oldest entries (a sandbox may forget).
        for (const k of store.keys()) {
          if (store.size < MAX) break;
          store.delete(k);
        }
      }
      store.set(this.key(id), { payload, until: Date.now() + (expiresIn || 3600) * 1000 });
    }
    async find(id: string) {
      return live(this.key(id))?.payload;
    }
    async findByUid(uid: string) {
      for (const k of store.keys()) {
        const e = k.startsWith(`${this.model}:`) ? live(k) : undefined;
        if (e?.payload.uid === uid) return e.payload;
      }
      return undefined;
    }
    async findByUserCode(userCode: string) {
      for (const k of store.keys()) {
        const e = k.startsWith(`${this.model}:`) ? live(k) : undefined;
        if (e?.payload.userCode === userCode) return e.payload;
      }
      return undefined;
    }
    async consume(id: string) {
      const e = live(this.key(id));
      if (e) e.payload = { ...e.payload, consumed: Math.floor(Date.now() / 1000) };
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, e] of store) if (e.payload.grantId === grantId) store.delete(k);
    }
  };
}

export interface VneidSandbox {
  issuer: string;
  provider: Provider;
}

/** Builds the sandbox provider (no HTTP wiring). */
export function createSandboxProvider(config: Config): Provider {
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  const issuer = `${publicUrl}${SANDBOX_PREFIX}`;
  const claimName = config.vneid.idNumberClaim;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'vneid-sandbox-rs256', alg: 'RS256', use: 'sig' };

  const policy = interactionPolicy.base();
  // A sandbox is for trying identities: ask which one at every authorization request, even when the
  // sandbox still remembers a previous login in this browser.
  policy
    .get('login')
    ?.checks.push(
      new interactionPolicy.Check('sandbox_pick_identity', 'Chọn danh tính thử nghiệm', 'login_required', (ctx: KoaContextWithOIDC) =>
        ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );

  const configuration: Configuration = {
    adapter: memoryAdapterClass(),
    clients: [
      {
        client_id: config.vneid.clientId,
        client_secret: config.vneid.clientSecret || 'vneid-sandbox-dev-secret-0123456789',
        client_name: 'TinhSo',
        redirect_uris: [`${publicUrl}/auth/vneid/callback`],
        post_logout_redirect_uris: [`${publicUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    scopes: ['openid', 'profile', 'phone', SANDBOX_ID_NUMBER_SCOPE],
    claims: {
      openid: ['sub'],
      profile: ['name', 'family_name', 'given_name', 'birthdate', 'gender'],
      phone: ['phone_number', 'phone_number_verified'],
      [SANDBOX_ID_NUMBER_SCOPE]: [claimName],
    },
    async findAccount(_ctx, sub) {
      const p = bySub.get(sub);
      if (!p) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            name: p.name,
            family_name: p.familyName,
            given_name: p.givenName,
            birthdate: p.birthdate,
            gender: p.gender,
            phone_number: p.phone,
            phone_number_verified: true,
            [claimName]: p.idNumber,
          };
        },
      };
    },
    interactions: { policy, url: (_ctx, interaction) => `${SANDBOX_PREFIX}/interaction/${interaction.uid}` },
    cookies: {
      keys: [createHmac('sha256', config.sessionSecret).update('vneid-sandbox-cookies').digest('base64url')],
      // Distinct names: the TinhSo provider at /oidc uses oidc-provider's defaults on the same origin.
      names: { session: 'vneid_sb_session', interaction: 'vneid_sb_interaction', resume: 'vneid_sb_resume' },
    },
    jwks: { keys: [jwk as never] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true }, revocation: { enabled: true } },
    ttl: { Session: 600, Interaction: 900, Grant: 600, AccessToken: 300, AuthorizationCode: 60, IdToken: 300 },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page(
        'Lỗi',
        `<h1>Không thể hoàn tất đăng nhập</h1><p class="error" role="alert">${esc(String(out.error))}: ${esc(
          String(out.error_description ?? ''),
        )}</p><p><a href="${esc(publicUrl)}/login">Quay lại trang đăng nhập TinhSo</a></p>`,
      );
    },
  };
  const provider = new Provider(issuer, configuration);
  // URLs are built from X-Forwarded-Host/-Proto, which the mount below always overwrites with the issuer's.
  provider.proxy = true;
  return provider;
}

/**
 * Mounts the sandbox at /vneid-sandbox when `VNEID_SANDBOX` is on. Returns null when off.
 */
export async function registerVneidSandbox(app: App, config: Config): Promise<VneidSandbox | null> {
  if (!config.vneid.sandbox) return null;
  const provider = createSandboxProvider(config);
  const issuerUrl = new URL(provider.issuer);
  const forwardedHost = issuerUrl.host;
  const forwardedProto = issuerUrl.protocol.replace(':', '');
  const callback = provider.callback();
  provider.on('server_error', (_ctx: unknown, err: Error) => app.log.error({ err: err.message }, 'vneid sandbox error'));

  const handOver = (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const raw = req.raw as IncomingMessage & { originalUrl?: string };
    const url = raw.url ?? '/';
    raw.originalUrl = url;
    raw.url = url.slice(SANDBOX_PREFIX.length) || '/';
    raw.headers['x-forwarded-host'] = forwardedHost;
    raw.headers['x-forwarded-proto'] = forwardedProto;
    delete raw.headers.forwarded;
    callback(raw, reply.raw);
  };

  // oidc-provider reads request bodies itself: in this scope no parser consumes the stream.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.route({
      method: ['GET', 'POST', 'OPTIONS'],
      url: `${SANDBOX_PREFIX}/*`,
      config: { csrf: false },
      schema: { hide: true },
      handler: handOver,
    });
  });

  // The sandbox's own login page (form posts parsed here, as urlencoded text).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const html = (reply: FastifyReply, status: number, body: string) =>
      reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
    const expired = (reply: FastifyReply) =>
      html(
        reply,
        400,
        page(
          'Hết hạn',
          `<h1>Phiên đăng nhập đã hết hạn</h1><p>Vui lòng quay lại ứng dụng và bấm "Đăng nhập bằng VNeID" lần nữa.</p><p><a href="${esc(
            config.publicUrl,
          )}/login">Quay lại trang đăng nhập</a></p>`,
        ),
      );

    async function detailsOf(req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply): Promise<Interaction | null> {
      try {
        const d = await provider.interactionDetails(req.raw, reply.raw);
        return d.uid === req.params.uid ? d : null;
      } catch {
        return null;
      }
    }

    /** A grant covering everything the client asked for: the sandbox consents on the citizen's behalf. */
    async function grantFor(d: Interaction, accountId: string): Promise<string> {
      const grant = d.grantId
        ? ((await provider.Grant.find(d.grantId)) ?? new provider.Grant({ accountId, clientId: String(d.params.client_id) }))
        : new provider.Grant({ accountId, clientId: String(d.params.client_id) });
      grant.addOIDCScope(String(d.params.scope ?? 'openid'));
      const details = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope);
      if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
      return grant.save();
    }

    const uidParams = { type: 'object', properties: { uid: { type: 'string', maxLength: 100 } }, required: ['uid'] } as const;

    scope.get<{ Params: { uid: string } }>(
      `${SANDBOX_PREFIX}/interaction/:uid`,
      { schema: { hide: true, params: uidParams } },
      async (req, reply) => {
        const d = await detailsOf(req, reply);
        if (!d) return expired(reply);
        if (d.prompt.name === 'consent' && d.session?.accountId) {
          const to = await provider.interactionResult(
            req.raw,
            reply.raw,
            { consent: { grantId: await grantFor(d, d.session.accountId) } },
            { mergeWithLastSubmission: true },
          );
          return reply.redirect(to, 303);
        }
        const client = await provider.Client.find(String(d.params.client_id));
        return html(reply, 200, loginPage(d.uid, client?.clientName ?? String(d.params.client_id)));
      },
    );

    scope.post<{ Params: { uid: string }; Body: Record<string, string> | undefined }>(
      `${SANDBOX_PREFIX}/interaction/:uid/login`,
      {
        config: { csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: { hide: true, params: uidParams },
      },
      async (req, reply) => {
        const d = await detailsOf(req, reply);
        if (!d) return expired(reply);
        const body = req.body ?? {};
        if (body.action === 'cancel') {
          const to = await provider.interactionResult(req.raw, reply.raw, {
            error: 'access_denied',
            error_description: 'Người dùng đã hủy đăng nhập',
          });
          return reply.redirect(to, 303);
        }
        const person = bySub.get(String(body.identity ?? ''));
        const client = await provider.Client.find(String(d.params.client_id));
        const clientName = client?.clientName ?? String(d.params.client_id);
        if (!person) return html(reply, 400, loginPage(d.uid, clientName, 'Vui lòng chọn một danh tính thử nghiệm.'));
        if (!passwordOk(String(body.password ?? ''))) {
          return html(reply, 401, loginPage(d.uid, clientName, 'Mật khẩu không đúng.', person.sub));
        }
        const to = await provider.interactionResult(
          req.raw,
          reply.raw,
          { login: { accountId: person.sub, amr: ['pwd'], remember: false }, consent: { grantId: await grantFor(d, person.sub) } },
          { mergeWithLastSubmission: false },
        );
        return reply.redirect(to, 303);
      },
    );
  });

  return { issuer: provider.issuer, provider };
}
