/**
 * HTTP routes of the files block: upload (multipart/form-data), metadata, content.
 */
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { Platform } from '..';
import { problems } from '../http/problem';
import type { App } from '../http/types';
import { contentDisposition, uploadProblems } from './file-checks';
import { FileMeta, FileParams, FileUploadBody } from './files.schemas';
import { requireUploader } from './files.service';

const TAGS = ['files'];

/**
 * Served files are user content: never sniffed into something executable, never allowed to run
 * scripts or load anything, and never kept in shared caches (they are personal documents).
 */
export function contentHeaders(inline: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
    'content-security-policy': `default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'${inline ? '' : '; sandbox'}`,
  };
}

export async function registerFileRoutes(app: App, platform: Platform): Promise<void> {
  const files = platform.files;
  await app.register(async (scope: App) => {
    // Registered here so the multipart limits apply to these routes only.
    await scope.register(multipart, {
      limits: { fileSize: files.maxBytes, files: 1, fields: 10, parts: 11, fieldSize: 1024, headerPairs: 100 },
      throwFileSizeLimit: true,
    });

    scope.post(
      '/api/v1/files',
      {
        schema: {
          tags: TAGS,
          summary: 'Tải một tệp lên',
          description:
            'Gửi multipart/form-data với trường "file". Định dạng được xác định từ nội dung tệp (không theo tên tệp hay ' +
            'Content-Type); tệp được kiểm tra dung lượng và mã độc. Lỗi: 401 chưa đăng nhập, 413 quá lớn, 415 định dạng ' +
            'không được chấp nhận, 422 chứa mã độc.',
          consumes: ['multipart/form-data'],
          body: FileUploadBody,
          response: { 201: FileMeta },
          security: [{ session: [] }],
        },
        // The body is a multipart stream read below; the schema above only documents it.
        validatorCompiler: () => () => true,
        // Refuse anonymous callers before reading a single byte of their upload.
        // No Idempotency-Key: that check hashes the parsed body, which a streamed upload does not have.
        // A retried upload is harmless anyway: the bytes are stored once by content.
        preHandler: async (req) => requireUploader(req.ctx.actor),
      },
      async (req, reply) => {
        if (!req.isMultipart()) {
          throw problems.unsupportedMedia('Hãy gửi tệp dưới dạng multipart/form-data, trong trường "file".');
        }
        const part = await req.file();
        if (part?.fieldname !== 'file') {
          throw problems.validation([{ field: 'body/file', message: 'Trường này là bắt buộc' }], 'Chưa có tệp trong trường "file".');
        }
        let bytes: Buffer;
        try {
          bytes = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw uploadProblems.tooLarge(files.maxBytes);
          throw err;
        }
        const meta = await files.upload(req.ctx, { name: part.filename ?? '', bytes });
        return reply.code(201).header('location', `/api/v1/files/${meta.id}`).send(meta);
      },
    );

    scope.get(
      '/api/v1/files/:id',
      {
        schema: {
          tags: TAGS,
          summary: 'Xem thông tin một tệp',
          description: 'Chỉ người đã tải tệp lên mới xem được; người khác nhận 404.',
          params: FileParams,
          response: { 200: FileMeta },
          security: [{ session: [] }],
        },
      },
      async (req) => files.read(req.ctx, req.params.id),
    );

    scope.get(
      '/api/v1/files/:id/content',
      {
        schema: {
          tags: TAGS,
          summary: 'Tải nội dung một tệp',
          description: 'Trả về nội dung tệp với định dạng đã lưu. PDF và ảnh được hiển thị trực tiếp, các định dạng khác được tải về.',
          params: FileParams,
          response: {
            200: {
              description: 'Nội dung tệp',
              content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
            },
          },
          security: [{ session: [] }],
        },
      },
      async (req, reply) => {
        const c = await files.content(req.ctx, req.params.id);
        return (
          reply
            .headers(contentHeaders(c.inline))
            .header('content-type', c.file.mediaType)
            .header('content-disposition', contentDisposition(c.inline ? 'inline' : 'attachment', c.downloadName))
            .header('etag', `"${c.file.sha256}"`)
            // A Buffer is sent as is (no serialisation); the 200 schema above types it as a binary string.
            .send(c.bytes as unknown as string)
        );
      },
    );
  });
}
