/**
 * /api/v1 routes of dossier processing: workflow actions, assignment, opinions, the draft result,
 * consultations, apology, stop, withdrawal, the work queue, the register and the control slip; and the
 * public verification of e-results. HTTP only.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { contentDisposition, contentHeaders } from '../../platform/files';
import { Page } from '../../platform/http/pagination';
import type { App } from '../../platform/http/types';
import {
  ActBody,
  AnswerBody,
  ApologyBody,
  BulkAssignBody,
  BulkAssignResult,
  ConsultationParams,
  ConsultBody,
  DossierWork,
  IssuedResult,
  OpinionBody,
  ReasonBody,
  ReassignBody,
  RegisterItem,
  RegisterQuery,
  ResultCodeParams,
  ResultDraftBody,
  VerifyAnswer,
  WorkItem,
  WorkQuery,
} from './dossiers.processing.schemas';
import { DossierDetail, IdParams } from './dossiers.schemas';
import type { DossiersService } from './dossiers.service';

const tags = ['dossier processing'];
const P = '/api/v1/dossiers';
const session = [{ session: [] }];
const detail = { 200: DossierDetail };
/** Largest PDF the public verification page accepts. */
const VERIFY_BODY_LIMIT = 20 * 1024 * 1024;

function sendPdf(reply: FastifyReply, bytes: Uint8Array, name: string) {
  return reply
    .headers(contentHeaders(true))
    .header('content-type', 'application/pdf')
    .header('content-disposition', contentDisposition('inline', name))
    .send(Buffer.from(bytes));
}

export function registerProcessingRoutes(app: App, dossiers: DossiersService): void {
  const { processing, reads } = dossiers;

  app.get(
    `${P}/:id/work`,
    {
      schema: {
        tags,
        summary: 'Việc tôi có thể làm với hồ sơ (thao tác, cán bộ để phân công)',
        params: IdParams,
        response: { 200: DossierWork },
        security: session,
      },
    },
    async (req) => processing.workFor(req.ctx, req.params.id),
  );

  app.post(
    `${P}/:id/act`,
    {
      schema: {
        tags,
        summary: 'Thực hiện một thao tác của quy trình (chuyển, phân công, thẩm định, phê duyệt và ký số, trả lại, trả kết quả)',
        description:
          'Thao tác phải rời một bước đang mở của hồ sơ và người thực hiện phải có vai trò của thao tác tại cơ quan thao tác chỉ định. ' +
          'Thao tác phân công cần assigneeId; thao tác ký số kết quả cần dự thảo kết quả; 409 khi hồ sơ đã đổi (version) hoặc đang chờ cơ quan phối hợp.',
        params: IdParams,
        body: ActBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.act(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/reassign`,
    {
      schema: {
        tags,
        summary: 'Phân công lại người xử lý bước hiện tại (lãnh đạo)',
        params: IdParams,
        body: ReassignBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.reassign(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/assign`,
    {
      schema: {
        tags,
        summary: 'Phân công hàng loạt',
        description: 'Mỗi hồ sơ được phân công riêng (thành công hay không được báo từng hồ sơ).',
        body: BulkAssignBody,
        response: { 200: BulkAssignResult },
        security: session,
      },
    },
    async (req) => processing.bulkAssign(req.ctx, req.body),
  );

  app.post(
    `${P}/:id/opinions`,
    {
      schema: {
        tags,
        summary: 'Ghi ý kiến thẩm định hoặc kết quả xác minh thực địa',
        params: IdParams,
        body: OpinionBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.addOpinion(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/result-draft`,
    {
      schema: {
        tags,
        summary: 'Dự thảo kết quả: tải lên PDF hoặc lập theo mẫu của hệ thống',
        params: IdParams,
        body: ResultDraftBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.attachResult(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/consultations`,
    {
      schema: {
        tags,
        summary: 'Lấy ý kiến cơ quan khác (có thời hạn trả lời)',
        params: IdParams,
        body: ConsultBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.consult(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/consultations/:consultationId/answer`,
    {
      schema: {
        tags,
        summary: 'Trả lời xin ý kiến (cơ quan được hỏi)',
        params: ConsultationParams,
        body: AnswerBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.answerConsultation(req.ctx, req.params.id, req.params.consultationId, req.body),
  );

  app.post(
    `${P}/:id/apology`,
    {
      schema: {
        tags,
        summary: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04), một lần, chậm nhất 01 ngày làm việc trước hạn',
        params: IdParams,
        body: ApologyBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.apologize(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/stop`,
    {
      schema: {
        tags,
        summary: 'Dừng giải quyết hồ sơ (lãnh đạo cơ quan giải quyết), kèm thông báo',
        params: IdParams,
        body: ReasonBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.stop(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/withdraw`,
    {
      schema: {
        tags,
        summary: 'Rút hồ sơ (người nộp; bộ phận một cửa cho người nộp trực tiếp)',
        params: IdParams,
        body: ReasonBody,
        response: detail,
        security: session,
      },
    },
    async (req) => processing.withdraw(req.ctx, req.params.id, req.body),
  );

  app.get(
    `${P}/:id/control-slip.pdf`,
    {
      schema: {
        tags,
        summary: 'Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05), lập từ nhật ký hồ sơ',
        params: IdParams,
        response: { 200: { description: 'PDF', content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } } },
        security: session,
      },
    },
    async (req, reply) => {
      const slip = await reads.controlSlip(req.ctx, req.params.id);
      return sendPdf(reply, slip.bytes, slip.name);
    },
  );

  app.get(
    '/api/v1/work',
    {
      schema: {
        tags,
        summary: 'Hàng đợi công việc: được giao cho tôi, chờ phân công, sắp đến hạn, quá hạn',
        querystring: WorkQuery,
        response: { 200: Page(WorkItem) },
        security: session,
      },
    },
    async (req) => reads.workList(req.ctx, req.query),
  );

  app.get(
    `${P}/register`,
    {
      schema: {
        tags,
        summary: 'Sổ theo dõi hồ sơ (Mẫu 06) và danh sách lọc theo cơ quan, thủ tục, trạng thái, kênh, thời gian, đúng hạn/trễ hạn',
        querystring: RegisterQuery,
        response: { 200: Page(RegisterItem) },
        security: session,
      },
    },
    async (req) => reads.register(req.ctx, req.query),
  );

  app.get(
    `${P}/register.xlsx`,
    {
      schema: {
        tags,
        summary: 'Xuất sổ theo dõi hồ sơ ra tệp Excel (.xlsx), cùng bộ lọc',
        querystring: RegisterQuery,
        response: {
          200: {
            description: 'Tệp .xlsx',
            content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.String({ format: 'binary' }) } },
          },
        },
        security: session,
      },
    },
    async (req, reply) => {
      const file = await reads.registerXlsx(req.ctx, req.query);
      return reply
        .headers(contentHeaders(false))
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDisposition('attachment', file.name))
        .send(file.bytes as unknown as string);
    },
  );

  // --- public verification of e-results ---------------------------------------------------------

  app.get(
    '/api/v1/public/results/:code',
    {
      config: { csrf: false },
      schema: {
        tags: ['tracking'],
        summary: 'Kết quả điện tử đã ban hành cho một mã hồ sơ (công khai)',
        params: ResultCodeParams,
        response: { 200: IssuedResult },
      },
    },
    async (req) => reads.issued(req.params.code),
  );

  // A PDF body has its own content type, so the route lives in its own encapsulated scope.
  app.register(async (scope: App) => {
    scope.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: VERIFY_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/v1/public/results/verify',
      {
        bodyLimit: VERIFY_BODY_LIMIT,
        config: { csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags: ['tracking'],
          summary: 'Kiểm tra một tệp kết quả (PDF): chữ ký số và có đúng là kết quả đã ban hành không',
          description: 'Gửi nguyên tệp PDF làm thân yêu cầu (Content-Type: application/pdf), tối đa 20 MB.',
          body: { content: { 'application/pdf': { schema: Type.Unknown() } } } as never,
          response: { 200: VerifyAnswer },
        },
      },
      async (req) => reads.verify(new Uint8Array(req.body as Buffer)),
    );
  });
}
