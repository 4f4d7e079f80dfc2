/**
 * The OA's access token, kept fresh. Zalo's OA access tokens last about 25 hours; a refresh token (valid about
 * three months, usable once) buys a new pair from the OAuth v4 endpoint (`POST …/v4/oa/access_token`, header
 * `secret_key`, form `app_id`, `grant_type=refresh_token`, `refresh_token`). Both are stored sealed in
 * zalo_oa_tokens. A refresh holds the row's lock, so two processes never spend the same refresh token.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import { openSecret, sealSecret } from '../../platform/crypto/secrets';
import { type Database, sql } from '../../platform/db/database';
import type { Fetch } from './zalo.service';

const CONTEXT = 'tinhso-zalo-oa-token';
/** The job refreshes a token that expires within this time… */
const REFRESH_AHEAD_MS = 2 * 3600_000;
/** …and a send refreshes first when the token expires within this time (the job did not run). */
const SEND_MARGIN_MS = 5 * 60_000;

interface TokenRow {
  access_token_enc: string;
  refresh_token_enc: string | null;
  expires_at: string | Date | null;
  seed: string;
}

interface OAuthAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: string | number;
  error?: number;
  error_name?: string;
}

export type RefreshOutcome = 'refreshed' | 'fresh' | 'no_refresh_token';

export function zaloTokens(deps: { db: Database; config: Config; fetch: Fetch; log: FastifyBaseLogger }) {
  const { db, fetch, log } = deps;
  const z = deps.config.zalo;
  const key = deps.config.dataEncryptionKey;
  const seal = (v: string) => sealSecret(v, key, CONTEXT);
  const open = (v: string) => openSecret(v, key, CONTEXT);
  const seed = createHash('sha256').update(`${z.accessToken}\n${z.refreshToken}`).digest('hex');

  /** The stored row; seeded (again) from the configuration when there is none or the configured tokens changed. */
  async function row(tx?: Parameters<Database['rows']>[1], lock = false): Promise<TokenRow | null> {
    const read = () =>
      db.rows<TokenRow>(
        sql`select access_token_enc, refresh_token_enc, expires_at, seed from zalo_oa_tokens where app_id = ${z.appId}
            ${lock ? sql`for update` : sql``}`,
        tx,
      );
    const [r] = await read();
    if (r && r.seed === seed) return r;
    if (!z.accessToken) return null;
    await db.rows(
      sql`insert into zalo_oa_tokens (app_id, access_token_enc, refresh_token_enc, expires_at, seed)
          values (${z.appId}, ${seal(z.accessToken)}, ${z.refreshToken ? seal(z.refreshToken) : null}, null, ${seed})
          on conflict (app_id) do update set access_token_enc = excluded.access_token_enc,
            refresh_token_enc = excluded.refresh_token_enc, expires_at = null, seed = excluded.seed, last_error = null, updated_at = now()`,
      tx,
    );
    return (await read())[0] ?? null;
  }

  const expiresWithin = (r: TokenRow, ms: number) => r.expires_at === null || new Date(r.expires_at).getTime() - Date.now() < ms;

  async function callOAuth(refreshToken: string): Promise<{ access: string; refresh: string; expiresAt: Date }> {
    const res = await fetch(z.oauthUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: z.appSecretKey },
      body: new URLSearchParams({ app_id: z.appId, grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      signal: AbortSignal.timeout(z.timeoutSeconds * 1000),
    });
    const a = (await res.json().catch(() => null)) as OAuthAnswer | null;
    const seconds = Number(a?.expires_in);
    if (!res.ok || !a?.access_token || !a.refresh_token || !Number.isFinite(seconds) || seconds <= 0) {
      // Never the tokens themselves in an error or a log line.
      throw new Error(`Zalo OAuth trả lỗi ${a?.error ?? `HTTP ${res.status}`}: ${String(a?.error_name ?? '').slice(0, 100)}`);
    }
    return { access: a.access_token, refresh: a.refresh_token, expiresAt: new Date(Date.now() + seconds * 1000) };
  }

  /**
   * A new token pair when the stored one expires within `aheadMs` (or always, `force`). Throws when Zalo refuses;
   * the reason is kept in last_error and the stored tokens stay as they were.
   */
  async function refresh(opts: { force?: boolean; aheadMs?: number } = {}): Promise<RefreshOutcome> {
    try {
      return await db.orm.transaction(async (tx) => {
        const r = await row(tx, true);
        if (!r?.refresh_token_enc) return 'no_refresh_token';
        if (!opts.force && !expiresWithin(r, opts.aheadMs ?? REFRESH_AHEAD_MS)) return 'fresh';
        const next = await callOAuth(open(r.refresh_token_enc));
        await db.rows(
          sql`update zalo_oa_tokens set access_token_enc = ${seal(next.access)}, refresh_token_enc = ${seal(next.refresh)},
                expires_at = ${next.expiresAt.toISOString()}, refreshed_at = now(), last_error = null, updated_at = now()
               where app_id = ${z.appId}`,
          tx,
        );
        log.info({ expiresAt: next.expiresAt.toISOString() }, 'Zalo: đã làm mới access token của OA');
        return 'refreshed';
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      await db.rows(sql`update zalo_oa_tokens set last_error = ${error.slice(0, 300)}, updated_at = now() where app_id = ${z.appId}`);
      log.warn({ err: error }, 'Zalo: làm mới access token thất bại');
      throw e;
    }
  }

  /** The access token to send with; refreshed first when it is about to expire and can be. */
  async function accessToken(): Promise<string> {
    let r = await row();
    if (!r) throw new Error('ZALO_OA_ACCESS_TOKEN chưa được cấu hình');
    if (r.refresh_token_enc && r.expires_at !== null && expiresWithin(r, SEND_MARGIN_MS)) {
      await refresh({ aheadMs: SEND_MARGIN_MS });
      r = (await row()) ?? r;
    }
    return open(r.access_token_enc);
  }

  return { accessToken, refresh };
}
