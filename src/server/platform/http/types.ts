import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { RequestContext } from '../auth/actor';

/** The Fastify instance type used by every routes file (TypeBox schemas give typed handlers). */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Actor, IP and request id for use cases and the audit log; set for every request. */
    ctx: RequestContext;
  }
  interface FastifyContextConfig {
    /**
     * Accept an Idempotency-Key header on this write. `true`: answers are kept in idempotency_keys and
     * replayed. `'keyed'`: the use case keeps the key (and the request's hash, `idempotencyOf`) with what it
     * creates, in the same transaction, and recognises a retry itself: no idempotency_keys rows.
     */
    idempotent?: boolean | 'keyed';
    /** Skip CSRF verification (public endpoints that set no cookie-bound state, e.g. login). */
    csrf?: false;
  }
}
