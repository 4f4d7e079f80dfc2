/**
 * Dead letters: jobs that failed after all their retries land, with their data and last error, in the
 * dead-letter queue of their queue. Admins (`jobs.manage`) list them and, once the cause is fixed,
 * put one back into its queue.
 */

import { recordAudit } from '../audit/audit';
import { requireAccess } from '../auth/access';
import type { RequestContext } from '../auth/actor';
import { type Database, sql } from '../db/database';
import { decodeCursor, pageOf } from '../http/pagination';
import { problems } from '../http/problem';
import { JOBS_SCHEMA, type Jobs } from './jobs';
import type { DeadLetter, DeadLetterQuery } from './jobs.schemas';

const S = sql.raw(JOBS_SCHEMA);

interface DeadLetterRow {
  id: string;
  name: string;
  state: string;
  data: unknown;
  output: { message?: unknown } | null;
  created_on: Date | string;
  created_key: string;
  sources: string | null;
}

export interface JobsAdmin {
  listDeadLetters(ctx: RequestContext, query: DeadLetterQuery): Promise<{ items: DeadLetter[]; nextCursor: string | null }>;
  requeueDeadLetter(ctx: RequestContext, id: string): Promise<{ jobId: string; queue: string }>;
}

export function jobsAdmin(db: Database, jobs: Jobs): JobsAdmin {
  return {
    async listDeadLetters(ctx, q) {
      requireAccess(ctx.actor, 'jobs.manage');
      await jobs.init();
      const limit = q.limit ?? 50;
      const [afterKey, afterId] = (decodeCursor(q.cursor) ?? [null, null]) as [unknown, unknown];
      if (afterKey !== null && !(isTimestampKey(afterKey) && isUuid(afterId))) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const rows = await db.rows<DeadLetterRow>(sql`
        select j.id, j.name, j.state::text as state, j.data, j.output, j.created_on,
          to_char(j.created_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key,
          (select string_agg(s.name, ',' order by s.name) from ${S}.queue s where s.dead_letter = j.name) as sources
        from ${S}.job j
        where j.name in (select dead_letter from ${S}.queue where dead_letter is not null)
          and (${q.queue ?? null}::text is null
               or j.name in (select dead_letter from ${S}.queue where name = ${q.queue ?? null}::text))
          and (${q.state ?? null}::text is null or j.state::text = ${q.state ?? null}::text)
          and (${afterKey}::timestamptz is null or (j.created_on, j.id) < (${afterKey}::timestamptz, ${afterId}::uuid))
        order by j.created_on desc, j.id desc
        limit ${limit + 1}`);
      const page = pageOf(rows, limit, (r) => [r.created_key, r.id]);
      return { nextCursor: page.nextCursor, items: page.items.map(toDeadLetter) };
    },

    async requeueDeadLetter(ctx, id) {
      requireAccess(ctx.actor, 'jobs.manage');
      await jobs.init();
      const requeued = await db.orm.transaction(async (tx) => {
        const [row] = await db.rows<DeadLetterRow>(
          sql`select j.id, j.name, j.state::text as state, j.data, j.output, j.created_on, '' as created_key,
                (select string_agg(s.name, ',' order by s.name) from ${S}.queue s where s.dead_letter = j.name) as sources
              from ${S}.job j
              where j.id = ${id}::uuid and j.name in (select dead_letter from ${S}.queue where dead_letter is not null)
              for update of j`,
          tx,
        );
        if (!row) throw problems.notFound('Không tìm thấy tác vụ này trong hàng đợi lỗi.');
        if (row.state !== 'created') {
          throw problems.conflict('dead_letter_done', 'Tác vụ đã được xử lý', 'Tác vụ này đã được đưa trở lại hàng đợi trước đó.');
        }
        const sources = row.sources?.split(',') ?? [];
        const queue = sources.length === 1 ? sources[0] : undefined;
        if (!queue || !jobs.queues().some((q) => q.name === queue)) {
          throw problems.conflict(
            'dead_letter_source_unknown',
            'Không xác định được tác vụ gốc',
            'Hàng đợi lỗi này không thuộc riêng một tác vụ đang được đăng ký, nên không thể tự đưa trở lại.',
          );
        }
        const jobId = await jobs.sendInTx(tx, queue, (row.data ?? {}) as object);
        await tx.execute(sql`update ${S}.job set state = 'completed', completed_on = now(),
          output = ${JSON.stringify({ requeuedAs: jobId })}::jsonb
          where name = ${row.name} and id = ${row.id}::uuid`);
        await recordAudit(tx, ctx, { action: 'jobs.dead_letter.requeue', targetType: 'job', targetId: row.id, details: { queue, jobId } });
        return { jobId, queue };
      });
      jobs.wake(requeued.queue);
      return requeued;
    },
  };
}

function toDeadLetter(r: DeadLetterRow): DeadLetter {
  const sources = r.sources?.split(',') ?? [];
  const message = r.output && typeof r.output === 'object' ? r.output.message : null;
  return {
    id: r.id,
    queue: sources.length === 1 ? (sources[0] ?? null) : null,
    deadLetterQueue: r.name,
    state: r.state,
    data: r.data,
    error: typeof message === 'string' ? message : null,
    createdAt: new Date(r.created_on).toISOString(),
  };
}

function isTimestampKey(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(s);
}

function isUuid(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
