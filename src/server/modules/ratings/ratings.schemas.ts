/**
 * Request and response schemas of ratings (/api/v1/ratings…, /api/v1/public/ratings…).
 */
import { type TSchema, Type } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const L = <T extends string>(v: T) => Type.Literal(v);
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const Uuid = (description: string) => Type.String({ pattern: UUID_PATTERN, description });

export const FormCodeSchema = Type.Union([L('tt01'), L('c12')], {
  description: 'tt01 = 9 chỉ số của Thông tư 01/2018/TT-VPCP; c12 = phiếu 12 tiêu chí',
});
const GradeSchema = Type.String({
  description:
    'Cơ quan: xuat_sac | tot | kha | trung_binh | yeu (≥15, 12–<15, 9–<12, 6–<9, <6 trên thang 18). Cán bộ: full | from70 | below70 (≥5, 3,5–<5, <3,5 trên thang 10).',
});
const Period = Type.String({ pattern: '^\\d{4}-Q[1-4]$', description: 'Năm và quý, ví dụ 2026-Q4' });

export const RatingFormSchema = Type.Object({
  code: FormCodeSchema,
  name: Type.String(),
  description: Type.String(),
  criteria: Type.Array(
    Type.Object({
      key: Type.String(),
      number: Type.Integer(),
      label: Type.String(),
      indicator: Nullable(Type.Integer({ description: 'Chỉ số (1–9) của Thông tư 01/2018 mà tiêu chí chấm; null = mức hài lòng chung' })),
      options: Type.Array(Type.Object({ score: Type.Integer(), label: Type.String() })),
    }),
  ),
});

export const FormsResponse = Type.Object({ active: FormCodeSchema, forms: Type.Array(RatingFormSchema) });
export const SettingsBody = Type.Object({ formCode: FormCodeSchema }, { additionalProperties: false });

export const RateBody = Type.Object(
  {
    answers: Type.Record(Type.String({ maxLength: 10 }), Type.Integer({ minimum: 0, maximum: 2 }), {
      description: 'Điểm của từng tiêu chí của phiếu đang dùng: 2, 1 hoặc 0',
    }),
    comment: Type.Optional(Type.String({ maxLength: 2000, description: 'Ý kiến khác (không bắt buộc)' })),
  },
  { additionalProperties: false },
);

export const RatingSchema = Type.Object({
  id: Type.String(),
  dossierId: Type.String(),
  dossierCode: Type.String(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  agencyId: Type.String(),
  agencyName: Type.String(),
  formCode: FormCodeSchema,
  answers: Type.Record(Type.String(), Type.Integer()),
  indicators: Type.Array(Nullable(Type.Integer()), { description: 'Điểm chỉ số 1–9 của Thông tư 01/2018 (null = không có dữ liệu)' }),
  total: Type.Number(),
  maxTotal: Type.Integer(),
  grade: GradeSchema,
  gradeName: Type.String(),
  comment: Nullable(Type.String()),
  channel: Type.Union([L('online'), L('link'), L('kiosk')]),
  period: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  officers: Type.Array(Type.Object({ accountId: Type.String(), name: Type.String(), role: Type.String() })),
});

const PublicInfo = {
  dossierCode: Type.String(),
  procedureName: Type.String(),
  agencyName: Type.String(),
  returned: Type.Boolean({ description: 'Đã trả kết quả (chỉ khi đó mới đánh giá được)' }),
  rated: Type.Boolean(),
  ratedAt: Nullable(Type.String({ format: 'date-time' })),
  form: RatingFormSchema,
};

export const DossierRatingResponse = Type.Object({
  ...PublicInfo,
  rating: Nullable(RatingSchema),
  ratingUrl: Nullable(Type.String({ description: 'Đường dẫn đánh giá (có ký), dùng được một lần; null khi chưa trả kết quả' })),
});
export const TokenInfoResponse = Type.Object({ ...PublicInfo, channel: Type.Union([L('link'), L('kiosk')]) });
export const KioskLookupBody = Type.Object(
  {
    code: Type.String({ minLength: 5, maxLength: 60, description: 'Mã hồ sơ' }),
    last4: Type.String({ pattern: '^\\d{4}$', description: '4 số cuối số định danh cá nhân hoặc số điện thoại của người nộp' }),
  },
  { additionalProperties: false },
);
export const KioskLookupResponse = Type.Object({ ...PublicInfo, token: Type.String() });

export const IdParams = Type.Object({ id: Uuid('Hồ sơ') });
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const SummaryQuery = Type.Object({ period: Period, by: Type.Union([L('agency'), L('officer')], { default: 'agency' }) });
const Line = {
  ratings: Type.Integer({ description: 'Số phiếu đánh giá' }),
  indicators: Type.Array(Nullable(Type.Number()), {
    description: 'Điểm bình quân chỉ số 1–9, làm tròn 1 chữ số thập phân (null = không có dữ liệu)',
  }),
  total: Type.Number({ description: 'Tổng điểm các chỉ số có dữ liệu' }),
  maxTotal: Type.Integer({ description: 'Điểm tối đa của các chỉ số có dữ liệu' }),
  grade: GradeSchema,
  gradeName: Type.String(),
};
export const SummaryResponse = Type.Object({
  period: Type.String(),
  by: Type.String(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      agencyName: Nullable(Type.String()),
      ...Line,
      general: Type.Array(Nullable(Type.Number()), { description: 'Mức hài lòng chung (tiêu chí 1–3 của phiếu 12 tiêu chí), bình quân' }),
    }),
  ),
});
export const ListQuery = Type.Object({
  period: Period,
  agencyId: Type.Optional(Uuid('Cơ quan giải quyết')),
  officerId: Type.Optional(Uuid('Cán bộ')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const ListResponse = Type.Object({ items: Type.Array(RatingSchema) });
export const RankingQuery = Type.Object({ period: Period });
export const RankingResponse = Type.Object({
  period: Type.String(),
  items: Type.Array(Type.Object({ rank: Type.Integer(), agencyId: Type.String(), agencyName: Type.String(), ...Line })),
});
