/**
 * oidc-provider's storage on our database (PGlite or PostgreSQL): one table `sso_payloads` for every
 * model, and the registered clients read from `sso_clients` (the Client model is read-only here).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Config } from '../../config';
import { type Database, sql } from '../../platform/db/database';
import { clientMetadata, type SsoClientRow } from './sso.repo';

export function adapterFactory(db: Database, config: Config) {
  let writes = 0;

  async function sweep() {
    // Expired rows are never read (find checks expires_at); they are deleted from time to time.
    await db.rows(sql`delete from sso_payloads where expires_at < now() - interval '1 hour'`).catch(() => {});
  }

  return class DbAdapter implements Adapter {
    constructor(readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.name === 'Client') throw new Error('Clients are managed through /api/v1/sso/clients');
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const accountId = payload.accountId ?? payload.session?.accountId ?? null;
      const clientId = payload.clientId ?? null;
      await db.rows(sql`
        insert into sso_payloads (id, model, payload, grant_id, user_code, uid, account_id, client_id, expires_at)
        values (${id}, ${this.name}, ${JSON.stringify(payload)}::jsonb, ${payload.grantId ?? null}, ${payload.userCode ?? null},
                ${payload.uid ?? null}, ${accountId}, ${clientId}, ${expiresAt})
        on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, account_id = excluded.account_id,
          client_id = excluded.client_id, expires_at = excluded.expires_at`);
      if (++writes % 500 === 0) void sweep();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') {
        const [c] = await db.rows<SsoClientRow>(sql`select * from sso_clients where client_id = ${id} and status = 'active'`);
        return c ? (clientMetadata(c, config) as AdapterPayload) : undefined;
      }
      return this.one(sql`model = ${this.name} and id = ${id}`);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.one(sql`model = ${this.name} and uid = ${uid}`);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.one(sql`model = ${this.name} and user_code = ${userCode}`);
    }

    async consume(id: string): Promise<void> {
      await db.rows(sql`update sso_payloads set consumed_at = now() where model = ${this.name} and id = ${id}`);
    }

    async destroy(id: string): Promise<void> {
      await db.rows(sql`delete from sso_payloads where model = ${this.name} and id = ${id}`);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.rows(sql`delete from sso_payloads where model = ${this.name} and grant_id = ${grantId}`);
    }

    private async one(where: ReturnType<typeof sql>): Promise<AdapterPayload | undefined> {
      const [r] = await db.rows<{ payload: AdapterPayload | string; consumed_at: Date | null }>(
        sql`select payload, consumed_at from sso_payloads where ${where} and (expires_at is null or expires_at > now())`,
      );
      if (!r) return undefined;
      const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as AdapterPayload) : r.payload;
      return r.consumed_at ? { ...payload, consumed: Math.floor(new Date(r.consumed_at).getTime() / 1000) } : payload;
    }
  };
}
