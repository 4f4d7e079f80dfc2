import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { migrationsPending } from '../db/migrate';
import type { App } from './types';

/** /healthz: the process answers. /readyz: the database answers and every migration is applied. */
export function registerHealth(app: App, db: Database): void {
  const hide = { hide: true } as const;
  app.get('/healthz', { schema: hide, logLevel: 'silent' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hide, logLevel: 'silent' }, async (_req, reply) => {
    try {
      await db.rows(sql`select 1`);
      const pending = await migrationsPending(db);
      if (pending > 0)
        return reply
          .code(503)
          .type('application/problem+json')
          .send({
            type: 'https://tinhso.vn/problems/not_ready',
            title: 'Chưa sẵn sàng',
            status: 503,
            code: 'not_ready',
            detail: `Còn ${pending} migration chưa chạy.`,
          });
      return { status: 'ready', database: db.kind };
    } catch {
      return reply.code(503).type('application/problem+json').send({
        type: 'https://tinhso.vn/problems/not_ready',
        title: 'Chưa sẵn sàng',
        status: 503,
        code: 'not_ready',
        detail: 'Không kết nối được cơ sở dữ liệu.',
      });
    }
  });
}
