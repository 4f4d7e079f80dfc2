/**
 * Request and response schemas of the procedure catalogue (/api/v1/procedures…): the source of
 * validation, of the TypeScript types and of the OpenAPI document.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A union of string literals (listed out: TypeScript must see each literal for typed handlers). */
const L = <T extends string>(v: T) => Type.Literal(v);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });
const Key = (description: string) => Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description });

export const levels = ['province', 'commune'] as const;
export const onlineLevels = ['toan_trinh', 'mot_phan', 'thong_tin'] as const;
export const deliveries = ['online', 'counter', 'post'] as const;
export const formFieldTypes = ['text', 'textarea', 'number', 'date', 'select', 'checkbox', 'id_number', 'phone', 'email', 'unit'] as const;

export const Level = Type.Union([L('province'), L('commune')], {
  description: 'Cấp giải quyết: province = sở, ngành, UBND cấp tỉnh; commune = UBND cấp xã',
});
export const OnlineLevel = Type.Union([L('toan_trinh'), L('mot_phan'), L('thong_tin')], {
  description:
    'Mức dịch vụ công trực tuyến (NĐ 42/2022): toan_trinh = toàn trình, mot_phan = một phần, thong_tin = chỉ cung cấp thông tin trực tuyến',
});
export const Delivery = Type.Union([L('online'), L('counter'), L('post')], {
  description: 'Cách nhận kết quả: online = trực tuyến, counter = tại bộ phận một cửa, post = qua bưu chính công ích',
});
export const FormFieldType = Type.Union(
  [L('text'), L('textarea'), L('number'), L('date'), L('select'), L('checkbox'), L('id_number'), L('phone'), L('email'), L('unit')],
  {
    description:
      'Kiểu trường: text, textarea, number, date (YYYY-MM-DD), select (chọn trong options), checkbox, id_number (số định danh cá nhân 12 số), phone, email, unit (mã đơn vị hành chính)',
  },
);

// ------------------------------------------------------------------------------------------------
// Parts of a procedure
// ------------------------------------------------------------------------------------------------

export const Fee = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300, description: 'Tên khoản phí, lệ phí' }),
    amountVnd: Nullable(
      Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'Mức thu (đồng); 0 = miễn; null = chưa rõ mức' }),
    ),
    note: Nullable(Type.String({ maxLength: 2000, description: 'Căn cứ, điều kiện, mức giảm khi nộp trực tuyến …' })),
  },
  { additionalProperties: false },
);
export type Fee = Static<typeof Fee>;

export const FeeInput = Type.Object(
  {
    name: Fee.properties.name,
    amountVnd: Type.Optional(Fee.properties.amountVnd),
    note: Type.Optional(Fee.properties.note),
  },
  { additionalProperties: false },
);

const componentProps = {
  name: Type.String({ minLength: 1, maxLength: 1000, description: 'Tên giấy tờ' }),
  original: Nullable(Type.Boolean({ description: 'true = bản chính, false = bản sao, null = bản chính hoặc bản sao' })),
  copies: Nullable(Type.Integer({ minimum: 1, maximum: 50, description: 'Số lượng (bộ, bản)' })),
  required: Type.Boolean({ description: 'false = chỉ nộp trong một số trường hợp (xem condition)' }),
  condition: Nullable(Type.String({ maxLength: 1000, description: 'Trường hợp phải nộp' })),
  templateFileId: Nullable(Uuid('Tệp mẫu đơn, tờ khai (id trong kho tệp)')),
  fromEdataStore: Type.Boolean({
    description: 'true = giấy tờ công dân đã có (căn cước, giấy khai sinh, GCN QSDĐ …): có thể lấy từ kho dữ liệu điện tử thay vì nộp lại',
  }),
  documentType: Nullable(
    Type.String({ maxLength: 100, description: 'Loại giấy tờ trong kho dữ liệu điện tử (ví dụ cccd, giay_khai_sinh)' }),
  ),
};

export const Component = Type.Object(
  { key: Key('Mã thành phần hồ sơ, duy nhất trong thủ tục'), ...componentProps },
  { additionalProperties: false, description: 'Thành phần hồ sơ' },
);
export type Component = Static<typeof Component>;

export const ComponentInput = Type.Object(
  {
    key: Type.Optional(Key('Mã thành phần hồ sơ; bỏ trống để hệ thống tự đặt (tp1, tp2 …)')),
    name: componentProps.name,
    original: Type.Optional(componentProps.original),
    copies: Type.Optional(componentProps.copies),
    required: Type.Optional(Type.Boolean({ description: 'Mặc định true' })),
    condition: Type.Optional(componentProps.condition),
    templateFileId: Type.Optional(componentProps.templateFileId),
    fromEdataStore: Type.Optional(Type.Boolean({ description: 'Mặc định false' })),
    documentType: Type.Optional(componentProps.documentType),
  },
  { additionalProperties: false },
);
export type ComponentInput = Static<typeof ComponentInput>;

export const FormOption = Type.Object(
  {
    value: Type.String({ minLength: 1, maxLength: 100, description: 'Giá trị lưu' }),
    label: Type.String({ minLength: 1, maxLength: 200, description: 'Nhãn hiển thị' }),
  },
  { additionalProperties: false },
);

const formFieldProps = {
  key: Key('Mã trường, duy nhất trong biểu mẫu'),
  label: Type.String({ minLength: 1, maxLength: 200, description: 'Nhãn hiển thị' }),
  type: FormFieldType,
  options: Type.Optional(Type.Array(FormOption, { maxItems: 200, description: 'Các lựa chọn (bắt buộc với select)' })),
  min: Type.Optional(Type.Number({ description: 'Giá trị nhỏ nhất (number)' })),
  max: Type.Optional(Type.Number({ description: 'Giá trị lớn nhất (number)' })),
  minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'Độ dài tối thiểu (text, textarea)' })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'Độ dài tối đa (text, textarea)' })),
  pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Biểu thức chính quy giá trị phải khớp (text)' })),
  help: Type.Optional(Type.String({ maxLength: 1000, description: 'Hướng dẫn điền' })),
  requiredIf: Type.Optional(
    Type.Object(
      {
        field: Key('Trường điều kiện'),
        equals: Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'Giá trị của trường điều kiện' }),
      },
      { additionalProperties: false, description: 'Bắt buộc khi trường `field` có giá trị `equals`' },
    ),
  ),
};

export const FormField = Type.Object(
  { ...formFieldProps, required: Type.Boolean({ description: 'Bắt buộc nhập' }) },
  { additionalProperties: false },
);
export type FormField = Static<typeof FormField>;

export const FormSchema = Type.Object(
  { fields: Type.Array(FormField, { maxItems: 100 }) },
  { additionalProperties: false, description: 'Biểu mẫu điện tử (tờ khai) của thủ tục: các trường có kiểu và quy tắc kiểm tra' },
);
export type FormSchema = Static<typeof FormSchema>;

export const FormSchemaInput = Type.Object(
  {
    fields: Type.Array(
      Type.Object(
        { ...formFieldProps, required: Type.Optional(Type.Boolean({ description: 'Mặc định false' })) },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export const AgencyRef = Type.Object({
  id: Type.String({ description: 'Mã (id) cơ quan' }),
  code: Type.String({ description: 'Mã định danh cơ quan' }),
  name: Type.String({ description: 'Tên cơ quan' }),
});

export const AgencyPick = Type.Object(
  {
    id: Type.Optional(Uuid('Mã (id) cơ quan')),
    code: Type.Optional(Type.String({ minLength: 3, maxLength: 35, description: 'Mã định danh cơ quan (dùng khi không có id)' })),
    name: Type.Optional(Type.String({ description: 'Bỏ qua khi ghi (chỉ để dễ đọc)' })),
  },
  { additionalProperties: false, description: 'Cơ quan thực hiện: theo id hoặc mã định danh' },
);

// ------------------------------------------------------------------------------------------------
// Procedure input (create, publish a new version, import)
// ------------------------------------------------------------------------------------------------

const Text = (min: number, max: number, description: string) => Type.String({ minLength: min, maxLength: max, description });
const OptText = (max: number, description: string) => Type.Optional(Nullable(Type.String({ maxLength: max, description })));

export const ProcedureInput = Type.Object(
  {
    code: Type.String({
      maxLength: 40,
      description: 'Mã thủ tục quốc gia đầy đủ: {1|2|3}.{6 chữ số}.000.00.00.{mã cơ quan cấp 1}, ví dụ 1.001193.000.00.00.H66',
    }),
    name: Text(1, 500, 'Tên thủ tục'),
    field: Text(1, 200, 'Lĩnh vực, ví dụ "Hộ tịch"'),
    level: Level,
    onlineLevel: OnlineLevel,
    processingDays: Type.Optional(
      Nullable(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: 365,
          description: 'Thời hạn giải quyết theo quy định, ngày làm việc (1 ngày = 8 giờ)',
        }),
      ),
    ),
    processingHours: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: 2920, description: 'Thời hạn giải quyết, giờ làm việc (dùng thay processingDays)' })),
    ),
    processingNote: OptText(2000, 'Ghi chú thời hạn (thời hạn theo trường hợp, quy tắc 15 giờ …)'),
    fees: Type.Optional(Type.Array(FeeInput, { maxItems: 50, description: 'Phí, lệ phí' })),
    exemptions: OptText(4000, 'Đối tượng miễn, giảm phí, lệ phí'),
    components: Type.Optional(Type.Array(ComponentInput, { maxItems: 100, description: 'Thành phần hồ sơ' })),
    form: Type.Optional(FormSchemaInput),
    legalBasis: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 100, description: 'Căn cứ pháp lý' })),
    resultType: OptText(1000, 'Kết quả thực hiện'),
    resultDelivery: Type.Optional(Type.Array(Delivery, { maxItems: 3, description: 'Cách nhận kết quả' })),
    implementingAgencyNote: OptText(1000, 'Ghi chú về cơ quan thực hiện, phối hợp'),
    agencies: Type.Array(AgencyPick, { minItems: 1, maxItems: 500, description: 'Cơ quan thực hiện (ít nhất một)' }),
  },
  { description: 'Nội dung một thủ tục (tạo mới, công bố phiên bản mới, nhập)' },
);
export type ProcedureInput = Static<typeof ProcedureInput>;

export const ProcedurePublish = Type.Composite([
  ProcedureInput,
  Type.Object({
    baseVersion: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Phiên bản đang sửa; nếu đã có phiên bản mới hơn thì trả 409 để tránh ghi đè' }),
    ),
  }),
]);
export type ProcedurePublish = Static<typeof ProcedurePublish>;

// ------------------------------------------------------------------------------------------------
// Procedure output
// ------------------------------------------------------------------------------------------------

const summaryProps = {
  id: Type.String({ description: 'Mã (id) thủ tục' }),
  code: Type.String({ description: 'Mã thủ tục quốc gia' }),
  name: Type.String(),
  field: Type.String({ description: 'Lĩnh vực' }),
  level: Level,
  onlineLevel: OnlineLevel,
  processingHours: Nullable(Type.Integer({ description: 'Thời hạn giải quyết, giờ làm việc' })),
  processingDays: Nullable(Type.Number({ description: 'Thời hạn giải quyết, ngày làm việc (= giờ / 8)' })),
  feeTotalVnd: Nullable(
    Type.Integer({
      description:
        'Mức phí để hiển thị trong danh sách (đồng): 0 khi miễn toàn bộ, mức phí khi chỉ có một khoản; null khi có nhiều khoản (xem bảng phí) hoặc chưa rõ mức',
    }),
  ),
  agencies: Type.Array(AgencyRef, { description: 'Cơ quan thực hiện' }),
  version: Type.Integer({ description: 'Phiên bản' }),
  status: Type.Union([L('active'), L('retired')], { description: 'active = đang áp dụng, retired = đã bãi bỏ' }),
};

export const ProcedureSummary = Type.Object(summaryProps, { description: 'Thủ tục (tóm tắt)' });
export type ProcedureSummary = Static<typeof ProcedureSummary>;

export const VersionInfo = Type.Object({
  version: Type.Integer(),
  publishedAt: Type.String({ description: 'Thời điểm công bố (ISO 8601)' }),
  publishedBy: Type.String({ description: 'Người công bố' }),
});
export type VersionInfo = Static<typeof VersionInfo>;

export const Procedure = Type.Object(
  {
    ...summaryProps,
    processingNote: Nullable(Type.String()),
    fees: Type.Array(Fee),
    exemptions: Nullable(Type.String()),
    components: Type.Array(Component),
    form: FormSchema,
    legalBasis: Type.Array(Type.String()),
    resultType: Nullable(Type.String()),
    resultDelivery: Type.Array(Delivery),
    implementingAgencyNote: Nullable(Type.String()),
    publishedAt: Type.String({ description: 'Thời điểm công bố phiên bản này' }),
    publishedBy: Type.String({ description: 'Người công bố phiên bản này' }),
    versions: Type.Array(VersionInfo, { description: 'Các phiên bản, mới nhất trước' }),
  },
  { description: 'Thủ tục hành chính (một phiên bản)' },
);
export type Procedure = Static<typeof Procedure>;

// ------------------------------------------------------------------------------------------------
// Queries and reports
// ------------------------------------------------------------------------------------------------

export const ProcedureListQuery = Type.Composite([
  Type.Object({
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Từ khóa: tên thủ tục, lĩnh vực hoặc mã; không phân biệt dấu, chịu lỗi gõ nhỏ ("dang ky khai sinh", "đăng ki kết hôn")',
      }),
    ),
    field: Type.Optional(Type.String({ maxLength: 200, description: 'Lĩnh vực' })),
    agencyId: Type.Optional(Uuid('Cơ quan thực hiện')),
    level: Type.Optional(Level),
    onlineLevel: Type.Optional(OnlineLevel),
    includeRetired: Type.Optional(Type.Boolean({ description: 'Kèm thủ tục đã bãi bỏ' })),
  }),
  PageQuery,
]);
export type ProcedureListQuery = Static<typeof ProcedureListQuery>;

export const FacetCount = Type.Object({ value: Type.String(), count: Type.Integer() });
export type FacetCount = Static<typeof FacetCount>;

export const ProcedureList = Type.Object({
  items: Type.Array(ProcedureSummary),
  nextCursor: Nullable(Type.String()),
  total: Type.Integer({ description: 'Số thủ tục khớp điều kiện' }),
  facets: Type.Object(
    {
      field: Type.Array(FacetCount),
      level: Type.Array(FacetCount),
      onlineLevel: Type.Array(FacetCount),
      agency: Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() })),
    },
    { description: 'Số thủ tục theo từng giá trị, tính với từ khóa và các bộ lọc khác (trừ chính bộ lọc đó)' },
  ),
});
export type ProcedureList = Static<typeof ProcedureList>;

export const IdOrCodeParam = Type.Object({
  idOrCode: Type.String({ minLength: 1, maxLength: 60, description: 'Mã (id) hoặc mã thủ tục quốc gia (đầy đủ hoặc dạng ngắn 1.001193)' }),
});
export const IdParam = Type.Object({ id: Uuid('Mã (id) thủ tục') });
export const VersionParams = Type.Object({
  id: Uuid('Mã (id) thủ tục'),
  version: Type.Integer({ minimum: 1, description: 'Số phiên bản' }),
});

export const TemplateParams = Type.Object({
  id: Uuid('Mã (id) thủ tục'),
  version: Type.Integer({ minimum: 1, description: 'Số phiên bản' }),
  key: Key('Mã thành phần hồ sơ'),
});

export const ExportQuery = Type.Object({
  format: Type.Optional(
    Type.Union([L('json'), L('csv')], { default: 'json', description: 'json (đầy đủ) hoặc csv (không có thành phần hồ sơ, biểu mẫu)' }),
  ),
});

export const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'Chỉ kiểm tra, không ghi' })),
});

export const ImportReport = Type.Object(
  {
    applied: Type.Boolean({ description: 'true = đã ghi vào cơ sở dữ liệu' }),
    created: Type.Integer({ description: 'Số thủ tục tạo mới' }),
    updated: Type.Integer({ description: 'Số thủ tục được công bố phiên bản mới' }),
    unchanged: Type.Integer({ description: 'Số thủ tục không đổi' }),
    rejected: Type.Array(
      Type.Object({
        line: Type.Integer({ description: 'Dòng trong tệp CSV (dòng tiêu đề là 1) hoặc số thứ tự phần tử JSON (từ 1)' }),
        code: Nullable(Type.String()),
        errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
      }),
    ),
  },
  { description: 'Kết quả nhập danh mục thủ tục (tất cả hoặc không)' },
);
export type ImportReport = Static<typeof ImportReport>;

export const FieldList = Type.Array(FacetCount, { description: 'Các lĩnh vực và số thủ tục đang áp dụng' });
