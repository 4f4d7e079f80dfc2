/**
 * /api/v1 routes of dossiers: the applicant's, the reception desk's and the public tracking ones.
 * HTTP only: parse, call the use case, shape the answer.
 */
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config';
import { contentDisposition, contentHeaders, type FileContent } from '../../platform/files';
import { idempotencyKeyOf, idempotencyOf } from '../../platform/http/idempotency';
import { Page } from '../../platform/http/pagination';
import { problems } from '../../platform/http/problem';
import type { App } from '../../platform/http/types';
import { CounterScanBody } from './dossiers.reuse';
import {
  CodeParams,
  CounterDossierBody,
  CreateDossierBody,
  DossierDetail,
  DossierSummary,
  FileParams,
  IdParams,
  LookupBody,
  MineQuery,
  OfficeQuery,
  PublicDossier,
  RefuseBody,
  RequestSupplementBody,
  SupplementBody,
  UpdateDraftBody,
  VersionBody,
} from './dossiers.schemas';
import type { DossiersService } from './dossiers.service';
import { lookupGuard, TRACKING_MAX_AGE_SECONDS } from './dossiers.tracking';

const tags = ['dossiers'];
const publicTags = ['tracking'];
const P = '/api/v1/dossiers';
const session = [{ session: [] }];
const detail = { 200: DossierDetail };

export function registerDossierRoutes(app: App, config: Config, dossiers: DossiersService): void {
  const sendFile = (reply: import('fastify').FastifyReply, c: FileContent) =>
    reply
      .headers(contentHeaders(c.inline))
      .header('content-type', c.file.mediaType)
      .header('content-disposition', contentDisposition(c.inline ? 'inline' : 'attachment', c.downloadName))
      .send(c.bytes as unknown as string);

  // --- the applicant -----------------------------------------------------------------------------

  app.post(
    P,
    {
      // The dossier keeps its key and the request's hash (request_key, request_hash): a retry is answered
      // from it, in the create's own transaction, without idempotency_keys rows.
      config: { idempotent: 'keyed' },
      schema: {
        tags,
        summary: 'Lập hồ sơ trực tuyến (bản nháp, hoặc nộp ngay với submit = true)',
        description:
          'Người đã đăng nhập lập hồ sơ cho một thủ tục: tờ khai, tệp đính kèm theo thành phần (tải lên trước bằng POST /api/v1/files), ' +
          'cách nhận kết quả. Với `submit: true` hồ sơ được kiểm tra đầy đủ và cấp mã ngay. Nhận `Idempotency-Key`: gửi lại ' +
          'cùng khóa và cùng nội dung nhận lại hồ sơ đã lập (không lập hồ sơ thứ hai); cùng khóa với nội dung khác bị từ chối (422).',
        body: CreateDossierBody,
        response: { 201: DossierDetail },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await dossiers.create(req.ctx, req.body, idempotencyOf(req))),
  );

  app.get(
    `${P}/mine`,
    {
      schema: {
        tags,
        summary: 'Hồ sơ của tôi',
        description: 'Hồ sơ (kể cả bản nháp) của người đang đăng nhập, mới cập nhật trước.',
        querystring: MineQuery,
        response: { 200: Page(DossierSummary) },
        security: session,
      },
    },
    async (req) => dossiers.mine(req.ctx, req.query),
  );

  app.get(
    `${P}/:id`,
    {
      schema: {
        tags,
        summary: 'Chi tiết hồ sơ và dòng thời gian',
        description: 'Chủ hồ sơ, bộ phận một cửa tiếp nhận hoặc cơ quan giải quyết; người khác nhận 404.',
        params: IdParams,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.get(req.ctx, req.params.id),
  );

  app.patch(
    `${P}/:id`,
    {
      schema: {
        tags,
        summary: 'Sửa bản nháp',
        description: 'Chỉ chủ hồ sơ, chỉ khi còn là bản nháp; `version` phải khớp phiên bản đang sửa (409 nếu đã đổi).',
        params: IdParams,
        body: UpdateDraftBody,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.updateDraft(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/submit`,
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Nộp hồ sơ',
        description:
          'Kiểm tra tờ khai và các thành phần bắt buộc (422 với danh sách `errors` nếu thiếu), cấp mã hồ sơ ' +
          '`{mã cơ quan}-{YYMMDD}-{NNNN}` và chuyển vào hàng chờ tiếp nhận. Nhận `Idempotency-Key`.',
        params: IdParams,
        body: VersionBody,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.submit(req.ctx, req.params.id, req.body, idempotencyKeyOf(req)),
  );

  app.post(
    `${P}/:id/supplement`,
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Bổ sung hồ sơ theo yêu cầu',
        description:
          'Chủ hồ sơ gửi giấy tờ, sửa tờ khai theo Phiếu yêu cầu bổ sung. Hồ sơ trở lại hàng chờ tiếp nhận; nếu đã được tiếp nhận, ' +
          'thời hạn giải quyết được tính lại từ đầu (NĐ 61/2018 Điều 19) và ngày hẹn trả được tính lại.',
        params: IdParams,
        body: SupplementBody,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.supplement(req.ctx, req.params.id, req.body),
  );

  app.get(
    `${P}/:id/files/:fileId`,
    {
      schema: {
        tags,
        summary: 'Tải tệp của hồ sơ (giấy tờ đính kèm, phiếu đã phát hành)',
        params: FileParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean({ description: 'true = tải về (không xem trực tiếp)' })) }),
        response: {
          200: { description: 'Nội dung tệp', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
        },
        security: session,
      },
    },
    async (req, reply) => {
      const download = req.query.download === true;
      const c = await dossiers.fileContent(req.ctx, req.params.id, req.params.fileId, download);
      return sendFile(reply, download ? { ...c, inline: false } : c);
    },
  );

  app.post(
    `${P}/:id/counter-scans`,
    {
      schema: {
        tags,
        summary: 'Lưu bản số hoá tại quầy vào kho dữ liệu điện tử của người nộp',
        description:
          'Bộ phận một cửa (quyền `dossiers.receive` tại bộ phận tiếp nhận hồ sơ) lưu bản quét giấy tờ vào kho dữ liệu của chủ hồ sơ ' +
          '(người nộp có tài khoản). Tệp: do cán bộ tải lên, hoặc một tệp của hồ sơ.',
        params: IdParams,
        body: CounterScanBody,
        response: { 201: Type.Object({ documentId: Type.String() }) },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await dossiers.saveCounterScan(req.ctx, req.params.id, req.body)),
  );

  // --- the reception desk ------------------------------------------------------------------------

  app.get(
    P,
    {
      schema: {
        tags,
        summary: 'Danh sách hồ sơ của bộ phận một cửa (hàng chờ tiếp nhận)',
        description:
          'Cần quyền `dossiers.receive`; chỉ hồ sơ của bộ phận trong phạm vi được giao. Hàng chờ xếp theo thời điểm nộp (chờ lâu trước).',
        querystring: OfficeQuery,
        response: { 200: Page(DossierSummary) },
        security: session,
      },
    },
    async (req) => dossiers.office(req.ctx, req.query),
  );

  app.post(
    `${P}/counter`,
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Đăng ký hồ sơ nộp trực tiếp hoặc qua bưu chính',
        description:
          'Cán bộ một cửa nhập hồ sơ cho người nộp trực tiếp (kênh 1) hoặc nhận qua bưu chính (kênh 3), kèm bản quét. ' +
          'Với `receive: true` hồ sơ được tiếp nhận ngay và cấp Giấy tiếp nhận (Mẫu 01). Nhận `Idempotency-Key`.',
        body: CounterDossierBody,
        response: { 201: DossierDetail },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await dossiers.registerAtCounter(req.ctx, req.body, idempotencyOf(req))),
  );

  app.post(
    `${P}/:id/receive`,
    {
      schema: {
        tags,
        summary: 'Tiếp nhận hồ sơ, hẹn trả kết quả',
        description:
          'Tính ngày hẹn trả theo lịch làm việc của tỉnh, cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF có mã QR) và báo cho người nộp.',
        params: IdParams,
        body: VersionBody,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.receive(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/request-supplement`,
    {
      schema: {
        tags,
        summary: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
        description:
          'Nêu đầy đủ một lần những gì cần bổ sung (Mẫu 02, PDF). Thời hạn giải quyết chưa bắt đầu (hoặc dừng lại nếu đã tiếp nhận) cho đến khi người nộp bổ sung.',
        params: IdParams,
        body: RequestSupplementBody,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.requestSupplement(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/:id/refuse`,
    {
      schema: {
        tags,
        summary: 'Từ chối tiếp nhận hồ sơ',
        description: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03, PDF) nêu rõ lý do; báo cho người nộp.',
        params: IdParams,
        body: RefuseBody,
        response: detail,
        security: session,
      },
    },
    async (req) => dossiers.refuse(req.ctx, req.params.id, req.body),
  );

  // --- public tracking ---------------------------------------------------------------------------

  const guard = lookupGuard(config.trackingFailuresPerCode);
  const trackingCacheControl = `public, max-age=${TRACKING_MAX_AGE_SECONDS}`;

  app.get(
    '/api/v1/public/dossiers/:code',
    {
      config: { csrf: false },
      schema: {
        tags: publicTags,
        summary: 'Tra cứu tình trạng hồ sơ theo mã (công khai)',
        description: 'Thủ tục, cơ quan, thời điểm tiếp nhận, ngày hẹn trả, trạng thái và bước hiện tại; không có thông tin cá nhân.',
        params: CodeParams,
        response: { 200: PublicDossier },
      },
    },
    async (req, reply) => {
      const answer = await dossiers.publicStatus(req.params.code);
      // Shared caches may keep it briefly: nothing personal in it and the status changes rarely.
      reply.header('cache-control', trackingCacheControl);
      return answer;
    },
  );

  app.post(
    '/api/v1/public/dossiers/:code/lookup',
    {
      config: { csrf: false, rateLimit: { max: config.trackingLookupsPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: publicTags,
        summary: 'Xem chi tiết hồ sơ bằng mã và 4 số cuối số định danh hoặc số điện thoại',
        description:
          'Trả toàn bộ chi tiết và dòng thời gian khi thông tin khớp; sai thì 404. Giới hạn số lần thử theo địa chỉ mạng và theo mã hồ sơ (429).',
        params: CodeParams,
        body: LookupBody,
        response: detail,
      },
    },
    async (req, reply) => {
      const code = req.params.code;
      if (guard.blocked(code)) throw problems.tooMany('Mã hồ sơ này đã bị nhập sai thông tin quá nhiều lần. Vui lòng thử lại sau 1 giờ.');
      const found = await dossiers.lookup(code, req.body);
      if (!found) {
        guard.failed(code);
        throw problems.notFound('Không tìm thấy hồ sơ khớp với mã và thông tin đã nhập.');
      }
      reply.header('cache-control', 'private, no-store');
      return found;
    },
  );

  app.get(
    '/api/v1/public/dossiers/:code/qr.svg',
    {
      config: { csrf: false },
      schema: {
        tags: publicTags,
        summary: 'Mã QR dẫn tới trang tra cứu hồ sơ',
        params: CodeParams,
        response: { 200: { description: 'Ảnh SVG', content: { 'image/svg+xml': { schema: Type.String() } } } },
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', 'image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(await dossiers.qrSvg(req.params.code)),
  );
}
