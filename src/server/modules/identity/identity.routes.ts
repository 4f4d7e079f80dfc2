/**
 * /api/v1/auth — sign-in, second factor, password, sessions. Sets and clears the session cookie.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Config } from '../../config';
import { SESSION_COOKIE } from '../../platform/auth/csrf';
import { problems } from '../../platform/http/problem';
import type { App } from '../../platform/http/types';
import { IdParam, LoginBody, LoginResult, Me, PasswordChange, SessionItem, TotpCode, TotpEnrolment } from './identity.schemas';
import type { IdentityService } from './identity.service';

export function registerIdentityRoutes(app: App, config: Config, identity: IdentityService): void {
  app.addSchema(Me);
  const tags = ['auth'];
  const cookieOpts = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.production,
    maxAge: config.sessionTtlHours * 3600,
  };
  const setSession = (reply: FastifyReply, token: string) => reply.setCookie(SESSION_COOKIE, token, cookieOpts);
  const loginLimit = { rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' } };

  // Resolve the actor for every request from the session cookie.
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.ctx.actor = await identity.resolveActor(token);
  });

  app.post(
    '/api/v1/auth/login',
    {
      config: loginLimit,
      schema: { tags, summary: 'Đăng nhập bằng tên đăng nhập và mật khẩu', body: LoginBody, response: { 200: LoginResult } },
    },
    async (req, reply) => {
      const r = await identity.login(req.ctx, { ...req.body, userAgent: req.headers['user-agent']?.slice(0, 300) ?? null });
      setSession(reply, r.token);
      const { token: _token, ...body } = r;
      return body;
    },
  );

  app.post(
    '/api/v1/auth/login/totp',
    { config: loginLimit, schema: { tags, summary: 'Bước 2: nhập mã xác thực hai lớp', body: TotpCode, response: { 200: LoginResult } } },
    async (req) => identity.loginTotp(req.ctx, req.body.code),
  );

  app.post('/api/v1/auth/logout', { schema: { tags, summary: 'Đăng xuất', response: { 204: Type.Null() } } }, async (req, reply) => {
    await identity.logout(req.ctx);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', { schema: { tags, summary: 'Tài khoản đang đăng nhập', response: { 200: Type.Ref('Me') } } }, async (req) => {
    const { actor } = req.ctx;
    if (!actor.accountId || actor.pending === 'totp') throw problems.unauthorized();
    return identity.me(actor.accountId, actor.grants);
  });

  app.post(
    '/api/v1/auth/password',
    { schema: { tags, summary: 'Đổi mật khẩu (các phiên khác bị đăng xuất)', body: PasswordChange, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await identity.changePassword(req.ctx, req.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/totp/setup',
    { schema: { tags, summary: 'Tạo mã bí mật TOTP và mã QR', response: { 200: TotpEnrolment } } },
    async (req) => identity.totpSetup(req.ctx),
  );
  app.post(
    '/api/v1/auth/totp/enable',
    { schema: { tags, summary: 'Bật xác thực hai lớp sau khi nhập đúng mã', body: TotpCode, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await identity.totpEnable(req.ctx, req.body.code);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/auth/totp/disable',
    { schema: { tags, summary: 'Tắt xác thực hai lớp', body: TotpCode, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await identity.totpDisable(req.ctx, req.body.code);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    { schema: { tags, summary: 'Các phiên đăng nhập đang hoạt động', response: { 200: Type.Object({ items: Type.Array(SessionItem) }) } } },
    async (req) => ({ items: await identity.listSessions(req.ctx) }),
  );
  app.delete(
    '/api/v1/auth/sessions/:id',
    { schema: { tags, summary: 'Thu hồi một phiên đăng nhập', params: IdParam, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await identity.revokeSession(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
