/**
 * The audit log: one append-only, hash-chained row per write.
 *
 * Call recordAudit() inside the business transaction: the row is committed, or rolled back, with the
 * write. It is inserted unchained and takes no lock, so audited writers never wait for one another; a
 * chainer (chainAuditLog, run in a loop by every process that runs job workers, one at a time under an
 * advisory lock) links the committed rows in order soon after — their place in the chain (chain_pos),
 * the previous row's hash and their own (migrations/0910, docs/adr/0011-audit-chain-after-commit.md).
 */
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { RequestContext } from '../auth/actor';
import { type Database, type Orm, sql } from '../db/database';

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
 * Appends an entry to the log, unchained, in one call to the database (`audit_append`): the chainer links
 * it after the caller's transaction commits.
 */
export async function recordAudit(tx: Orm, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await tx.execute(auditAppend(ctx, entry));
}

/**
 * The statement recordAudit runs, to be part of a larger one (a CTE: `audited as (${auditAppend(…)})`, which
 * that statement must select from so it runs), written with the business rows in one round trip. `computed`
 * adds details the larger statement only knows as SQL (e.g. a number it takes), merged over `entry.details`.
 */
export function auditAppend(ctx: RequestContext, entry: AuditEntry, computed?: SQL): SQL {
  const details = sql`${JSON.stringify(entry.details ?? {})}::jsonb`;
  return sql`select audit_append(${AUDIT_LOCK}, ${new Date().toISOString()}, ${ctx.actor.accountId}, ${ctx.actor.label},
    ${entry.action}, ${entry.targetType}, ${entry.targetId ?? null}, ${ctx.ip}, ${ctx.requestId}, ${computed ? sql`${details} || ${computed}` : details},
    '', '')`;
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
  /** Null until the chainer links the row. */
  prev_hash: string | null;
  hash: string | null;
  chain_pos: string | null;
}

export type VerifyResult =
  | { ok: true; checked: number; unchained: number }
  | { ok: false; checked: number; brokenAt: string; reason: string };

/** A stored row's entry as the API shows it and as its hash covers it (without the chain's own fields). */
export function entryOf(r: AuditRow): Omit<ChainFields, 'prevHash'> {
  return {
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    sourceIp: r.source_ip,
    requestId: r.request_id,
    details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  };
}

/** The fields a row's hash covers, as stored (the same reading for linking and for verifying). */
const chainFieldsOf = (r: AuditRow, prevHash: string): ChainFields => ({ ...entryOf(r), prevHash });

const rowsOf = async (db: Orm, query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as { rows: AuditRow[] }).rows;

/**
 * Links up to `batch` committed, unchained rows to the end of the chain, oldest seq first; returns how
 * many. One chainer at a time (the chain's advisory lock, for its transaction only).
 */
export async function chainAuditLog(db: Orm, batch = 1000): Promise<number> {
  const [pending] = await rowsOf(db, sql`select seq from audit_log where chain_pos is null limit 1`);
  if (!pending) return 0;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const rows = await rowsOf(tx, sql`select * from audit_log where chain_pos is null order by seq limit ${batch}`);
    if (!rows.length) return 0;
    const [last] = await rowsOf(tx, sql`select chain_pos, hash from audit_log where chain_pos is not null order by chain_pos desc limit 1`);
    let pos = BigInt(last?.chain_pos ?? 0);
    let prev = last?.hash ?? GENESIS_HASH;
    const links = rows.map((r) => {
      pos += 1n;
      const hash = chainHash(chainFieldsOf(r, prev));
      const link = sql`(${String(r.seq)}::bigint, ${String(pos)}::bigint, ${prev}::text, ${hash}::text)`;
      prev = hash;
      return link;
    });
    await tx.execute(sql`update audit_log a set chain_pos = x.pos, prev_hash = x.prev, hash = x.hash
      from (values ${sql.join(links, sql`, `)}) as x (seq, pos, prev, hash) where a.seq = x.seq`);
    return rows.length;
  });
}

export interface AuditChainer {
  /** Stops the loop, after the run in progress. */
  stop(): Promise<void>;
}

/** Links new rows every `intervalMs` (and at once again while there is a backlog) until stopped. */
export function startAuditChainer(db: Database, log: Logger, intervalMs = 500): AuditChainer {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const BATCH = 1000;
  const tick = () => {
    timer = null;
    running = (async () => {
      try {
        while (!stopped && (await chainAuditLog(db.orm, BATCH)) === BATCH) {}
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'Chưa liên kết được nhật ký hệ thống vào chuỗi băm, sẽ thử lại');
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Links the rows still unchained (unless `link` is false), then walks the chain in order (in pages, so it
 * scales) and reports the first broken link. Rows left unchained are counted, not checked.
 */
export async function verifyAuditChain(db: Orm, pageSize = 5000, link = true): Promise<VerifyResult> {
  if (link) while ((await chainAuditLog(db)) > 0) {}
  let prev = GENESIS_HASH;
  let after = '0';
  let checked = 0;
  for (;;) {
    const page = await rowsOf(db, sql`select * from audit_log where chain_pos > ${after}::bigint order by chain_pos limit ${pageSize}`);
    if (page.length === 0) break;
    for (const r of page) {
      if (r.prev_hash !== prev) {
        return { ok: false, checked, brokenAt: String(r.seq), reason: 'prev_hash không khớp với bản ghi trước' };
      }
      const hash = chainHash(chainFieldsOf(r, prev));
      if (hash !== r.hash) {
        return { ok: false, checked, brokenAt: String(r.seq), reason: 'nội dung bản ghi đã bị thay đổi (hash sai)' };
      }
      prev = hash;
      after = String(r.chain_pos);
      checked++;
    }
  }
  const { rows } = (await db.execute(sql`select count(*)::int as n from audit_log where chain_pos is null`)) as unknown as {
    rows: { n: number }[];
  };
  return { ok: true, checked, unchained: Number(rows[0]?.n ?? 0) };
}
