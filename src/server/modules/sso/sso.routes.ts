/**
 * HTTP of the sso module: the provider mounted at /oidc, the SPA's interaction API, connected apps,
 * and the admin API for client applications and signing keys.
 */
import type { IncomingMessage } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import type { App } from '../../platform/http/types';
import { BROWSER, type BrowserSession, OIDC_PREFIX, type ProviderHolder } from './sso.provider';
import {
  ClientCreate,
  ClientIdParam,
  ClientPatch,
  GrantIdParam,
  GrantItem,
  Interaction,
  RedirectTo,
  SsoClient,
  SsoClientCreated,
  UidParam,
} from './sso.schemas';
import type { SsoService } from './sso.service';

/**
 * The provider's own pages are plain HTML without script; their forms post to the provider, which then
 * redirects to the client's registered (validated) URIs — hence the wider form-action. oidc-provider's
 * own auto-submitting forms (response_mode=form_post) add their script's hash to script-src.
 */
const OIDC_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'";

/** oidc-provider's cookie holding the uid of the browser's current interaction. */
const INTERACTION_COOKIE = '_interaction';

/** The client id of a token request (HTTP Basic), for the rate limit key. */
function basicClientId(req: FastifyRequest): string {
  const h = req.headers.authorization;
  if (!h?.toLowerCase().startsWith('basic ')) return '';
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  try {
    return decodeURIComponent(decoded.split(':')[0] ?? '').slice(0, 80);
  } catch {
    return '';
  }
}

export async function registerSsoRoutes(app: App, config: Config, holder: ProviderHolder, sso: SsoService): Promise<void> {
  // --- /oidc: handed over to oidc-provider, body unread (it parses form posts itself) ---
  await app.register(async (oidcApp) => {
    oidcApp.removeAllContentTypeParsers();
    oidcApp.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handle = async (req: FastifyRequest, reply: FastifyReply) => {
      await holder.refreshIfKeysChanged();
      const raw = req.raw as IncomingMessage & { originalUrl?: string; [BROWSER]?: BrowserSession };
      const url = raw.url ?? OIDC_PREFIX;
      let rest = url.slice(OIDC_PREFIX.length);
      if (!rest.startsWith('/')) rest = `/${rest}`;
      raw.originalUrl = url;
      raw.url = rest;
      const { actor } = req.ctx;
      raw[BROWSER] = {
        accountId: actor.accountId && !actor.pending && actor.kind !== 'anonymous' ? actor.accountId : null,
        sessionId: actor.sessionId ?? null,
        ip: req.ip,
        requestId: String(req.id),
      };
      reply.hijack();
      reply.raw.setHeader('content-security-policy', OIDC_CSP);
      await holder.handler()(raw, reply.raw);
    };
    const hidden = { hide: true };
    oidcApp.route({
      method: 'POST',
      url: `${OIDC_PREFIX}/token`,
      schema: hidden,
      config: {
        csrf: false,
        rateLimit: {
          max: config.sso.tokenRateLimitPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (req: FastifyRequest) => `sso-token:${basicClientId(req)}:${req.ip}`,
        },
      },
      handler: handle,
    });
    for (const url of [OIDC_PREFIX, `${OIDC_PREFIX}/*`]) {
      oidcApp.route({ method: ['GET', 'POST', 'OPTIONS', 'DELETE', 'PUT'], url, schema: hidden, config: { csrf: false }, handler: handle });
    }
  });

  // --- Interactions: the SPA's login and consent pages drive them ---
  const tags = ['sso'];
  app.get(
    '/api/v1/sso/interactions/:uid',
    {
      schema: {
        tags,
        summary: 'Yêu cầu đăng nhập của một ứng dụng (trang đăng nhập/đồng ý)',
        params: UidParam,
        response: { 200: Interaction },
      },
    },
    async (req) => sso.interaction(req.ctx, req.params.uid, req.cookies[INTERACTION_COOKIE]),
  );
  app.post(
    '/api/v1/sso/interactions/:uid/login',
    { schema: { tags, summary: 'Hoàn tất bước đăng nhập bằng phiên TinhSo hiện tại', params: UidParam, response: { 200: RedirectTo } } },
    async (req) => sso.interactionLogin(req.ctx, req.params.uid, req.cookies[INTERACTION_COOKIE]),
  );
  app.post(
    '/api/v1/sso/interactions/:uid/consent',
    { schema: { tags, summary: 'Đồng ý chia sẻ thông tin với ứng dụng', params: UidParam, response: { 200: RedirectTo } } },
    async (req) => sso.interactionConsent(req.ctx, req.params.uid, req.cookies[INTERACTION_COOKIE]),
  );
  app.post(
    '/api/v1/sso/interactions/:uid/abort',
    { schema: { tags, summary: 'Từ chối yêu cầu đăng nhập của ứng dụng', params: UidParam, response: { 200: RedirectTo } } },
    async (req) => sso.interactionAbort(req.ctx, req.params.uid, req.cookies[INTERACTION_COOKIE]),
  );

  // --- Connected apps of the signed-in user ---
  app.get(
    '/api/v1/sso/grants',
    {
      schema: {
        tags,
        summary: 'Các ứng dụng đã được cấp quyền truy cập thông tin',
        response: { 200: Type.Object({ items: Type.Array(GrantItem) }) },
      },
    },
    async (req) => ({ items: await sso.listGrants(req.ctx) }),
  );
  app.delete(
    '/api/v1/sso/grants/:id',
    {
      schema: {
        tags,
        summary: 'Thu hồi quyền của một ứng dụng (và mọi token của nó)',
        params: GrantIdParam,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await sso.revokeGrant(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );

  // --- Admin: client applications and signing keys ---
  app.addSchema(SsoClient);
  app.get(
    '/api/v1/sso/clients',
    { schema: { tags, summary: 'Danh sách ứng dụng SSO', response: { 200: Type.Object({ items: Type.Array(Type.Ref('SsoClient')) }) } } },
    async (req) => ({ items: await sso.listClients(req.ctx) }),
  );
  app.post(
    '/api/v1/sso/clients',
    {
      schema: {
        tags,
        summary: 'Đăng ký ứng dụng SSO (khóa bí mật chỉ hiển thị một lần)',
        body: ClientCreate,
        response: { 201: SsoClientCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await sso.createClient(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/sso/clients/:clientId',
    { schema: { tags, summary: 'Chi tiết ứng dụng SSO', params: ClientIdParam, response: { 200: Type.Ref('SsoClient') } } },
    async (req) => sso.getClient(req.ctx, req.params.clientId),
  );
  app.patch(
    '/api/v1/sso/clients/:clientId',
    { schema: { tags, summary: 'Sửa ứng dụng SSO', params: ClientIdParam, body: ClientPatch, response: { 200: Type.Ref('SsoClient') } } },
    async (req) => sso.updateClient(req.ctx, req.params.clientId, req.body),
  );
  app.post(
    '/api/v1/sso/clients/:clientId/secret',
    {
      schema: {
        tags,
        summary: 'Cấp khóa bí mật mới (khóa cũ hết hiệu lực ngay; chỉ hiển thị một lần)',
        params: ClientIdParam,
        response: { 200: Type.Object({ clientSecret: Type.String() }) },
      },
    },
    async (req) => sso.rotateSecret(req.ctx, req.params.clientId),
  );
  app.delete(
    '/api/v1/sso/clients/:clientId',
    { schema: { tags, summary: 'Vô hiệu hóa ứng dụng SSO (thu hồi mọi token)', params: ClientIdParam, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await sso.disableClient(req.ctx, req.params.clientId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/sso/keys/rotate',
    {
      schema: {
        tags,
        summary: 'Xoay khóa ký token (khóa cũ vẫn được công bố để kiểm tra token đã cấp)',
        response: { 200: Type.Object({ kids: Type.Array(Type.String()) }) },
      },
    },
    async (req) => sso.rotateKeys(req.ctx),
  );
}
