/**
 * Request and response schemas of /api/v1 org routes (the source of validation, types and OpenAPI).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IsoDate = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const Uuid = (description: string) => Type.String({ format: 'uuid', description });
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });

export const agencyKinds = ['ubnd_tinh', 'van_phong', 'so_nganh', 'trung_tam_pvhcc', 'ubnd_xa', 'don_vi_su_nghiep', 'don_vi_khac'] as const;

/** A union of string literals (listed out: TypeScript must see each literal for typed handlers). */
const L = <T extends string>(v: T) => Type.Literal(v);

const UnitLevel = Type.Union([L('province'), L('district'), L('commune')], {
  description: 'Cấp: province = tỉnh/thành phố, district = huyện (chỉ có trước 01/7/2025), commune = xã/phường/đặc khu',
});
const UnitType = Type.Union(
  [L('tinh'), L('thanh_pho'), L('huyen'), L('quan'), L('thi_xa'), L('xa'), L('phuong'), L('thi_tran'), L('dac_khu')],
  {
    description: 'Loại: tinh, thanh_pho, xa, phuong, dac_khu; trước 2025 còn huyen, quan, thi_xa, thi_tran',
  },
);
const AgencyKind = Type.Union(
  [L('ubnd_tinh'), L('van_phong'), L('so_nganh'), L('trung_tam_pvhcc'), L('ubnd_xa'), L('don_vi_su_nghiep'), L('don_vi_khac')],
  {
    description:
      'Loại cơ quan: ubnd_tinh (UBND tỉnh), van_phong (Văn phòng UBND), so_nganh (sở, ban, ngành), trung_tam_pvhcc (Trung tâm Phục vụ hành chính công), ubnd_xa (UBND xã/phường/đặc khu), don_vi_su_nghiep, don_vi_khac',
  },
);

// ------------------------------------------------------------------------------------------------
// Units
// ------------------------------------------------------------------------------------------------

export const UnitCodeParam = Type.Object({ code: Type.String({ pattern: '^[0-9]{2,5}$', description: 'Mã đơn vị hành chính' }) });

export const UnitListQuery = Type.Composite([
  Type.Object({
    level: Type.Optional(UnitLevel),
    type: Type.Optional(UnitType),
    provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'Mã tỉnh (2 chữ số)' })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Tìm theo tên hoặc mã, không phân biệt dấu ("dak lak")' })),
    at: Type.Optional(IsoDate('Ngày tra cứu (YYYY-MM-DD): trả về đơn vị và tên gọi có hiệu lực vào ngày đó')),
    includeClosed: Type.Optional(Type.Boolean({ description: 'Kèm đơn vị đã giải thể/sáp nhập (không dùng cùng at)' })),
  }),
  PageQuery,
]);
export type UnitListQuery = Static<typeof UnitListQuery>;

export const Unit = Type.Object(
  {
    code: Type.String({ description: 'Mã đơn vị hành chính (tỉnh 2, huyện 3, xã 5 chữ số)' }),
    level: UnitLevel,
    name: Type.String({ description: 'Tên đầy đủ, ví dụ "Phường Buôn Ma Thuột"' }),
    type: UnitType,
    provinceCode: Nullable(Type.String({ description: 'Tỉnh trực thuộc' })),
    districtCode: Nullable(Type.String({ description: 'Huyện trực thuộc (chỉ đơn vị trước 2025)' })),
    validFrom: Nullable(Type.String({ description: 'Ngày bắt đầu của trạng thái này (null = trước khi có dữ liệu)' })),
    validTo: Nullable(Type.String({ description: 'Ngày hết hiệu lực (null = đang có hiệu lực)' })),
    successorCode: Nullable(Type.String({ description: 'Đơn vị kế thừa khi giải thể/sáp nhập' })),
    legalBasis: Nullable(Type.String({ description: 'Căn cứ pháp lý' })),
    note: Nullable(Type.String()),
    current: Type.Boolean({ description: 'false = tên/loại cũ của đơn vị còn mang mã này (kết quả tra cứu theo ngày)' }),
  },
  { description: 'Đơn vị hành chính' },
);
export type Unit = Static<typeof Unit>;

export const UnitRef = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: UnitLevel,
  validTo: Nullable(Type.String()),
});

export const UnitLink = Type.Object({
  code: Type.String(),
  name: Type.String({ description: 'Tên tại thời điểm thay đổi' }),
  level: UnitLevel,
  inForce: Type.Boolean({ description: 'Đơn vị này hiện còn hiệu lực' }),
  relation: Type.Union([L('full'), L('partial')], { description: 'full = toàn bộ, partial = một phần địa giới' }),
  effectiveDate: Type.String(),
  legalBasis: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

export const UnitVersion = Type.Object({
  name: Type.String(),
  type: UnitType,
  provinceCode: Nullable(Type.String()),
  districtCode: Nullable(Type.String()),
  validFrom: Nullable(Type.String()),
  validTo: Type.String(),
  legalBasis: Nullable(Type.String()),
});

export const UnitDetail = Type.Composite(
  [
    Type.Omit(Unit, ['current']),
    Type.Object({
      province: Nullable(UnitRef),
      successor: Nullable(UnitRef),
      successorChain: Type.Array(UnitRef, { description: 'Chuỗi kế thừa đến đơn vị đang có hiệu lực' }),
      successors: Type.Array(UnitLink, { description: 'Các đơn vị nhận địa giới của đơn vị này' }),
      predecessors: Type.Array(UnitLink, { description: 'Các đơn vị đã sáp nhập (toàn bộ hoặc một phần) vào đơn vị này' }),
      versions: Type.Array(UnitVersion, { description: 'Tên gọi, loại, trực thuộc trước đây của chính mã này' }),
    }),
  ],
  { description: 'Đơn vị hành chính và lịch sử' },
);
export type UnitDetail = Static<typeof UnitDetail>;

export const UnitCreate = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9]{2,5}$', description: 'Mã mới — không được trùng mã đã từng dùng' }),
    level: UnitLevel,
    name: Text(200, 'Tên đầy đủ kèm loại, ví dụ "Xã Ea Kar"'),
    type: UnitType,
    provinceCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}$' }))),
    districtCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{3}$' }))),
    validFrom: Type.Optional(Nullable(IsoDate('Ngày có hiệu lực'))),
    legalBasis: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type UnitCreate = Static<typeof UnitCreate>;

export const UnitPatch = Type.Object(
  {
    name: Type.Optional(Text(200, 'Tên mới')),
    type: Type.Optional(UnitType),
    provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'Tỉnh trực thuộc mới (khi chia, tách tỉnh)' })),
    legalBasis: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    effectiveFrom: Type.Optional(
      IsoDate('Ngày thay đổi có hiệu lực. Có: trạng thái cũ được lưu vào lịch sử. Không có: sửa lỗi nhập liệu tại chỗ'),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UnitPatch = Static<typeof UnitPatch>;

export const UnitClose = Type.Object(
  {
    validTo: IsoDate('Ngày đơn vị hết hiệu lực (ngày sáp nhập có hiệu lực)'),
    successorCode: Type.String({ pattern: '^[0-9]{2,5}$', description: 'Đơn vị kế thừa' }),
    legalBasis: Text(500, 'Căn cứ pháp lý, ví dụ "Nghị quyết 1660/NQ-UBTVQH15"'),
  },
  { additionalProperties: false },
);
export type UnitClose = Static<typeof UnitClose>;

export const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'Chỉ kiểm tra, không ghi' })),
  validFrom: Type.Optional(IsoDate('Ngày hiệu lực của danh mục trong tệp (mặc định 2025-07-01, mốc QĐ 19/2025)')),
  legalBasis: Type.Optional(Type.String({ maxLength: 500, description: 'Căn cứ pháp lý ghi cho các đơn vị tạo/đổi' })),
});
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportReport = Type.Object(
  {
    format: Type.String({ description: 'Dạng tệp nhận ra từ dòng tiêu đề' }),
    applied: Type.Boolean({ description: 'true = đã ghi vào cơ sở dữ liệu' }),
    counts: Type.Object({
      rows: Type.Integer(),
      created: Type.Integer(),
      updated: Type.Integer(),
      unchanged: Type.Integer(),
      rejected: Type.Integer(),
    }),
    created: Type.Array(Type.String(), { description: 'Mã được tạo' }),
    updated: Type.Array(Type.String(), { description: 'Mã được cập nhật' }),
    rejected: Type.Array(
      Type.Object({ line: Type.Integer({ description: 'Số dòng trong tệp (dòng tiêu đề là 1)' }), reasons: Type.Array(Type.String()) }),
    ),
  },
  { description: 'Kết quả nhập tệp CSV' },
);
export type ImportReport = Static<typeof ImportReport>;

// ------------------------------------------------------------------------------------------------
// Agencies and departments
// ------------------------------------------------------------------------------------------------

export const IdParam = Type.Object({ id: Uuid('Mã (id)') });

export const AgencyListQuery = Type.Composite([
  Type.Object({
    parentId: Type.Optional(Uuid('Chỉ các cơ quan trực thuộc cơ quan này')),
    kind: Type.Optional(AgencyKind),
    adminUnitCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,5}$', description: 'Cơ quan phục vụ đơn vị hành chính này' })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Tìm theo tên, tên viết tắt hoặc mã, không phân biệt dấu' })),
    includeInactive: Type.Optional(Type.Boolean({ description: 'Kèm cơ quan đã ngừng hoạt động' })),
  }),
  PageQuery,
]);
export type AgencyListQuery = Static<typeof AgencyListQuery>;

export const Agency = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    code: Type.String({ description: 'Mã định danh điện tử (QĐ 20/2020/QĐ-TTg)' }),
    legacyCode: Nullable(Type.String({ description: 'Mã định danh theo QCVN 102:2016' })),
    name: Type.String(),
    shortName: Nullable(Type.String()),
    kind: AgencyKind,
    parentId: Nullable(Type.String({ format: 'uuid' })),
    adminUnitCode: Nullable(Type.String({ description: 'Đơn vị hành chính mà cơ quan quản lý/phục vụ' })),
    path: Type.String({ description: 'Đường dẫn trong cây tổ chức, dùng cho phạm vi phân quyền' }),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { description: 'Cơ quan, đơn vị' },
);
export type Agency = Static<typeof Agency>;

export const Department = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    agencyId: Type.String({ format: 'uuid' }),
    code: Type.String(),
    name: Type.String(),
    path: Type.String(),
    active: Type.Boolean(),
  },
  { description: 'Phòng, ban thuộc cơ quan' },
);
export type Department = Static<typeof Department>;

const AgencyRef = Type.Object({ id: Type.String({ format: 'uuid' }), code: Type.String(), name: Type.String() });

export const AgencyDetail = Type.Composite([
  Agency,
  Type.Object({
    parent: Nullable(AgencyRef),
    adminUnit: Nullable(UnitRef),
    departments: Type.Array(Department),
    children: Type.Array(Agency),
  }),
]);
export type AgencyDetail = Static<typeof AgencyDetail>;

const AgencyCode = Type.String({ minLength: 1, maxLength: 35, description: 'Mã định danh (QĐ 20/2020): ví dụ H66.001' });
const LegacyCode = Type.String({ maxLength: 20, description: 'Mã cũ theo QCVN 102:2016, ví dụ 000.00.12.H56' });

export const AgencyCreate = Type.Object(
  {
    code: AgencyCode,
    legacyCode: Type.Optional(Nullable(LegacyCode)),
    name: Text(300, 'Tên cơ quan'),
    shortName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    kind: AgencyKind,
    parentId: Type.Optional(Nullable(Uuid('Cơ quan cấp trên (không có = cơ quan gốc)'))),
    adminUnitCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2,5}$' }))),
  },
  { additionalProperties: false },
);
export type AgencyCreate = Static<typeof AgencyCreate>;

export const AgencyPatch = Type.Object(
  {
    code: Type.Optional(AgencyCode),
    legacyCode: Type.Optional(Nullable(LegacyCode)),
    name: Type.Optional(Text(300, 'Tên cơ quan')),
    shortName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    kind: Type.Optional(AgencyKind),
    parentId: Type.Optional(Nullable(Uuid('Chuyển sang cơ quan cấp trên khác'))),
    adminUnitCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2,5}$' }))),
    active: Type.Optional(Type.Boolean({ description: 'false = ngừng hoạt động' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AgencyPatch = Static<typeof AgencyPatch>;

export const DepartmentCreate = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9._-]{1,30}$', description: 'Mã phòng (duy nhất trong cơ quan)' }),
    name: Text(300, 'Tên phòng, ban'),
  },
  { additionalProperties: false },
);
export type DepartmentCreate = Static<typeof DepartmentCreate>;

export const DepartmentPatch = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,30}$' })),
    name: Type.Optional(Text(300, 'Tên phòng, ban')),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DepartmentPatch = Static<typeof DepartmentPatch>;

// ------------------------------------------------------------------------------------------------
// Positions, roles, permissions
// ------------------------------------------------------------------------------------------------

export const Position = Type.Object({
  code: Type.String(),
  name: Type.String(),
  rank: Type.Integer({ description: 'Thứ tự sắp xếp (nhỏ = lãnh đạo)' }),
});
export type Position = Static<typeof Position>;

export const PositionCreate = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Mã chức vụ, ví dụ truong_ban' }),
    name: Text(100, 'Tên chức vụ'),
    rank: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);
export type PositionCreate = Static<typeof PositionCreate>;

export const Role = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  permissions: Type.Array(Type.String(), { description: 'Các quyền của vai trò' }),
  grantsAll: Type.Boolean({ description: 'Có mọi quyền, kể cả quyền bổ sung sau này' }),
  builtin: Type.Boolean({ description: 'Vai trò dựng sẵn: không đổi được mã' }),
});
export type Role = Static<typeof Role>;

export const RoleCodeParam = Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) });

export const RoleCreate = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Mã vai trò' }),
    name: Text(100, 'Tên vai trò'),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    permissions: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type RoleCreate = Static<typeof RoleCreate>;

export const RolePatch = Type.Object(
  {
    name: Type.Optional(Text(100, 'Tên vai trò')),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    permissions: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RolePatch = Static<typeof RolePatch>;

export const PermissionItem = Type.Object({ code: Type.String(), label: Type.String({ description: 'Tên quyền (tiếng Việt)' }) });

// ------------------------------------------------------------------------------------------------
// Staff and assignments
// ------------------------------------------------------------------------------------------------

export const StaffListQuery = Type.Composite([
  Type.Object({
    agencyId: Type.Optional(Uuid('Chỉ cán bộ của cơ quan này')),
    departmentId: Type.Optional(Uuid('Chỉ cán bộ của phòng này')),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Tìm theo họ tên, không phân biệt dấu' })),
    active: Type.Optional(Type.Boolean()),
  }),
  PageQuery,
]);
export type StaffListQuery = Static<typeof StaffListQuery>;

export const Staff = Type.Object({
  id: Type.String({ format: 'uuid' }),
  accountId: Type.String({ format: 'uuid' }),
  fullName: Type.String(),
  agencyId: Type.String({ format: 'uuid' }),
  agencyName: Type.String(),
  departmentId: Nullable(Type.String({ format: 'uuid' })),
  departmentName: Nullable(Type.String()),
  positionCode: Type.String(),
  positionName: Type.String(),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Staff = Static<typeof Staff>;

export const Assignment = Type.Object({
  id: Type.String({ format: 'uuid' }),
  roleCode: Type.String(),
  roleName: Type.String(),
  scopeAgencyId: Nullable(Type.String({ format: 'uuid' })),
  scopeAgencyName: Nullable(Type.String()),
  scopeDepartmentId: Nullable(Type.String({ format: 'uuid' })),
  scopeDepartmentName: Nullable(Type.String()),
  wholeProvince: Type.Boolean({ description: 'Phạm vi toàn tỉnh' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Assignment = Static<typeof Assignment>;

export const StaffDetail = Type.Composite([Staff, Type.Object({ assignments: Type.Array(Assignment) })]);
export type StaffDetail = Static<typeof StaffDetail>;

export const StaffCreate = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9._-]{3,64}$', description: 'Tên đăng nhập (chữ không dấu, số, . _ -)' }),
    displayName: Text(200, 'Họ và tên'),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+ .-]{8,20}$', description: 'Số điện thoại' }))),
    agencyId: Uuid('Cơ quan công tác'),
    departmentId: Type.Optional(Nullable(Uuid('Phòng, ban'))),
    positionCode: Type.String({ maxLength: 40, description: 'Chức vụ' }),
    password: Type.String({ minLength: 1, maxLength: 256, description: 'Mật khẩu ban đầu (≥ 10 ký tự, có chữ và số)' }),
  },
  { additionalProperties: false },
);
export type StaffCreate = Static<typeof StaffCreate>;

export const StaffPatch = Type.Object(
  {
    fullName: Type.Optional(Text(200, 'Họ và tên trong hồ sơ cán bộ')),
    agencyId: Type.Optional(Uuid('Chuyển công tác sang cơ quan')),
    departmentId: Type.Optional(Nullable(Uuid('Phòng, ban (null = không thuộc phòng nào)'))),
    positionCode: Type.Optional(Type.String({ maxLength: 40 })),
    active: Type.Optional(Type.Boolean({ description: 'false = thôi công tác: mọi quyền ngừng hiệu lực' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type StaffPatch = Static<typeof StaffPatch>;

export const AssignmentCreate = Type.Object(
  {
    roleCode: Type.String({ maxLength: 40, description: 'Vai trò' }),
    scopeAgencyId: Type.Optional(Nullable(Uuid('Phạm vi: cơ quan (và các đơn vị trực thuộc)'))),
    scopeDepartmentId: Type.Optional(Nullable(Uuid('Phạm vi: một phòng'))),
  },
  { additionalProperties: false, description: 'Không ghi phạm vi = toàn tỉnh' },
);
export type AssignmentCreate = Static<typeof AssignmentCreate>;

export const AssignmentParams = Type.Object({ id: Uuid('Mã cán bộ'), assignmentId: Uuid('Mã phân quyền') });
