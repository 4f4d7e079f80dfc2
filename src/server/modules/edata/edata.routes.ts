/**
 * /api/v1/edata… (the owner's store) and /api/v1/public/edata/shares… (share links, no login). HTTP only.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { contentDisposition, contentHeaders, type FileContent } from '../../platform/files';
import { Page } from '../../platform/http/pagination';
import type { App } from '../../platform/http/types';
import {
  AccessEntry,
  AddDocumentBody,
  CreatedShare,
  CreateShareBody,
  DocTypeInfo,
  DocumentParams,
  EdataDocument,
  EditDocumentBody,
  LogQuery,
  Share,
  SharedDocument,
  ShareParams,
  StoreQuery,
  TokenParams,
} from './edata.schemas';
import type { EdataService } from './edata.service';

const tags = ['edata'];
const session = [{ session: [] }];
const P = '/api/v1/edata';
const binary = { description: 'Nội dung tệp', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } };

const sendFile = (reply: FastifyReply, c: FileContent, download: boolean) =>
  reply
    .headers(contentHeaders(c.inline && !download))
    .header('content-type', c.file.mediaType)
    .header('content-disposition', contentDisposition(c.inline && !download ? 'inline' : 'attachment', c.downloadName))
    .send(c.bytes as unknown as string);

export function registerEdataRoutes(app: App, edata: EdataService): void {
  const who =
    'Chủ kho (công dân), người đại diện của doanh nghiệp (`businessId`) hoặc người được ủy quyền (`accountId`). ' +
    'Cán bộ không có quyền truy cập kho: họ chỉ xem giấy tờ qua hồ sơ có sử dụng giấy tờ đó.';

  app.get(
    `${P}/types`,
    {
      schema: {
        tags,
        summary: 'Danh mục loại giấy tờ trong kho dữ liệu',
        response: { 200: Type.Object({ items: Type.Array(DocTypeInfo) }) },
      },
    },
    async () => ({ items: edata.types() }),
  );

  app.get(
    `${P}/documents`,
    {
      schema: {
        tags,
        summary: 'Giấy tờ trong kho dữ liệu điện tử',
        description: `${who} Lọc theo loại, nguồn, hiệu lực; mới nhất trước.`,
        querystring: StoreQuery,
        response: { 200: Page(EdataDocument) },
        security: session,
      },
    },
    async (req) => edata.list(req.ctx, req.query),
  );

  app.post(
    `${P}/documents`,
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Thêm giấy tờ vào kho (tệp đã tải lên qua POST /api/v1/files)',
        description: `${who} Tệp phải do chính người dùng tải lên; ngày hết hiệu lực không trước ngày cấp.`,
        body: AddDocumentBody,
        response: { 201: EdataDocument },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await edata.add(req.ctx, req.body)),
  );

  app.get(
    `${P}/documents/:id`,
    { schema: { tags, summary: 'Một giấy tờ trong kho', params: DocumentParams, response: { 200: EdataDocument }, security: session } },
    async (req) => edata.get(req.ctx, req.params.id),
  );

  app.patch(
    `${P}/documents/:id`,
    {
      schema: {
        tags,
        summary: 'Sửa thông tin giấy tờ (chỉ giấy tờ tự tải lên)',
        params: DocumentParams,
        body: EditDocumentBody,
        response: { 200: EdataDocument },
        security: session,
      },
    },
    async (req) => edata.edit(req.ctx, req.params.id, req.body),
  );

  app.delete(
    `${P}/documents/:id`,
    {
      schema: {
        tags,
        summary: 'Xoá giấy tờ khỏi kho',
        description: 'Xoá được giấy tờ tự tải lên và bản số hoá tại quầy; kết quả TTHC điện tử không xoá được (409).',
        params: DocumentParams,
        response: { 204: Type.Null() },
        security: session,
      },
    },
    async (req, reply) => {
      await edata.remove(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${P}/documents/:id/file`,
    {
      schema: {
        tags,
        summary: 'Tải tệp của giấy tờ (ghi nhật ký truy cập)',
        params: DocumentParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean({ description: 'true = tải về thay vì xem' })) }),
        response: { 200: binary },
        security: session,
      },
    },
    async (req, reply) => sendFile(reply, await edata.download(req.ctx, req.params.id), req.query.download === true),
  );

  app.get(
    `${P}/documents/:id/access-log`,
    {
      schema: {
        tags,
        summary: 'Nhật ký truy cập một giấy tờ',
        description: 'Ai (cán bộ kèm cơ quan), làm gì, khi nào, qua hồ sơ nào; mới nhất trước.',
        params: DocumentParams,
        querystring: LogQuery,
        response: { 200: Page(AccessEntry) },
        security: session,
      },
    },
    async (req) => edata.documentLog(req.ctx, req.params.id, req.query),
  );

  app.get(
    `${P}/access-log`,
    {
      schema: {
        tags,
        summary: 'Nhật ký truy cập toàn bộ kho',
        description: who,
        querystring: LogQuery,
        response: { 200: Page(AccessEntry) },
        security: session,
      },
    },
    async (req) => edata.storeLog(req.ctx, req.query),
  );

  app.get(
    `${P}/documents/:id/shares`,
    {
      schema: {
        tags,
        summary: 'Các liên kết chia sẻ của giấy tờ',
        params: DocumentParams,
        response: { 200: Type.Object({ items: Type.Array(Share) }) },
        security: session,
      },
    },
    async (req) => edata.shares(req.ctx, req.params.id),
  );

  app.post(
    `${P}/documents/:id/shares`,
    {
      schema: {
        tags,
        summary: 'Tạo liên kết chia sẻ có thời hạn (1 giờ … 30 ngày)',
        description: 'Mã liên kết chỉ trả về một lần; hệ thống chỉ lưu mã băm SHA-256.',
        params: DocumentParams,
        body: CreateShareBody,
        response: { 201: CreatedShare },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await edata.createShare(req.ctx, req.params.id, req.body)),
  );

  app.post(
    `${P}/documents/:id/shares/:shareId/revoke`,
    {
      schema: { tags, summary: 'Thu hồi liên kết chia sẻ', params: ShareParams, response: { 200: Share }, security: session },
    },
    async (req) => edata.revokeShare(req.ctx, req.params.id, req.params.shareId),
  );

  // --- public: share links -----------------------------------------------------------------------

  app.get(
    '/api/v1/public/edata/shares/:token',
    {
      schema: {
        tags,
        summary: 'Giấy tờ được chia sẻ qua liên kết (không cần đăng nhập)',
        description: 'Liên kết hết hạn hoặc bị thu hồi: 410. Mỗi lần mở được ghi vào nhật ký truy cập của chủ giấy tờ.',
        params: TokenParams,
        response: { 200: SharedDocument },
      },
    },
    async (req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(await edata.openShare(req.params.token)),
  );

  app.get(
    '/api/v1/public/edata/shares/:token/file',
    {
      schema: {
        tags,
        summary: 'Tệp của giấy tờ được chia sẻ (không cần đăng nhập)',
        params: TokenParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
        response: { 200: binary },
      },
    },
    async (req, reply) =>
      sendFile(reply.header('referrer-policy', 'no-referrer'), await edata.shareFile(req.params.token), req.query.download === true),
  );
}
