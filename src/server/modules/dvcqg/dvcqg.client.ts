/**
 * The HTTP client of the national portal (Cổng DVC quốc gia): where its endpoints are, the session
 * handshake, and the calls (JSON messages answered with `{ error_code, message, … }`, file downloads).
 *
 * Handshake (LayMaXacThuc): before a call the client obtains a session token by POSTing the API key to
 * the token endpoint, keeps it until shortly before it expires, and sends it as
 * `Authorization: Bearer <session>`. A call answered AUTHEN_ERROR (or HTTP 401) is tried once more with
 * a fresh token: the portal may have dropped the session before its announced expiry.
 */
import type { Config } from '../../config';
import { errorCodes, parseDvcqgDate } from './dvcqg.payload';

/** Paths of the local portal (mounted by the app under /dvcqg-local when DVCQG_URL is unset). */
export const LOCAL_PREFIX = '/dvcqg-local';
export const LOCAL_SYNC_PATH = `${LOCAL_PREFIX}/api/hoso/dongbo`;
export const LOCAL_AUTH_PATH = `${LOCAL_PREFIX}/api/xacthuc/laymaxacthuc`;
export const LOCAL_PULL_PATH = `${LOCAL_PREFIX}/api/hoso/danhsach`;
export const LOCAL_FILE_PATH = `${LOCAL_PREFIX}/api/tep`;

/** The envelope's service of the token request. */
export const AUTH_SERVICE = 'LayMaXacThuc';

export type PortalConfig = Pick<Config, 'dvcqg' | 'publicUrl'>;

export interface PortalUrls {
  sync: string;
  auth: string;
  pull: string;
}

/** Where each call goes: DVCQG_URL and its siblings (or their own settings), else the local portal at PUBLIC_URL. */
export function portalUrls(config: PortalConfig): PortalUrls {
  const d = config.dvcqg;
  if (d.url) {
    return {
      sync: d.url,
      auth: d.authUrl ?? new URL('../xacthuc/laymaxacthuc', d.url).toString(),
      pull: d.pullUrl ?? new URL('danhsach', d.url).toString(),
    };
  }
  const base = config.publicUrl.replace(/\/$/, '');
  return { sync: `${base}${LOCAL_SYNC_PATH}`, auth: `${base}${LOCAL_AUTH_PATH}`, pull: `${base}${LOCAL_PULL_PATH}` };
}

/** A call that did not succeed; `code` is the portal's error_code when it answered one. */
export class PortalFailure extends Error {
  constructor(
    message: string,
    readonly code: number | null = null,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
  }
}

export interface PortalAnswer {
  error_code: number;
  message: string;
  [key: string]: unknown;
}

// -------------------------------------------------------------------------------------------------
// Sessions
// -------------------------------------------------------------------------------------------------

interface Session {
  token: string;
  /** Epoch ms after which the token is not used any more. */
  usableUntil: number;
}

/** Kept this long before the announced expiry is reached, so a token never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** When the portal announces no expiry. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;

/** Per process, by token endpoint and key: every push, pull and download of the process shares the session. */
const sessions = new Map<string, Session>();
const pending = new Map<string, Promise<Session>>();

const sessionKey = (config: PortalConfig) => `${portalUrls(config).auth}\n${config.dvcqg.apiKey ?? ''}`;

/** Drops every cached session (tests; a changed key). */
export function forgetSessions(): void {
  sessions.clear();
}

const timeout = (config: PortalConfig) => AbortSignal.timeout(config.dvcqg.timeoutSeconds * 1000);

async function readAnswer(res: Response, what: string): Promise<PortalAnswer> {
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new PortalFailure(`${what} trả lỗi HTTP ${res.status}: ${text.slice(0, 300)}`, null, res.status);
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new PortalFailure(`${what} trả lời không phải JSON: ${text.slice(0, 300)}`);
  }
  const raw = answer?.error_code;
  const code = Number(raw);
  if (raw === undefined || raw === null || raw === '' || Number.isNaN(code)) {
    throw new PortalFailure(`${what} trả lời thiếu error_code: ${text.slice(0, 300)}`);
  }
  return { ...answer, error_code: code, message: String(answer.message ?? '') };
}

async function send(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    throw new PortalFailure(`Không kết nối được ${what}: ${(e as Error).message}`);
  }
}

/** The token's expiry: `yyyyMMddHHmmss` (Vietnam time, as the portal's dates) or ISO 8601. */
function expiryOf(v: unknown, now: number): number {
  if (typeof v === 'string') {
    const d = parseDvcqgDate(v) ?? (Number.isNaN(Date.parse(v)) ? null : new Date(v));
    if (d) return d.getTime();
  }
  return now + DEFAULT_LIFETIME_MS;
}

async function obtainSession(config: PortalConfig): Promise<Session> {
  const what = 'Cổng DVC quốc gia (lấy mã xác thực)';
  const res = await send(
    portalUrls(config).auth,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ service: AUTH_SERVICE, apiKey: config.dvcqg.apiKey ?? '' }),
      signal: timeout(config),
    },
    what,
  );
  const answer = await readAnswer(res, what);
  if (answer.error_code !== errorCodes.OK || typeof answer.session !== 'string' || !answer.session) {
    throw new PortalFailure(
      `Cổng DVC quốc gia không cấp mã xác thực (error_code ${answer.error_code}): ${answer.message}`,
      answer.error_code,
    );
  }
  const now = Date.now();
  return { token: answer.session, usableUntil: expiryOf(answer.expires, now) - EXPIRY_MARGIN_MS };
}

/** A usable session token: the cached one, else a new one (one handshake at a time per portal and key). */
export async function sessionToken(config: PortalConfig, fresh = false): Promise<string> {
  const key = sessionKey(config);
  const cached = sessions.get(key);
  if (!fresh && cached && cached.usableUntil > Date.now()) return cached.token;
  if (fresh) sessions.delete(key);
  let p = pending.get(key);
  if (!p) {
    p = obtainSession(config).finally(() => pending.delete(key));
    pending.set(key, p);
  }
  const s = await p;
  sessions.set(key, s);
  return s.token;
}

/** Runs `call` with a session; on AUTHEN_ERROR / 401 once more with a fresh token. */
async function withSession<T>(config: PortalConfig, call: (token: string) => Promise<T>): Promise<T> {
  try {
    return await call(await sessionToken(config));
  } catch (e) {
    const refused = e instanceof PortalFailure && (e.code === errorCodes.AUTHEN_ERROR || e.httpStatus === 401);
    if (!refused) throw e;
    return call(await sessionToken(config, true));
  }
}

// -------------------------------------------------------------------------------------------------
// Calls
// -------------------------------------------------------------------------------------------------

/** POSTs a JSON message; the answer when error_code is 0, else a PortalFailure. */
export function callPortal(config: PortalConfig, url: string, body: unknown): Promise<PortalAnswer> {
  const what = 'Cổng DVC quốc gia';
  return withSession(config, async (token) => {
    const res = await send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: timeout(config),
      },
      what,
    );
    const answer = await readAnswer(res, what);
    if (answer.error_code !== errorCodes.OK) {
      throw new PortalFailure(`Cổng DVC quốc gia từ chối (error_code ${answer.error_code}): ${answer.message}`, answer.error_code);
    }
    return answer;
  });
}

/** Downloads a file the portal serves (with the session); at most `maxBytes`. */
export function downloadFile(config: PortalConfig, url: string, maxBytes: number): Promise<{ bytes: Buffer; mediaType: string | null }> {
  const what = 'Cổng DVC quốc gia (tải tệp)';
  return withSession(config, async (token) => {
    const res = await send(url, { headers: { authorization: `Bearer ${token}` }, signal: timeout(config) }, what);
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new PortalFailure(`${what} trả lỗi HTTP ${res.status}: ${text.slice(0, 200)}`, null, res.status);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new PortalFailure(`Tệp quá lớn (${declared} byte)`, null, 413);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxBytes) throw new PortalFailure(`Tệp quá lớn (${bytes.length} byte)`, null, 413);
    return { bytes, mediaType: res.headers.get('content-type') };
  });
}
