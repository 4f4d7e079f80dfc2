/**
 * Request and response schemas of the notify routes (source of the OpenAPI document).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../http/pagination';

const Nullable = <T extends TSchema>(s: T, description: string) => Type.Union([s, Type.Null()], { description });

export const ChannelSchema = Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('zalo')], {
  description: 'Kênh gửi: email (thư điện tử), sms (tin nhắn), zalo (Zalo OA)',
});

export const StatusSchema = Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')], {
  description: 'queued: chờ gửi; sent: đã gửi; failed: lần gửi gần nhất thất bại (có thể được thử lại)',
});

const Target = Nullable(
  Type.Object({
    type: Type.String({ description: 'Loại đối tượng, ví dụ "dossier"' }),
    id: Type.String({ description: 'Mã đối tượng' }),
  }),
  'Đối tượng mà thông báo nói đến',
);

const summaryFields = {
  id: Type.String({ format: 'uuid', description: 'Mã thông báo' }),
  channel: ChannelSchema,
  templateCode: Type.String({ description: 'Mã mẫu thông báo' }),
  subject: Nullable(Type.String(), 'Tiêu đề (chỉ với email)'),
  status: StatusSchema,
  attempts: Type.Integer({ minimum: 0, description: 'Số lần đã thử gửi' }),
  target: Target,
  createdAt: Type.String({ format: 'date-time', description: 'Thời điểm tạo' }),
  sentAt: Nullable(Type.String({ format: 'date-time' }), 'Thời điểm gửi thành công'),
};

export const OutboxItem = Type.Object(
  {
    ...summaryFields,
    recipient: Type.String({ description: 'Người nhận, đã che bớt (dữ liệu cá nhân), ví dụ 09******78' }),
  },
  { description: 'Một thông báo trong hộp thư đi' },
);
export type OutboxItem = Static<typeof OutboxItem>;

export const OutboxDetail = Type.Object(
  {
    ...summaryFields,
    recipient: Type.String({ description: 'Người nhận (đầy đủ): địa chỉ email, số điện thoại hoặc mã người dùng Zalo' }),
    body: Type.String({ description: 'Nội dung (văn bản thuần)' }),
    bodyHtml: Nullable(Type.String(), 'Nội dung HTML đã gửi (chỉ với email)'),
    lastError: Nullable(Type.String(), 'Lỗi của lần gửi gần nhất'),
    providerId: Nullable(Type.String(), 'Mã thông điệp do kênh gửi cấp (SMTP Message-ID, mã cục bộ…)'),
    scope: Type.String({ description: 'Đường dẫn cơ quan của đối tượng ("" = toàn tỉnh)' }),
  },
  { description: 'Chi tiết một thông báo' },
);
export type OutboxDetail = Static<typeof OutboxDetail>;

export const OutboxQuery = Type.Composite([
  PageQuery,
  Type.Object({
    channel: Type.Optional(ChannelSchema),
    status: Type.Optional(StatusSchema),
    targetType: Type.Optional(Type.String({ maxLength: 64, description: 'Lọc theo loại đối tượng' })),
    targetId: Type.Optional(Type.String({ maxLength: 200, description: 'Lọc theo mã đối tượng' })),
  }),
]);
export type OutboxQuery = Static<typeof OutboxQuery>;

export const OutboxParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Mã thông báo' }),
});

export const TemplateView = Type.Object(
  {
    code: Type.String({ description: 'Mã mẫu, ví dụ "dossier.received"' }),
    channel: ChannelSchema,
    description: Type.String({ description: 'Mục đích của thông báo' }),
    variables: Type.Array(Type.String(), { description: 'Các biến dùng được trong tiêu đề và nội dung, viết {{tenBien}}' }),
    subject: Nullable(Type.String(), 'Tiêu đề (chỉ với email)'),
    body: Type.String({ description: 'Nội dung dạng văn bản thuần, có các biến {{tenBien}}' }),
    updatedAt: Type.String({ format: 'date-time', description: 'Lần sửa gần nhất' }),
  },
  { description: 'Một mẫu thông báo' },
);
export type TemplateView = Static<typeof TemplateView>;

export const TemplateList = Type.Object({ items: Type.Array(TemplateView) });

export const TemplateParams = Type.Object({
  code: Type.String({ maxLength: 100, pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$', description: 'Mã mẫu' }),
});

export const TemplateUpdate = Type.Object(
  {
    channel: ChannelSchema,
    subject: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 300 }), 'Tiêu đề: bắt buộc với email, bỏ trống với sms và zalo'),
    ),
    body: Type.String({ minLength: 1, maxLength: 10000, description: 'Nội dung dạng văn bản thuần, có các biến {{tenBien}}' }),
  },
  { additionalProperties: false, description: 'Nội dung mới của mẫu cho một kênh (tạo mới nếu kênh này chưa có mẫu)' },
);
export type TemplateUpdate = Static<typeof TemplateUpdate>;
