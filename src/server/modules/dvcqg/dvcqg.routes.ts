/**
 * /api/v1 routes of the national portal sync. HTTP only.
 */
import type { App } from '../../platform/http/types';
import { DossierIdParams, SyncState } from './dvcqg.schemas';
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
}
