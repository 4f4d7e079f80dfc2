/**
 * /api/v1/petitions… (petitioners, staff) and /api/v1/public/petitions… (published answers). HTTP only.
 */
import { Type } from '@sinclair/typebox';
import { contentDisposition, contentHeaders } from '../../platform/files';
import { idempotencyKeyOf } from '../../platform/http/idempotency';
import type { App } from '../../platform/http/types';
import type { PetitionAction } from './petitions.rules';
import {
  ActionBody,
  AgencyList,
  CounterBody,
  IdParams,
  Petition,
  PetitionWithTimeline,
  PublicPetition,
  PublicQuery,
  QueueQuery,
  Settings,
  StatsQuery,
  StatsResponse,
  SubmitBody,
} from './petitions.schemas';
import type { PetitionsService } from './petitions.service';

const tags = ['petitions'];
const session = [{ session: [] }];

const ACTIONS: PetitionAction[] = ['classify', 'forward', 'assign', 'note', 'extend', 'answer', 'close'];
const actionSummary: Record<PetitionAction, string> = {
  classify:
    'Phân loại: decision = rejected (không đủ điều kiện, kèm reason) hoặc in_competence (thuộc thẩm quyền: tính hạn xử lý) — petitions.handle',
  forward:
    'Chuyển cơ quan có thẩm quyền (agencyId trên hệ thống, hoặc agencyName), kèm reason; hạn 05 ngày làm việc từ khi tiếp nhận, chuyển muộn được ghi nhận — petitions.handle',
  assign: 'Giao cán bộ của cơ quan xử lý (accountId) — petitions.handle',
  note: 'Ghi nhận đối thoại với người phản ánh (kind = meeting) hoặc đánh giá quy định theo tiêu chí (assessment) — cán bộ được giao',
  extend: 'Gia hạn xử lý một lần (days, reason) — cán bộ được giao',
  answer: 'Công bố kết quả xử lý (answerText, answerFileId văn bản đã ký, publicSummary) — cán bộ được giao',
  close: 'Lưu trữ — petitions.handle',
};

export function registerPetitionsRoutes(app: App, petitions: PetitionsService): void {
  app.post(
    '/api/v1/petitions',
    {
      config: { idempotent: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Gửi phản ánh, kiến nghị về quy định hành chính (trực tuyến)',
        description:
          'Đăng nhập, hoặc không đăng nhập kèm họ tên, địa chỉ và số điện thoại hoặc thư điện tử (NĐ 20/2008/NĐ-CP). Được vào sổ theo dõi của cơ quan tiếp nhận ngay. Idempotency-Key: gửi lại với cùng khóa không tạo bản trùng.',
        body: SubmitBody,
        response: { 201: Petition },
      },
    },
    async (req, reply) => reply.code(201).send(await petitions.submit(req.ctx, req.body, idempotencyKeyOf(req))),
  );

  app.post(
    '/api/v1/petitions/counter',
    {
      schema: {
        tags,
        summary: 'Cán bộ ghi nhận phản ánh, kiến nghị bằng văn bản, điện thoại hoặc phiếu lấy ý kiến',
        body: CounterBody,
        response: { 201: PetitionWithTimeline },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await petitions.counter(req.ctx, req.body)),
  );

  app.get(
    '/api/v1/petitions/mine',
    {
      schema: {
        tags,
        summary: 'Phản ánh, kiến nghị của tôi',
        response: { 200: Type.Object({ items: Type.Array(Petition) }) },
        security: session,
      },
    },
    async (req) => petitions.mine(req.ctx),
  );

  app.get(
    '/api/v1/petitions/agencies',
    {
      schema: {
        tags,
        summary: 'Cơ quan mà cán bộ được tiếp nhận, xử lý phản ánh, kiến nghị',
        response: { 200: AgencyList },
        security: session,
      },
    },
    async (req) => petitions.agencies(req.ctx),
  );

  app.get(
    '/api/v1/petitions/stats',
    {
      schema: {
        tags,
        summary: 'Thống kê đúng hạn theo cơ quan: tỷ lệ chuyển trong 05 ngày, tỷ lệ trả lời đúng hạn, điểm chỉ số 8 (TT 01/2018)',
        querystring: StatsQuery,
        response: { 200: StatsResponse },
        security: session,
      },
    },
    async (req) => petitions.stats(req.ctx, req.query),
  );

  app.get(
    '/api/v1/petitions/settings',
    { schema: { tags, summary: 'Thời hạn xử lý, thời hạn chuyển (ngày làm việc)', response: { 200: Settings }, security: session } },
    async (req) => petitions.settingsGet(req.ctx),
  );

  app.put(
    '/api/v1/petitions/settings',
    {
      schema: {
        tags,
        summary: 'Đặt thời hạn xử lý, thời hạn chuyển — petitions.manage',
        body: Settings,
        response: { 200: Settings },
        security: session,
      },
    },
    async (req) => petitions.settingsPut(req.ctx, req.body),
  );

  app.get(
    '/api/v1/petitions',
    {
      schema: {
        tags,
        summary: 'Danh sách phản ánh, kiến nghị của cơ quan (cán bộ, trong phạm vi được giao)',
        querystring: QueueQuery,
        response: { 200: Type.Object({ items: Type.Array(Petition), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
        security: session,
      },
    },
    async (req) => petitions.queue(req.ctx, req.query),
  );

  app.get(
    '/api/v1/petitions/:id',
    {
      schema: {
        tags,
        summary: 'Chi tiết kèm diễn biến (người gửi, cán bộ cơ quan tiếp nhận, cán bộ được giao)',
        params: IdParams,
        response: { 200: PetitionWithTimeline },
        security: session,
      },
    },
    async (req) => petitions.get(req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/petitions/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: 'Tải tài liệu kèm theo hoặc văn bản trả lời (người gửi, cán bộ cơ quan tiếp nhận, cán bộ được giao)',
        params: Type.Object({ id: IdParams.properties.id, fileId: IdParams.properties.id }),
        response: {
          200: { description: 'Nội dung tệp', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
        },
        security: session,
      },
    },
    async (req, reply) => {
      const c = await petitions.attachment(req.ctx, req.params.id, req.params.fileId);
      return reply
        .headers(contentHeaders(c.inline))
        .header('content-type', c.file.mediaType)
        .header('content-disposition', contentDisposition(c.inline ? 'inline' : 'attachment', c.downloadName))
        .send(c.bytes as unknown as string);
    },
  );

  app.get(
    '/api/v1/petitions/:id/officers',
    {
      schema: {
        tags,
        summary: 'Cán bộ của cơ quan tiếp nhận có thể giao xử lý',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ accountId: Type.String(), name: Type.String(), department: Type.Union([Type.String(), Type.Null()]) }),
            ),
          }),
        },
        security: session,
      },
    },
    async (req) => petitions.officers(req.ctx, req.params.id),
  );

  for (const action of ACTIONS) {
    app.post(
      `/api/v1/petitions/:id/${action}`,
      {
        schema: {
          tags,
          summary: actionSummary[action],
          params: IdParams,
          body: ActionBody,
          response: { 200: PetitionWithTimeline },
          security: session,
        },
      },
      async (req) => petitions.act(req.ctx, req.params.id, action, req.body ?? {}),
    );
  }

  // --- public ---------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/public/petitions',
    {
      schema: {
        tags,
        summary: 'Kết quả xử lý phản ánh, kiến nghị đã công bố: tìm theo nội dung (q), lĩnh vực, cơ quan',
        description: 'Chỉ các kiến nghị đã công bố kết quả; không có thông tin cá nhân của người gửi.',
        querystring: PublicQuery,
        response: { 200: Type.Object({ items: Type.Array(PublicPetition), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return petitions.publicList(req.query);
    },
  );

  app.get(
    '/api/v1/public/petitions/meta',
    {
      schema: {
        tags,
        summary: 'Nội dung phản ánh (Điều 5 NĐ 20/2008), tiêu chí đánh giá và cơ quan tiếp nhận',
        response: {
          200: Type.Object({
            categories: Type.Array(Type.Object({ code: Type.Integer(), name: Type.String() })),
            criteria: Type.Record(Type.String(), Type.String()),
            agencies: AgencyList.properties.items,
          }),
        },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      const { items, criteria } = petitions.publicCategories();
      return { categories: items, criteria, agencies: (await petitions.publicAgencies()).items };
    },
  );

  app.get(
    '/api/v1/public/petitions/:id',
    { schema: { tags, summary: 'Một kết quả xử lý đã công bố', params: IdParams, response: { 200: PublicPetition } } },
    async (req) => petitions.publicDetail(req.params.id),
  );

  app.get(
    '/api/v1/public/petitions/:id/answer-file',
    {
      schema: {
        tags,
        summary: 'Văn bản trả lời đã ký của một kết quả đã công bố',
        params: IdParams,
        response: {
          200: { description: 'Nội dung tệp', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
        },
      },
    },
    async (req, reply) => {
      const c = await petitions.publicAnswerFile(req.params.id);
      return reply
        .headers(contentHeaders(c.inline))
        .header('cache-control', 'public, max-age=3600')
        .header('content-type', c.file.mediaType)
        .header('content-disposition', contentDisposition(c.inline ? 'inline' : 'attachment', c.downloadName))
        .send(c.bytes as unknown as string);
    },
  );
}
