/**
 * /api/v1/ratings… (applicant, leaders) and /api/v1/public/ratings… (signed link, kiosk, ranking). HTTP only.
 */
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config';
import { problems } from '../../platform/http/problem';
import type { App } from '../../platform/http/types';
import { lookupGuard } from '../dossiers';
import {
  DossierRatingResponse,
  FormsResponse,
  IdParams,
  KioskLookupBody,
  KioskLookupResponse,
  ListQuery,
  ListResponse,
  RankingQuery,
  RankingResponse,
  RateBody,
  RatingSchema,
  SettingsBody,
  SummaryQuery,
  SummaryResponse,
  TokenInfoResponse,
  TokenParams,
} from './ratings.schemas';
import type { RatingsService } from './ratings.service';

const tags = ['ratings'];
const session = [{ session: [] }];

export function registerRatingsRoutes(app: App, config: Config, ratings: RatingsService): void {
  app.get(
    '/api/v1/ratings/forms',
    {
      schema: {
        tags,
        summary: 'Các mẫu phiếu đánh giá mức độ hài lòng và mẫu tỉnh đang dùng',
        response: { 200: FormsResponse },
      },
    },
    async () => ratings.forms(),
  );

  app.put(
    '/api/v1/ratings/settings',
    {
      schema: {
        tags,
        summary: 'Chọn mẫu phiếu đánh giá của tỉnh (quyền ratings.manage)',
        body: SettingsBody,
        response: { 200: FormsResponse },
        security: session,
      },
    },
    async (req) => ratings.setForm(req.ctx, req.body.formCode),
  );

  app.get(
    '/api/v1/ratings/dossiers/:id',
    {
      schema: {
        tags,
        summary: 'Đánh giá của người nộp về hồ sơ của mình: phiếu, kết quả đã đánh giá, đường dẫn đánh giá',
        description: 'Chỉ chủ hồ sơ (hoặc người đã nộp thay); người khác nhận 404.',
        params: IdParams,
        response: { 200: DossierRatingResponse },
        security: session,
      },
    },
    async (req) => ratings.forDossier(req.ctx, req.params.id),
  );

  app.post(
    '/api/v1/ratings/dossiers/:id',
    {
      schema: {
        tags,
        summary: 'Người nộp đánh giá hồ sơ đã trả kết quả (một lần)',
        description: '409 not_returned khi chưa trả kết quả; 409 already_rated khi đã có đánh giá.',
        params: IdParams,
        body: RateBody,
        response: { 201: RatingSchema },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await ratings.rateOnline(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/api/v1/ratings/dossiers/:id/qr.svg',
    {
      schema: {
        tags,
        summary: 'Mã QR của đường dẫn đánh giá (in hoặc hiển thị tại quầy trả kết quả)',
        description: 'Cho chủ hồ sơ và cán bộ một cửa của nơi tiếp nhận hồ sơ.',
        params: IdParams,
        response: { 200: { description: 'Ảnh SVG', content: { 'image/svg+xml': { schema: Type.String() } } } },
        security: session,
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', 'image/svg+xml')
        .header('cache-control', 'private, no-store')
        .send(await ratings.qrSvg(req.ctx, req.params.id)),
  );

  app.get(
    '/api/v1/ratings/summary',
    {
      schema: {
        tags,
        summary: 'Điểm đánh giá theo quý: theo cơ quan hoặc theo cán bộ, kèm xếp loại',
        description:
          'Quyền ratings.read, trong phạm vi cơ quan được giao. Điểm chỉ số = bình quân các hồ sơ, làm tròn 1 chữ số thập phân; chỉ số không có dữ liệu không tính.',
        querystring: SummaryQuery,
        response: { 200: SummaryResponse },
        security: session,
      },
    },
    async (req) => ratings.summary(req.ctx, req.query),
  );

  app.get(
    '/api/v1/ratings',
    {
      schema: {
        tags,
        summary: 'Các phiếu đánh giá của một quý (lọc theo cơ quan hoặc cán bộ), kèm ý kiến',
        querystring: ListQuery,
        response: { 200: ListResponse },
        security: session,
      },
    },
    async (req) => ratings.list(req.ctx, req.query),
  );

  // --- public: signed link, kiosk, ranking ------------------------------------------------------------

  app.get(
    '/api/v1/public/ratings/links/:token',
    {
      schema: {
        tags,
        summary: 'Thông tin hồ sơ của đường dẫn đánh giá (không có thông tin cá nhân)',
        params: TokenParams,
        response: { 200: TokenInfoResponse },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'private, no-store');
      return ratings.byToken(req.params.token);
    },
  );

  app.post(
    '/api/v1/public/ratings/links/:token',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Đánh giá qua đường dẫn có ký hoặc tại ki-ốt (không cần đăng nhập; dùng được một lần)',
        params: TokenParams,
        body: RateBody,
        response: { 201: RatingSchema },
      },
    },
    async (req, reply) => {
      const r = await ratings.rateByToken(req.ctx, req.params.token, req.body);
      // The link is anonymous: the answer carries no officer names.
      return reply.code(201).send({ ...r, officers: [] });
    },
  );

  const guard = lookupGuard(config.trackingFailuresPerCode);
  app.post(
    '/api/v1/public/ratings/kiosk/lookup',
    {
      config: { rateLimit: { max: config.trackingLookupsPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Ki-ốt tại quầy: tìm hồ sơ bằng mã và 4 số cuối số định danh hoặc số điện thoại',
        description:
          'Trả mã đánh giá tạm thời (15 phút) khi khớp; sai thì 404. Giới hạn số lần thử theo địa chỉ mạng và theo mã hồ sơ (429).',
        body: KioskLookupBody,
        response: { 200: KioskLookupResponse },
      },
    },
    async (req, reply) => {
      const code = req.body.code.trim();
      if (guard.blocked(code)) throw problems.tooMany('Mã hồ sơ này đã bị nhập sai thông tin quá nhiều lần. Vui lòng thử lại sau 1 giờ.');
      const found = await ratings.kioskLookup(code, req.body.last4);
      if (!found) {
        guard.failed(code);
        throw problems.notFound('Không tìm thấy hồ sơ khớp với mã và 4 số cuối đã nhập.');
      }
      reply.header('cache-control', 'private, no-store');
      return found;
    },
  );

  app.get(
    '/api/v1/public/ratings/ranking',
    {
      schema: {
        tags,
        summary: 'Xếp hạng cơ quan theo điểm đánh giá mức độ hài lòng của quý (công khai)',
        description: 'Chỉ cơ quan: không có tên cán bộ, ý kiến hay hồ sơ.',
        querystring: RankingQuery,
        response: { 200: RankingResponse },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return ratings.ranking(req.query);
    },
  );
}
