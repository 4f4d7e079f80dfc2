/**
 * /api/v1/field-reports… (citizens, staff) and /api/v1/public/field-reports… (the public board). HTTP only.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import type { Config } from '../../config';
import { idempotencyKeyOf } from '../../platform/http/idempotency';
import type { App } from '../../platform/http/types';
import type { FeedbackService } from './feedback.service';
import type { ReportAction } from './feedback.state';

const tags = ['field-reports'];
const session = [{ session: [] }];
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = Type.String({ pattern: UUID });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const IdParams = Type.Object({ id: Uuid });

const PublicReport = Type.Object({
  id: Type.String(),
  code: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  description: Type.String(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  communeCode: Nullable(Type.String()),
  communeName: Nullable(Type.String()),
  agencyName: Type.String(),
  state: Type.String(),
  stateName: Type.String(),
  reporterName: Nullable(Type.String({ description: 'null khi người gửi chọn ẩn danh với công chúng' })),
  photoIds: Type.Array(Type.String()),
  resultText: Nullable(Type.String()),
  resultPhotoIds: Type.Array(Type.String()),
  satisfied: Nullable(Type.Boolean()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
});
const Event = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  actionName: Type.String(),
  fromState: Nullable(Type.String()),
  toState: Type.String(),
  actor: Type.String(),
  note: Nullable(Type.String()),
  fileIds: Type.Array(Type.String()),
  at: Type.String(),
});
const StaffFields = {
  publicDescription: Type.Optional(Nullable(Type.String())),
  isPublic: Type.Optional(Type.Boolean()),
  anonymous: Type.Optional(Type.Boolean()),
  reporterAccountId: Type.Optional(Nullable(Type.String())),
  reporterName: Nullable(Type.String()),
  contact: Type.Optional(
    Nullable(Type.Object({ name: Type.Optional(Type.String()), phone: Type.Optional(Type.String()), email: Type.Optional(Type.String()) })),
  ),
  agencyId: Type.Optional(Type.String()),
  handlerAccountId: Type.Optional(Nullable(Type.String())),
  reopened: Type.Optional(Type.Boolean()),
  extended: Type.Optional(Type.Boolean()),
  acceptDueAt: Type.Optional(Nullable(Type.String())),
  resolveDueAt: Type.Optional(Nullable(Type.String())),
};
const Report = Type.Composite([PublicReport, Type.Object(StaffFields)]);
const ReportWithTimeline = Type.Composite([Report, Type.Object({ timeline: Type.Array(Event) })]);
const PublicDetail = Type.Composite([PublicReport, Type.Object({ timeline: Type.Array(Event) })]);

const CreateBody = Type.Object(
  {
    categoryCode: Type.String({ maxLength: 40 }),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    location: Type.Optional(Type.Object({ lon: Lon, lat: Lat }, { additionalProperties: false })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 5, description: 'Ảnh tải lên trước qua /api/v1/files' })),
    isPublic: Type.Optional(Type.Boolean({ default: true })),
    anonymous: Type.Optional(Type.Boolean({ description: 'Ẩn tên với công chúng (cơ quan vẫn thấy thông tin liên hệ)' })),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 200 })),
          phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 .-]{8,20}$' })),
          email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const ActionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    publicDescription: Type.Optional(Type.String({ maxLength: 2000 })),
    remove: Type.Optional(Type.Boolean()),
    departmentCode: Type.Optional(Type.String({ maxLength: 40 })),
    accountId: Type.Optional(Uuid),
    agencyId: Type.Optional(Uuid),
    resultText: Type.Optional(Type.String({ maxLength: 4000 })),
    photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 5 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    satisfied: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

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

export function registerFeedbackRoutes(app: App, config: Config, feedback: FeedbackService): void {
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

  app.post(
    '/api/v1/field-reports',
    {
      config: { idempotent: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Gửi phản ánh hiện trường (đăng nhập, hoặc không đăng nhập kèm thông tin liên hệ)',
        description:
          'Idempotency-Key: gửi lại (ví dụ khi có mạng trở lại) với cùng khóa không tạo bản trùng. Vị trí phải trong địa bàn tỉnh; tối đa 5 ảnh tải lên trước.',
        body: CreateBody,
        response: { 201: Report },
      },
    },
    async (req, reply) => reply.code(201).send(await feedback.create(req.ctx, req.body, idempotencyKeyOf(req))),
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
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Report) }) },
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

  // --- public board ---------------------------------------------------------------------------------------

  app.get(
    '/api/v1/public/field-reports',
    {
      schema: {
        tags,
        summary: 'Bảng phản ánh công khai: lọc theo khung bản đồ, lĩnh vực, trạng thái, xã/phường, thời gian',
        description: 'Chỉ phản ánh công khai đã biên tập; không có thông tin liên hệ; phản ánh ẩn danh không có tên người gửi.',
        querystring: Type.Object({
          bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat', maxLength: 100 })),
          category: Type.Optional(Type.String({ maxLength: 40 })),
          state: Type.Optional(Type.String({ maxLength: 20 })),
          commune: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
          from: Type.Optional(Type.String({ format: 'date' })),
          to: Type.Optional(Type.String({ format: 'date' })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(PublicReport), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=30');
      return feedback.board(req.query);
    },
  );

  app.get(
    '/api/v1/public/field-reports/:id',
    {
      schema: {
        tags,
        summary: 'Chi tiết phản ánh công khai với diễn biến công khai và ảnh trước/sau xử lý',
        params: IdParams,
        response: { 200: PublicDetail },
      },
    },
    async (req) => feedback.publicDetail(req.params.id),
  );

  app.get(
    '/api/v1/public/field-reports/feed/:file',
    {
      schema: {
        tags,
        summary: 'Nguồn tin Atom các phản ánh công khai của một xã, phường (ví dụ /feed/24133.atom)',
        params: Type.Object({ file: Type.String({ pattern: '^[0-9]{5}\\.atom$' }) }),
        response: { 200: { description: 'Atom 1.0', content: { 'application/atom+xml': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const code = req.params.file.slice(0, 5);
      const self = `${config.publicUrl.replace(/\/$/, '')}/api/v1/public/field-reports/feed/${code}.atom`;
      return reply
        .header('content-type', 'application/atom+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(await feedback.communeFeed(code, self));
    },
  );
}
