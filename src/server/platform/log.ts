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

export function createLogger(config: Pick<Config, 'logLevel'>) {
  return pino({ level: config.logLevel, redact: { paths: redactPaths, censor: '[ẩn]' } });
}
