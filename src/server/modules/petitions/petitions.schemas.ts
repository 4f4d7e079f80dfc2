/**
 * Request and response schemas of petitions (/api/v1/petitions…, /api/v1/public/petitions…).
 */
import { type TSchema, Type } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const L = <T extends string>(v: T) => Type.Literal(v);
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const Uuid = Type.String({ pattern: UUID });
export const IdParams = Type.Object({ id: Uuid });

const Category = Type.Integer({
  minimum: 1,
  maximum: 8,
  description:
    'Nội dung (Điều 5 NĐ 20/2008): 1 hành vi chậm trễ, gây phiền hà của cơ quan, cán bộ; 2 không phù hợp thực tế; 3 không đồng bộ, thống nhất; 4 không hợp pháp; 5 trái điều ước quốc tế; 6 vấn đề khác; 7 phương án xử lý; 8 sáng kiến quy định mới',
});

const PetitionerBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200, description: 'Họ và tên cá nhân hoặc tên tổ chức' })),
    organization: Type.Optional(Type.String({ maxLength: 300 })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 .-]{8,20}$' })),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  },
  { additionalProperties: false },
);

const submitFields = {
  agencyId: Type.String({ pattern: UUID, description: 'Cơ quan tiếp nhận phản ánh, kiến nghị' }),
  category: Category,
  regulation: Type.String({ minLength: 1, maxLength: 500, description: 'Quy định hành chính (tên, số, ký hiệu văn bản, điều khoản)' }),
  content: Type.String({ minLength: 1, maxLength: 5000 }),
  proposal: Type.Optional(Type.String({ maxLength: 5000, description: 'Phương án xử lý, kiến nghị sửa đổi' })),
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, description: 'Tệp tải lên trước qua /api/v1/files bởi chính người gửi' })),
  petitioner: Type.Optional(PetitionerBody),
};

export const SubmitBody = Type.Object(submitFields, { additionalProperties: false });
export const CounterBody = Type.Object(
  {
    ...submitFields,
    channel: Type.Union([L('written'), L('phone'), L('form')], { description: 'Văn bản, điện thoại, phiếu lấy ý kiến' }),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Thời điểm tiếp nhận (mặc định: bây giờ)' })),
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
  {
    decision: Type.Optional(Type.Union([L('rejected'), L('in_competence')])),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    category: Type.Optional(Category),
    agencyId: Type.Optional(Uuid),
    agencyName: Type.Optional(Type.String({ maxLength: 300 })),
    accountId: Type.Optional(Uuid),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    kind: Type.Optional(Type.Union([L('meeting'), L('assessment')])),
    assessment: Type.Optional(
      Type.Object(
        {
          necessity: Type.Optional(Type.String({ maxLength: 2000 })),
          legality: Type.Optional(Type.String({ maxLength: 2000 })),
          simplicity: Type.Optional(Type.String({ maxLength: 2000 })),
          feasibility: Type.Optional(Type.String({ maxLength: 2000 })),
          consistency: Type.Optional(Type.String({ maxLength: 2000 })),
          treaty: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
    ),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    answerText: Type.Optional(Type.String({ maxLength: 8000 })),
    answerFileId: Type.Optional(Uuid),
    publicSummary: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const PublicPetition = Type.Object({
  id: Type.String(),
  registerNumber: Type.String({ description: 'Số vào sổ theo dõi: số/năm' }),
  category: Type.Integer(),
  categoryName: Type.String(),
  regulation: Type.String(),
  summary: Type.String({ description: 'Tóm tắt nội dung, đã lược bỏ thông tin cá nhân' }),
  agencyId: Type.String(),
  agencyName: Type.String(),
  channel: Type.String(),
  channelName: Type.String(),
  state: Type.String(),
  stateName: Type.String(),
  answerText: Nullable(Type.String()),
  hasAnswerFile: Type.Boolean(),
  receivedAt: Type.String(),
  answeredAt: Nullable(Type.String()),
});

export const Petition = Type.Composite([
  PublicPetition,
  Type.Object({
    content: Type.String(),
    proposal: Nullable(Type.String()),
    publicSummary: Nullable(Type.String()),
    attachmentIds: Type.Array(Type.String()),
    petitioner: Type.Object({
      name: Type.String(),
      organization: Type.Optional(Type.String()),
      address: Type.Optional(Type.String()),
      phone: Type.Optional(Type.String()),
      email: Type.Optional(Type.String()),
    }),
    petitionerAccountId: Nullable(Type.String()),
    answerFileId: Nullable(Type.String()),
    forwardDueAt: Type.String({ description: 'Hạn chuyển cơ quan có thẩm quyền: 05 ngày làm việc từ khi tiếp nhận' }),
    classifiedAt: Nullable(Type.String()),
    rejectReason: Nullable(Type.String()),
    forwardedAt: Nullable(Type.String()),
    forwardedLate: Nullable(Type.Boolean()),
    forwardAgencyId: Nullable(Type.String()),
    forwardAgencyName: Nullable(Type.String()),
    forwardedToId: Nullable(Type.String()),
    forwardedFromId: Nullable(Type.String()),
    handlerAccountId: Nullable(Type.String()),
    handlerName: Nullable(Type.String()),
    handleDueAt: Nullable(Type.String()),
    extended: Type.Boolean(),
    answeredLate: Nullable(Type.Boolean()),
    closedAt: Nullable(Type.String()),
  }),
]);

export const Event = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  actionName: Type.String(),
  fromState: Nullable(Type.String()),
  toState: Type.String(),
  actor: Type.String(),
  note: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  at: Type.String(),
});

export const PetitionWithTimeline = Type.Composite([Petition, Type.Object({ timeline: Type.Array(Event) })]);

export const QueueQuery = Type.Object({
  state: Type.Optional(
    Type.Union([L('received'), L('rejected'), L('forwarded'), L('accepted'), L('in_progress'), L('answered'), L('closed')]),
  ),
  overdue: Type.Optional(Type.Boolean({ description: 'Quá hạn chuyển (05 ngày) hoặc quá hạn xử lý' })),
  agencyId: Type.Optional(Uuid),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const PublicQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  category: Type.Optional(Category),
  agency: Type.Optional(Uuid),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export const StatsQuery = Type.Object({
  agency: Type.Optional(Uuid),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
});

export const StatsResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(
    Type.Object({
      agencyId: Type.String(),
      agencyName: Type.String(),
      received: Type.Integer(),
      rejected: Type.Integer(),
      forwarded: Type.Integer(),
      forwardedOnTime: Type.Integer(),
      forwardedOnTimePercent: Nullable(Type.Number()),
      inCompetence: Type.Integer(),
      answered: Type.Integer(),
      answeredOnTime: Type.Integer(),
      protracted: Type.Integer({ description: 'Chưa trả lời khi đã quá hạn xử lý' }),
      open: Type.Integer(),
      onTimePercent: Nullable(Type.Number()),
      indicator8: Type.Integer({ description: 'Điểm chỉ số 8 Thông tư 01/2018: 2, 1 hoặc 0' }),
    }),
  ),
});

export const AgencyList = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })) });

export const Settings = Type.Object(
  {
    handleDays: Type.Integer({ minimum: 1, maximum: 60, description: 'Thời hạn xử lý (ngày làm việc), mặc định 10' }),
    forwardDays: Type.Integer({ minimum: 1, maximum: 30, description: 'Thời hạn chuyển cơ quan có thẩm quyền, mặc định 5' }),
  },
  { additionalProperties: false },
);
