/**
 * pino logger with personal data redacted: no passwords, tokens, cookies, ID numbers or phones in logs.
 */
import pino from 'pino';
import type { Config } from '../config';

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.totp',
  '*.token',
  '*.idNumber',
  '*.phone',
];

/** Query strings that may carry codes, tokens or hints (OIDC redirects, callbacks) are not logged. */
const SECRET_QUERY = /[?&](code|[\w-]*token[\w-]*|[\w-]*secret[\w-]*|[\w-]*hint|state|nonce|ticket|key|id_number|password)=/i;

export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  return q >= 0 && SECRET_QUERY.test(url.slice(q)) ? `${url.slice(0, q)}?[ẩn]` : url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function createLogger(config: Pick<Config, 'logLevel'>) {
  return pino({
    level: config.logLevel,
    redact: { paths: redactPaths, censor: '[ẩn]' },
    serializers: {
      // Fastify's request serializer, with the query string dropped when it may carry a secret.
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: safeUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  });
}
