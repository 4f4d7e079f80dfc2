/**
 * The audit log: one append-only, hash-chained row per write.
 *
 * Call recordAudit() inside the business transaction, as its last statement: it takes a
 * transaction-scoped advisory lock so that concurrent writers chain in commit order, and the
 * lock is held only from there to the commit.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RequestContext } from '../auth/actor';
import { type Orm, sql } from '../db/database';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  /** What changed, without personal data (no ID numbers, phones, passwords). */
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK = 727275;

interface ChainFields {
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  sourceIp: string | null;
  requestId: string | null;
  details: unknown;
  prevHash: string;
}

/** JSON with sorted keys, so jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export function chainHash(f: ChainFields): string {
  return createHash('sha256').update(canonicalJson(f)).digest('hex');
}

/**
 * Appends an entry to the hash chain, as the last statement of the caller's transaction. One call to
 * the database (`audit_append`, migrations/0003): the chain's lock is held from here until commit,
 * so nothing else of the transaction should follow.
 */
export async function recordAudit(tx: Orm, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const fields: ChainFields = {
    at: new Date().toISOString(),
    actorId: ctx.actor.accountId,
    actorLabel: ctx.actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    sourceIp: ctx.ip,
    requestId: ctx.requestId,
    details: entry.details ?? {},
    prevHash: '',
  };
  // The previous hash is only known under the lock, in the database: send the canonical text around it.
  const marker = `prev-${randomUUID()}`;
  const [before, after] = canonicalJson({ ...fields, prevHash: marker }).split(JSON.stringify(marker)) as [string, string];
  await tx.execute(sql`select audit_append(${AUDIT_LOCK}, ${fields.at}, ${fields.actorId}, ${fields.actorLabel}, ${fields.action},
    ${fields.targetType}, ${fields.targetId}, ${fields.sourceIp}, ${fields.requestId}, ${JSON.stringify(fields.details)}::jsonb,
    ${before}, ${after})`);
}

export interface AuditRow {
  seq: string;
  at: Date | string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  source_ip: string | null;
  request_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

export type VerifyResult = { ok: true; checked: number } | { ok: false; checked: number; brokenAt: string; reason: string };

/** Walks the chain in order (in pages, so it scales) and reports the first broken link. */
export async function verifyAuditChain(db: Orm, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after = '0';
  let checked = 0;
  for (;;) {
    const page = (
      (await db.execute(sql`select * from audit_log where seq > ${after}::bigint order by seq limit ${pageSize}`)) as unknown as {
        rows: AuditRow[];
      }
    ).rows;
    if (page.length === 0) return { ok: true, checked };
    for (const r of page) {
      if (r.prev_hash !== prev) {
        return { ok: false, checked, brokenAt: String(r.seq), reason: 'prev_hash không khớp với bản ghi trước' };
      }
      const expected = chainHash({
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        sourceIp: r.source_ip,
        requestId: r.request_id,
        details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
        prevHash: r.prev_hash,
      });
      if (expected !== r.hash) {
        return { ok: false, checked, brokenAt: String(r.seq), reason: 'nội dung bản ghi đã bị thay đổi (hash sai)' };
      }
      prev = r.hash;
      after = String(r.seq);
      checked++;
    }
  }
}
