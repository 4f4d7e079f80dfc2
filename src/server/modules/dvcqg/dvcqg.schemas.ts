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
