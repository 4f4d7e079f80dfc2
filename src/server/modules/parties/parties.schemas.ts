/**
 * Request and response schemas of parties: businesses with their representatives, authorisations
 * (ủy quyền) between citizens, and the principals a signed-in person may act for.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = (description: string) => Type.String({ format: 'date-time', description });
const Uuid = (description: string) => Type.String({ format: 'uuid', description });
const Username = Type.String({ minLength: 3, maxLength: 64, description: 'Tên đăng nhập của người được chọn' });

export const Person = Type.Object({
  accountId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
});
export type Person = Static<typeof Person>;

// --- businesses ------------------------------------------------------------------------------------

export const RepresentativeRole = Type.Union([Type.Literal('legal_representative'), Type.Literal('representative')], {
  description: 'legal_representative = người đại diện theo pháp luật; representative = người được doanh nghiệp giao thực hiện thủ tục',
});
export type RepresentativeRole = Static<typeof RepresentativeRole>;

export const BusinessStatus = Type.Union([Type.Literal('declared'), Type.Literal('verified'), Type.Literal('inactive')], {
  description:
    'declared = tự khai báo (chưa đối chiếu Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp); verified = đã đối chiếu; inactive = ngừng',
});

export const RegisterBusinessBody = Type.Object(
  {
    taxCode: Type.String({ minLength: 1, maxLength: 20, description: 'Mã số thuế: 10 chữ số, hoặc 0101234567-001 cho đơn vị phụ thuộc' }),
    name: Type.String({ minLength: 2, maxLength: 300, description: 'Tên doanh nghiệp, tổ chức' }),
    address: Type.Optional(Type.String({ maxLength: 500, description: 'Địa chỉ trụ sở' })),
  },
  { additionalProperties: false },
);
export type RegisterBusinessBody = Static<typeof RegisterBusinessBody>;

export const Representative = Type.Object({
  accountId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RepresentativeRole,
  addedAt: Instant('Thời điểm được thêm'),
});
export type Representative = Static<typeof Representative>;

export const BusinessSummary = Type.Object({
  id: Type.String(),
  taxCode: Type.String(),
  name: Type.String(),
  address: Nullable(Type.String()),
  status: BusinessStatus,
  myRole: RepresentativeRole,
  createdAt: Instant('Thời điểm đăng ký'),
});
export type BusinessSummary = Static<typeof BusinessSummary>;

export const BusinessDetail = Type.Composite([
  BusinessSummary,
  Type.Object({ representatives: Type.Array(Representative, { description: 'Người đại diện hiện tại' }) }),
]);
export type BusinessDetail = Static<typeof BusinessDetail>;

export const AddRepresentativeBody = Type.Object({ username: Username }, { additionalProperties: false });
export type AddRepresentativeBody = Static<typeof AddRepresentativeBody>;

export const BusinessParams = Type.Object({ id: Uuid('Mã (id) doanh nghiệp') });
export const RepresentativeParams = Type.Object({
  id: Uuid('Mã (id) doanh nghiệp'),
  accountId: Uuid('Tài khoản người đại diện'),
});

// --- authorisations -------------------------------------------------------------------------------

const DateOrInstant = (description: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    description,
  });

export const CreateAuthorisationBody = Type.Object(
  {
    granteeUsername: Username,
    procedureCodes: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
      maxItems: 50,
      description: 'Mã thủ tục được ủy quyền (mã đầy đủ hoặc mã quốc gia); mảng rỗng = mọi thủ tục',
    }),
    validFrom: Type.Optional(DateOrInstant('Hiệu lực từ (ngày YYYY-MM-DD theo giờ Việt Nam, hoặc thời điểm); mặc định: ngay bây giờ')),
    validUntil: DateOrInstant('Hiệu lực đến hết ngày (YYYY-MM-DD, giờ Việt Nam) hoặc đến thời điểm; tối đa 5 năm'),
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'Ghi chú (nội dung ủy quyền)' })),
  },
  { additionalProperties: false },
);
export type CreateAuthorisationBody = Static<typeof CreateAuthorisationBody>;

export const AuthorisationStatus = Type.Union(
  [Type.Literal('live'), Type.Literal('pending'), Type.Literal('expired'), Type.Literal('revoked')],
  { description: 'live = đang hiệu lực; pending = chưa đến ngày hiệu lực; expired = hết hạn; revoked = đã thu hồi / từ chối' },
);

export const Authorisation = Type.Object({
  id: Type.String(),
  grantor: Person,
  grantee: Person,
  procedureCodes: Type.Array(Type.String(), { description: 'Rỗng = mọi thủ tục' }),
  procedures: Type.Array(Type.Object({ code: Type.String(), name: Nullable(Type.String()) })),
  validFrom: Instant('Hiệu lực từ'),
  validUntil: Instant('Hiệu lực đến (không bao gồm thời điểm này)'),
  note: Nullable(Type.String()),
  createdAt: Instant('Thời điểm lập'),
  revokedAt: Nullable(Instant('Thời điểm thu hồi')),
  revokedBy: Nullable(Type.Union([Type.Literal('grantor'), Type.Literal('grantee')], { description: 'Ai đã chấm dứt' })),
  status: AuthorisationStatus,
});
export type Authorisation = Static<typeof Authorisation>;

export const AuthorisationParams = Type.Object({ id: Uuid('Mã (id) ủy quyền') });

export const AuthorisationListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    status: Type.Optional(
      Type.Union([Type.Literal('live'), Type.Literal('all')], {
        description: 'live = chỉ ủy quyền còn hiệu lực hoặc sắp hiệu lực; mặc định all',
      }),
    ),
  }),
]);
export type AuthorisationListQuery = Static<typeof AuthorisationListQuery>;

// --- principals ------------------------------------------------------------------------------------

export const PrincipalsQuery = Type.Object({
  procedureCode: Type.Optional(
    Type.String({ minLength: 1, maxLength: 60, description: 'Chỉ những người/doanh nghiệp có thể nộp cho thủ tục này' }),
  ),
});
export type PrincipalsQuery = Static<typeof PrincipalsQuery>;

export const PrincipalOption = Type.Object({
  kind: Type.Union([Type.Literal('citizen'), Type.Literal('business')]),
  accountId: Type.Optional(Type.String()),
  businessId: Type.Optional(Type.String()),
  name: Type.String(),
  /** self | representative | legal_representative | authorisation */
  via: Type.Union([
    Type.Literal('self'),
    Type.Literal('legal_representative'),
    Type.Literal('representative'),
    Type.Literal('authorisation'),
  ]),
  taxCode: Type.Optional(Type.String()),
  authorisationId: Type.Optional(Type.String()),
  validUntil: Type.Optional(Instant('Ủy quyền hiệu lực đến')),
});
export type PrincipalOption = Static<typeof PrincipalOption>;

export const PrincipalList = Type.Object({ items: Type.Array(PrincipalOption) });
