/**
 * Composition root: builds the Fastify app from the platform blocks and the domain modules.
 * Nothing here holds business rules; it only wires things together.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config';
import { registerModules } from './modules';
import { createPlatform, type Platform } from './platform';
import { registerAuditRoutes } from './platform/audit/audit.routes';
import { anonymous, type RequestContext } from './platform/auth/actor';
import { registerCsrf } from './platform/auth/csrf';
import { registerCalendarRoutes } from './platform/calendar';
import type { Database } from './platform/db/database';
import { registerFileRoutes } from './platform/files';
import { installErrorHandlers } from './platform/http/errors';
import { registerHealth } from './platform/http/health';
import { registerIdempotency } from './platform/http/idempotency';
import { secureHeaders } from './platform/http/secure-headers';
import type { App } from './platform/http/types';
import { registerWeb } from './platform/http/web';
import { registerJobsRoutes } from './platform/jobs';
import { createLogger, lazyChildLogger } from './platform/log';
import { registerNotifyRoutes } from './platform/notify';

export interface BuildOptions {
  config: Config;
  db: Database;
  /** Pre-built platform services (tests pass their own, e.g. an in-process SMTP server). */
  platform?: Partial<Platform>;
  logger?: boolean;
}

export async function buildApp(opts: BuildOptions): Promise<{ app: App; platform: Platform }> {
  const { config, db } = opts;
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : createLogger(config),
    childLoggerFactory: (logger, bindings, childOpts) => lazyChildLogger(logger as Logger, bindings, childOpts),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,80}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.production,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const platform = await createPlatform(config, db, opts.platform);

  installErrorHandlers(app, config.serveWeb ? (req, reply) => reply.sendFile('index.html') : undefined);
  app.decorateRequest('ctx', null as unknown as RequestContext);
  const security = secureHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Only behind HTTPS: on a plain-HTTP LAN deployment it would break every asset request.
        upgradeInsecureRequests: config.production ? [] : null,
      },
    },
    hsts: config.production,
  });
  app.addHook('onRequest', async (req, reply) => {
    req.ctx = { actor: anonymous, ip: req.ip, requestId: String(req.id) };
    reply.headers(security).header('x-request-id', String(req.id));
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(rateLimit, { global: false });
  await registerCsrf(app, config);
  await registerIdempotency(app, db);

  await app.register(swagger, {
    // Document the Idempotency-Key header on every route that honours it.
    transform: ({ schema, url, route }) => {
      if (!route.config?.idempotent) return { schema, url };
      const headers = {
        type: 'object',
        properties: {
          'idempotency-key': {
            type: 'string',
            minLength: 8,
            maxLength: 200,
            description: 'Khóa chống gửi trùng: gửi lại cùng khóa và cùng nội dung sẽ nhận lại kết quả lần đầu',
          },
        },
      };
      return { schema: { ...schema, headers }, url };
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TinhSo API',
        version: '1',
        description: 'API của nền tảng chính quyền số cấp tỉnh TinhSo. Lỗi trả về dạng application/problem+json (RFC 9457).',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tinhso_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealth(app, db);
  registerNotifyRoutes(app, platform);
  registerJobsRoutes(app, platform);
  await registerFileRoutes(app, platform);
  registerAuditRoutes(app, db);
  registerCalendarRoutes(app, platform);
  await registerModules(app, platform);
  if (config.serveWeb) await registerWeb(app);

  await app.ready();
  return { app, platform };
}
