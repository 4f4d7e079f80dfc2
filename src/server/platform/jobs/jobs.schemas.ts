/**
 * Request and response schemas of the jobs admin routes (dead letters).
 */
import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../http/pagination';

export const DeadLetter = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã mục trong hàng đợi lỗi' }),
    queue: Type.Union([Type.String(), Type.Null()], { description: 'Tác vụ gốc đã thất bại (null nếu không xác định)' }),
    deadLetterQueue: Type.String({ description: 'Tên hàng đợi lỗi' }),
    state: Type.String({
      description: 'created: đang chờ xem xét; completed: đã được đưa trở lại hàng đợi gốc',
      examples: ['created', 'completed'],
    }),
    data: Type.Unknown({ description: 'Dữ liệu của tác vụ gốc' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Lỗi của lần chạy cuối cùng' }),
    createdAt: Type.String({ format: 'date-time', description: 'Thời điểm tác vụ bị chuyển vào hàng đợi lỗi' }),
  },
  { description: 'Một tác vụ nền đã thất bại sau mọi lần thử lại' },
);
export type DeadLetter = Static<typeof DeadLetter>;

export const DeadLetterQuery = Type.Composite([
  PageQuery,
  Type.Object({
    queue: Type.Optional(Type.String({ maxLength: 100, description: 'Chỉ lấy các mục của tác vụ gốc này, ví dụ "notify.deliver"' })),
    state: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('completed')], { description: 'Lọc theo trạng thái' })),
  }),
]);
export type DeadLetterQuery = Static<typeof DeadLetterQuery>;

export const DeadLetterParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Mã mục trong hàng đợi lỗi' }),
});

export const RequeueResult = Type.Object({
  jobId: Type.String({ format: 'uuid', description: 'Mã tác vụ mới trong hàng đợi gốc' }),
  queue: Type.String({ description: 'Hàng đợi gốc' }),
});
