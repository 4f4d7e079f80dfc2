/**
 * JSON client for the TinhSo API. Same-origin cookies carry the session; every write first obtains a
 * CSRF token (GET /api/v1/auth/csrf) and sends it as X-CSRF-Token. Failures arrive as RFC 9457
 * problem+json and are thrown as ApiError, whose field errors the forms map onto their inputs.
 * File uploads (`uploadFile`) go through the same token, errors and "session ended" handling.
 */
import type { FileMeta } from '../server/platform/files/files.schemas';

export type { FileMeta };

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: ProblemBody;

  constructor(problem: ProblemBody) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** Field errors keyed by form field name ("body/unit/name" → "unit.name"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const name = fieldName(e.field);
      if (name && !(name in out)) out[name] = e.message;
    }
    return out;
  }
}

/** Normalises the server's field path (JSON pointer, dotted, with or without "body" prefix). */
export function fieldName(field: string): string {
  const parts = field
    .replace(/^#?\/?/, '')
    .split(/[/.]/)
    .filter((p) => p !== '');
  if (parts[0] === 'body' || parts[0] === 'query' || parts[0] === 'params') parts.shift();
  return parts.join('.');
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  /** JSON body (objects) or a raw string/Blob sent with `contentType`. */
  body?: unknown;
  contentType?: string;
  /** Extra request headers (e.g. `idempotency-key` on a write that must not happen twice). */
  headers?: Record<string, string>;
  /** Don't send the user to the login page on 401 (login itself, the "who am I" probe). */
  allowAnonymous?: boolean;
  signal?: AbortSignal;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: Promise<string> | null = null;
let onUnauthorized: (() => void) | null = null;

/** The app shell registers what to do when the session has ended (go to the login page). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** Forget the CSRF token (after login/logout the server may bind a new one). */
export function resetCsrf(): void {
  csrfToken = null;
}

function getCsrf(): Promise<string> {
  csrfToken ??= fetch('/api/v1/auth/csrf', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) throw await toError(res);
      const body = (await res.json()) as { token: string };
      return body.token;
    })
    .catch((err: unknown) => {
      csrfToken = null;
      throw err;
    });
  return csrfToken;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** A failed answer (problem+json or anything else) as an ApiError; shared by fetch and XMLHttpRequest. */
function problemOf(status: number, statusText: string, contentType: string, text: string): ApiError {
  if (contentType.includes('json')) {
    try {
      const body = JSON.parse(text) as Partial<ProblemBody>;
      return new ApiError({
        type: body.type ?? 'about:blank',
        title: body.title ?? statusText,
        status: body.status ?? status,
        code: body.code ?? `http_${status}`,
        ...body,
      } as ProblemBody);
    } catch {
      // fall through to the generic problem
    }
  }
  return new ApiError({ type: 'about:blank', title: statusText || 'Lỗi', status, code: `http_${status}` });
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  return problemOf(res.status, res.statusText, res.headers.get('content-type') ?? '', text);
}

/** Network failure (offline, server down): still an ApiError so screens show one kind of message. */
function networkError(): ApiError {
  return new ApiError({ type: 'about:blank', title: '', status: 0, code: 'network_error' });
}

/**
 * Runs one attempt of a request (given the CSRF token for writes) and applies the rules every call
 * shares: a stale CSRF token is refreshed and the write tried once more; a 401 tells the shell.
 */
async function withSession<T>(write: boolean, allowAnonymous: boolean | undefined, attempt: (csrf?: string) => Promise<T>): Promise<T> {
  let retried = false;
  for (;;) {
    const csrf = write ? await getCsrf() : undefined;
    try {
      return await attempt(csrf);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (write && !retried && err.code === 'csrf_invalid') {
        // The token went stale (e.g. new session); fetch a fresh one and try once more.
        retried = true;
        resetCsrf();
        continue;
      }
      if (err.status === 401 && !allowAnonymous) onUnauthorized?.();
      throw err;
    }
  }
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    // multipart: the browser writes the content type with its boundary
    body = opts.body;
  } else if (opts.body !== undefined) {
    if (opts.contentType) {
      headers['content-type'] = opts.contentType;
      body = opts.body as BodyInit;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
  }
  Object.assign(headers, opts.headers);
  return withSession(WRITE.has(method), opts.allowAnonymous, async (csrf) => {
    if (csrf) headers['x-csrf-token'] = csrf;
    let res: Response;
    try {
      res = await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw networkError();
    }
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  });
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T = void>(path: string, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('DELETE', path, opts),
};

export interface UploadOptions {
  /** 0…1 as the bytes leave the browser; given, the upload goes through XMLHttpRequest (fetch reports no upload progress). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** One XMLHttpRequest POST of a multipart body, settled like fetch: the parsed answer or an ApiError. */
function xhrPost<T>(path: string, body: FormData, csrf: string | undefined, opts: UploadOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(problemOf(xhr.status, xhr.statusText, xhr.getResponseHeader('content-type') ?? '', xhr.responseText));
        return;
      }
      try {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } catch {
        reject(problemOf(xhr.status, xhr.statusText, '', ''));
      }
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** POST /api/v1/files (multipart field `file`); the answer's id is then referenced by a dossier component. */
export function uploadFile(file: File, opts: UploadOptions = {}): Promise<FileMeta> {
  const body = new FormData();
  body.append('file', file, file.name);
  const path = '/api/v1/files';
  if (!opts.onProgress) return request<FileMeta>('POST', path, { body, signal: opts.signal });
  return withSession(true, false, (csrf) => xhrPost<FileMeta>(path, body, csrf, opts));
}

/** A random UUID, e.g. for an Idempotency-Key (crypto.randomUUID needs a secure context; plain http on a LAN has only getRandomValues). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A list page as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// ---- Auth contract -----------------------------------------------------------------------------

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  roles: string[];
  permissions: string[];
  agency: { id: string; name: string } | null;
  totpEnabled: boolean;
}

export type LoginResult = { stage: 'done'; me: Me } | { stage: 'totp' } | { stage: 'totp_enroll'; me: Me };

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export const authApi = {
  me: () => request<Me>('GET', '/api/v1/auth/me', { allowAnonymous: true }),
  login: (username: string, password: string) =>
    request<LoginResult>('POST', '/api/v1/auth/login', { body: { username, password }, allowAnonymous: true }),
  loginTotp: (code: string) => request<LoginResult>('POST', '/api/v1/auth/login/totp', { body: { code }, allowAnonymous: true }),
  logout: () => request<void>('POST', '/api/v1/auth/logout', { body: {}, allowAnonymous: true }),
  /** Signs out of TinhSo and ends this browser's SSO session at the provider. */
  ssoLogout: () => request<void>('POST', '/auth/sso/logout', { body: {}, allowAnonymous: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<void>('/api/v1/auth/password', { currentPassword, newPassword }),
  totpSetup: () => api.post<TotpSetup>('/api/v1/auth/totp/setup'),
  totpEnable: (code: string) => api.post<void>('/api/v1/auth/totp/enable', { code }),
  totpDisable: (code: string) => api.post<void>('/api/v1/auth/totp/disable', { code }),
  sessions: () => api.get<{ items: SessionInfo[] }>('/api/v1/auth/sessions'),
  revokeSession: (id: string) => api.delete(`/api/v1/auth/sessions/${encodeURIComponent(id)}`),
};
