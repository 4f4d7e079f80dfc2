/**
 * JSON client for the TinhSo API. Same-origin cookies carry the session; every write first obtains a
 * CSRF token (GET /api/v1/auth/csrf) and sends it as X-CSRF-Token. Failures arrive as RFC 9457
 * problem+json and are thrown as ApiError, whose field errors the forms map onto their inputs.
 */

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

async function toError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<ProblemBody>;
      return new ApiError({
        type: body.type ?? 'about:blank',
        title: body.title ?? res.statusText,
        status: body.status ?? res.status,
        code: body.code ?? `http_${res.status}`,
        ...body,
      } as ProblemBody);
    } catch {
      // fall through to the generic problem
    }
  }
  return new ApiError({ type: 'about:blank', title: res.statusText || 'Lỗi', status: res.status, code: `http_${res.status}` });
}

/** Network failure (offline, server down): still an ApiError so screens show one kind of message. */
function networkError(): ApiError {
  return new ApiError({ type: 'about:blank', title: '', status: 0, code: 'network_error' });
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (opts.contentType) {
      headers['content-type'] = opts.contentType;
      body = opts.body as BodyInit;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
  }
  const write = WRITE.has(method);
  let retried = false;
  for (;;) {
    if (write) headers['x-csrf-token'] = await getCsrf();
    let res: Response;
    try {
      res = await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw networkError();
    }
    if (res.ok) {
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    const error = await toError(res);
    if (write && !retried && error.code === 'csrf_invalid') {
      // The token went stale (e.g. new session); fetch a fresh one and try once more.
      retried = true;
      resetCsrf();
      continue;
    }
    if (error.status === 401 && !opts.allowAnonymous) onUnauthorized?.();
    throw error;
  }
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T = void>(path: string, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('DELETE', path, opts),
};

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
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<void>('/api/v1/auth/password', { currentPassword, newPassword }),
  totpSetup: () => api.post<TotpSetup>('/api/v1/auth/totp/setup'),
  totpEnable: (code: string) => api.post<void>('/api/v1/auth/totp/enable', { code }),
  totpDisable: (code: string) => api.post<void>('/api/v1/auth/totp/disable', { code }),
  sessions: () => api.get<{ items: SessionInfo[] }>('/api/v1/auth/sessions'),
  revokeSession: (id: string) => api.delete(`/api/v1/auth/sessions/${encodeURIComponent(id)}`),
};
