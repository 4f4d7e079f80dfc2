/**
 * /api/v1 routes of the national portal sync. HTTP only.
 */

import { Page } from '../../platform/http/pagination';
import type { App } from '../../platform/http/types';
import { DossierIdParams, PullResultSchema, RejectItem, RejectQuery, SyncState } from './dvcqg.schemas';
import type { DvcqgService } from './dvcqg.service';

export function registerDvcqgRoutes(app: App, service: DvcqgService): void {
  app.get(
    '/api/v1/dossiers/:id/dvcqg',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Trạng thái đồng bộ hồ sơ lên Cổng DVC quốc gia',
        description:
          'Phiên bản và trạng thái đã đồng bộ gần nhất, lần gửi gần nhất, lỗi (nếu có). Dành cho bộ phận một cửa tiếp nhận ' +
          'hoặc cơ quan giải quyết hồ sơ; người khác nhận 404.',
        params: DossierIdParams,
        response: { 200: SyncState },
        security: [{ session: [] }],
      },
    },
    async (req) => service.syncState(req.ctx, req.params.id),
  );

  app.post(
    '/api/v1/dvcqg/pull',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Kéo ngay hồ sơ nộp trên Cổng DVC quốc gia',
        description:
          'Chạy một lần kéo hồ sơ (như tác vụ định kỳ dvcqg.pull): hồ sơ mới vào hàng chờ tiếp nhận của bộ phận một cửa, ' +
          'bản ghi không đưa vào được nằm trong danh sách từ chối. Trả số lượng. Cổng không trả lời được: 502. Cần quyền `jobs.manage`.',
        response: { 200: PullResultSchema },
        security: [{ session: [] }],
      },
    },
    async (req) => service.pullNow(req.ctx),
  );

  app.get(
    '/api/v1/dvcqg/pull/rejects',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Hồ sơ từ Cổng DVC quốc gia không đưa vào được',
        description:
          'Bản ghi kéo về mà không tạo được hồ sơ (thủ tục hoặc cơ quan không có, thiếu thành phần, mã hồ sơ sai cấu trúc…), ' +
          'kèm lý do; gặp gần nhất trước. Cần quyền `jobs.manage`.',
        querystring: RejectQuery,
        response: { 200: Page(RejectItem) },
        security: [{ session: [] }],
      },
    },
    async (req) => service.rejects(req.ctx, req.query),
  );
}
