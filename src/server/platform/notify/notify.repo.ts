/**
 * All SQL of the notify block.
 */
import { and, asc, eq, or, type SQL, sql } from 'drizzle-orm';
import type { Orm } from '../db/database';
import type { ChannelName } from './notify.render';
import {
  type NewNotificationRow,
  type NotificationRow,
  notifications as n,
  type TemplateRow,
  notificationTemplates as t,
} from './notify.tables';

export async function getTemplate(db: Orm, code: string, channel: ChannelName): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(t)
    .where(and(eq(t.code, code), eq(t.channel, channel)));
  return row;
}

export function listTemplates(db: Orm): Promise<TemplateRow[]> {
  return db.select().from(t).orderBy(asc(t.code), asc(t.channel));
}

/** Every channel variant of a template code, locked for update. */
export function templatesOfCode(tx: Orm, code: string): Promise<TemplateRow[]> {
  return tx.select().from(t).where(eq(t.code, code)).for('update');
}

export async function upsertTemplate(
  tx: Orm,
  row: {
    code: string;
    channel: ChannelName;
    description: string;
    variables: string[];
    subject: string | null;
    body: string;
    updatedBy: string | null;
  },
): Promise<TemplateRow> {
  const [saved] = await tx
    .insert(t)
    .values({ ...row, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [t.code, t.channel],
      set: { subject: row.subject, body: row.body, updatedAt: sql`now()`, updatedBy: row.updatedBy },
    })
    .returning();
  if (!saved) throw new Error('upsert notification_templates returned nothing');
  return saved;
}

export async function insertNotification(tx: Orm, row: NewNotificationRow): Promise<NotificationRow> {
  const [saved] = await tx.insert(n).values(row).returning();
  if (!saved) throw new Error('insert notifications returned nothing');
  return saved;
}

export async function getNotification(db: Orm, id: string): Promise<NotificationRow | undefined> {
  const [row] = await db.select().from(n).where(eq(n.id, id));
  return row;
}

/**
 * Takes a delivery lease: counts the attempt and marks the row as being delivered until the lease ends,
 * unless it is already sent or another delivery holds a lease. Returns the row, or undefined.
 */
export async function claimForDelivery(db: Orm, id: string, leaseSeconds: number): Promise<NotificationRow | undefined> {
  const [row] = await db
    .update(n)
    .set({ attempts: sql`${n.attempts} + 1`, lockedUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(and(eq(n.id, id), sql`${n.status} <> 'sent'`, sql`(${n.lockedUntil} is null or ${n.lockedUntil} < now())`))
    .returning();
  return row;
}

export async function markSent(db: Orm, id: string, providerId: string): Promise<NotificationRow> {
  const [row] = await db
    .update(n)
    .set({ status: 'sent', providerId, lastError: null, sentAt: sql`now()`, lockedUntil: null })
    .where(eq(n.id, id))
    .returning();
  if (!row) throw new Error(`notification ${id} vanished`);
  return row;
}

export async function markFailed(db: Orm, id: string, error: string): Promise<NotificationRow> {
  const [row] = await db.update(n).set({ status: 'failed', lastError: error, lockedUntil: null }).where(eq(n.id, id)).returning();
  if (!row) throw new Error(`notification ${id} vanished`);
  return row;
}

export interface OutboxFilter {
  channel?: ChannelName;
  status?: 'queued' | 'sent' | 'failed';
  targetType?: string;
  targetId?: string;
  /** Agency paths the reader may see ('all' = everything). */
  scopes: string[] | 'all';
  after?: { key: string; id: string };
  limit: number;
}

export type OutboxRow = NotificationRow & { createdKey: string };

/** Newest first; `createdKey` is created_at at full (microsecond) precision, for the cursor. */
export async function listOutbox(db: Orm, f: OutboxFilter): Promise<OutboxRow[]> {
  const conds: SQL[] = [];
  if (f.channel) conds.push(eq(n.channel, f.channel));
  if (f.status) conds.push(eq(n.status, f.status));
  if (f.targetType) conds.push(eq(n.targetType, f.targetType));
  if (f.targetId) conds.push(eq(n.targetId, f.targetId));
  if (f.scopes !== 'all') {
    if (f.scopes.length === 0) return [];
    const within = f.scopes.map((s) => sql`(${n.scope} = ${s} or left(${n.scope}, ${s.length + 1}) = ${`${s}/`})`);
    conds.push(or(...within) as SQL);
  }
  if (f.after) conds.push(sql`(${n.createdAt}, ${n.id}) < (${f.after.key}::timestamptz, ${f.after.id}::uuid)`);
  return db
    .select({
      ...columnsOf(),
      createdKey: sql<string>`to_char(${n.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(n)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(sql`${n.createdAt} desc`, sql`${n.id} desc`)
    .limit(f.limit + 1);
}

function columnsOf() {
  return {
    id: n.id,
    channel: n.channel,
    recipient: n.recipient,
    templateCode: n.templateCode,
    subject: n.subject,
    body: n.body,
    bodyHtml: n.bodyHtml,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    providerId: n.providerId,
    targetType: n.targetType,
    targetId: n.targetId,
    scope: n.scope,
    createdBy: n.createdBy,
    jobId: n.jobId,
    lockedUntil: n.lockedUntil,
    createdAt: n.createdAt,
    sentAt: n.sentAt,
  };
}
