/**
 * CSRF protection for cookie-authenticated writes (@fastify/csrf-protection, double-submit with a
 * signed secret cookie). The web app fetches a token from GET /api/v1/auth/csrf and sends it in the
 * `X-CSRF-Token` header. Requests without the session cookie (anonymous, bearer-token clients) carry
 * no ambient authority and are not checked.
 */
import csrf from '@fastify/csrf-protection';
import type { Config } from '../../config';
import type { App } from '../http/types';

export const SESSION_COOKIE = 'tinhso_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function registerCsrf(app: App, config: Config): Promise<void> {
  await app.register(csrf, {
    cookieKey: 'tinhso_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production, signed: true },
    getToken: (req) => {
      const h = req.headers['x-csrf-token'];
      return typeof h === 'string' ? h : '';
    },
  });
  app.addHook('onRequest', (req, reply, done) => {
    if (SAFE.has(req.method) || req.routeOptions.config?.csrf === false || !req.cookies[SESSION_COOKIE]) return done();
    app.csrfProtection(req, reply, done);
  });
  app.get(
    '/api/v1/auth/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: 'Lấy mã chống giả mạo (CSRF) để gửi kèm header X-CSRF-Token',
        response: { 200: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } },
      },
    },
    async (_req, reply) => ({ token: reply.generateCsrf() }),
  );
}
