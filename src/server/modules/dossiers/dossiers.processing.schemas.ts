/**
 * Schemas of the processing routes (/api/v1/dossiers/{id}/act … /api/v1/work, the register, public
 * verification of e-results): validation, TypeScript types and the OpenAPI document.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';
import { DossierSummary, ResultDelivery } from './dossiers.schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const L = <T extends string>(v: T) => Type.Literal(v);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });
const Version = Type.Optional(Type.Integer({ minimum: 0, description: 'Phiên bản hồ sơ người dùng đang xem (chống xử lý trùng)' }));
const Text = (description: string, max = 2000) => Type.String({ minLength: 1, maxLength: max, description });

export const ActBody = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 40, description: 'Mã thao tác của quy trình (ví dụ forward, assign, approve)' }),
    branch: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'Luồng song song (bỏ trống: quy trình chính)' }))),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Ý kiến, lý do (bắt buộc với thao tác trả lại)' })),
    assigneeId: Type.Optional(Uuid('Cán bộ được phân công thụ lý (thao tác phân công)')),
    returnMethod: Type.Optional(ResultDelivery),
    version: Version,
  },
  { additionalProperties: false },
);
export type ActBody = Static<typeof ActBody>;

export const ReassignBody = Type.Object(
  {
    assigneeId: Uuid('Cán bộ nhận hồ sơ'),
    branch: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    version: Version,
  },
  { additionalProperties: false },
);

export const BulkAssignBody = Type.Object(
  {
    dossierIds: Type.Array(Uuid('Hồ sơ'), { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Các hồ sơ cần phân công' }),
    assigneeId: Uuid('Cán bộ thụ lý'),
  },
  { additionalProperties: false },
);
export const BulkAssignResult = Type.Object({
  assigned: Type.Integer({ description: 'Số hồ sơ đã phân công' }),
  results: Type.Array(
    Type.Object({ id: Type.String(), ok: Type.Boolean(), code: Nullable(Type.String()), error: Nullable(Type.String()) }),
  ),
});

export const OpinionBody = Type.Object(
  {
    kind: Type.Union([L('opinion'), L('site_visit')], { description: 'opinion = ý kiến thẩm định; site_visit = xác minh thực địa' }),
    text: Text('Nội dung ý kiến, kết quả xác minh', 10000),
    visitAt: Type.Optional(Type.String({ format: 'date-time', description: 'Thời gian xác minh thực địa' })),
    place: Type.Optional(Type.String({ maxLength: 500, description: 'Địa điểm xác minh' })),
    participants: Type.Optional(Type.String({ maxLength: 1000, description: 'Thành phần tham gia' })),
    version: Version,
  },
  { additionalProperties: false },
);

export const ResultDraftBody = Type.Object(
  {
    fileId: Type.Optional(Uuid('Tệp PDF dự thảo kết quả đã tải lên (POST /api/v1/files)')),
    title: Type.Optional(Type.String({ maxLength: 200, description: 'Tên kết quả, ví dụ GIẤY XÁC NHẬN (theo mẫu của hệ thống)' })),
    paragraphs: Type.Optional(
      Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 50, description: 'Nội dung kết quả theo mẫu của hệ thống, từng đoạn' }),
    ),
    version: Version,
  },
  { additionalProperties: false },
);

export const ConsultBody = Type.Object(
  {
    agencyId: Uuid('Cơ quan được lấy ý kiến'),
    question: Text('Nội dung xin ý kiến', 5000),
    dueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: 'Thời hạn trả lời, ngày làm việc' })),
    version: Version,
  },
  { additionalProperties: false },
);
export const AnswerBody = Type.Object({ answer: Text('Ý kiến trả lời', 10000), version: Version }, { additionalProperties: false });
export const ConsultationParams = Type.Object({ id: Uuid('Id hồ sơ'), consultationId: Uuid('Id yêu cầu xin ý kiến') });

export const ApologyBody = Type.Object(
  {
    reason: Text('Lý do chậm trả kết quả'),
    newDueAt: Type.String({ format: 'date-time', description: 'Ngày giờ hẹn trả mới (sau ngày hẹn hiện tại)' }),
    version: Version,
  },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object({ reason: Text('Lý do'), version: Version }, { additionalProperties: false });

export const WorkAction = Type.Object({
  key: Type.String(),
  name: Type.String(),
  branch: Nullable(Type.String()),
  from: Type.String(),
  to: Type.String(),
  agencyName: Type.String(),
  requiresNote: Type.Boolean(),
  assigns: Type.Boolean({ description: 'Phải chọn cán bộ thụ lý' }),
  signsResult: Type.Boolean({ description: 'Ký số kết quả khi thực hiện' }),
  returnsResult: Type.Boolean({ description: 'Ghi nhận trả kết quả' }),
  sendBack: Type.Boolean(),
  blockedBy: Nullable(Type.String({ description: 'Lý do chưa thực hiện được (ví dụ đang chờ cơ quan phối hợp)' })),
});
export const DossierWork = Type.Object(
  {
    actions: Type.Array(WorkAction, { description: 'Các thao tác người đang đăng nhập được thực hiện ngay' }),
    assignees: Type.Array(Type.Object({ accountId: Type.String(), name: Type.String(), department: Nullable(Type.String()) }), {
      description: 'Cán bộ có thể được phân công (khi có thao tác phân công)',
    }),
  },
  { description: 'Việc người đang đăng nhập có thể làm với hồ sơ' },
);
export type DossierWork = Static<typeof DossierWork>;

export const WorkQuery = Type.Composite([
  PageQuery,
  Type.Object({
    view: Type.Optional(
      Type.Union([L('assigned'), L('unassigned'), L('all')], {
        description:
          'assigned = được giao cho tôi; unassigned = chờ xử lý tại cơ quan tôi, chưa giao ai; all = mọi hồ sơ đang ở cơ quan tôi',
      }),
    ),
    due: Type.Optional(
      Type.Union([L('soon'), L('overdue')], { description: 'soon = sắp đến hạn bước (≤ 1 ngày làm việc); overdue = quá hạn' }),
    ),
    procedureId: Type.Optional(Uuid('Thủ tục')),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Mã hồ sơ hoặc tên người nộp' })),
  }),
]);
export type WorkQuery = Static<typeof WorkQuery>;

export const WorkItem = Type.Composite([
  DossierSummary,
  Type.Object({
    branch: Nullable(Type.String()),
    step: Type.String({ description: 'Mã bước' }),
    stepName: Type.String(),
    stepAgencyName: Type.String({ description: 'Cơ quan đang giữ bước' }),
    stepDueAt: Nullable(Type.String({ format: 'date-time', description: 'Hạn của bước' })),
    stepEnteredAt: Type.String({ format: 'date-time' }),
    assigneeId: Nullable(Type.String()),
    assigneeLabel: Nullable(Type.String()),
  }),
]);
export type WorkItem = Static<typeof WorkItem>;

export const RegisterQuery = Type.Composite([
  PageQuery,
  Type.Object({
    from: Type.Optional(Type.String({ format: 'date', description: 'Tiếp nhận từ ngày (YYYY-MM-DD)' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Đến ngày (YYYY-MM-DD)' })),
    agencyId: Type.Optional(Uuid('Cơ quan giải quyết')),
    procedureId: Type.Optional(Uuid('Thủ tục')),
    status: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'Trạng thái quốc gia 1–10' })),
    channel: Type.Optional(Type.Union([L('1'), L('2'), L('3')], { description: 'Kênh nộp' })),
    timeliness: Type.Optional(
      Type.Union([L('early'), L('on_time'), L('late'), L('pending'), L('pending_overdue')], {
        description:
          'early = trước hạn; on_time = đúng hạn; late = trễ hạn; pending = đang giải quyết trong hạn; pending_overdue = đang giải quyết, đã quá hạn',
      }),
    ),
  }),
]);
export type RegisterQuery = Static<typeof RegisterQuery>;

export const RegisterItem = Type.Object({
  id: Type.String(),
  code: Type.String(),
  procedureName: Type.String(),
  applicantName: Type.String(),
  applicantAddress: Nullable(Type.String()),
  applicantPhone: Nullable(Type.String()),
  agencyName: Type.String(),
  channel: Type.Integer(),
  receivedAt: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  completedAt: Nullable(Type.String()),
  returnedAt: Nullable(Type.String()),
  returnMethod: Nullable(Type.String()),
  publicStatus: Nullable(Type.Integer()),
  publicStatusName: Nullable(Type.String()),
  timeliness: Nullable(Type.String({ description: 'early | on_time | late | pending | pending_overdue' })),
});
export type RegisterItem = Static<typeof RegisterItem>;

export const IssuedResult = Type.Object(
  {
    code: Type.String({ description: 'Mã hồ sơ' }),
    procedureName: Type.String(),
    agencyName: Type.String({ description: 'Cơ quan ban hành' }),
    signedAt: Type.String({ format: 'date-time' }),
    sha256: Type.String({ description: 'Mã băm SHA-256 của tệp kết quả đã ký' }),
  },
  { description: 'Kết quả điện tử đã ban hành (không có thông tin cá nhân)' },
);
export const VerifyAnswer = Type.Object({
  matches: Type.Boolean({ description: 'true = tệp trùng khớp từng byte với kết quả đã ban hành' }),
  issued: Nullable(IssuedResult),
  signatures: Type.Array(
    Type.Object({
      signer: Nullable(Type.String({ description: 'Người/cơ quan ký (CN của chứng thư)' })),
      signedAt: Nullable(Type.String()),
      intact: Type.Boolean({ description: 'Nội dung không bị sửa sau khi ký' }),
      trusted: Type.Boolean({ description: 'Chứng thư thuộc CA được tin cậy' }),
      coversWholeFile: Type.Boolean(),
    }),
  ),
  message: Type.String({ description: 'Kết luận bằng tiếng Việt' }),
});
export const ResultCodeParams = Type.Object({ code: Type.String({ maxLength: 60, description: 'Mã hồ sơ' }) });
