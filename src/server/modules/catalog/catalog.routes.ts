/**
 * /api/v1 routes of the procedure catalogue. HTTP only: parse, call the use case, shape the answer.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../platform/http/types';
import {
  ExportQuery,
  FieldList,
  IdOrCodeParam,
  IdParam,
  ImportQuery,
  ImportReport,
  Procedure,
  ProcedureInput,
  ProcedureList,
  ProcedureListQuery,
  ProcedurePublish,
  TemplateParams,
  VersionParams,
} from './catalog.schemas';
import type { CatalogService } from './catalog.service';

const tags = ['catalog'];

/** RFC 6266 attachment header: an ASCII fallback name and the UTF-8 one. */
function attachment(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
const P = '/api/v1';
/** A whole province's catalogue with forms is a few MB of JSON at most. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export async function registerCatalogRoutes(app: App, catalog: CatalogService): Promise<void> {
  app.get(
    `${P}/procedures`,
    {
      schema: {
        tags,
        summary: 'Tìm thủ tục hành chính (công khai)',
        description:
          'Tìm theo tên, lĩnh vực hoặc mã; không phân biệt dấu và chịu lỗi gõ nhỏ (i/y, thiếu chữ). Kết quả khớp nhất đứng đầu. ' +
          'Kèm tổng số (`total`) và số thủ tục theo lĩnh vực, cấp, mức độ trực tuyến, cơ quan (`facets`) cho từ khóa và các bộ lọc đang chọn.',
        querystring: ProcedureListQuery,
        response: { 200: ProcedureList },
      },
    },
    async (req) => catalog.list(req.ctx, req.query),
  );

  app.get(
    `${P}/procedure-fields`,
    { schema: { tags, summary: 'Các lĩnh vực thủ tục và số thủ tục đang áp dụng (công khai)', response: { 200: FieldList } } },
    async (req) => catalog.fields(req.ctx),
  );

  app.get(
    `${P}/procedures/export`,
    {
      schema: {
        tags,
        summary: 'Xuất danh mục thủ tục đang áp dụng (JSON đầy đủ hoặc CSV)',
        description:
          'JSON: mảng nội dung thủ tục, nhập lại được qua POST /procedures/import. CSV: code,name,field,level,online_level,processing_days,' +
          'processing_hours,fee_vnd,agencies,legal_basis,result_type (agencies, legal_basis ngăn cách bằng dấu ;).',
        querystring: ExportQuery,
        produces: ['application/json', 'text/csv'],
        response: {
          200: {
            description: 'Tệp danh mục',
            content: {
              'application/json': { schema: Type.Array(ProcedureInput) },
              'text/csv': { schema: Type.String() },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const file = await catalog.exportCatalog(req.ctx, req.query.format ?? 'json');
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
    },
  );

  app.get(
    `${P}/procedures/:idOrCode`,
    {
      schema: {
        tags,
        summary: 'Một thủ tục, phiên bản đang áp dụng (công khai)',
        description:
          'Theo id hoặc mã thủ tục quốc gia (1.001193.000.00.00.H66, hoặc dạng ngắn 1.001193 khi chỉ có một thủ tục mang mã đó).',
        params: IdOrCodeParam,
        response: { 200: Procedure },
      },
    },
    async (req) => catalog.get(req.ctx, req.params.idOrCode),
  );

  app.get(
    `${P}/procedures/:id/versions/:version`,
    {
      schema: {
        tags,
        summary: 'Một thủ tục như đã công bố ở một phiên bản (công khai)',
        description: 'Hồ sơ được tiếp nhận theo phiên bản nào thì giải quyết theo nội dung của phiên bản đó.',
        params: VersionParams,
        response: { 200: Procedure },
      },
    },
    async (req) => catalog.getVersion(req.ctx, req.params.id, req.params.version),
  );

  app.get(
    `${P}/procedures/:id/versions/:version/components/:key/template`,
    {
      schema: {
        tags,
        summary: 'Tải tệp mẫu (mẫu đơn, tờ khai) của một thành phần hồ sơ (công khai)',
        params: TemplateParams,
        response: {
          200: { description: 'Nội dung tệp mẫu', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
        },
      },
    },
    async (req, reply) => {
      const c = await catalog.template(req.ctx, req.params.id, req.params.version, req.params.key);
      return (
        reply
          .header('content-type', c.file.mediaType)
          .header('content-disposition', attachment(c.downloadName))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('etag', `"${c.file.sha256}"`)
          // A Buffer is sent as is (no serialisation).
          .send(c.bytes as unknown as string)
      );
    },
  );

  app.post(
    `${P}/procedures`,
    {
      config: { idempotent: true },
      schema: { tags, summary: 'Thêm thủ tục vào danh mục (phiên bản 1)', body: ProcedureInput, response: { 201: Procedure } },
    },
    async (req, reply) => reply.code(201).send(await catalog.create(req.ctx, req.body)),
  );

  app.put(
    `${P}/procedures/:id`,
    {
      schema: {
        tags,
        summary: 'Công bố phiên bản mới của thủ tục',
        description: 'Gửi toàn bộ nội dung; phiên bản mới = phiên bản hiện tại + 1, các phiên bản cũ giữ nguyên.',
        params: IdParam,
        body: ProcedurePublish,
        response: { 200: Procedure },
      },
    },
    async (req) => catalog.publish(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/procedures/:id/retire`,
    {
      schema: {
        tags,
        summary: 'Bãi bỏ thủ tục (không còn trong danh mục công khai; các phiên bản vẫn tra cứu được)',
        params: IdParam,
        response: { 200: Procedure },
      },
    },
    async (req) => catalog.retire(req.ctx, req.params.id),
  );

  // CSV import has its own content type, so it lives in its own encapsulated scope.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      `${P}/procedures/import`,
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Nhập danh mục thủ tục từ JSON hoặc CSV (tất cả hoặc không)',
          description:
            'JSON: mảng nội dung thủ tục như POST /procedures (tệp xuất JSON). CSV: các cột như tệp xuất CSV; thủ tục đã có giữ thành phần hồ sơ, biểu mẫu từ phiên bản hiện tại. ' +
            'Mã mới → tạo thủ tục; mã đã có và nội dung khác → công bố phiên bản mới; nội dung giống → không đổi. Có mục lỗi thì không ghi gì và trả 422 kèm báo cáo.',
          querystring: ImportQuery,
          body: {
            content: {
              'application/json': { schema: Type.Array(Type.Unknown(), { maxItems: 5000, description: 'Các thủ tục' }) },
              'text/csv': { schema: Type.String({ description: 'Tệp CSV (UTF-8, có dòng tiêu đề)' }) },
              'text/plain': { schema: Type.String() },
            },
          },
          response: { 200: ImportReport },
        },
      },
      async (req) => {
        const body = req.body as unknown;
        return catalog.importCatalog(req.ctx, typeof body === 'string' ? { csv: body } : { json: body as unknown[] }, {
          dryRun: req.query.dryRun,
        });
      },
    );
  });
}
