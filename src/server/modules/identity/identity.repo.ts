/**
 * All SQL of the identity module.
 */
import { createHash } from 'node:crypto';
import { type Database, type Orm, sql } from '../../platform/db/database';

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  kind: 'staff' | 'citizen';
  password_hash: string;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: Date | null;
  totp_secret_enc: string | null;
  totp_enabled: boolean;
  totp_last_step: string | null;
  /** 12-digit personal identification number (CCCD); never log it. */
  id_number: string | null;
  /** 1 local account, 2 identity proven through VNeID. */
  assurance_level: number;
  birth_date: string | Date | null;
}

export interface SessionRow {
  id: string;
  account_id: string;
  stage: 'totp' | 'enroll' | 'full';
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function identityRepo(db: Database) {
  return {
    async accountByUsername(username: string, tx?: Orm): Promise<AccountRow | undefined> {
      const [row] = await db.rows<AccountRow>(sql`select * from accounts where username = ${username.toLowerCase()}`, tx);
      return row;
    },
    async accountById(id: string, tx?: Orm): Promise<AccountRow | undefined> {
      const [row] = await db.rows<AccountRow>(sql`select * from accounts where id = ${id}`, tx);
      return row;
    },
    /** Counts a failed attempt; locks the account when the limit is reached. Returns the new state. */
    async recordFailure(id: string, maxFailures: number, lockMinutes: number, tx?: Orm) {
      const [row] = await db.rows<{ failed_logins: number; locked_until: Date | null }>(
        sql`update accounts set
              failed_logins = failed_logins + 1,
              locked_until = case when failed_logins + 1 >= ${maxFailures}
                                  then now() + make_interval(mins => ${lockMinutes}) else locked_until end
            where id = ${id} returning failed_logins, locked_until`,
        tx,
      );
      return row;
    },
    async resetFailures(id: string, tx?: Orm) {
      await db.rows(sql`update accounts set failed_logins = 0, locked_until = null where id = ${id}`, tx);
    },
    async setPassword(id: string, passwordHash: string, tx?: Orm) {
      await db.rows(
        sql`update accounts set password_hash = ${passwordHash}, password_changed_at = now(), updated_at = now() where id = ${id}`,
        tx,
      );
    },
    async setTotp(id: string, secretEnc: string | null, enabled: boolean, tx?: Orm) {
      await db.rows(
        sql`update accounts set totp_secret_enc = ${secretEnc}, totp_enabled = ${enabled}, totp_last_step = null, updated_at = now()
            where id = ${id}`,
        tx,
      );
    },
    /** Accepts a TOTP step only if newer than the last one used (no replay). */
    async consumeTotpStep(id: string, step: number, tx?: Orm): Promise<boolean> {
      const rows = await db.rows(
        sql`update accounts set totp_last_step = ${step}
            where id = ${id} and (totp_last_step is null or totp_last_step < ${step}) returning id`,
        tx,
      );
      return rows.length === 1;
    },
    async insertSession(
      tx: Orm,
      s: {
        token: string;
        accountId: string;
        stage: SessionRow['stage'];
        ip: string | null;
        userAgent: string | null;
        ttlHours: number;
        /** How the session was established: 'pwd', 'otp', 'fed' (default ['pwd']). */
        authMethods?: readonly string[];
        /** 1 local sign-in (default), 2 through VNeID. */
        assuranceLevel?: number;
      },
    ): Promise<string> {
      const methods = `{${(s.authMethods ?? ['pwd']).join(',')}}`;
      const [row] = await db.rows<{ id: string }>(
        sql`insert into sessions (token_hash, account_id, stage, ip, user_agent, expires_at, auth_methods, assurance_level)
            values (${tokenHash(s.token)}, ${s.accountId}, ${s.stage}, ${s.ip}, ${s.userAgent},
                    now() + make_interval(hours => ${s.ttlHours}), ${methods}::text[], ${s.assuranceLevel ?? 1}) returning id`,
        tx,
      );
      return (row as { id: string }).id;
    },
    /** A live session with its account, by cookie token. */
    async sessionByToken(token: string) {
      const [row] = await db.rows<SessionRow & { username: string; display_name: string; kind: 'staff' | 'citizen'; status: string }>(
        sql`select s.id, s.account_id, s.stage, s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at,
                   a.username, a.display_name, a.kind, a.status
            from sessions s join accounts a on a.id = s.account_id
            where s.token_hash = ${tokenHash(token)} and s.revoked_at is null and s.expires_at > now()`,
      );
      return row;
    },
    async touchSession(id: string) {
      await db.rows(sql`update sessions set last_seen_at = now() where id = ${id}`);
    },
    async setSessionStage(id: string, stage: SessionRow['stage'], tx?: Orm, authMethods?: readonly string[]) {
      if (authMethods) {
        await db.rows(
          sql`update sessions set stage = ${stage}, auth_methods = ${`{${authMethods.join(',')}}`}::text[] where id = ${id}`,
          tx,
        );
      } else await db.rows(sql`update sessions set stage = ${stage} where id = ${id}`, tx);
    },
    async revokeSession(id: string, accountId: string, tx?: Orm): Promise<boolean> {
      const rows = await db.rows(
        sql`update sessions set revoked_at = now() where id = ${id} and account_id = ${accountId} and revoked_at is null returning id`,
        tx,
      );
      return rows.length === 1;
    },
    async revokeOtherSessions(accountId: string, keepId: string | null, tx?: Orm) {
      await db.rows(
        sql`update sessions set revoked_at = now()
            where account_id = ${accountId} and revoked_at is null and (${keepId}::uuid is null or id <> ${keepId}::uuid)`,
        tx,
      );
    },
    async liveSessions(accountId: string): Promise<SessionRow[]> {
      return db.rows<SessionRow>(
        sql`select id, account_id, stage, ip, user_agent, created_at, last_seen_at, expires_at from sessions
            where account_id = ${accountId} and revoked_at is null and expires_at > now() order by last_seen_at desc limit 100`,
      );
    },
  };
}

export type IdentityRepo = ReturnType<typeof identityRepo>;

/** Inserts an account in the caller's transaction; undefined when the username is taken. */
export async function insertAccount(
  tx: Orm,
  a: { username: string; displayName: string; kind: string; passwordHash: string; email?: string | null; phone?: string | null },
): Promise<{ id: string } | undefined> {
  const res = (await tx.execute(
    sql`insert into accounts (username, display_name, kind, password_hash, email, phone)
        values (${a.username}, ${a.displayName}, ${a.kind}, ${a.passwordHash}, ${a.email ?? null}, ${a.phone ?? null})
        on conflict (username) do nothing returning id`,
  )) as unknown as { rows: { id: string }[] };
  return res.rows[0];
}
