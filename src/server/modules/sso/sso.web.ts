/**
 * The TinhSo web app signs in through its own provider (first-party confidential client `tinhso-web`):
 * GET /auth/sso/start?next=/path → authorization code + PKCE → GET /auth/sso/callback.
 * openid-client reaches the provider in-process (app.inject), whatever port or proxy is in front.
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { SESSION_COOKIE } from '../../platform/auth/csrf';
import type { Database } from '../../platform/db/database';
import { inProcessFetch } from '../../platform/http/inject-fetch';
import { Problem } from '../../platform/http/problem';
import { sameSitePath } from '../../platform/http/same-site';
import type { App } from '../../platform/http/types';
import type { IdentityService } from '../identity';
import { decrypt } from './sso.crypto';
import { issuerOf } from './sso.provider';
import { SECRET_PURPOSE, ssoRepo } from './sso.repo';
import { WEB_CLIENT_ID } from './sso.service';

const TX_COOKIE = 'tinhso_sso_tx';
const TX_PATH = '/auth/sso';

export function registerWebSignIn(app: App, deps: { db: Database; config: Config; identity?: IdentityService }): void {
  const { db, config } = deps;
  const repo = ssoRepo(db);
  const issuer = issuerOf(config);
  const customFetch = inProcessFetch(app, config.publicUrl);
  const redirectUri = `${config.publicUrl}/auth/sso/callback`;
  let metadata: oidc.ServerMetadata | null = null;

  async function clientConfig(): Promise<oidc.Configuration> {
    const row = await repo.get(WEB_CLIENT_ID);
    if (!row?.secret_enc || row.status !== 'active') throw new Problem(503, 'sso_unavailable', 'Đăng nhập một lần chưa sẵn sàng');
    const secret = decrypt(row.secret_enc, config.dataEncryptionKey, SECRET_PURPOSE);
    if (!metadata) {
      const discovered = await oidc.discovery(new URL(issuer), WEB_CLIENT_ID, undefined, oidc.ClientSecretBasic(secret), {
        [oidc.customFetch]: customFetch,
        execute: issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
      });
      metadata = discovered.serverMetadata();
    }
    const cfg = new oidc.Configuration(metadata, WEB_CLIENT_ID, undefined, oidc.ClientSecretBasic(secret));
    cfg[oidc.customFetch] = customFetch;
    if (issuer.startsWith('http:')) oidc.allowInsecureRequests(cfg);
    return cfg;
  }

  const txCookie = { path: TX_PATH, httpOnly: true, sameSite: 'lax' as const, secure: config.production, signed: true, maxAge: 600 };

  app.get(
    '/auth/sso/start',
    {
      schema: {
        tags: ['sso'],
        summary: 'Đăng nhập cổng TinhSo qua SSO (chuyển tới /oidc/auth)',
        querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 1000 } } },
      },
    },
    async (req: FastifyRequest<{ Querystring: { next?: string } }>, reply: FastifyReply) => {
      const cfg = await clientConfig();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = randomBytes(16).toString('base64url');
      const nonce = randomBytes(16).toString('base64url');
      const next = sameSitePath(req.query.next);
      reply.setCookie(TX_COOKIE, JSON.stringify({ v: verifier, s: state, n: nonce, next }), txCookie);
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return reply.redirect(`${url.pathname}${url.search}`, 303);
    },
  );

  app.get(
    '/auth/sso/callback',
    { schema: { tags: ['sso'], summary: 'Nhận mã ủy quyền từ SSO, kiểm tra và chuyển về trang cần tới', hide: false } },
    async (req, reply) => {
      const raw = req.cookies[TX_COOKIE];
      const unsigned = raw ? req.unsignCookie(raw) : null;
      reply.clearCookie(TX_COOKIE, { path: TX_PATH });
      if (!unsigned?.valid || !unsigned.value) return reply.redirect('/login', 303);
      const t = JSON.parse(unsigned.value) as { v: string; s: string; n: string; next: string };
      const cfg = await clientConfig();
      const current = new URL(req.url, config.publicUrl);
      if (current.searchParams.get('error'))
        return reply.redirect(`/login?sso_error=${encodeURIComponent(current.searchParams.get('error') ?? '')}`, 303);
      let sub: string;
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, current, {
          pkceCodeVerifier: t.v,
          expectedState: t.s,
          expectedNonce: t.n,
          idTokenExpected: true,
        });
        sub = String(tokens.claims()?.sub ?? '');
        // The web app keeps no provider tokens: its session is the TinhSo session itself.
        if (tokens.refresh_token) await oidc.tokenRevocation(cfg, tokens.refresh_token).catch(() => {});
      } catch (err) {
        req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'SSO callback rejected');
        return reply.redirect('/login?sso_error=invalid_response', 303);
      }
      const { actor } = req.ctx;
      // The code was issued for another account than this browser's session: sign in again, from the login page.
      if (!sub || actor.accountId !== sub || actor.pending) return reply.redirect('/login?sso_error=session_mismatch', 303);
      await db.orm.transaction((tx) =>
        recordAudit(tx, req.ctx, { action: 'auth.sso_login', targetType: 'account', targetId: sub, details: { clientId: WEB_CLIENT_ID } }),
      );
      return reply.redirect(sameSitePath(t.next), 303);
    },
  );

  // POST (with the CSRF token, like every cookie-carrying write): a GET could be fired by another site's <img>.
  app.post(
    '/auth/sso/logout',
    {
      schema: {
        tags: ['sso'],
        summary: 'Đăng xuất: thu hồi phiên TinhSo và kết thúc phiên SSO của trình duyệt này',
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const { actor } = req.ctx;
      const opSession = req.cookies._session;
      if (actor.accountId && opSession) await repo.destroySession(opSession, actor.accountId);
      if (deps.identity) await deps.identity.logout(req.ctx);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie('_session', { path: '/' });
      reply.clearCookie('_session.sig', { path: '/' });
      return reply.code(204).send(null);
    },
  );
}
