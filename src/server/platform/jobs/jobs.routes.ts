/**
 * HTTP routes of the jobs block: the dead-letter list for admins. Also ties the workers' lifetime to
 * the app's: closing the app stops them before the database is closed.
 */
import type { Platform } from '..';
import { Page } from '../http/pagination';
import type { App } from '../http/types';
import { jobsAdmin } from './jobs.admin';
import { DeadLetter, DeadLetterParams, DeadLetterQuery, RequeueResult } from './jobs.schemas';

const TAGS = ['jobs'];

export function registerJobsRoutes(app: App, platform: Pick<Platform, 'db' | 'jobs'>): void {
  const admin = jobsAdmin(platform.db, platform.jobs);
  app.addHook('onClose', async () => platform.jobs.stop());

  app.get(
    '/api/v1/jobs/dead-letters',
    {
      schema: {
        tags: TAGS,
        summary: 'Danh sách tác vụ nền thất bại (hàng đợi lỗi)',
        description: 'Tác vụ đã thất bại sau mọi lần thử lại, mới nhất trước, phân trang bằng con trỏ. Cần quyền `jobs.manage`.',
        querystring: DeadLetterQuery,
        response: { 200: Page(DeadLetter) },
        security: [{ session: [] }],
      },
    },
    async (req) => admin.listDeadLetters(req.ctx, req.query),
  );

  app.post(
    '/api/v1/jobs/dead-letters/:id/requeue',
    {
      schema: {
        tags: TAGS,
        summary: 'Đưa một tác vụ thất bại trở lại hàng đợi gốc',
        description:
          'Dùng sau khi đã khắc phục nguyên nhân lỗi. Tác vụ được tạo lại với cùng dữ liệu; mục trong hàng đợi lỗi ' +
          'chuyển sang trạng thái completed. Cần quyền `jobs.manage`; được ghi nhật ký.',
        params: DeadLetterParams,
        response: { 200: RequeueResult },
        security: [{ session: [] }],
      },
    },
    async (req) => admin.requeueDeadLetter(req.ctx, req.params.id),
  );
}
