/**
 * Request and response schemas of the e-data store (/api/v1/edata…, /api/v1/public/edata…).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';
import { docTypes, SHARE_MAX_HOURS, SHARE_MIN_HOURS } from './edata.types';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const L = <T extends string>(v: T) => Type.Literal(v);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });
const Instant = (description: string) => Type.String({ format: 'date-time', description });
const IsoDay = (description: string) => Type.String({ format: 'date', description });

export const DocTypeSchema = Type.Union(
  docTypes.map((t) => L(t.code)),
  { description: docTypes.map((t) => `${t.code} = ${t.name}`).join('; ') },
);
export const SourceSchema = Type.Union([L('upload'), L('result'), L('counter')], {
  description: 'upload = tự tải lên; result = kết quả giải quyết TTHC điện tử (không sửa, xoá được); counter = số hoá tại bộ phận một cửa',
});

/** Whose store (default: the signed-in citizen's own). */
const OwnerQuery = {
  businessId: Type.Optional(Uuid('Kho của doanh nghiệp mà người dùng là người đại diện')),
  accountId: Type.Optional(Uuid('Kho của công dân đã ủy quyền cho người dùng')),
};

export const StoreQuery = Type.Composite([
  PageQuery,
  Type.Object({
    ...OwnerQuery,
    type: Type.Optional(DocTypeSchema),
    source: Type.Optional(SourceSchema),
    validity: Type.Optional(Type.Union([L('valid'), L('expired')], { description: 'valid = còn hiệu lực; expired = hết hiệu lực' })),
  }),
]);
export type StoreQuery = Static<typeof StoreQuery>;

export const OwnerOnlyQuery = Type.Object(OwnerQuery);
export type OwnerOnlyQuery = Static<typeof OwnerOnlyQuery>;

export const LogQuery = Type.Composite([PageQuery, Type.Object(OwnerQuery)]);
export type LogQuery = Static<typeof LogQuery>;

export const DocumentParams = Type.Object({ id: Uuid('Id giấy tờ trong kho') });
export const ShareParams = Type.Object({ id: Uuid('Id giấy tờ trong kho'), shareId: Uuid('Id liên kết chia sẻ') });
export const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$', description: 'Mã liên kết chia sẻ' }) });

const metaFields = {
  type: DocTypeSchema,
  title: Type.String({ minLength: 1, maxLength: 300, description: 'Tên giấy tờ' }),
  number: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Số, ký hiệu giấy tờ' }))),
  issuer: Type.Optional(Nullable(Type.String({ maxLength: 300, description: 'Cơ quan cấp' }))),
  issuedOn: Type.Optional(Nullable(IsoDay('Ngày cấp'))),
  validUntil: Type.Optional(Nullable(IsoDay('Có giá trị đến (bỏ trống = không thời hạn)'))),
};

export const AddDocumentBody = Type.Object(
  { fileId: Uuid('Tệp đã tải lên qua POST /api/v1/files (của chính người dùng)'), ...metaFields, ...OwnerQuery },
  { additionalProperties: false },
);
export type AddDocumentBody = Static<typeof AddDocumentBody>;

export const EditDocumentBody = Type.Object(
  {
    type: Type.Optional(metaFields.type),
    title: Type.Optional(metaFields.title),
    number: metaFields.number,
    issuer: metaFields.issuer,
    issuedOn: metaFields.issuedOn,
    validUntil: metaFields.validUntil,
  },
  { additionalProperties: false },
);
export type EditDocumentBody = Static<typeof EditDocumentBody>;

export const EdataDocument = Type.Object({
  id: Type.String(),
  type: Type.String(),
  typeName: Type.String(),
  title: Type.String(),
  number: Nullable(Type.String()),
  issuer: Nullable(Type.String()),
  issuedOn: Nullable(Type.String()),
  validUntil: Nullable(Type.String()),
  valid: Type.Boolean({ description: 'Còn hiệu lực (chưa quá ngày có giá trị đến)' }),
  source: SourceSchema,
  deletable: Type.Boolean({ description: 'Chủ kho được xoá (tự tải lên hoặc số hoá tại quầy; kết quả TTHC thì không)' }),
  editable: Type.Boolean(),
  dossierId: Nullable(Type.String()),
  dossierCode: Nullable(Type.String()),
  file: Type.Object({ id: Type.String(), name: Type.String(), mediaType: Type.String(), size: Type.Integer() }),
  createdAt: Instant('Thời điểm đưa vào kho'),
  updatedAt: Instant('Lần cập nhật cuối'),
});
export type EdataDocument = Static<typeof EdataDocument>;

export const AccessEntry = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  documentTitle: Type.String(),
  at: Instant('Thời điểm'),
  action: Type.Union([L('view'), L('download'), L('reuse'), L('share_created'), L('share_opened'), L('share_revoked'), L('deleted')], {
    description: 'view = xem, download = tải về, reuse = dùng lại trong hồ sơ, share_* = liên kết chia sẻ, deleted = đã xoá',
  }),
  actorLabel: Type.String({ description: 'Ai' }),
  actorAgency: Nullable(Type.String({ description: 'Cơ quan của cán bộ' })),
  dossierId: Nullable(Type.String()),
  dossierCode: Nullable(Type.String()),
});
export type AccessEntry = Static<typeof AccessEntry>;

export const CreateShareBody = Type.Object(
  {
    hours: Type.Integer({
      minimum: SHARE_MIN_HOURS,
      maximum: SHARE_MAX_HOURS,
      description: `Thời hạn của liên kết, tính bằng giờ (${SHARE_MIN_HOURS} giờ … ${SHARE_MAX_HOURS / 24} ngày)`,
    }),
  },
  { additionalProperties: false },
);
export type CreateShareBody = Static<typeof CreateShareBody>;

export const Share = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  createdAt: Instant('Tạo lúc'),
  expiresAt: Instant('Hết hạn lúc'),
  revokedAt: Nullable(Instant('Thu hồi lúc')),
  openedCount: Type.Integer({ description: 'Số lần mở' }),
  active: Type.Boolean(),
});
export type Share = Static<typeof Share>;

export const CreatedShare = Type.Composite([
  Share,
  Type.Object({
    token: Type.String({ description: 'Mã liên kết (chỉ hiện một lần)' }),
    url: Type.String({ description: 'Địa chỉ trang chia sẻ' }),
  }),
]);

export const SharedDocument = Type.Object({
  title: Type.String(),
  type: Type.String(),
  typeName: Type.String(),
  number: Nullable(Type.String()),
  issuer: Nullable(Type.String()),
  issuedOn: Nullable(Type.String()),
  validUntil: Nullable(Type.String()),
  valid: Type.Boolean(),
  source: SourceSchema,
  dossierCode: Nullable(Type.String()),
  file: Type.Object({ name: Type.String(), mediaType: Type.String(), size: Type.Integer() }),
  expiresAt: Instant('Liên kết hết hạn lúc'),
});
export type SharedDocument = Static<typeof SharedDocument>;

export const DocTypeInfo = Type.Object({
  code: Type.String(),
  name: Type.String(),
  matches: Type.Array(Type.String(), { description: 'Loại giấy tờ của thành phần hồ sơ (danh mục TTHC) mà loại này đáp ứng' }),
});
