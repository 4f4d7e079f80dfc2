/**
 * What the channel keeps, and for how long (job `zalo.purge`, daily at 03:15). An abandoned report dialogue loses
 * its draft and photo once it has expired (a day without a message: the next message starts afresh anyway); the
 * event log, which only stops Zalo's resends from being handled twice, keeps 30 days; sent and failed replies keep
 * 90 days (what the citizen was told, for complaints), pending ones stay until sent or failed.
 */
import { type Database, sql } from '../../platform/db/database';
import { DRAFT_TTL_MS } from './zalo.service';

export const PURGE_JOB = 'zalo.purge';
const EVENT_DAYS = 30;
const REPLY_DAYS = 90;

export async function purgeZalo(db: Database): Promise<{ drafts: number; events: number; replies: number }> {
  const hours = DRAFT_TTL_MS / 3600_000;
  const drafts = await db.rows(
    sql`update zalo_conversations set step = 'idle', draft = '{}'::jsonb, photo = null, version = version + 1, updated_at = now()
         where (step <> 'idle' or photo is not null) and updated_at < now() - make_interval(hours => ${hours})
         returning user_id`,
  );
  const events = await db.rows(
    sql`delete from zalo_events where received_at < now() - make_interval(days => ${EVENT_DAYS}) returning event_id`,
  );
  const replies = await db.rows(
    sql`delete from zalo_outbox where status <> 'pending' and coalesce(sent_at, created_at) < now() - make_interval(days => ${REPLY_DAYS})
        returning id`,
  );
  return { drafts: drafts.length, events: events.length, replies: replies.length };
}
