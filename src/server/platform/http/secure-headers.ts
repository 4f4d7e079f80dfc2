/**
 * Security headers (helmet's: Content-Security-Policy, HSTS, X-Frame-Options, Referrer-Policy …) for every
 * answer. They depend on the configuration only, never on the request, so helmet runs once at start and the
 * headers it set are kept; each request copies them. (@fastify/helmet ran helmet anew for each request —
 * parsing the CSP directives and building a dozen middlewares — which cost 6 % of a tracking lookup.)
 * A route may still set its own value of one of them (files set a stricter CSP): the route's wins.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export function secureHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    // helmet removes X-Powered-By, which Fastify never sets.
    removeHeader() {},
  };
  let failed: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failed = err;
  });
  if (failed) throw failed;
  return headers;
}
