/**
 * The two requests the shared client (../api) cannot make: a JSON write with an `Idempotency-Key`
 * header (submission) and a multipart upload that reports its progress (XMLHttpRequest, since fetch
 * has no upload progress). Both send the CSRF token and fail with the same ApiError as the client.
 */
import { ApiError, api, type ProblemBody } from '../api';
import type { FileMeta } from './types';

let token: Promise<string> | null = null;

/** The CSRF token; tokens from the same session secret are interchangeable, so this does not disturb ../api. */
function csrf(fresh = false): Promise<string> {
  if (fresh || !token) {
    token = api.get<{ token: string }>('/api/v1/auth/csrf').then(
      (b) => b.token,
      (e: unknown) => {
        token = null;
        throw e;
      },
    );
  }
  return token;
}

/** problem+json (or anything else) → ApiError, as ../api does for its own calls. */
export function problemOf(status: number, statusText: string, contentType: string, text: string): ApiError {
  let body: Partial<ProblemBody> = {};
  if (contentType.includes('json')) {
    try {
      body = JSON.parse(text) as Partial<ProblemBody>;
    } catch {
      body = {};
    }
  }
  return new ApiError({
    type: body.type ?? 'about:blank',
    title: body.title ?? statusText,
    status: body.status ?? status,
    code: body.code ?? `http_${status}`,
    ...body,
  } as ProblemBody);
}

const networkError = () => new ApiError({ type: 'about:blank', title: '', status: 0, code: 'network_error' });

/** POST a JSON body with extra headers; a stale CSRF token is refreshed once. */
export async function postJson<T>(path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const tokenValue = await csrf(attempt > 0);
    let res: Response;
    try {
      res = await fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          accept: 'application/json, application/problem+json',
          'content-type': 'application/json',
          'x-csrf-token': tokenValue,
          ...headers,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw networkError();
    }
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
    const error = problemOf(res.status, res.statusText, res.headers.get('content-type') ?? '', text);
    if (error.code !== 'csrf_invalid' || attempt > 0) throw error;
  }
}

export interface UploadOptions {
  /** 0…1, as bytes leave the browser. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function sendFile(file: File, tokenValue: string, opts: UploadOptions): Promise<FileMeta> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/files');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('x-csrf-token', tokenValue);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as FileMeta);
        } catch {
          reject(problemOf(xhr.status, xhr.statusText, '', ''));
        }
      } else {
        reject(problemOf(xhr.status, xhr.statusText, xhr.getResponseHeader('content-type') ?? '', xhr.responseText));
      }
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

/** POST /api/v1/files (multipart field `file`) with progress. */
export async function uploadFile(file: File, opts: UploadOptions = {}): Promise<FileMeta> {
  try {
    return await sendFile(file, await csrf(), opts);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'csrf_invalid') return sendFile(file, await csrf(true), opts);
    throw e;
  }
}
