/**
 * /api/v1/field-reports… for citizens (submit, nearby, follow, mine, rate) and staff (queue, detail, actions). HTTP only.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FileService } from '../../platform/files';
import { contentHeaders } from '../../platform/files/files.routes';
import { idempotencyKeyOf } from '../../platform/http/idempotency';
import { problems } from '../../platform/http/problem';
import type { App } from '../../platform/http/types';
import { readMultipartReport } from './feedback.multipart';
import {
  ActionBody,
  CitizenReport,
  CreateBody,
  IdParams,
  Lat,
  Lon,
  Nullable,
  PhotoParams,
  PublicReport,
  Report,
  ReportWithTimeline,
  session,
  tags,
} from './feedback.schemas';
import type { FeedbackService } from './feedback.service';
import type { ReportAction } from './feedback.state';

const ACTIONS: ReportAction[] = ['moderate', 'accept', 'assign', 'start', 'resolve', 'return', 'reassign', 'extend', 'rate', 'close'];
const actionSummary: Record<ReportAction, string> = {
  moderate: 'Biên tập: ẩn thông tin cá nhân (publicDescription) hoặc gỡ bỏ nội dung vi phạm (remove + reason) — feedback.handle',
  accept: 'Tiếp nhận (tính hạn xử lý theo ngày làm việc) — feedback.handle',
  assign: 'Giao phòng ban (departmentCode) và/hoặc cán bộ (accountId) của đơn vị — feedback.handle',
  start: 'Bắt đầu xử lý — feedback.handle',
  resolve: 'Đăng kết quả (resultText, ảnh sau xử lý photoIds) — feedback.handle',
  return: 'Chuyển lại bộ phận điều phối: không thuộc thẩm quyền (reason) — feedback.handle',
  reassign: 'Điều phối cho đơn vị xử lý khác (agencyId) — feedback.triage',
  extend: 'Gia hạn một lần (days, reason) — feedback.handle',
  rate: 'Người gửi đánh giá kết quả (satisfied); không hài lòng mở lại một lần',
  close: 'Đóng phản ánh (người gửi; hoặc cán bộ khi đã đánh giá)',
};

/** Photos read from a multipart report, kept beside the request until the handler runs. */
const photosOf = new WeakMap<object, { name: string; bytes: Buffer }[]>();

export function registerFeedbackRoutes(
  app: App,
  feedback: FeedbackService,
  files: Pick<FileService, 'maxBytes'>,
  limits: { reportsPerMinute: number },
): void {
  app.get(
    '/api/v1/field-reports/categories',
    {
      schema: {
        tags,
        summary: 'Lĩnh vực phản ánh hiện trường và thời hạn (ngày làm việc)',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                acceptDays: Type.Integer(),
                resolveDays: Type.Integer(),
                unitKind: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async () => feedback.categories(),
  );

  // The report alone (JSON), or the report with its photos (multipart/form-data: `report` + `photo` parts).
  app.post(
    '/api/v1/field-reports',
    {
      config: { idempotent: true, rateLimit: { max: limits.reportsPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Gửi phản ánh hiện trường (đăng nhập, hoặc không đăng nhập kèm thông tin liên hệ)',
        description:
          'JSON, hoặc multipart/form-data gồm phần "report" (JSON như trên) và tối đa 5 phần "photo" (ảnh). ' +
          'Idempotency-Key: gửi lại (ví dụ khi có mạng trở lại) với cùng khóa không tạo bản trùng. Vị trí phải trong địa bàn tỉnh.',
        consumes: ['application/json', 'multipart/form-data'],
        body: CreateBody,
        response: { 201: Report },
      },
      // A multipart body is read first (report + photos), so that its report is validated by the same schema.
      preValidation: async (req) => {
        if (!req.isMultipart()) return;
        const { report, photos } = await readMultipartReport(req, files.maxBytes);
        req.body = report as Static<typeof CreateBody>;
        photosOf.set(req, photos);
      },
    },
    async (req, reply) => {
      const report = await feedback.create(req.ctx, req.body, idempotencyKeyOf(req), { photos: photosOf.get(req) ?? [] });
      return reply.code(201).send(report);
    },
  );

  app.get(
    '/api/v1/field-reports/mine',
    {
      schema: {
        tags,
        summary: 'Phản ánh của tôi và phản ánh tôi theo dõi',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: { 200: Type.Object({ items: Type.Array(CitizenReport), following: Type.Array(PublicReport) }) },
        security: session,
      },
    },
    async (req) => feedback.mine(req.ctx, req.query),
  );

  app.get(
    '/api/v1/field-reports/nearby',
    {
      schema: {
        tags,
        summary: 'Phản ánh đang mở cùng lĩnh vực trong bán kính 100 m (gợi ý theo dõi thay vì gửi trùng)',
        querystring: Type.Object({ lon: Lon, lat: Lat, category: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: {
          200: Type.Object({ items: Type.Array(Type.Composite([PublicReport, Type.Object({ distanceMeters: Type.Integer() })])) }),
        },
      },
    },
    async (req) => feedback.nearby(req.query),
  );

  app.get(
    '/api/v1/field-reports',
    {
      schema: {
        tags,
        summary: 'Danh sách phản ánh của đơn vị (cán bộ; trong phạm vi được giao)',
        querystring: Type.Object({
          state: Type.Optional(Type.String({ maxLength: 20 })),
          overdue: Type.Optional(Type.Boolean({ description: 'Chỉ phản ánh đã quá hạn tiếp nhận hoặc xử lý' })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Report), nextCursor: Nullable(Type.String()) }) },
        security: session,
      },
    },
    async (req) => feedback.queue(req.ctx, req.query),
  );

  app.get(
    '/api/v1/field-reports/:id',
    {
      schema: {
        tags,
        summary: 'Chi tiết phản ánh kèm diễn biến (người gửi hoặc cán bộ đơn vị xử lý)',
        params: IdParams,
        response: { 200: ReportWithTimeline },
        security: session,
      },
    },
    async (req) => feedback.get(req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/field-reports/:id/options',
    {
      schema: {
        tags,
        summary: 'Thao tác cán bộ được làm với phản ánh lúc này, phòng ban/cán bộ để giao, đơn vị để điều phối',
        params: IdParams,
        response: {
          200: Type.Object({
            actions: Type.Array(Type.String()),
            departments: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
            officers: Type.Array(Type.Object({ accountId: Type.String(), name: Type.String(), department: Nullable(Type.String()) })),
            agencies: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
          }),
        },
        security: session,
      },
    },
    async (req) => feedback.options(req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/field-reports/:id/photos/:fileId',
    {
      schema: {
        tags,
        summary: 'Ảnh của phản ánh (người gửi, cán bộ đơn vị xử lý)',
        description: 'Bản hiển thị (cạnh dài tối đa 1600 px); original=true: ảnh gốc đủ kích thước (đã xoá siêu dữ liệu EXIF).',
        params: PhotoParams,
        querystring: Type.Object({ original: Type.Optional(Type.Boolean()) }),
        security: session,
      },
    },
    async (req, reply) => {
      if (req.ctx.actor.kind === 'anonymous') throw problems.unauthorized();
      const p = await feedback.photo(req.ctx, req.params.id, req.params.fileId, req.query.original === true);
      return reply
        .headers({ ...contentHeaders(true), 'content-type': p.mediaType, 'cache-control': 'private, max-age=3600' })
        .send(p.bytes);
    },
  );

  app.post(
    '/api/v1/field-reports/:id/follow',
    {
      schema: {
        tags,
        summary: 'Theo dõi một phản ánh (thay vì gửi phản ánh trùng)',
        params: IdParams,
        response: { 200: Type.Object({ following: Type.Boolean(), followers: Type.Integer() }) },
        security: session,
      },
    },
    async (req) => feedback.follow(req.ctx, req.params.id),
  );

  for (const action of ACTIONS) {
    app.post(
      `/api/v1/field-reports/:id/${action}`,
      {
        schema: {
          tags,
          summary: actionSummary[action],
          params: IdParams,
          body: ActionBody,
          response: { 200: ReportWithTimeline },
          security: session,
        },
      },
      async (req) => feedback.act(req.ctx, req.params.id, action, req.body ?? {}),
    );
  }
}
