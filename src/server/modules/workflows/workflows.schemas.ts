/**
 * Schemas of process definitions (quy trình giải quyết) and of the /api/v1 routes that edit them:
 * the source of validation, of the TypeScript types and of the OpenAPI document.
 *
 * The shapes are deliberately loose on strings (keys, names): an editor may save a half-written draft,
 * and workflows.validate.ts reports what is wrong with each field in Vietnamese, with its JSON path.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });
const KeyText = (description: string) => Type.String({ maxLength: 40, description });
const NameText = (description: string) => Type.String({ maxLength: 200, description });

export const AgencyAt = Type.Object(
  { agencyCode: Type.String({ maxLength: 35, description: 'Mã định danh cơ quan (ví dụ H66.003)' }) },
  { additionalProperties: false },
);

export const Where = Type.Union([Type.Literal('desk'), Type.Literal('resolving_agency'), AgencyAt], {
  description:
    'Cán bộ của cơ quan nào được thực hiện: desk = bộ phận một cửa tiếp nhận hồ sơ; resolving_agency = cơ quan giải quyết hồ sơ; ' +
    '{ agencyCode } = một cơ quan cụ thể. Bỏ trống: cơ quan giải quyết (trong luồng song song: cơ quan của luồng).',
});
export type Where = Static<typeof Where>;

export const WorkflowState = Type.Object(
  {
    key: KeyText('Mã trạng thái, duy nhất trong quy trình (chữ thường, số, gạch dưới)'),
    name: NameText('Tên trạng thái (tiếng Việt)'),
    publicStatus: Type.Integer({
      minimum: 1,
      maximum: 10,
      description: 'Trạng thái hồ sơ theo danh mục quốc gia (1–10): 2 đã tiếp nhận, 4 đang xử lý, 9 đã xử lý xong, 10 đã trả kết quả …',
    }),
    terminal: Type.Optional(Type.Boolean({ description: 'Trạng thái kết thúc (không còn thao tác nào sau đó)' })),
  },
  { additionalProperties: false, description: 'Trạng thái của hồ sơ trong quy trình' },
);
export type WorkflowState = Static<typeof WorkflowState>;

export const WorkflowAction = Type.Object(
  {
    key: KeyText('Mã thao tác, duy nhất trong quy trình'),
    name: NameText('Tên thao tác (tiếng Việt), ví dụ "Phân công thụ lý"'),
    from: Type.Array(KeyText('Mã trạng thái'), { maxItems: 50, description: 'Các trạng thái được thực hiện thao tác này' }),
    to: KeyText('Trạng thái tiếp theo'),
    roles: Type.Array(Type.String({ maxLength: 40 }), {
      maxItems: 20,
      description: 'Vai trò được thực hiện (motcua, chuyenvien, lanhdao, vanthu …)',
    }),
    where: Type.Optional(Where),
    department: Type.Optional(Type.String({ maxLength: 40, description: 'Mã phòng ban trong cơ quan đó (bỏ trống: cả cơ quan)' })),
    budgetHours: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2920, description: 'Thời gian được dùng cho bước này, giờ làm việc (1 ngày = 8 giờ)' }),
    ),
    sendBack: Type.Optional(
      Type.Boolean({ description: 'Thao tác trả lại một bước trước (không tính vào thời gian của đường đi dài nhất)' }),
    ),
    requiresNote: Type.Optional(Type.Boolean({ description: 'Bắt buộc ghi ý kiến, lý do' })),
    assigns: Type.Optional(
      Type.Boolean({ description: 'Thao tác phân công: người thực hiện chọn cán bộ thụ lý bước tiếp theo (phân công hàng loạt được)' }),
    ),
    signsResult: Type.Optional(
      Type.Boolean({ description: 'Ký số kết quả: dự thảo kết quả (PDF) được ký bằng chứng thư số của cơ quan (PAdES) khi thực hiện' }),
    ),
    returnsResult: Type.Optional(
      Type.Boolean({ description: 'Trả kết quả cho người nộp: ghi nhận thời điểm và hình thức trả (trực tuyến, tại quầy, bưu chính)' }),
    ),
  },
  { additionalProperties: false, description: 'Thao tác chuyển hồ sơ từ trạng thái này sang trạng thái khác' },
);
export type WorkflowAction = Static<typeof WorkflowAction>;

export const WorkflowBranch = Type.Object(
  {
    key: KeyText('Mã luồng, duy nhất trong quy trình'),
    name: NameText('Tên luồng, ví dụ "Lấy ý kiến Sở Tài chính"'),
    agency: Type.Union([Type.Literal('resolving_agency'), AgencyAt], { description: 'Cơ quan thực hiện luồng' }),
    from: KeyText('Trạng thái của quy trình chính mà khi hồ sơ vào thì luồng bắt đầu'),
    join: KeyText('Trạng thái của quy trình chính mà hồ sơ chờ ở đó cho đến khi mọi luồng kết thúc'),
    start: KeyText('Trạng thái đầu tiên của luồng'),
    states: Type.Array(WorkflowState, { maxItems: 50, description: 'Trạng thái của luồng (mã khác mã trạng thái quy trình chính)' }),
    actions: Type.Array(WorkflowAction, { maxItems: 100, description: 'Thao tác trong luồng' }),
  },
  { additionalProperties: false, description: 'Luồng xử lý song song (liên thông): một cơ quan làm việc cùng lúc với quy trình chính' },
);
export type WorkflowBranch = Static<typeof WorkflowBranch>;

export const WorkflowDefinition = Type.Object(
  {
    states: Type.Array(WorkflowState, { maxItems: 100, description: 'Các trạng thái' }),
    start: KeyText('Trạng thái khi hồ sơ được tiếp nhận'),
    actions: Type.Array(WorkflowAction, { maxItems: 200, description: 'Các thao tác' }),
    branches: Type.Optional(Type.Array(WorkflowBranch, { maxItems: 20, description: 'Các luồng song song' })),
  },
  { additionalProperties: false, description: 'Định nghĩa quy trình giải quyết hồ sơ của một thủ tục' },
);
export type WorkflowDefinition = Static<typeof WorkflowDefinition>;

export const DefinitionError = Type.Object({
  field: Type.String({ description: 'Đường dẫn JSON (JSON Pointer) trong định nghĩa, ví dụ /actions/2/to' }),
  message: Type.String({ description: 'Mô tả lỗi (tiếng Việt)' }),
});
export type DefinitionError = Static<typeof DefinitionError>;

export const VersionStatus = Type.Union([Type.Literal('draft'), Type.Literal('published')], {
  description: 'draft = bản nháp (sửa được); published = đã công bố (không đổi được nữa)',
});

export const WorkflowVersion = Type.Object(
  {
    workflowId: Type.String({ description: 'Mã (id) quy trình (hồ sơ lưu cặp workflowId, version)' }),
    procedureId: Type.String({ description: 'Mã (id) thủ tục' }),
    version: Type.Integer({ description: 'Số phiên bản' }),
    status: VersionStatus,
    current: Type.Boolean({ description: 'true = phiên bản đang áp dụng (phiên bản công bố mới nhất)' }),
    definition: WorkflowDefinition,
    procedureVersion: Type.Integer({ description: 'Phiên bản thủ tục dùng để kiểm tra thời hạn' }),
    processingHours: Nullable(Type.Integer({ description: 'Thời hạn giải quyết của thủ tục, giờ làm việc' })),
    updatedAt: Type.String({ description: 'Lần sửa cuối (ISO 8601)' }),
    updatedBy: Type.String(),
    publishedAt: Nullable(Type.String({ description: 'Thời điểm công bố' })),
    publishedBy: Nullable(Type.String()),
    errors: Type.Array(DefinitionError, {
      description: 'Lỗi của bản nháp (phải sửa hết trước khi công bố); rỗng với phiên bản đã công bố',
    }),
  },
  { description: 'Một phiên bản quy trình giải quyết' },
);
export type WorkflowVersion = Static<typeof WorkflowVersion>;

export const VersionSummary = Type.Object({
  version: Type.Integer(),
  status: VersionStatus,
  updatedAt: Type.String(),
  updatedBy: Type.String(),
  publishedAt: Nullable(Type.String()),
  publishedBy: Nullable(Type.String()),
});

export const WorkflowOverview = Type.Object(
  {
    procedureId: Type.String(),
    procedureCode: Type.String({ description: 'Mã thủ tục quốc gia' }),
    procedureName: Type.String(),
    procedureVersion: Type.Integer({ description: 'Phiên bản thủ tục đang áp dụng' }),
    processingHours: Nullable(Type.Integer({ description: 'Thời hạn giải quyết, giờ làm việc' })),
    workflowId: Nullable(Type.String({ description: 'Mã (id) quy trình; null khi chưa có' })),
    currentVersion: Nullable(Type.Integer({ description: 'Phiên bản đang áp dụng; null khi chưa công bố' })),
    draftVersion: Nullable(Type.Integer({ description: 'Số phiên bản của bản nháp đang soạn; null khi không có' })),
    versions: Type.Array(VersionSummary, { description: 'Các phiên bản, mới nhất trước' }),
  },
  { description: 'Quy trình giải quyết của một thủ tục: các phiên bản' },
);
export type WorkflowOverview = Static<typeof WorkflowOverview>;

export const WorkflowListItem = Type.Object({
  procedureId: Type.String(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  field: Type.String({ description: 'Lĩnh vực' }),
  processingHours: Nullable(Type.Integer()),
  currentVersion: Nullable(Type.Integer({ description: 'Phiên bản quy trình đang áp dụng; null khi chưa có' })),
  draftVersion: Nullable(Type.Integer({ description: 'Bản nháp đang soạn; null khi không có' })),
});
export type WorkflowListItem = Static<typeof WorkflowListItem>;

export const WorkflowList = Type.Object({
  items: Type.Array(WorkflowListItem),
  nextCursor: Nullable(Type.String()),
});
export type WorkflowList = Static<typeof WorkflowList>;

export const WorkflowListQuery = Type.Composite([
  Type.Object({
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Tên hoặc mã thủ tục (không phân biệt dấu)' })),
    status: Type.Optional(
      Type.Union([Type.Literal('missing'), Type.Literal('published'), Type.Literal('draft')], {
        description: 'missing = chưa có quy trình công bố; published = đã có; draft = đang có bản nháp',
      }),
    ),
  }),
  PageQuery,
]);
export type WorkflowListQuery = Static<typeof WorkflowListQuery>;

export const ProcedureParam = Type.Object({ id: Uuid('Mã (id) thủ tục') });
export const VersionParams = Type.Object({
  id: Uuid('Mã (id) thủ tục'),
  version: Type.Integer({ minimum: 1, description: 'Số phiên bản quy trình' }),
});

export const DraftInput = Type.Object(
  {
    definition: WorkflowDefinition,
    baseVersion: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 1,
          description: 'Phiên bản đang áp dụng khi bắt đầu sửa (null = chưa có); nếu đã có phiên bản mới hơn thì trả 409',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type DraftInput = Static<typeof DraftInput>;

export const ValidateInput = Type.Object({ definition: WorkflowDefinition }, { additionalProperties: false });
export const ValidateResult = Type.Object({
  valid: Type.Boolean(),
  errors: Type.Array(DefinitionError),
});
export type ValidateResult = Static<typeof ValidateResult>;
