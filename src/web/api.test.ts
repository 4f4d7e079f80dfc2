/**
 * The API client: CSRF before writes, problem+json → ApiError with field errors, 401 → handler; the
 * same for extra headers (Idempotency-Key) and file uploads, with or without progress.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, fieldName, resetCsrf, setUnauthorizedHandler, uploadFile, withQuery } from './api';

type Call = { url: string; init: RequestInit };
let calls: Call[];
let responses: Response[];

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

beforeEach(() => {
  calls = [];
  responses = [];
  resetCsrf();
  setUnauthorizedHandler(null);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error(`unexpected fetch ${url}`);
    return next;
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const headerOf = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe('api client', () => {
  it('fetches a CSRF token before the first write and sends it as X-CSRF-Token', async () => {
    responses.push(json(200, { token: 'tok-1' }), json(201, { id: 'x' }), new Response(null, { status: 204 }));
    expect(await api.post('/api/v1/things', { a: 1 })).toEqual({ id: 'x' });
    expect(await api.delete('/api/v1/things/x')).toBeUndefined();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/csrf', '/api/v1/things', '/api/v1/things/x']);
    expect(headerOf(calls[1] as Call, 'x-csrf-token')).toBe('tok-1');
    expect(headerOf(calls[2] as Call, 'x-csrf-token')).toBe('tok-1');
    expect((calls[1] as Call).init.credentials).toBe('same-origin');
    expect((calls[1] as Call).init.body).toBe('{"a":1}');
  });

  it('does not ask for a CSRF token on reads', async () => {
    responses.push(json(200, { items: [], nextCursor: null }));
    await api.get('/api/v1/units', { q: 'ea kar', level: '', includeClosed: false, limit: 50 });
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/units?q=ea+kar&limit=50']);
  });

  it('turns problem+json into an ApiError with field errors keyed by form field', async () => {
    responses.push(
      json(200, { token: 't' }),
      json(
        400,
        {
          type: 'https://tinhso.vn/problems/validation_failed',
          title: 'Dữ liệu gửi lên không hợp lệ',
          status: 400,
          code: 'validation_failed',
          errors: [
            { field: 'body/username', message: 'Trường này là bắt buộc' },
            { field: 'body.unit.name', message: 'Quá dài' },
          ],
        },
        'application/problem+json',
      ),
    );
    const err = await api.post('/api/v1/staff', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.fieldErrors()).toEqual({ username: 'Trường này là bắt buộc', 'unit.name': 'Quá dài' });
  });

  it('retries a write once with a fresh token when the CSRF token went stale', async () => {
    responses.push(
      json(200, { token: 'old' }),
      json(403, { type: 'x', title: 'Phiên làm việc không hợp lệ', status: 403, code: 'csrf_invalid' }, 'application/problem+json'),
      json(200, { token: 'new' }),
      json(200, { ok: true }),
    );
    expect(await api.patch('/api/v1/units/66', { name: 'x' })).toEqual({ ok: true });
    expect(headerOf(calls[3] as Call, 'x-csrf-token')).toBe('new');
  });

  it('calls the unauthorised handler on 401, except for calls that allow anonymity', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    const problem = { type: 'x', title: 'Chưa đăng nhập', status: 401, code: 'unauthorized' };
    responses.push(json(401, problem, 'application/problem+json'), json(401, problem, 'application/problem+json'));
    await expect(api.get('/api/v1/audit')).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(api.get('/api/v1/auth/me', undefined, { allowAnonymous: true })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('reports a network failure as an ApiError with code network_error', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await api.get('/api/v1/units').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network_error');
  });

  it('normalises field paths and query strings', () => {
    expect(fieldName('body/currentPassword')).toBe('currentPassword');
    expect(fieldName('/code')).toBe('code');
    expect(fieldName('query/cursor')).toBe('cursor');
    expect(withQuery('/a', { x: 'đ k', y: undefined, z: true })).toBe('/a?x=%C4%91+k&z=true');
  });
});

/** Enough of XMLHttpRequest for an upload: each send takes the next answer and reports half the bytes sent. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  static answers: { status: number; body: unknown }[] = [];
  url = '';
  body: unknown;
  headers: Record<string, string> = {};
  withCredentials = false;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return name === 'content-type' ? 'application/problem+json' : null;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.sent.push(this);
    const answer = FakeXhr.answers.shift();
    queueMicrotask(() => {
      if (!answer) return this.onerror?.();
      this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 });
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    });
  }
  abort() {
    this.onabort?.();
  }
}

describe('extra headers and uploads', () => {
  const meta = { id: 'f1', size: 1, mediaType: 'application/pdf', originalName: 'a.pdf' };
  const pdf = () => new File(['%PDF-1.4'], 'a.pdf', { type: 'application/pdf' });

  beforeEach(() => {
    FakeXhr.sent = [];
    FakeXhr.answers = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });

  it('sends extra headers (Idempotency-Key) with a JSON write, next to the CSRF token', async () => {
    responses.push(json(200, { token: 'tok' }), json(201, { id: 'd1' }));
    expect(await api.post('/api/v1/dossiers/counter', { a: 1 }, { headers: { 'idempotency-key': 'k-1' } })).toEqual({ id: 'd1' });
    const call = calls[1] as Call;
    expect(headerOf(call, 'idempotency-key')).toBe('k-1');
    expect(headerOf(call, 'x-csrf-token')).toBe('tok');
    expect(headerOf(call, 'content-type')).toBe('application/json');
    expect(call.init.body).toBe('{"a":1}');
  });

  it('uploads a file as multipart with the CSRF token, leaving the content type to the browser', async () => {
    responses.push(json(200, { token: 'tok' }), json(201, meta));
    expect(await uploadFile(pdf())).toEqual(meta);
    const call = calls[1] as Call;
    expect(call.url).toBe('/api/v1/files');
    expect(call.init.method).toBe('POST');
    expect(headerOf(call, 'x-csrf-token')).toBe('tok');
    expect(headerOf(call, 'content-type')).toBeUndefined();
    expect((call.init.body as FormData).get('file')).toBeInstanceOf(File);
    expect(FakeXhr.sent).toEqual([]);
  });

  it('reports upload progress through XMLHttpRequest, with the same stale-token retry and 401 handling', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    responses.push(json(200, { token: 'old' }), json(200, { token: 'new' }));
    FakeXhr.answers.push(
      { status: 403, body: { type: 'x', title: 'CSRF', status: 403, code: 'csrf_invalid' } },
      { status: 201, body: meta },
    );
    const progress: number[] = [];
    expect(await uploadFile(pdf(), { onProgress: (p) => progress.push(p) })).toEqual(meta);
    expect(FakeXhr.sent.map((x) => [x.url, x.headers['x-csrf-token'], x.withCredentials])).toEqual([
      ['/api/v1/files', 'old', true],
      ['/api/v1/files', 'new', true],
    ]);
    expect(progress).toEqual([0.5, 0.5]);
    expect(onUnauthorized).not.toHaveBeenCalled();

    FakeXhr.answers.push({ status: 401, body: { type: 'x', title: 'Chưa đăng nhập', status: 401, code: 'unauthorized' } });
    const err = (await uploadFile(pdf(), { onProgress: () => undefined }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);

    // No answer at all: a network failure, as for fetch.
    const lost = (await uploadFile(pdf(), { onProgress: () => undefined }).catch((e: unknown) => e)) as ApiError;
    expect(lost.code).toBe('network_error');
  });
});
