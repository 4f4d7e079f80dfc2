/**
 * The public board (no sign-in): reports in a map bbox with filters, the public detail, photos of public reports,
 * the commune boundaries for drawing the map, and the Atom feed per commune. HTTP only.
 */
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config';
import { contentHeaders } from '../../platform/files/files.routes';
import type { App } from '../../platform/http/types';
import type { FeedbackAdmin } from './feedback.admin';
import { IdParams, Nullable, PhotoParams, PublicDetail, PublicReport, tags } from './feedback.schemas';
import type { FeedbackService } from './feedback.service';

export function registerFeedbackPublicRoutes(app: App, config: Config, feedback: FeedbackService, admin: FeedbackAdmin): void {
  app.get(
    '/api/v1/public/field-reports/boundaries',
    {
      schema: {
        tags,
        summary: 'Ranh giới xã, phường (GeoJSON rút gọn để vẽ bản đồ, không cần nền bản đồ bên ngoài)',
        response: {
          200: {
            description: 'GeoJSON FeatureCollection; properties { code, name }',
            content: { 'application/geo+json': { schema: Type.Any() } },
          },
          304: Type.Null({ description: 'Không thay đổi (ETag)' }),
        },
      },
    },
    async (req, reply) => {
      const { etag, body } = await admin.drawingBoundaries();
      reply.header('etag', etag).header('cache-control', 'public, max-age=86400');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send(null);
      return reply.header('content-type', 'application/geo+json; charset=utf-8').send(body);
    },
  );

  app.get(
    '/api/v1/public/field-reports/:id/photos/:fileId',
    { schema: { tags, summary: 'Ảnh của một phản ánh công khai (trước và sau xử lý)', params: PhotoParams } },
    async (req, reply) => {
      const p = await feedback.photo(null, req.params.id, req.params.fileId);
      return reply
        .headers({ ...contentHeaders(true), 'content-type': p.mediaType, 'cache-control': 'public, max-age=86400', etag: `"${p.sha256}"` })
        .send(p.bytes);
    },
  );

  app.get(
    '/api/v1/public/field-reports',
    {
      schema: {
        tags,
        summary: 'Bảng phản ánh công khai: lọc theo khung bản đồ, lĩnh vực, trạng thái, xã/phường, thời gian',
        description: 'Chỉ phản ánh công khai đã biên tập; không có thông tin liên hệ; phản ánh ẩn danh không có tên người gửi.',
        querystring: Type.Object({
          bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat', maxLength: 100 })),
          category: Type.Optional(Type.String({ maxLength: 40 })),
          state: Type.Optional(Type.String({ maxLength: 20 })),
          commune: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
          from: Type.Optional(Type.String({ format: 'date' })),
          to: Type.Optional(Type.String({ format: 'date' })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(PublicReport), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=30');
      return feedback.board(req.query);
    },
  );

  app.get(
    '/api/v1/public/field-reports/:id',
    {
      schema: {
        tags,
        summary: 'Chi tiết phản ánh công khai với diễn biến công khai và ảnh trước/sau xử lý',
        params: IdParams,
        response: { 200: PublicDetail },
      },
    },
    async (req) => feedback.publicDetail(req.params.id),
  );

  app.get(
    '/api/v1/public/field-reports/feed/:file',
    {
      schema: {
        tags,
        summary: 'Nguồn tin Atom các phản ánh công khai của một xã, phường (ví dụ /feed/24133.atom)',
        params: Type.Object({ file: Type.String({ pattern: '^[0-9]{5}\\.atom$' }) }),
        response: { 200: { description: 'Atom 1.0', content: { 'application/atom+xml': { schema: Type.String() } } } },
      },
    },
    async (req, reply) => {
      const code = req.params.file.slice(0, 5);
      const self = `${config.publicUrl.replace(/\/$/, '')}/api/v1/public/field-reports/feed/${code}.atom`;
      return reply
        .header('content-type', 'application/atom+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(await feedback.communeFeed(code, self));
    },
  );
}
