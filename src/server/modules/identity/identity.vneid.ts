/**
 * Sign-in with the national e-ID (VNeID) through an upstream OpenID Connect provider (openid-client):
 *
 *   GET /auth/vneid/start?next=/path   → authorization code + PKCE request to VNeID (state, nonce and PKCE
 *                                        verifier kept in a signed, HttpOnly, 10-minute cookie)
 *   GET /auth/vneid/callback           → code exchange, ID token validation, claims (userinfo when the
 *                                        ID number is not in the ID token), ID-number check, account
 *                                        mapping, a full TinhSo session (auth_methods {fed}, assurance 2)
 *   GET /api/v1/auth/vneid             → { enabled, sandbox } for the login page
 *
 * Mapping of an upstream identity (issuer, sub) to one citizen account: an existing link in
 * account_federations → that account; else the citizen account with that ID number → linked; else a new
 * citizen account. Staff accounts never sign in through VNeID. Failures redirect to
 * `/login?error=vneid_<reason>` (see VNEID_ERRORS and docs/vneid.md). ID numbers are never logged or
 * audited.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import { SESSION_COOKIE } from '../../platform/auth/csrf';
import { type Database, type Orm, sql } from '../../platform/db/database';
import { inProcessFetch } from '../../platform/http/inject-fetch';
import { sameSitePath } from '../../platform/http/same-site';
import type { App } from '../../platform/http/types';
import { checkIdNumber } from './identity.numbers';
import { type AccountRow, identityRepo } from './identity.repo';
import { createAccount } from './identity.service';
import { registerVneidSandbox, SANDBOX_PREFIX } from './identity.vneid.sandbox';

const FLOW_COOKIE = 'tinhso_vneid';
const FLOW_PATH = '/auth/vneid';
const FLOW_TTL_SECONDS = 600;

/** Error codes sent to the login page as `/login?error=vneid_<code>`. */
export const VNEID_ERRORS = {
  unavailable: 'Đăng nhập bằng VNeID chưa được bật hoặc VNeID không phản hồi',
  state: 'Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn (thử lại)',
  denied: 'Người dùng đã hủy đăng nhập tại VNeID',
  failed: 'VNeID trả về kết quả không hợp lệ',
  id_number: 'VNeID không cung cấp số định danh cá nhân hợp lệ',
  staff: 'Tài khoản cán bộ không đăng nhập bằng VNeID',
  disabled: 'Tài khoản đã bị khóa',
  conflict: 'Số định danh không khớp với tài khoản đã liên kết',
} as const;
export type VneidError = keyof typeof VNEID_ERRORS;

interface Flow {
  s: string;
  n: string;
  v: string;
  next: string;
  t: number;
}

/** Where a failed VNeID sign-in lands: the login page with `error=vneid_<code>` (keeping an OIDC interaction). */
export function errorLocation(code: VneidError, next = '/'): string {
  const u = new URL(next, 'http://same.invalid');
  if (u.pathname === '/login') {
    u.searchParams.set('error', `vneid_${code}`);
    return `${u.pathname}${u.search}`;
  }
  const p = new URLSearchParams({ error: `vneid_${code}` });
  if (next !== '/') p.set('next', next);
  return `/login?${p}`;
}

type MapResult =
  | { ok: true; accountId: string; username: string; created: boolean; linked: boolean }
  | { ok: false; code: VneidError; accountId?: string; username?: string };

/** 0905123456 from +84905123456; other shapes as given (max 20 chars), or null. */
function localPhone(p: unknown): string | null {
  if (typeof p !== 'string') return null;
  const s = p.replace(/[\s.-]/g, '');
  if (/^\+84\d{9,10}$/.test(s)) return `0${s.slice(3)}`;
  return /^0\d{9,10}$/.test(s) ? s : null;
}

function displayNameOf(c: Record<string, unknown>): string {
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string).trim() : '');
  const name = str('name') || [str('family_name'), str('middle_name'), str('given_name')].filter(Boolean).join(' ');
  return (name || 'Công dân VNeID').slice(0, 200);
}

function birthDateOf(c: Record<string, unknown>): string | null {
  const b = c.birthdate;
  return typeof b === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(b) && !b.startsWith('0000') ? b : null;
}

export async function registerVneid(app: App, config: Config, db: Database): Promise<void> {
  await registerVneidSandbox(app, config);
  registerVneidRoutes(app, config, db);
}

export function registerVneidRoutes(app: App, config: Config, db: Database): void {
  const v = config.vneid;
  const repo = identityRepo(db);
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  const redirectUri = `${publicUrl}/auth/vneid/callback`;
  // The app's own sandbox is reached in-process (app.inject): no known port needed, works in tests.
  const viaInject = v.sandbox && v.issuer === `${publicUrl}${SANDBOX_PREFIX}`;

  const injectFetch = inProcessFetch(app, publicUrl, `${SANDBOX_PREFIX}/`);

  let discovered: Promise<oidc.Configuration> | null = null;
  /** Discovery once, kept; a failure is retried at the next sign-in. */
  function configuration(): Promise<oidc.Configuration> {
    if (!discovered) {
      const issuer = new URL(v.issuer);
      discovered = oidc
        .discovery(issuer, v.clientId, v.clientSecret || undefined, undefined, {
          ...(viaInject ? { [oidc.customFetch]: injectFetch } : {}),
          execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        })
        .catch((e) => {
          discovered = null;
          throw e;
        });
    }
    return discovered;
  }

  const sessionCookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.production,
    maxAge: config.sessionTtlHours * 3600,
  };
  const flowCookie = { path: FLOW_PATH, httpOnly: true, sameSite: 'lax' as const, secure: config.production, signed: true };
  const limit = { rateLimit: { max: 30, timeWindow: '1 minute' } };
  const errMeta = (e: unknown) => {
    const x = e as { code?: unknown; error?: unknown; name?: unknown; message?: unknown };
    return { name: x?.name, code: x?.code, error: x?.error, message: typeof x?.message === 'string' ? x.message.slice(0, 200) : undefined };
  };

  app.get(
    '/api/v1/auth/vneid',
    {
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập bằng VNeID có được bật không',
        response: {
          200: {
            type: 'object',
            properties: { enabled: { type: 'boolean' }, sandbox: { type: 'boolean' }, startUrl: { type: 'string' } },
            required: ['enabled', 'sandbox', 'startUrl'],
          },
        },
      },
    },
    async () => ({ enabled: v.enabled, sandbox: v.sandbox, startUrl: '/auth/vneid/start' }),
  );

  app.get<{ Querystring: { next?: string } }>(
    '/auth/vneid/start',
    {
      config: limit,
      schema: {
        tags: ['auth'],
        summary: 'Bắt đầu đăng nhập bằng VNeID (chuyển hướng trình duyệt)',
        querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } },
      },
    },
    async (req, reply) => {
      const next = sameSitePath(req.query.next);
      if (!v.enabled) return reply.redirect(errorLocation('unavailable', next), 303);
      let cfg: oidc.Configuration;
      try {
        cfg = await configuration();
      } catch (e) {
        req.log.warn({ vneid: errMeta(e) }, 'vneid discovery failed');
        return reply.redirect(errorLocation('unavailable', next), 303);
      }
      const flow: Flow = {
        s: oidc.randomState(),
        n: oidc.randomNonce(),
        v: oidc.randomPKCECodeVerifier(),
        next,
        t: Date.now(),
      };
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: v.scopes,
        state: flow.s,
        nonce: flow.n,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.v),
        code_challenge_method: 'S256',
      });
      reply.setCookie(FLOW_COOKIE, JSON.stringify(flow), { ...flowCookie, maxAge: FLOW_TTL_SECONDS });
      return reply.redirect(url.href, 303);
    },
  );

  function readFlow(req: FastifyRequest): Flow | null {
    const raw = req.cookies[FLOW_COOKIE];
    if (!raw) return null;
    const un = req.unsignCookie(raw);
    if (!un.valid || !un.value) return null;
    try {
      const f = JSON.parse(un.value) as Flow;
      if (typeof f.s !== 'string' || typeof f.n !== 'string' || typeof f.v !== 'string' || typeof f.t !== 'number') return null;
      if (Date.now() - f.t > FLOW_TTL_SECONDS * 1000) return null;
      return { ...f, next: sameSitePath(f.next) };
    } catch {
      return null;
    }
  }

  app.get<{ Querystring: Record<string, string> }>(
    '/auth/vneid/callback',
    { config: limit, schema: { tags: ['auth'], summary: 'VNeID chuyển trình duyệt về đây sau khi xác thực' } },
    async (req, reply) => {
      const flow = readFlow(req);
      reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
      const fail = (code: VneidError, next = flow?.next ?? '/') => reply.redirect(errorLocation(code, next), 303);
      if (!flow || typeof req.query.state !== 'string' || req.query.state !== flow.s) return fail('state');
      if (req.query.error) return fail(req.query.error === 'access_denied' ? 'denied' : 'failed');
      let cfg: oidc.Configuration;
      try {
        cfg = await configuration();
      } catch (e) {
        req.log.warn({ vneid: errMeta(e) }, 'vneid discovery failed');
        return fail('unavailable');
      }

      let claims: Record<string, unknown>;
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, new URL(`${publicUrl}${req.url}`), {
          pkceCodeVerifier: flow.v,
          expectedState: flow.s,
          expectedNonce: flow.n,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) return fail('failed');
        claims = { ...idClaims };
        if (claims[v.idNumberClaim] === undefined || claims.name === undefined) {
          const info = await oidc.fetchUserInfo(cfg, tokens.access_token, idClaims.sub);
          claims = { ...info, ...idClaims };
        }
      } catch (e) {
        req.log.warn({ vneid: errMeta(e) }, 'vneid code exchange failed');
        return fail('failed');
      }

      const birthDate = birthDateOf(claims);
      const gender = claims.gender === 'male' || claims.gender === 'female' ? claims.gender : null;
      const checked = checkIdNumber(String(claims[v.idNumberClaim] ?? ''), { birthDate, gender });
      if (!checked.ok) {
        req.log.warn({ vneid: { reason: checked.code } }, 'vneid identity refused: ID number not valid');
        return fail('id_number');
      }

      const issuer = cfg.serverMetadata().issuer;
      const subject = String(claims.sub);
      const token = randomBytes(32).toString('base64url');
      const userAgent = req.headers['user-agent']?.slice(0, 300) ?? null;
      const signIn = () =>
        db.orm.transaction(async (tx) => {
          const r = await mapAccount(tx, {
            issuer,
            subject,
            idNumber: checked.value,
            birthDate,
            displayName: displayNameOf(claims),
            phone: localPhone(claims.phone_number),
          });
          const ctx = (accountId: string, label: string): RequestContext => ({
            ...req.ctx,
            actor: { kind: 'citizen', accountId, label, grants: [] },
          });
          if (!r.ok) {
            if (r.accountId) {
              await recordAudit(tx, ctx(r.accountId, r.username ?? ''), {
                action: 'auth.login_failed',
                targetType: 'account',
                targetId: r.accountId,
                details: { method: 'vneid', reason: r.code },
              });
            }
            return r;
          }
          // A sign-in replaces whatever session this browser had.
          if (req.ctx.actor.sessionId) {
            await db.rows(sql`update sessions set revoked_at = now() where id = ${req.ctx.actor.sessionId} and revoked_at is null`, tx);
          }
          await repo.insertSession(tx, {
            token,
            accountId: r.accountId,
            stage: 'full',
            ip: req.ctx.ip,
            userAgent,
            ttlHours: config.sessionTtlHours,
            authMethods: ['fed'],
            assuranceLevel: 2,
          });
          if (r.linked) {
            await recordAudit(tx, ctx(r.accountId, r.username), {
              action: 'identity.federation_linked',
              targetType: 'account',
              targetId: r.accountId,
              details: { issuer, accountCreated: r.created },
            });
          }
          await recordAudit(tx, ctx(r.accountId, r.username), {
            action: 'auth.login',
            targetType: 'account',
            targetId: r.accountId,
            details: { method: 'vneid', stage: 'full', assuranceLevel: 2 },
          });
          return r;
        });
      let result: MapResult;
      try {
        result = await signIn();
      } catch (e) {
        // Two first sign-ins of the same identity at once: the loser sees the winner's link on retry.
        const unique = (e as { code?: string }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505';
        if (!unique && !(e instanceof FirstSignInRace)) throw e;
        result = await signIn();
      }
      if (!result.ok) return fail(result.code);
      reply.setCookie(SESSION_COOKIE, token, sessionCookie);
      return reply.redirect(flow.next, 303);
    },
  );

  /** Finds, links or creates the citizen account of an upstream identity (inside the transaction). */
  async function mapAccount(
    tx: Orm,
    id: { issuer: string; subject: string; idNumber: string; birthDate: string | null; displayName: string; phone: string | null },
  ): Promise<MapResult> {
    const [link] = await db.rows<{ account_id: string }>(
      sql`select account_id from account_federations where issuer = ${id.issuer} and subject = ${id.subject} for update`,
      tx,
    );
    let account: AccountRow | undefined;
    let created = false;
    if (link) {
      account = await repo.accountById(link.account_id, tx);
    } else {
      [account] = await db.rows<AccountRow>(sql`select * from accounts where id_number = ${id.idNumber} for update`, tx);
    }
    if (!account) {
      const username = `vneid.${randomBytes(5).toString('hex')}`;
      const row = await createAccount(
        tx,
        { username, displayName: id.displayName, kind: 'citizen', password: randomBytes(32).toString('base64url'), phone: id.phone },
        // The random password is never shown: the account signs in through VNeID (or after a reset).
        { skipPolicy: true },
      );
      account = await repo.accountById(row.id, tx);
      created = true;
    }
    if (!account) return { ok: false, code: 'failed' };
    const who = { accountId: account.id, username: account.username };
    if (account.kind !== 'citizen') return { ok: false, code: 'staff', ...who };
    if (account.status !== 'active') return { ok: false, code: 'disabled', ...who };
    if (account.id_number && account.id_number !== id.idNumber) return { ok: false, code: 'conflict', ...who };
    if (!account.id_number) {
      const taken = await db.rows(sql`select 1 from accounts where id_number = ${id.idNumber} and id <> ${account.id}`, tx);
      if (taken.length) {
        // The same person's other first sign-in created the account meanwhile: start again, it will be found.
        if (created) throw new FirstSignInRace();
        return { ok: false, code: 'conflict', ...who };
      }
    }
    await db.rows(
      sql`update accounts set id_number = ${id.idNumber}, birth_date = coalesce(birth_date, ${id.birthDate}::date),
            assurance_level = greatest(assurance_level, 2), updated_at = now()
          where id = ${account.id}`,
      tx,
    );
    const linked = !link;
    await db.rows(
      sql`insert into account_federations (issuer, subject, account_id) values (${id.issuer}, ${id.subject}, ${account.id})
          on conflict (issuer, subject) do update set last_login_at = now()`,
      tx,
    );
    return { ok: true, ...who, created, linked };
  }
}

/** Thrown (rolling the transaction back) when a concurrent first sign-in of the same person won. */
class FirstSignInRace extends Error {}
