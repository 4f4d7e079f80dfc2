/**
 * HTTP of Open311 GeoReport v2 at /open311/v2 (JSON, and XML for every endpoint) and the admin API of its API
 * clients at /api/v1/open311/clients. Errors under /open311/v2 are Open311's `[{ code, description }]` (XML:
 * `<errors><error>…`), not problem+json. POST requests.json takes form-urlencoded, JSON or multipart (files in
 * `media`); it is a machine route keyed by `api_key` (no session cookie, no CSRF token).
 */
import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config';
import type { RequestContext } from '../../../platform/auth/actor';
import { toProblem } from '../../../platform/http/errors';
import type { App } from '../../../platform/http/types';
import type { Open311ClientService } from './open311.clients';
import { jurisdictionOf, type Open311Service, o311Error, type PostInput } from './open311.service';
import { toXml } from './open311.xml';

export const OPEN311_PREFIX = '/open311/v2';
/** POST requests per client (api_key) and minute. */
export const OPEN311_POSTS_PER_MINUTE = 60;
/** When this implementation last changed (discovery's changeset). */
const CHANGESET = '2026-12-07T00:00:00Z';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];
const IDEMPOTENCY_KEY_RE = /^[\w.:-]{8,200}$/;

const formatOf = (req: FastifyRequest): Format => (/\.xml(\?|$)/.test(req.url) ? 'xml' : 'json');

/** One string per field: repeated query/form fields keep their first value. */
function flat(src: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!src || typeof src !== 'object') return out;
  for (const [k, raw] of Object.entries(src as Record<string, unknown>)) {
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') {
      const part = v as { type?: string; value?: unknown };
      if (part.type === 'field') out[k] = String(part.value ?? '');
      else if (part.type === undefined && k === 'attribute') {
        // JSON: { "attribute": { "public": true } }
        for (const [ak, av] of Object.entries(v as Record<string, unknown>)) out[`attribute[${ak}]`] = String(av);
      }
      continue;
    }
    out[k] = String(v);
  }
  return out;
}

/** The uploaded `media` files of a multipart POST (attachFieldsToBody). */
async function mediaFiles(body: unknown): Promise<{ name: string; bytes: Buffer }[]> {
  if (!body || typeof body !== 'object') return [];
  const files: { name: string; bytes: Buffer }[] = [];
  for (const [k, raw] of Object.entries(body as Record<string, unknown>)) {
    for (const part of Array.isArray(raw) ? raw : [raw]) {
      const p = part as { type?: string; filename?: string; toBuffer?: () => Promise<Buffer> } | null;
      if (p?.type !== 'file' || !p.toBuffer) continue;
      if (k !== 'media' && k !== 'media[]') throw o311Error(400, `Tệp chỉ được gửi trong trường "media" (nhận được "${k}").`);
      files.push({ name: p.filename || `media-${files.length + 1}.jpg`, bytes: await p.toBuffer() });
    }
  }
  return files;
}

const apiKeyOf = (req: FastifyRequest): string | undefined =>
  flat(req.body).api_key ?? (flat(req.query).api_key || undefined) ?? (req.headers['x-api-key'] as string | undefined);

export function send(reply: FastifyReply, format: Format, data: unknown, root: string, item?: string) {
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, data, item));
  return reply.type('application/json; charset=utf-8').send(data);
}

/**
 * Synchronous on purpose (registerFeedback is): the admin routes are added at once, the /open311/v2 scope is a
 * plugin that Fastify loads before the app is ready.
 */
export function registerOpen311Routes(
  app: App,
  deps: { config: Config; service: Open311Service; clients: Open311ClientService; uploadMaxBytes: number },
): void {
  const { config, service, clients } = deps;
  const jurisdiction = jurisdictionOf(config.provinceName);
  const base = config.publicUrl.replace(/\/+$/, '');

  registerAdminRoutes(app, clients);
  app.register(
    async (scope: App) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      await scope.register(multipart, {
        attachFieldsToBody: true,
        limits: { fileSize: deps.uploadMaxBytes, files: 5, fields: 40, parts: 45, fieldSize: 8192, headerPairs: 100 },
        throwFileSizeLimit: true,
      });

      scope.setErrorHandler((err, req, reply) => {
        const p = toProblem(err as Parameters<typeof toProblem>[0]);
        if (p.status >= 500) req.log.error({ err }, 'unhandled error');
        const description = p.errors?.length ? p.errors.map((e) => e.message).join('; ') : (p.detail ?? p.title);
        return send(reply.code(p.status), formatOf(req), [{ code: p.status, description }], 'errors', 'error');
      });
      scope.setNotFoundHandler((req, reply) =>
        send(
          reply.code(404),
          formatOf(req),
          [{ code: 404, description: `Không có địa chỉ ${req.method} ${req.url.split('?')[0]}.` }],
          'errors',
          'error',
        ),
      );

      // jurisdiction_id is optional (one province); another one is not served here.
      scope.addHook('preHandler', async (req) => {
        const j = flat(req.query).jurisdiction_id ?? flat(req.body).jurisdiction_id;
        if (j !== undefined && j !== '' && j !== jurisdiction) {
          throw o311Error(404, `Không phục vụ jurisdiction_id "${j}" (chỉ "${jurisdiction}").`);
        }
      });

      const tags = ['open311'];
      // Not in /api/openapi.json: these answer Open311 error arrays, not problem+json (docs/open311.md).
      const hide = true;
      const cache = (reply: FastifyReply, seconds: number) => reply.header('cache-control', `public, max-age=${seconds}`);
      const nextLink = (reply: FastifyReply, req: FastifyRequest, r: { more: boolean; page: number; size: number }) => {
        if (!r.more) return;
        const u = new URL(req.url, base);
        u.searchParams.set('page', String(r.page + 1));
        u.searchParams.set('page_size', String(r.size));
        reply.header('link', `<${base}${u.pathname}${u.search}>; rel="next"`);
      };

      for (const fmt of FORMATS) {
        scope.get(`/discovery.${fmt}`, { schema: { hide, tags, summary: 'Open311: mô tả dịch vụ (discovery)' } }, async (_req, reply) =>
          send(
            cache(reply, 3600),
            fmt,
            {
              changeset: CHANGESET,
              contact: `Phản ánh hiện trường – ${config.provinceName}. Đầu mối: quản trị hệ thống tại ${base}`,
              key_service: 'Cơ quan quản trị cấp api_key cho ứng dụng đối tác (xem tài liệu docs/open311.md).',
              endpoints: [
                {
                  specification: SPEC,
                  url: `${base}${OPEN311_PREFIX}`,
                  changeset: CHANGESET,
                  type: config.production ? 'production' : 'test',
                  formats: ['application/json', 'text/xml'],
                },
              ],
            },
            'discovery',
          ),
        );

        scope.get(
          `/services.${fmt}`,
          { schema: { hide, tags, summary: 'Open311: danh sách dịch vụ (lĩnh vực phản ánh đang hoạt động)' } },
          async (_req, reply) => send(cache(reply, 300), fmt, await service.services(), 'services', 'service'),
        );

        scope.get(
          `/requests.${fmt}`,
          {
            schema: {
              hide,
              tags,
              summary: 'Open311: danh sách yêu cầu công khai (lọc, phân trang page/page_size, lat/long/radius)',
            },
          },
          async (req, reply) => {
            const r = await service.requests(flat(req.query));
            nextLink(reply, req, r);
            return send(cache(reply, 30), fmt, r.items, 'service_requests', 'request');
          },
        );

        scope.post(
          `/requests.${fmt}`,
          {
            config: {
              csrf: false,
              rateLimit: {
                max: OPEN311_POSTS_PER_MINUTE,
                timeWindow: '1 minute',
                // After parsing: the key is in the body.
                hook: 'preHandler',
                keyGenerator: (req: FastifyRequest) => {
                  const key = apiKeyOf(req);
                  return key ? `open311:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : `open311-ip:${req.ip}`;
                },
              },
            },
            schema: {
              hide,
              tags,
              summary: 'Open311: gửi yêu cầu (phản ánh) — cần api_key; form-urlencoded, JSON hoặc multipart (tệp "media")',
            },
          },
          async (req, reply) => {
            const client = await clients.authenticate(apiKeyOf(req));
            if (!client) throw o311Error(403, 'api_key thiếu, sai hoặc đã bị vô hiệu hóa.');
            const f = flat(req.body);
            const attributes: Record<string, string> = {};
            for (const [k, v] of Object.entries(f)) {
              const m = /^attribute\[([^\]]+)\]$/.exec(k);
              if (m?.[1]) attributes[m[1]] = v;
            }
            const header = req.headers['idempotency-key'];
            const tokenIn = typeof header === 'string' ? header : f.token;
            if (tokenIn !== undefined && !IDEMPOTENCY_KEY_RE.test(tokenIn)) {
              throw o311Error(400, 'Idempotency-Key phải dài 8–200 ký tự (chữ, số, . _ : -).');
            }
            const input: PostInput = {
              service_code: f.service_code,
              lat: f.lat,
              long: f.long,
              address_string: f.address_string,
              address_id: f.address_id,
              description: f.description,
              email: f.email,
              phone: f.phone,
              first_name: f.first_name,
              last_name: f.last_name,
              media_url: f.media_url,
              attributes,
              photos: await mediaFiles(req.body),
            };
            const ctx: RequestContext = {
              actor: { kind: 'anonymous', accountId: null, label: `open311:${client.name}`.slice(0, 200), grants: [] },
              ip: req.ip,
              requestId: String(req.id),
            };
            const out = await service.post(ctx, client, input, tokenIn ?? null);
            return send(reply.code(201), fmt, out, 'service_requests', 'request');
          },
        );

        scope.get(
          `/servicerequestupdates.${fmt}`,
          { schema: { hide, tags, summary: 'Open311 (mở rộng FixMyStreet): diễn biến công khai của các yêu cầu công khai' } },
          async (req, reply) => {
            const r = await service.updates(flat(req.query));
            nextLink(reply, req, r);
            return send(cache(reply, 30), fmt, r.items, 'service_request_updates', 'request_update');
          },
        );
      }

      const fileParam = (file: string) => {
        const m = /^(.+)\.(json|xml)$/.exec(file);
        if (!m?.[1]) throw o311Error(404, 'Địa chỉ phải kết thúc bằng .json hoặc .xml.');
        return { id: decodeURIComponent(m[1]), fmt: m[2] as Format };
      };
      const FileParams = Type.Object({ file: Type.String({ maxLength: 260 }) });

      scope.get(
        '/services/:file',
        {
          schema: { hide, tags, summary: 'Open311: định nghĩa dịch vụ (thuộc tính), ví dụ /services/moi_truong.json', params: FileParams },
        },
        async (req, reply) => {
          const { id, fmt } = fileParam(req.params.file);
          return send(cache(reply, 300), fmt, await service.serviceDefinition(id), 'service_definition');
        },
      );
      scope.get(
        '/requests/:file',
        {
          schema: {
            hide,
            tags,
            summary: 'Open311: một yêu cầu công khai theo mã PA-…, ví dụ /requests/PA-20261207-ABCDEF.json',
            params: FileParams,
          },
        },
        async (req, reply) => {
          const { id, fmt } = fileParam(req.params.file);
          return send(cache(reply, 30), fmt, await service.request(id), 'service_requests', 'request');
        },
      );
      scope.get(
        '/tokens/:file',
        { schema: { hide, tags, summary: 'Open311: mã yêu cầu (service_request_id) theo token trả về khi gửi', params: FileParams } },
        async (req, reply) => {
          const { id, fmt } = fileParam(req.params.file);
          return send(reply.header('cache-control', 'no-store'), fmt, await service.token(id), 'service_requests', 'request');
        },
      );
    },
    { prefix: OPEN311_PREFIX },
  );
}

/** Admin of the API clients (problem+json like the rest of /api/v1). */
function registerAdminRoutes(app: App, clients: Open311ClientService): void {
  const adminTags = ['open311'];
  const session = [{ session: [] }];
  const Client = Type.Object({
    id: Type.String(),
    name: Type.String(),
    contactEmail: Type.Union([Type.String(), Type.Null()]),
    keyPrefix: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    createdAt: Type.String(),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  });
  app.get(
    '/api/v1/open311/clients',
    {
      schema: {
        tags: adminTags,
        summary: 'Ứng dụng đối tác Open311 (feedback.manage)',
        response: { 200: Type.Object({ items: Type.Array(Client) }) },
        security: session,
      },
    },
    async (req) => clients.list(req.ctx),
  );
  app.post(
    '/api/v1/open311/clients',
    {
      schema: {
        tags: adminTags,
        summary: 'Đăng ký ứng dụng đối tác Open311 và cấp api_key (chỉ hiển thị một lần) — feedback.manage',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            contactEmail: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Composite([Client, Type.Object({ apiKey: Type.String() })]) },
        security: session,
      },
    },
    async (req, reply) => reply.code(201).send(await clients.create(req.ctx, req.body)),
  );
  app.delete(
    '/api/v1/open311/clients/:id',
    {
      schema: {
        tags: adminTags,
        summary: 'Vô hiệu hóa ứng dụng đối tác Open311 (khóa bị từ chối ngay) — feedback.manage',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        response: { 204: Type.Null() },
        security: session,
      },
    },
    async (req, reply) => {
      await clients.disable(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
