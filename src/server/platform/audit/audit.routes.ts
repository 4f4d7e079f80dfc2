/**
 * GET /api/v1/audit — read the audit log (permission `audit.read`), newest first, cursor paginated.
 */
import { Type } from '@sinclair/typebox';
import { requireAccess } from '../auth/access';
import { type Database, sql } from '../db/database';
import { decodeCursor, Page, PageQuery, pageOf } from '../http/pagination';
import type { App } from '../http/types';
import { type AuditRow, entryOf } from './audit';

const AuditItem = Type.Object({
  seq: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  sourceIp: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  /** Null for a few moments after the write, until the chainer links the row. */
  hash: Type.Union([Type.String(), Type.Null()]),
});

const AuditQuery = Type.Composite([
  PageQuery,
  Type.Object({
    targetType: Type.Optional(Type.String({ maxLength: 64 })),
    targetId: Type.Optional(Type.String({ maxLength: 200 })),
    actorId: Type.Optional(Type.String({ format: 'uuid' })),
    action: Type.Optional(Type.String({ maxLength: 100, description: 'Tiền tố hành động, ví dụ "auth."' })),
  }),
]);

export function registerAuditRoutes(app: App, db: Database): void {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Nhật ký hệ thống (chuỗi băm, chỉ ghi thêm)',
        querystring: AuditQuery,
        response: { 200: Page(AuditItem) },
      },
    },
    async (req) => {
      requireAccess(req.ctx.actor, 'audit.read');
      const q = req.query;
      const limit = q.limit ?? 50;
      const [before] = (decodeCursor(q.cursor) ?? []) as [string?];
      const rows = await db.rows<AuditRow>(sql`
        select * from audit_log
        where (${before ?? null}::bigint is null or seq < ${before ?? null}::bigint)
          and (${q.targetType ?? null}::text is null or target_type = ${q.targetType ?? null})
          and (${q.targetId ?? null}::text is null or target_id = ${q.targetId ?? null})
          and (${q.actorId ?? null}::uuid is null or actor_id = ${q.actorId ?? null}::uuid)
          and (${q.action ?? null}::text is null or action like ${`${q.action ?? ''}%`})
        order by seq desc limit ${limit + 1}`);
      const page = pageOf(rows, limit, (r) => [String(r.seq)]);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({ seq: String(r.seq), ...entryOf(r), hash: r.hash })),
      };
    },
  );
}
