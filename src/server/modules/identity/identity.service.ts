/**
 * Identity use cases: sign-in with password and TOTP, lockout, sessions, password change,
 * TOTP enrolment, and turning a session cookie into an Actor.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { requireSignedIn } from '../../platform/auth/access';
import type { Actor, Grant, RequestContext } from '../../platform/auth/actor';
import { anonymous } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { Problem, problems } from '../../platform/http/problem';
import { maskIdNumber } from './identity.numbers';
import { type AccountRow, type IdentityRepo, identityRepo, insertAccount, tokenHash } from './identity.repo';
import { checkPasswordPolicy, decoyHash, hashPassword, verifyPassword } from './passwords';
import { decryptSecret, encryptSecret, enrolmentData, matchTotp, newTotpSecret } from './totp';

export interface OrgLookup {
  grantsForAccount(accountId: string): Promise<Grant[]>;
  agencyOfAccount(accountId: string): Promise<{ id: string; name: string } | null>;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  roles: string[];
  permissions: string[];
  agency: { id: string; name: string } | null;
  totpEnabled: boolean;
  /** 1 local account, 2 identity proven through VNeID. */
  assuranceLevel: 1 | 2;
  /** `********1234`; null when no ID number is recorded. */
  idNumberMasked: string | null;
}

export type LoginResult =
  | { stage: 'done'; me: Me; token: string }
  | { stage: 'totp'; token: string }
  | { stage: 'totp_enroll'; me: Me; token: string };

const invalidCredentials = () =>
  new Problem(401, 'invalid_credentials', 'Sai tên đăng nhập hoặc mật khẩu', 'Tên đăng nhập hoặc mật khẩu không đúng.');

const locked = (until: Date) =>
  new Problem(
    423,
    'account_locked',
    'Tài khoản tạm khóa',
    `Tài khoản bị tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau ${until.toLocaleTimeString('vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hour: '2-digit',
      minute: '2-digit',
    })}.`,
    undefined,
    { lockedUntil: until.toISOString() },
  );

/**
 * How long a resolved session cookie is reused without asking the database (two queries per request
 * otherwise). Logout, revocation, a password change and a completed second factor drop the entries of
 * this process at once; other processes, and role or account changes, take effect within this time.
 */
const ACTOR_CACHE_MS = 2000;

export function identityService(db: Database, config: Config, org: OrgLookup) {
  const repo: IdentityRepo = identityRepo(db);
  const tx = <T>(fn: (tx: Orm) => Promise<T>) => db.orm.transaction(fn);
  const actors = new Map<string, { actor: Actor; until: number }>();
  // Bumped by every invalidation: a lookup that started before one does not store its (maybe stale) answer.
  let actorsEpoch = 0;
  const forgetActors = (match: (a: Actor) => boolean) => {
    actorsEpoch++;
    for (const [k, v] of actors) if (match(v.actor)) actors.delete(k);
  };
  const forgetSession = (sessionId: string) => forgetActors((a) => a.sessionId === sessionId);

  /** The actor behind a session token, read from the database (resolveActor keeps it ACTOR_CACHE_MS). */
  async function lookupActor(token: string): Promise<Actor> {
    const s = await repo.sessionByToken(token);
    if (!s || s.status !== 'active') return anonymous;
    // Refresh last-seen at most once a minute: no write on every request.
    if (Date.now() - new Date(s.last_seen_at).getTime() > 60_000) await repo.touchSession(s.id);
    if (s.stage === 'totp') return { ...anonymous, accountId: s.account_id, sessionId: s.id, pending: 'totp' };
    const base = { kind: s.kind, accountId: s.account_id, label: s.username, sessionId: s.id } as const;
    if (s.stage === 'enroll') return { ...base, grants: [], pending: 'enroll' };
    return { ...base, grants: await org.grantsForAccount(s.account_id) };
  }
  const newToken = () => randomBytes(32).toString('base64url');

  async function me(accountId: string, grants?: readonly Grant[]): Promise<Me> {
    const a = await repo.accountById(accountId);
    if (!a) throw problems.unauthorized();
    const g = grants ?? (await org.grantsForAccount(accountId));
    return {
      id: a.id,
      username: a.username,
      displayName: a.display_name,
      kind: a.kind,
      roles: [...new Set(g.map((x) => x.role))],
      permissions: [...new Set(g.flatMap((x) => [...x.permissions]))].sort(),
      agency: a.kind === 'staff' ? await org.agencyOfAccount(a.id) : null,
      totpEnabled: a.totp_enabled,
      assuranceLevel: a.assurance_level >= 2 ? 2 : 1,
      idNumberMasked: maskIdNumber(a.id_number),
    };
  }

  function ctxFor(ctx: RequestContext, a: AccountRow): RequestContext {
    return { ...ctx, actor: { kind: a.kind, accountId: a.id, label: a.username, grants: [] } };
  }

  async function failedAttempt(ctx: RequestContext, a: AccountRow, action: string): Promise<Problem> {
    return tx(async (t) => {
      const state = await repo.recordFailure(a.id, config.loginMaxFailures, config.loginLockMinutes, t);
      const nowLocked = state?.locked_until && new Date(state.locked_until) > new Date();
      await recordAudit(t, ctxFor(ctx, a), {
        action: nowLocked ? 'auth.account_locked' : action,
        targetType: 'account',
        targetId: a.id,
        details: { failedLogins: state?.failed_logins },
      });
      return nowLocked ? locked(new Date(state.locked_until as Date)) : invalidCredentials();
    });
  }

  return {
    me,

    async login(ctx: RequestContext, input: { username: string; password: string; userAgent: string | null }): Promise<LoginResult> {
      const a = await repo.accountByUsername(input.username.trim());
      if (!a) {
        await verifyPassword(await decoyHash(), input.password);
        throw invalidCredentials();
      }
      if (a.locked_until && new Date(a.locked_until) > new Date()) throw locked(new Date(a.locked_until));
      if (!(await verifyPassword(a.password_hash, input.password))) throw await failedAttempt(ctx, a, 'auth.login_failed');
      if (a.status !== 'active') throw invalidCredentials();

      const stage = a.totp_enabled ? 'totp' : a.kind === 'staff' && config.staffTotp === 'required' ? 'enroll' : 'full';
      const token = newToken();
      await tx(async (t) => {
        await repo.resetFailures(a.id, t);
        await repo.insertSession(t, {
          token,
          accountId: a.id,
          stage,
          ip: ctx.ip,
          userAgent: input.userAgent,
          ttlHours: config.sessionTtlHours,
        });
        await recordAudit(t, ctxFor(ctx, a), {
          action: stage === 'totp' ? 'auth.password_verified' : 'auth.login',
          targetType: 'account',
          targetId: a.id,
          details: { stage },
        });
      });
      if (stage === 'totp') return { stage: 'totp', token };
      if (stage === 'enroll') return { stage: 'totp_enroll', me: await me(a.id, []), token };
      return { stage: 'done', me: await me(a.id), token };
    },

    async loginTotp(ctx: RequestContext, code: string): Promise<{ stage: 'done'; me: Me }> {
      const { sessionId, pending, accountId } = ctx.actor;
      if (pending !== 'totp' || !sessionId || !accountId) {
        throw problems.badRequest('no_pending_login', 'Chưa nhập mật khẩu', 'Hãy đăng nhập bằng mật khẩu trước khi nhập mã xác thực.');
      }
      const a = await repo.accountById(accountId);
      if (!a?.totp_secret_enc) throw problems.unauthorized();
      if (a.locked_until && new Date(a.locked_until) > new Date()) throw locked(new Date(a.locked_until));
      const step = matchTotp(decryptSecret(a.totp_secret_enc, config.dataEncryptionKey), a.username, code.trim());
      if (step === null || !(await repo.consumeTotpStep(a.id, step))) {
        const p = await failedAttempt(ctx, a, 'auth.totp_failed');
        throw p.code === 'account_locked'
          ? p
          : new Problem(401, 'invalid_totp', 'Mã xác thực không đúng', 'Mã gồm 6 chữ số trong ứng dụng xác thực, đổi sau mỗi 30 giây.');
      }
      await tx(async (t) => {
        await repo.resetFailures(a.id, t);
        await repo.setSessionStage(sessionId, 'full', t, ['pwd', 'otp']);
        await recordAudit(t, ctxFor(ctx, a), {
          action: 'auth.login',
          targetType: 'account',
          targetId: a.id,
          details: { stage: 'full', totp: true },
        });
      });
      forgetSession(sessionId);
      return { stage: 'done', me: await me(a.id) };
    },

    async logout(ctx: RequestContext): Promise<void> {
      const { sessionId, accountId } = ctx.actor;
      if (!sessionId || !accountId) return;
      await tx(async (t) => {
        if (await repo.revokeSession(sessionId, accountId, t)) {
          await recordAudit(t, ctx, { action: 'auth.logout', targetType: 'session', targetId: sessionId });
        }
      });
      forgetSession(sessionId);
    },

    async changePassword(ctx: RequestContext, input: { currentPassword: string; newPassword: string }): Promise<void> {
      requireSignedIn(ctx.actor);
      const a = await repo.accountById(ctx.actor.accountId);
      if (!a) throw problems.unauthorized();
      if (!(await verifyPassword(a.password_hash, input.currentPassword))) {
        throw problems.validation([{ field: 'body/currentPassword', message: 'Mật khẩu hiện tại không đúng' }]);
      }
      const errors = checkPasswordPolicy(input.newPassword, a.username);
      if (input.newPassword === input.currentPassword)
        errors.push({ field: 'body/newPassword', message: 'Mật khẩu mới phải khác mật khẩu hiện tại' });
      if (errors.length) throw problems.validation(errors);
      const hashed = await hashPassword(input.newPassword);
      await tx(async (t) => {
        await repo.setPassword(a.id, hashed, t);
        // Other devices must sign in again with the new password.
        await repo.revokeOtherSessions(a.id, ctx.actor.sessionId ?? null, t);
        await recordAudit(t, ctx, { action: 'auth.password_changed', targetType: 'account', targetId: a.id });
      });
      forgetActors((x) => x.accountId === a.id);
    },

    async totpSetup(ctx: RequestContext) {
      requireSignedIn(ctx.actor);
      const a = await repo.accountById(ctx.actor.accountId);
      if (!a) throw problems.unauthorized();
      if (a.totp_enabled) throw problems.conflict('totp_already_enabled', 'Xác thực hai lớp đã bật', 'Hãy tắt trước khi cài đặt lại.');
      const secret = newTotpSecret();
      await tx(async (t) => {
        await repo.setTotp(a.id, encryptSecret(secret, config.dataEncryptionKey), false, t);
        await recordAudit(t, ctx, { action: 'auth.totp_setup_started', targetType: 'account', targetId: a.id });
      });
      return enrolmentData(secret, a.username);
    },

    async totpEnable(ctx: RequestContext, code: string): Promise<void> {
      requireSignedIn(ctx.actor);
      const a = await repo.accountById(ctx.actor.accountId);
      if (!a) throw problems.unauthorized();
      if (a.totp_enabled) throw problems.conflict('totp_already_enabled', 'Xác thực hai lớp đã bật');
      if (!a.totp_secret_enc) throw problems.badRequest('totp_not_setup', 'Chưa tạo mã bí mật', 'Hãy bấm "Cài đặt" để lấy mã QR trước.');
      const step = matchTotp(decryptSecret(a.totp_secret_enc, config.dataEncryptionKey), a.username, code.trim());
      if (step === null) throw problems.validation([{ field: 'body/code', message: 'Mã xác thực không đúng' }]);
      await tx(async (t) => {
        await repo.setTotp(a.id, a.totp_secret_enc, true, t);
        await repo.consumeTotpStep(a.id, step, t);
        if (ctx.actor.sessionId && ctx.actor.pending === 'enroll') await repo.setSessionStage(ctx.actor.sessionId, 'full', t);
        await recordAudit(t, ctx, { action: 'auth.totp_enabled', targetType: 'account', targetId: a.id });
      });
      if (ctx.actor.sessionId) forgetSession(ctx.actor.sessionId);
    },

    async totpDisable(ctx: RequestContext, code: string): Promise<void> {
      requireSignedIn(ctx.actor);
      const a = await repo.accountById(ctx.actor.accountId);
      if (!a?.totp_enabled || !a.totp_secret_enc) throw problems.conflict('totp_not_enabled', 'Xác thực hai lớp chưa bật');
      if (a.kind === 'staff' && config.staffTotp === 'required') {
        throw problems.unprocessable(
          'totp_required',
          'Không thể tắt xác thực hai lớp',
          'Quy định của tỉnh bắt buộc cán bộ dùng xác thực hai lớp.',
        );
      }
      const step = matchTotp(decryptSecret(a.totp_secret_enc, config.dataEncryptionKey), a.username, code.trim());
      if (step === null || !(await repo.consumeTotpStep(a.id, step))) {
        throw problems.validation([{ field: 'body/code', message: 'Mã xác thực không đúng' }]);
      }
      await tx(async (t) => {
        await repo.setTotp(a.id, null, false, t);
        await recordAudit(t, ctx, { action: 'auth.totp_disabled', targetType: 'account', targetId: a.id });
      });
    },

    async listSessions(ctx: RequestContext) {
      requireSignedIn(ctx.actor);
      const rows = await repo.liveSessions(ctx.actor.accountId);
      return rows.map((s) => ({
        id: s.id,
        createdAt: new Date(s.created_at).toISOString(),
        lastSeenAt: new Date(s.last_seen_at).toISOString(),
        ip: s.ip,
        userAgent: s.user_agent,
        current: s.id === ctx.actor.sessionId,
      }));
    },

    async revokeSession(ctx: RequestContext, sessionId: string): Promise<void> {
      requireSignedIn(ctx.actor);
      const accountId = ctx.actor.accountId;
      const done = await tx(async (t) => {
        if (!(await repo.revokeSession(sessionId, accountId, t))) return false;
        await recordAudit(t, ctx, { action: 'auth.session_revoked', targetType: 'session', targetId: sessionId });
        return true;
      });
      forgetSession(sessionId);
      if (!done) throw problems.notFound('Không tìm thấy phiên đăng nhập.');
    },

    /** The actor behind a session cookie; anonymous when the cookie is missing, expired or revoked. */
    async resolveActor(token: string | undefined): Promise<Actor> {
      if (!token || token.length > 100) return anonymous;
      const key = tokenHash(token);
      const now = Date.now();
      const hit = actors.get(key);
      if (hit && hit.until > now) return hit.actor;
      const epoch = actorsEpoch;
      const actor = await lookupActor(token);
      if (actor.sessionId && epoch === actorsEpoch) {
        if (actors.size > 10_000) actors.clear();
        actors.set(key, { actor, until: now + ACTOR_CACHE_MS });
      } else if (hit) actors.delete(key);
      return actor;
    },
  };
}

export type IdentityService = ReturnType<typeof identityService>;

/**
 * Creates an account inside the caller's transaction. The password must meet the policy unless
 * `skipPolicy` is set (only the demo seed does that, for the documented password `demo`).
 */
export async function createAccount(
  tx: Orm,
  input: {
    username: string;
    displayName: string;
    kind: 'staff' | 'citizen';
    password: string;
    email?: string | null;
    phone?: string | null;
  },
  opts: { skipPolicy?: boolean } = {},
): Promise<{ id: string }> {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z0-9._-]{3,64}$/.test(username)) {
    throw problems.validation([
      { field: 'body/username', message: 'Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch' },
    ]);
  }
  if (!opts.skipPolicy) {
    const errors = checkPasswordPolicy(input.password, username, 'body/password');
    if (errors.length) throw problems.validation(errors);
  }
  const row = await insertAccount(tx, {
    username,
    displayName: input.displayName.trim(),
    kind: input.kind,
    passwordHash: await hashPassword(input.password),
    email: input.email ?? null,
    phone: input.phone ?? null,
  });
  if (!row)
    throw problems.conflict('username_taken', 'Tên đăng nhập đã tồn tại', `Tên đăng nhập "${username}" đã được dùng.`, [
      { field: 'body/username', message: 'Đã có tài khoản với tên này' },
    ]);
  return row;
}
