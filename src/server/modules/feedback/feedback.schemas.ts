/** TypeBox schemas of the field-report API (shared by the citizen/staff, public and admin routes). */
import { type TSchema, Type } from '@sinclair/typebox';

export const tags = ['field-reports'];
export const session = [{ session: [] }];
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const Uuid = Type.String({ pattern: UUID });
export const Lon = Type.Number({ minimum: -180, maximum: 180 });
export const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const IdParams = Type.Object({ id: Uuid });

export const PublicReport = Type.Object({
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
  channel: Type.Union([Type.Literal('web'), Type.Literal('open311'), Type.Literal('zalo')], { description: 'Kênh gửi' }),
  reporterName: Nullable(Type.String({ description: 'null khi người gửi chọn ẩn danh với công chúng' })),
  photoIds: Type.Array(Type.String()),
  resultText: Nullable(Type.String()),
  resultPhotoIds: Type.Array(Type.String()),
  satisfied: Nullable(Type.Boolean()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
});
export const Event = Type.Object({
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
export const StaffFields = {
  publicDescription: Type.Optional(Nullable(Type.String())),
  isPublic: Type.Optional(Type.Boolean()),
  anonymous: Type.Optional(Type.Boolean()),
  reporterAccountId: Type.Optional(Nullable(Type.String())),
  reporterName: Nullable(Type.String()),
  contact: Type.Optional(
    Nullable(
      Type.Object({
        name: Type.Optional(Type.String()),
        phone: Type.Optional(Type.String()),
        email: Type.Optional(Type.String()),
        zaloUserId: Type.Optional(Type.String()),
      }),
    ),
  ),
  agencyId: Type.Optional(Type.String()),
  handlerAccountId: Type.Optional(Nullable(Type.String())),
  reopened: Type.Optional(Type.Boolean()),
  extended: Type.Optional(Type.Boolean()),
  acceptDueAt: Type.Optional(Nullable(Type.String())),
  resolveDueAt: Type.Optional(Nullable(Type.String())),
};
export const Report = Type.Composite([PublicReport, Type.Object(StaffFields)]);
export const ReportWithTimeline = Type.Composite([Report, Type.Object({ timeline: Type.Array(Event) })]);
export const PublicDetail = Type.Composite([PublicReport, Type.Object({ timeline: Type.Array(Event) })]);

export const CreateBody = Type.Object(
  {
    categoryCode: Type.String({ maxLength: 40 }),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    location: Type.Optional(Type.Object({ lon: Lon, lat: Lat }, { additionalProperties: false })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 5, description: 'Ảnh tải lên trước qua /api/v1/files' })),
    useExifLocation: Type.Optional(Type.Boolean({ description: 'Lấy vị trí từ thông tin GPS trong ảnh đầu tiên (khi không chọn vị trí)' })),
    isPublic: Type.Optional(Type.Boolean({ default: true })),
    anonymous: Type.Optional(Type.Boolean({ description: 'Ẩn tên với công chúng (cơ quan vẫn thấy thông tin liên hệ)' })),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 200 })),
          phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 .-]{8,20}$' })),
          email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' })),
          zaloUserId: Type.Optional(Type.String({ maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
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

export const CitizenReport = Type.Composite([
  PublicReport,
  Type.Object({
    isPublic: Type.Boolean(),
    anonymous: Type.Boolean(),
    acceptDueAt: Nullable(Type.String()),
    resolveDueAt: Nullable(Type.String()),
  }),
]);

export const PhotoParams = Type.Object({ id: Uuid, fileId: Uuid });

export const Category = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    acceptDays: Type.Integer({ minimum: 0, maximum: 30 }),
    resolveDays: Type.Integer({ minimum: 1, maximum: 120 }),
    unitKind: Type.String({
      pattern: '^(ubnd_xa|ubnd_tinh|so_nganh|trung_tam_pvhcc|van_phong|don_vi_su_nghiep|don_vi_khac)$',
      description: 'Loại cơ quan xử lý (ubnd_xa = UBND xã/phường nơi xảy ra)',
    }),
    active: Type.Boolean(),
    sortOrder: Type.Integer({ minimum: 0, maximum: 999 }),
  },
  { additionalProperties: false },
);
