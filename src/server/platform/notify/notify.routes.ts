/**
 * HTTP routes of the notify block: the outbox (what was sent, to whom, with what outcome) and the
 * message templates.
 */
import type { Platform } from '..';
import { Page } from '../http/pagination';
import type { App } from '../http/types';
import {
  OutboxDetail,
  OutboxItem,
  OutboxParams,
  OutboxQuery,
  TemplateList,
  TemplateParams,
  TemplateUpdate,
  TemplateView,
} from './notify.schemas';

const TAGS = ['notifications'];

export function registerNotifyRoutes(app: App, platform: Pick<Platform, 'notify'>): void {
  const notify = platform.notify;

  app.get(
    '/api/v1/notifications/outbox',
    {
      schema: {
        tags: TAGS,
        summary: 'Hộp thư đi: các thông báo đã và sẽ gửi',
        description:
          'Mới nhất trước, phân trang bằng con trỏ. Người nhận được che bớt (dữ liệu cá nhân); xem đầy đủ ở chi tiết. ' +
          'Cần quyền `notify.outbox.read`; cán bộ được phân quyền theo cơ quan chỉ thấy thông báo thuộc phạm vi của mình.',
        querystring: OutboxQuery,
        response: { 200: Page(OutboxItem) },
        security: [{ session: [] }],
      },
    },
    async (req) => notify.listOutbox(req.ctx, req.query),
  );

  app.get(
    '/api/v1/notifications/outbox/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Chi tiết một thông báo (người nhận đầy đủ, nội dung, lỗi gửi)',
        description: 'Cần quyền `notify.outbox.read` trong phạm vi của thông báo; ngoài phạm vi trả về 404.',
        params: OutboxParams,
        response: { 200: OutboxDetail },
        security: [{ session: [] }],
      },
    },
    async (req) => notify.getOutbox(req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/notifications/templates',
    {
      schema: {
        tags: TAGS,
        summary: 'Danh sách mẫu thông báo',
        description: 'Mỗi mã mẫu có một bản cho từng kênh (email, sms, zalo). Cần quyền `notify.templates.manage`.',
        response: { 200: TemplateList },
        security: [{ session: [] }],
      },
    },
    async (req) => ({ items: await notify.listTemplates(req.ctx) }),
  );

  app.put(
    '/api/v1/notifications/templates/:code',
    {
      schema: {
        tags: TAGS,
        summary: 'Sửa mẫu thông báo của một kênh',
        description:
          'Thay tiêu đề và nội dung của mẫu cho kênh trong `channel` (tạo bản cho kênh đó nếu chưa có). Chỉ được dùng ' +
          'các biến mà mẫu khai báo. Cần quyền `notify.templates.manage`; được ghi nhật ký.',
        params: TemplateParams,
        body: TemplateUpdate,
        response: { 200: TemplateView },
        security: [{ session: [] }],
      },
    },
    async (req) => notify.updateTemplate(req.ctx, req.params.code, req.body),
  );
}
