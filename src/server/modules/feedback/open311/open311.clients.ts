/**
 * Registered Open311 API clients (open311_clients): the partners' apps that may POST service requests.
 * A key is 32 random bytes (base64url), shown once when the client is created and stored only as its SHA-256.
 * Administration needs `feedback.manage`; every change is audited.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { recordAudit } from '../../../platform/audit/audit';
import { requireAccess } from '../../../platform/auth/access';
import type { RequestContext } from '../../../platform/auth/actor';
import { type Database, sql } from '../../../platform/db/database';
import { problems } from '../../../platform/http/problem';

export interface Open311Client {
  id: string;
  name: string;
  contactEmail: string | null;
  keyPrefix: string;
  status: 'active' | 'disabled';
  createdAt: string;
  lastUsedAt: string | null;
}

interface ClientRow {
  id: string;
  name: string;
  contact_email: string | null;
  key_prefix: string;
  status: 'active' | 'disabled';
  created_at: string | Date;
  last_used_at: string | Date | null;
}

/** The demo partner's key (demo seed only; documented in docs/open311.md). Never valid outside the demo. */
export const DEMO_OPEN311_KEY = 'demo-open311-khoa-chi-dung-cho-demo';
export const DEMO_OPEN311_CLIENT = 'Ứng dụng đối tác demo';

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
const prefixOf = (key: string) => `${key.slice(0, 6)}…`;

const toClient = (r: ClientRow): Open311Client => ({
  id: r.id,
  name: r.name,
  contactEmail: r.contact_email,
  keyPrefix: r.key_prefix,
  status: r.status,
  createdAt: iso(r.created_at) as string,
  lastUsedAt: iso(r.last_used_at),
});

export function open311Clients(db: Database) {
  return {
    async list(ctx: RequestContext): Promise<{ items: Open311Client[] }> {
      requireAccess(ctx.actor, 'feedback.manage');
      const rows = await db.rows<ClientRow>(sql`select * from open311_clients order by created_at desc, name`);
      return { items: rows.map(toClient) };
    },

    /** A new client and its key; the key is in this answer only. */
    async create(ctx: RequestContext, input: { name: string; contactEmail?: string }): Promise<Open311Client & { apiKey: string }> {
      requireAccess(ctx.actor, 'feedback.manage');
      const name = input.name.trim();
      if (!name) throw problems.validation([{ field: 'body/name', message: 'Vui lòng nhập tên ứng dụng' }]);
      const apiKey = randomBytes(32).toString('base64url');
      const id = randomUUID();
      const row = await db.orm.transaction(async (tx) => {
        const [r] = await db.rows<ClientRow>(
          sql`insert into open311_clients (id, name, contact_email, key_hash, key_prefix, created_by)
              values (${id}, ${name}, ${input.contactEmail?.trim() || null}, ${hashKey(apiKey)}, ${prefixOf(apiKey)}, ${ctx.actor.accountId})
              returning *`,
          tx,
        );
        await recordAudit(tx, ctx, { action: 'open311.client_created', targetType: 'open311_client', targetId: id, details: { name } });
        return r as ClientRow;
      });
      return { ...toClient(row), apiKey };
    },

    /** Disables a client: its key is refused from now on; the row stays for the audit trail. */
    async disable(ctx: RequestContext, id: string): Promise<void> {
      requireAccess(ctx.actor, 'feedback.manage');
      if (!uuidRe.test(id)) throw problems.notFound('Không tìm thấy ứng dụng.');
      await db.orm.transaction(async (tx) => {
        const [r] = await db.rows<{ id: string; status: string }>(
          sql`select id, status from open311_clients where id = ${id} for update`,
          tx,
        );
        if (!r) throw problems.notFound('Không tìm thấy ứng dụng.');
        if (r.status === 'disabled') return;
        await db.rows(sql`update open311_clients set status = 'disabled', disabled_at = now() where id = ${id}`, tx);
        await recordAudit(tx, ctx, { action: 'open311.client_disabled', targetType: 'open311_client', targetId: id });
      });
    },

    /** The active client holding this key, or null; records its last use. */
    async authenticate(apiKey: string | undefined | null): Promise<{ id: string; name: string } | null> {
      if (!apiKey || apiKey.length > 200) return null;
      const [c] = await db.rows<{ id: string; name: string }>(
        sql`update open311_clients set last_used_at = now()
             where key_hash = ${hashKey(apiKey)} and status = 'active' returning id, name`,
      );
      return c ?? null;
    },
  };
}

export type Open311ClientService = ReturnType<typeof open311Clients>;

/** Demo seed: the partner app "Ứng dụng đối tác demo" with the documented demo key (idempotent). */
export async function seedDemoOpen311(db: Database): Promise<void> {
  await db.rows(
    sql`insert into open311_clients (id, name, contact_email, key_hash, key_prefix)
        values (${randomUUID()}, ${DEMO_OPEN311_CLIENT}, ${'doitac@example.vn'}, ${hashKey(DEMO_OPEN311_KEY)}, ${prefixOf(DEMO_OPEN311_KEY)})
        on conflict (key_hash) do nothing`,
  );
}
