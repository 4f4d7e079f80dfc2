/**
 * Request and response schemas of the national portal sync routes.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = (description: string) => Type.String({ format: 'date-time', description });
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const DossierIdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN, description: 'Id hồ sơ' }) });

export const SyncState = Type.Object({
  dossierId: Type.String(),
  code: Nullable(Type.String({ description: 'Mã hồ sơ' })),
  target: Type.Union([Type.Literal('local'), Type.Literal('national')], {
    description: 'Nơi nhận: local = Cổng DVCQG giả lập trong hệ thống (dev/demo), national = Cổng DVC quốc gia (DVCQG_URL)',
  }),
  currentVersion: Type.Integer({ description: 'Phiên bản hiện tại của hồ sơ (số hành động đã ghi)' }),
  currentStatus: Nullable(Type.Integer({ description: 'Trạng thái hồ sơ hiện tại theo danh mục quốc gia (1–10)' })),
  lastSeqSent: Nullable(Type.Integer({ description: 'Phiên bản hồ sơ được Cổng DVCQG nhận gần nhất' })),
  lastStatusSent: Nullable(Type.Integer({ description: 'TrangThaiHoSo đã đồng bộ gần nhất' })),
  lastAttemptAt: Nullable(Instant('Lần gửi gần nhất')),
  lastOkAt: Nullable(Instant('Lần gửi thành công gần nhất')),
  lastError: Nullable(Type.String({ description: 'Lỗi của lần gửi gần nhất (null nếu thành công)' })),
  failures: Type.Integer({ description: 'Số lần gửi lỗi liên tiếp kể từ lần thành công gần nhất' }),
  upToDate: Type.Boolean({ description: 'true khi trạng thái hiện tại của hồ sơ đã được đồng bộ' }),
});
export type SyncState = Static<typeof SyncState>;

export const SyncAnswerSchema = Type.Object({
  error_code: Type.Integer({
    description: '0 = thành công; 100 sai khóa, 200 thiếu trường, 302 sai kiểu/định dạng, 500 dữ liệu không hợp lệ',
  }),
  message: Type.String(),
});

export const ReceivedQuery = Type.Composite([
  PageQuery,
  Type.Object({ code: Type.Optional(Type.String({ maxLength: 60, description: 'Lọc theo mã hồ sơ (MaHoSo)' })) }),
]);
export type ReceivedQuery = Static<typeof ReceivedQuery>;

export const ReceivedItem = Type.Object({
  id: Type.String(),
  receivedAt: Instant('Thời điểm nhận'),
  service: Nullable(Type.String({ description: 'Dịch vụ của thông điệp (DongBoHoSoMC)' })),
  maHoSo: Nullable(Type.String()),
  trangThai: Nullable(Type.Integer({ description: 'TrangThaiHoSo trong thông điệp' })),
  errorCode: Type.Integer({ description: 'Mã lỗi đã trả (0 = đã nhận)' }),
  message: Type.String(),
  payload: Type.Unknown({ description: 'Bản ghi HoSoDongBoDVC đã nhận (hoặc cả thông điệp nếu không đọc được)' }),
});
export type ReceivedItem = Static<typeof ReceivedItem>;

export const TokenAnswerSchema = Type.Object({
  error_code: Type.Integer({ description: '0 = thành công; 100 sai khóa truy cập; 500 sai dịch vụ' }),
  message: Type.String(),
  session: Type.Optional(Type.String({ description: 'Mã phiên, gửi kèm `Authorization: Bearer <session>`' })),
  expires: Type.Optional(Type.String({ description: 'Hết hạn lúc (yyyyMMddHHmmss, giờ Việt Nam)' })),
});

export const ListAnswerSchema = Type.Object({
  error_code: Type.Integer({ description: '0 = thành công; 100 mã phiên không hợp lệ; 302 sai định dạng; 500 dữ liệu không hợp lệ' }),
  message: Type.String(),
  TongSo: Type.Optional(Type.Integer({ description: 'Tổng số hồ sơ nộp từ TuNgay' })),
  data: Type.Optional(
    Type.Array(Type.Unknown(), {
      description: 'Hồ sơ của trang (bản ghi như HoSoDongBoDVC, kèm MaDonViXuLy, DuLieuToKhai, DuongDanTaiTepTin)',
    }),
  ),
});

const Code = (description: string) => Type.String({ minLength: 1, maxLength: 60, description });

export const FileLocalBody = Type.Object(
  {
    MaTTHC: Code('Mã thủ tục hành chính (ví dụ 1.010803.000.00.00.H66)'),
    MaDonViXuLy: Type.Optional(Code('Mã định danh cơ quan giải quyết; mặc định: cơ quan duy nhất thực hiện thủ tục')),
    MaHoSo: Type.Optional(Code('Mã hồ sơ; mặc định: <mã cơ quan>-<YYMMDD>-00<số thứ tự>')),
    NgayNopHoSo: Type.Optional(Type.String({ pattern: '^\\d{14}$', description: 'Thời điểm nộp (yyyyMMddHHmmss); mặc định: bây giờ' })),
    DuLieuToKhai: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
        description: 'Giá trị tờ khai theo mã trường; mặc định: người nộp mẫu',
      }),
    ),
    ThanhPhan: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
        maxItems: 20,
        description: 'Mã thành phần hồ sơ được đính kèm tệp PDF mẫu; mặc định: các thành phần bắt buộc',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FileLocalBody = Static<typeof FileLocalBody>;

export const FiledItem = Type.Object({
  maHoSo: Type.String({ description: 'Mã hồ sơ trên Cổng' }),
  filedAt: Instant('Thời điểm nộp'),
  record: Type.Unknown({ description: 'Bản ghi Cổng sẽ trả khi tỉnh kéo hồ sơ' }),
});

export const ServedQuery = Type.Composite([
  PageQuery,
  Type.Object({
    endpoint: Type.Optional(
      Type.Union([Type.Literal('token'), Type.Literal('list'), Type.Literal('file')], { description: 'Lọc theo điểm cuối' }),
    ),
  }),
]);
export type ServedQuery = Static<typeof ServedQuery>;

export const ServedItem = Type.Object({
  id: Type.String(),
  servedAt: Instant('Thời điểm'),
  endpoint: Type.Union([Type.Literal('token'), Type.Literal('list'), Type.Literal('file')], {
    description: 'token = cấp mã xác thực, list = trang danh sách hồ sơ, file = tải tệp',
  }),
  errorCode: Type.Integer({ description: 'Mã lỗi đã trả (0 = thành công)' }),
  message: Type.String(),
  detail: Type.Unknown({ description: 'Yêu cầu và những gì đã trả (trang, mã hồ sơ, tệp); không có mã phiên' }),
});

export const PullResultSchema = Type.Object({
  pages: Type.Integer({ description: 'Số trang đã đọc' }),
  read: Type.Integer({ description: 'Số bản ghi đã đọc' }),
  created: Type.Integer({ description: 'Hồ sơ mới đưa vào hàng chờ tiếp nhận' }),
  existing: Type.Integer({ description: 'Bản ghi đã có hồ sơ (đã kéo trước đó)' }),
  rejected: Type.Integer({ description: 'Bản ghi không đưa vào được (xem danh sách từ chối)' }),
  skipped: Type.Integer({ description: 'Bản ghi đã lấy ở lần trước (cùng thời điểm mốc)' }),
});

export const RejectQuery = PageQuery;
export type RejectQuery = Static<typeof RejectQuery>;

export const RejectItem = Type.Object({
  id: Type.String(),
  maHoSo: Type.String({ description: 'MaHoSo trên Cổng' }),
  maTthc: Nullable(Type.String({ description: 'MaTTHC của bản ghi' })),
  reason: Type.String({ description: 'Lý do không đưa vào được' }),
  record: Type.Unknown({ description: 'Bản ghi Cổng đã trả' }),
  firstSeenAt: Instant('Lần đầu gặp'),
  lastSeenAt: Instant('Lần gần nhất gặp'),
  seen: Type.Integer({ description: 'Số lần gặp' }),
});
