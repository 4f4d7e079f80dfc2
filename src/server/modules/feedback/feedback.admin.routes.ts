/** The province's field-report settings (permission feedback.manage): categories, triage desk, boundaries. HTTP only. */
import { Type } from '@sinclair/typebox';
import type { App } from '../../platform/http/types';
import type { FeedbackAdmin } from './feedback.admin';
import { Category, Nullable, session, tags } from './feedback.schemas';

const Settings = Type.Object({ triageAgencyCode: Nullable(Type.String({ maxLength: 40 })) }, { additionalProperties: false });

export function registerFeedbackAdminRoutes(app: App, admin: FeedbackAdmin): void {
  const base = '/api/v1/field-reports/admin';

  app.get(
    `${base}/categories`,
    {
      schema: {
        tags,
        summary: 'Tất cả lĩnh vực phản ánh (kể cả đã tắt) — feedback.manage',
        response: { 200: Type.Object({ items: Type.Array(Category) }) },
        security: session,
      },
    },
    async (req) => admin.adminCategories(req.ctx),
  );

  app.post(
    `${base}/categories`,
    {
      schema: { tags, summary: 'Thêm lĩnh vực phản ánh — feedback.manage', body: Category, response: { 201: Category }, security: session },
    },
    async (req, reply) => reply.code(201).send(await admin.createCategory(req.ctx, req.body)),
  );

  app.patch(
    `${base}/categories/:code`,
    {
      schema: {
        tags,
        summary: 'Sửa lĩnh vực phản ánh: tên, thời hạn, loại đơn vị xử lý, bật/tắt — feedback.manage',
        params: Type.Object({ code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }) }),
        body: Type.Partial(Type.Omit(Category, ['code']), { additionalProperties: false }),
        response: { 200: Category },
        security: session,
      },
    },
    async (req) => admin.updateCategory(req.ctx, req.params.code, req.body),
  );

  app.get(
    `${base}/settings`,
    { schema: { tags, summary: 'Bộ phận điều phối phản ánh của tỉnh — feedback.manage', response: { 200: Settings }, security: session } },
    async (req) => admin.settings(req.ctx),
  );

  app.put(
    `${base}/settings`,
    {
      schema: {
        tags,
        summary: 'Đặt bộ phận điều phối (mã cơ quan; null = Trung tâm Phục vụ hành chính công) — feedback.manage',
        body: Settings,
        response: { 200: Settings },
        security: session,
      },
    },
    async (req) => admin.putSettings(req.ctx, req.body),
  );

  app.post(
    `${base}/boundaries`,
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Nhập ranh giới xã, phường từ GeoJSON FeatureCollection (cập nhật theo mã xã) — feedback.manage',
        body: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Any(), { maxItems: 5000 }) }),
        response: { 200: Type.Object({ imported: Type.Integer() }) },
        security: session,
      },
    },
    async (req) => admin.importGeoJson(req.ctx, req.body),
  );
}
