/**
 * `Idempotency-Key` for retryable writes (routes with `config: { idempotent: true }`).
 * The first request with a key runs and its answer is stored; a retry with the same key and the
 * same body gets the stored answer; the same key with a different body is refused (422); a retry
 * while the first is still running gets 409. Keys are scoped per caller.
 *
 * Routes with `config: { idempotent: 'keyed' }` only get the key checked and handed over with the request's
 * hash (`idempotencyOf`): their use case stores both with the record it creates, atomically, and answers a
 * retry from there (same hash: the record; other hash: 422 via `keyReused`). That costs no statement here.
 *
 * A key still "in progress" after IN_PROGRESS_LEASE_SECONDS belongs to a request whose process died
 * (kill -9, power loss) before it could store the answer: a retry takes it over and runs again. Use
 * cases that create records must therefore recognise the retry themselves (the key is handed to them
 * as `req.idempotency`), because the dead attempt may have committed before dying.
 */
import { createHash } from 'node:crypto';
import { type Database, sql } from '../db/database';
import { problems } from './problem';
import type { App } from './types';

const KEY_RE = /^[\w.:-]{8,200}$/;
const IN_PROGRESS_LEASE_SECONDS = 30;

/** The caller's Idempotency-Key of this request, when the route accepts one and it was sent. */
export function idempotencyKeyOf(req: unknown): string | null {
  return idempotencyOf(req)?.key ?? null;
}

/** An Idempotency-Key and the SHA-256 of the request (method, URL, body) that carried it. */
export interface Idempotency {
  key: string;
  hash: string;
}

/** The Idempotency-Key of this request with its hash, when the route accepts one and it was sent. */
export function idempotencyOf(req: unknown): Idempotency | null {
  return (req as { idempotency?: Held }).idempotency ?? null;
}

/** The answer to a key already used for another request. */
export const keyReused = () =>
  problems.unprocessable(
    'idempotency_key_reused',
    'Idempotency-Key đã dùng cho yêu cầu khác',
    'Mỗi Idempotency-Key chỉ dùng cho một yêu cầu. Hãy tạo khóa mới.',
  );

type Held = Idempotency & { scope: string; keyed: boolean };

export async function registerIdempotency(app: App, db: Database): Promise<void> {
  app.addHook('preHandler', async (req, reply) => {
    if (!req.routeOptions.config?.idempotent) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY_RE.test(key)) {
      throw problems.validation([{ field: 'header/idempotency-key', message: 'Idempotency-Key phải dài 8–200 ký tự (chữ, số, . _ : -)' }]);
    }
    const scope = req.ctx.actor.accountId ?? `anonymous:${req.ip}`;
    const path = req.routeOptions.url ?? req.url;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const keyed = req.routeOptions.config.idempotent === 'keyed';
    const hold = () => {
      (req as { idempotency?: Held }).idempotency = { key, scope, hash, keyed };
    };
    if (keyed) return hold();
    const inserted = await db.rows<{ key: string }>(sql`
      insert into idempotency_keys (key, scope, method, path, request_hash)
      values (${key}, ${scope}, ${req.method}, ${path}, ${hash})
      on conflict (scope, key) do nothing returning key`);
    if (inserted.length === 1) return hold();
    const [prior] = await db.rows<{ request_hash: string; status_code: number | null; response: unknown }>(
      sql`select request_hash, status_code, response from idempotency_keys where scope = ${scope} and key = ${key}`,
    );
    if (!prior) return;
    if (prior.request_hash !== hash) throw keyReused();
    if (prior.status_code === null) {
      const [taken] = await db.rows<{ key: string }>(sql`
        update idempotency_keys set created_at = now()
         where scope = ${scope} and key = ${key} and status_code is null
           and created_at < now() - make_interval(secs => ${IN_PROGRESS_LEASE_SECONDS})
        returning key`);
      if (taken) return hold();
      throw problems.conflict(
        'idempotency_in_progress',
        'Yêu cầu đang được xử lý',
        'Yêu cầu trước với cùng Idempotency-Key chưa xong. Hãy thử lại sau giây lát.',
      );
    }
    reply.header('idempotent-replayed', 'true');
    return reply.code(prior.status_code).send(prior.response);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = (req as { idempotency?: Held }).idempotency;
    if (!idem || idem.keyed) return payload;
    if (reply.statusCode >= 500 || reply.statusCode === 409) {
      // A failure that may succeed on retry: forget the key so the client can try again.
      await db.rows(sql`delete from idempotency_keys where scope = ${idem.scope} and key = ${idem.key}`);
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string') {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await db.rows(sql`update idempotency_keys set status_code = ${reply.statusCode}, response = ${JSON.stringify(body)}::jsonb
      where scope = ${idem.scope} and key = ${idem.key}`);
    return payload;
  });
}
