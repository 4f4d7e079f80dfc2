/**
 * Request and response schemas of dossiers (/api/v1/dossiers…, /api/v1/public/dossiers…): the source of
 * validation, of the TypeScript types and of the OpenAPI document.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const L = <T extends string>(v: T) => Type.Literal(v);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });
const Instant = (description: string) => Type.String({ format: 'date-time', description });

export const DOSSIER_CODE_PATTERN = '^[A-Za-z0-9.]+-[0-9]{6}-[0-9]{4,}$';

export const dossierStates = [
  'draft',
  'submitted',
  'supplement_requested',
  'received',
  'refused',
  'withdrawn',
  'stopped',
  'completed',
] as const;
export type DossierState = (typeof dossierStates)[number];

export const DossierStateSchema = Type.Union(
  [L('draft'), L('submitted'), L('supplement_requested'), L('received'), L('refused'), L('withdrawn'), L('stopped'), L('completed')],
  {
    description:
      'Trạng thái nội bộ: draft = bản nháp, submitted = đã nộp, chờ tiếp nhận, supplement_requested = chờ công dân bổ sung, ' +
      'received = đã tiếp nhận, đang giải quyết theo quy trình, refused = từ chối tiếp nhận, withdrawn = công dân rút hồ sơ, ' +
      'stopped = dừng giải quyết, completed = đã trả kết quả',
  },
);

export const Channel = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], {
  description: 'Kênh nộp (KenhThucHien): 1 = trực tiếp tại bộ phận một cửa, 2 = trực tuyến, 3 = qua bưu chính công ích',
});
export const ResultDelivery = Type.Union([L('online'), L('counter'), L('post')], {
  description: 'Cách nhận kết quả: online = trực tuyến, counter = tại bộ phận một cửa, post = qua bưu chính công ích',
});
export const NotifyChannel = Type.Union([L('email'), L('sms'), L('zalo')], {
  description: 'Kênh nhận thông báo về hồ sơ: email, sms hoặc zalo',
});

/** Values of the application form, by field key (validated against the procedure version's form). */
export const FormValues = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  Type.Union([Type.String({ maxLength: 10000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { description: 'Giá trị tờ khai theo mã trường', maxProperties: 100 },
);
export type FormValues = Static<typeof FormValues>;

export const FileRef = Type.Object(
  {
    componentKey: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Mã thành phần hồ sơ của thủ tục' }),
    fileId: Uuid('Tệp đã tải lên qua POST /api/v1/files (của chính người nộp), hoặc tệp của giấy tờ chọn từ kho dữ liệu'),
    edataDocumentId: Type.Optional(
      Uuid('Giấy tờ trong kho dữ liệu điện tử của chủ hồ sơ (nộp một lần, không tải lại); fileId là tệp của giấy tờ đó'),
    ),
  },
  { additionalProperties: false },
);
export type FileRef = Static<typeof FileRef>;

const draftFields = {
  agencyId: Type.Optional(Uuid('Cơ quan giải quyết (bắt buộc khi thủ tục có nhiều cơ quan thực hiện, ví dụ UBND các xã)')),
  form: Type.Optional(FormValues),
  files: Type.Optional(Type.Array(FileRef, { maxItems: 100, description: 'Toàn bộ tệp đính kèm theo thành phần (thay thế danh sách cũ)' })),
  resultDelivery: Type.Optional(ResultDelivery),
  notifyChannel: Type.Optional(NotifyChannel),
  notifyTo: Type.Optional(
    Type.String({ minLength: 3, maxLength: 200, description: 'Địa chỉ email, số điện thoại hoặc mã Zalo nhận thông báo' }),
  ),
};

/** Whose dossier it is when filed for someone else (parties): a citizen who authorised the actor, or a business he represents. */
export const OnBehalfOf = Type.Union(
  [
    Type.Object({ kind: L('citizen'), accountId: Uuid('Tài khoản của người ủy quyền') }, { additionalProperties: false }),
    Type.Object({ kind: L('business'), businessId: Uuid('Doanh nghiệp người nộp đại diện') }, { additionalProperties: false }),
  ],
  { description: 'Nộp hồ sơ cho ai (bỏ trống = cho bản thân): người đã ủy quyền cho tôi, hoặc doanh nghiệp tôi đại diện' },
);
export type OnBehalfOf = Static<typeof OnBehalfOf>;

export const CreateDossierBody = Type.Object(
  {
    procedureId: Type.String({ minLength: 1, maxLength: 60, description: 'Id hoặc mã thủ tục' }),
    ...draftFields,
    submit: Type.Optional(Type.Boolean({ description: 'true = nộp ngay (không lưu nháp); mặc định false' })),
    onBehalfOf: Type.Optional(OnBehalfOf),
  },
  { additionalProperties: false },
);
export type CreateDossierBody = Static<typeof CreateDossierBody>;

export const UpdateDraftBody = Type.Object(
  { ...draftFields, version: Type.Integer({ minimum: 0, description: 'Phiên bản hồ sơ đang sửa (chống ghi đè)' }) },
  { additionalProperties: false },
);
export type UpdateDraftBody = Static<typeof UpdateDraftBody>;

export const CounterDossierBody = Type.Object(
  {
    procedureId: CreateDossierBody.properties.procedureId,
    agencyId: draftFields.agencyId,
    channel: Type.Union([Type.Literal(1), Type.Literal(3)], { description: '1 = nộp trực tiếp, 3 = nhận qua bưu chính công ích' }),
    form: FormValues,
    files: Type.Optional(draftFields.files),
    resultDelivery: ResultDelivery,
    notifyChannel: Type.Optional(NotifyChannel),
    notifyTo: draftFields.notifyTo,
    receive: Type.Optional(Type.Boolean({ description: 'true = tiếp nhận ngay (cấp Giấy tiếp nhận); mặc định false' })),
  },
  { additionalProperties: false },
);
export type CounterDossierBody = Static<typeof CounterDossierBody>;

export const VersionBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 0, description: 'Phiên bản hồ sơ người dùng đang xem (chống xử lý trùng)' })),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Ghi chú' })),
  },
  { additionalProperties: false },
);
export type VersionBody = Static<typeof VersionBody>;

export const SupplementItem = Type.Object(
  {
    componentKey: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Thành phần hồ sơ cần bổ sung (nếu có)' })),
    text: Type.String({ minLength: 1, maxLength: 1000, description: 'Nội dung cần bổ sung, hoàn thiện' }),
  },
  { additionalProperties: false },
);
export type SupplementItem = Static<typeof SupplementItem>;

export const RequestSupplementBody = Type.Object(
  {
    version: VersionBody.properties.version,
    items: Type.Array(SupplementItem, { minItems: 1, maxItems: 50, description: 'Danh sách đầy đủ những gì cần bổ sung (nói một lần)' }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Lý do' }),
    note: VersionBody.properties.note,
  },
  { additionalProperties: false },
);
export type RequestSupplementBody = Static<typeof RequestSupplementBody>;

export const RefuseBody = Type.Object(
  {
    version: VersionBody.properties.version,
    reasons: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { minItems: 1, maxItems: 20, description: 'Lý do từ chối' }),
    note: VersionBody.properties.note,
  },
  { additionalProperties: false },
);
export type RefuseBody = Static<typeof RefuseBody>;

export const SupplementBody = Type.Object(
  {
    version: VersionBody.properties.version,
    form: Type.Optional(FormValues),
    files: Type.Optional(Type.Array(FileRef, { maxItems: 100, description: 'Tệp bổ sung (thêm vào hồ sơ, thay tệp cũ cùng thành phần)' })),
    note: VersionBody.properties.note,
  },
  { additionalProperties: false },
);
export type SupplementBody = Static<typeof SupplementBody>;

// ------------------------------------------------------------------------------------------------
// Answers
// ------------------------------------------------------------------------------------------------

export const DossierSummary = Type.Object({
  id: Type.String(),
  code: Nullable(Type.String({ description: 'Mã hồ sơ (null khi còn là bản nháp)' })),
  procedureId: Type.String(),
  procedureVersion: Type.Integer(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  agencyId: Type.String(),
  agencyName: Type.String(),
  deskAgencyId: Type.String(),
  deskAgencyName: Type.String(),
  state: DossierStateSchema,
  publicStatus: Nullable(Type.Integer({ description: 'Trạng thái theo danh mục quốc gia 1–10' })),
  publicStatusName: Nullable(Type.String()),
  channel: Channel,
  applicantName: Type.String(),
  resultDelivery: ResultDelivery,
  currentStep: Type.String({ description: 'Bước hiện tại' }),
  submittedAt: Nullable(Instant('Thời điểm nộp')),
  receivedAt: Nullable(Instant('Thời điểm tiếp nhận')),
  dueAt: Nullable(Instant('Ngày hẹn trả kết quả')),
  updatedAt: Instant('Lần cập nhật cuối'),
  version: Type.Integer({ description: 'Số hành động đã ghi (dùng cho chống ghi đè)' }),
});
export type DossierSummary = Static<typeof DossierSummary>;

export const DossierFile = Type.Object({
  fileId: Type.String(),
  componentKey: Type.String({ description: 'Mã thành phần; `_issued` = phiếu do cơ quan phát hành (Mẫu 01/02/03)' }),
  name: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
  reused: Type.Boolean({ description: 'Lấy từ kho dữ liệu điện tử' }),
  superseded: Type.Boolean({ description: 'Đã được thay bằng tệp bổ sung' }),
  addedSeq: Type.Integer({ description: 'Hành động đã thêm tệp' }),
});
export type DossierFile = Static<typeof DossierFile>;

export const TimelineEntry = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  actionName: Type.String({ description: 'Tên hành động bằng tiếng Việt' }),
  at: Instant('Thời điểm'),
  actorLabel: Type.String({ description: 'Người thực hiện' }),
  note: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'Nội dung của hành động (lý do, danh sách bổ sung, hạn mới …)' }),
  fileIds: Type.Array(Type.String()),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const OpenSupplement = Type.Object({
  items: Type.Array(SupplementItem),
  reason: Type.String(),
  requestedAt: Instant('Thời điểm yêu cầu'),
});

export const DossierDetail = Type.Composite([
  DossierSummary,
  Type.Object({
    applicant: Type.Object({
      name: Type.String(),
      idNumber: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      email: Nullable(Type.String()),
      address: Nullable(Type.String()),
    }),
    form: FormValues,
    files: Type.Array(DossierFile),
    notifyChannel: Nullable(NotifyChannel),
    notifyTo: Nullable(Type.String()),
    processingHours: Nullable(Type.Integer({ description: 'Thời hạn giải quyết theo quy định (giờ làm việc)' })),
    openSupplement: Nullable(OpenSupplement),
    receiptFileId: Nullable(Type.String({ description: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF)' })),
    refusedAt: Nullable(Instant('Thời điểm từ chối')),
    processing: Type.Object(
      {
        workflowVersion: Nullable(Type.Integer({ description: 'Phiên bản quy trình áp dụng cho hồ sơ' })),
        steps: Type.Array(
          Type.Object({
            branch: Nullable(Type.String({ description: 'Luồng song song; null = quy trình chính' })),
            state: Type.String(),
            name: Type.String(),
            publicStatus: Type.Integer(),
            agencies: Type.Array(Type.String(), { description: 'Cơ quan đang giữ bước' }),
            assigneeId: Nullable(Type.String()),
            assigneeLabel: Nullable(Type.String({ description: 'Cán bộ được phân công' })),
            enteredAt: Instant('Thời điểm vào bước'),
            dueAt: Nullable(Instant('Hạn của bước')),
          }),
          { description: 'Các bước đang mở' },
        ),
        consultations: Type.Array(
          Type.Object({
            id: Type.String(),
            agencyName: Type.String(),
            question: Type.String(),
            dueAt: Nullable(Type.String()),
            askedAt: Type.String(),
            answer: Nullable(Type.String()),
            answeredAt: Nullable(Type.String()),
            answeredBy: Nullable(Type.String()),
          }),
        ),
        originalDueAt: Nullable(Instant('Ngày hẹn trả ban đầu (khác dueAt khi đã hẹn lại)')),
        apologizedAt: Nullable(Instant('Thời điểm xin lỗi, hẹn lại')),
        resultDraftFileId: Nullable(Type.String({ description: 'Dự thảo kết quả (PDF)' })),
        resultFileId: Nullable(Type.String({ description: 'Kết quả điện tử đã ký số (PDF)' })),
        resultSignedAt: Nullable(Instant('Thời điểm ký kết quả')),
        completedAt: Nullable(Instant('Thời điểm có kết quả')),
        returnedAt: Nullable(Instant('Thời điểm trả kết quả')),
        returnMethod: Nullable(ResultDelivery),
        stoppedAt: Nullable(Instant('Thời điểm dừng giải quyết')),
        withdrawnAt: Nullable(Instant('Thời điểm rút hồ sơ')),
      },
      { description: 'Quá trình giải quyết' },
    ),
    timeline: Type.Array(TimelineEntry),
    submittedBy: Nullable(Type.String({ description: 'Người đã nộp (hoặc lập, khi còn là bản nháp) hồ sơ' })),
    onBehalfOf: Nullable(
      Type.Object(
        { kind: Type.Union([L('citizen'), L('business')]), name: Type.String() },
        { description: 'Hồ sơ được nộp thay cho ai (người ủy quyền, doanh nghiệp); null = người nộp nộp cho chính mình' },
      ),
    ),
  }),
]);
export type DossierDetail = Static<typeof DossierDetail>;

export const PublicDossier = Type.Object({
  code: Type.String(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  agencyName: Type.String(),
  channel: Channel,
  publicStatus: Type.Integer(),
  publicStatusName: Type.String(),
  currentStep: Type.String(),
  submittedAt: Nullable(Instant('Thời điểm nộp')),
  receivedAt: Nullable(Instant('Thời điểm tiếp nhận')),
  dueAt: Nullable(Instant('Ngày hẹn trả kết quả')),
  trackingUrl: Type.String({ description: 'Trang tra cứu công khai (mã QR trỏ tới đây)' }),
});
export type PublicDossier = Static<typeof PublicDossier>;

export const LookupBody = Type.Object(
  {
    idLast4: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: '4 số cuối số định danh (CCCD) của người nộp' })),
    phone: Type.Optional(Type.String({ minLength: 9, maxLength: 15, description: 'Số điện thoại của người nộp' })),
  },
  { additionalProperties: false },
);
export type LookupBody = Static<typeof LookupBody>;

export const CodeParams = Type.Object({
  code: Type.String({ pattern: DOSSIER_CODE_PATTERN, maxLength: 60, description: 'Mã hồ sơ' }),
});
export const IdParams = Type.Object({ id: Uuid('Id hồ sơ') });
export const FileParams = Type.Object({ id: Uuid('Id hồ sơ'), fileId: Uuid('Id tệp') });

export const MineQuery = Type.Composite([
  PageQuery,
  Type.Object({
    state: Type.Optional(DossierStateSchema),
  }),
]);
export type MineQuery = Static<typeof MineQuery>;

export const OfficeQuery = Type.Composite([
  PageQuery,
  Type.Object({
    queue: Type.Optional(
      Type.Union([L('reception'), L('all')], {
        description: 'reception = hồ sơ chờ tiếp nhận tại bộ phận một cửa (đã nộp, chưa tiếp nhận); all = mọi hồ sơ trong phạm vi',
      }),
    ),
    state: Type.Optional(DossierStateSchema),
    channel: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')], { description: 'Kênh nộp' })),
    procedureId: Type.Optional(Uuid('Thủ tục')),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Tìm theo mã hồ sơ hoặc tên người nộp' })),
  }),
]);
export type OfficeQuery = Static<typeof OfficeQuery>;

/** National public status names (spec §1.2). */
export const publicStatusNames: Record<number, string> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};
