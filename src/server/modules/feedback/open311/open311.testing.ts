/**
 * Test helpers: a small Open311 GeoReport v2 client written from the spec (wiki.open311.org/GeoReport_v2 and the
 * FixMyStreet extensions), talking to the app in process. It knows only the discovery URL: the endpoint comes
 * from discovery.json.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Session } from '../../../../../test/app';
import type { App } from '../../../platform/http/types';

export interface Open311Error {
  code: number;
  description: string;
}

export interface Answer<T> {
  status: number;
  body: T;
  raw: LightMyRequestResponse;
}

type Params = Record<string, string | number | boolean | undefined>;

const qs = (p: Params = {}) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
};

/** multipart/form-data with text fields and JPEG files. */
export function multipartBody(fields: Record<string, string>, files: { field: string; name: string; bytes: Buffer }[]) {
  const boundary = '----open311test';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${f.field}"; filename="${f.name}"\r\ncontent-type: image/jpeg\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export class Open311Client {
  /** Path of the GeoReport v2 endpoint, from discovery. */
  endpoint = '';

  constructor(
    private readonly app: App,
    private readonly discoveryUrl: string,
    readonly apiKey?: string,
    readonly jurisdictionId?: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', url: string, init: { payload?: string | Buffer; headers?: Record<string, string> } = {}) {
    const raw = await this.app.inject({ method, url, payload: init.payload, headers: init.headers });
    const body = (raw.headers['content-type'] ?? '').toString().includes('json') ? raw.json() : raw.body;
    return { status: raw.statusCode, body: body as T, raw } satisfies Answer<T>;
  }

  private path(p: string, params: Params = {}) {
    return `${this.endpoint}/${p}${qs({ jurisdiction_id: this.jurisdictionId, ...params })}`;
  }

  /** Reads discovery.json and takes the GeoReport v2 endpoint that speaks JSON. */
  async discover() {
    const res = await this.call<{ endpoints: { specification: string; url: string; formats: string[]; type: string }[] }>(
      'GET',
      this.discoveryUrl,
    );
    const ep = res.body.endpoints.find((e) => /GeoReport_v2/i.test(e.specification) && e.formats.includes('application/json'));
    if (!ep) throw new Error('no GeoReport v2 JSON endpoint in discovery');
    this.endpoint = new URL(ep.url).pathname.replace(/\/$/, '');
    return res;
  }

  services() {
    return this.call<{ service_code: string; service_name: string; metadata: boolean; type: string; keywords: string; group: string }[]>(
      'GET',
      this.path('services.json'),
    );
  }

  definition(code: string) {
    return this.call<{ service_code: string; attributes: { code: string; datatype: string; values: { key: string }[] }[] }>(
      'GET',
      this.path(`services/${encodeURIComponent(code)}.json`),
    );
  }

  /** POST requests.json as form-urlencoded (the spec's form), with api_key. */
  post(fields: Record<string, string>, headers: Record<string, string> = {}) {
    const form = new URLSearchParams({
      ...(this.apiKey ? { api_key: this.apiKey } : {}),
      ...(this.jurisdictionId ? { jurisdiction_id: this.jurisdictionId } : {}),
      ...fields,
    });
    return this.call<{ service_request_id: string; token: string; service_notice: string }[] | Open311Error[]>(
      'POST',
      `${this.endpoint}/requests.json`,
      { payload: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } },
    );
  }

  request(id: string) {
    return this.call<Record<string, unknown>[]>('GET', this.path(`requests/${encodeURIComponent(id)}.json`));
  }

  token(tok: string) {
    return this.call<{ service_request_id: string; token: string }[]>('GET', this.path(`tokens/${encodeURIComponent(tok)}.json`));
  }

  requests(params: Params = {}) {
    return this.call<Record<string, unknown>[]>('GET', this.path('requests.json', params));
  }

  updates(params: Params = {}) {
    return this.call<{ update_id: string; service_request_id: string; status: string; description: string; media_url: string | null }[]>(
      'GET',
      this.path('servicerequestupdates.json', params),
    );
  }
}

/** The staff id (uuid) of a report from its public code, through the unit's queue. */
export async function idOfCode(staff: Session, code: string): Promise<string> {
  const res = await staff.request('GET', '/api/v1/field-reports?limit=200');
  const hit = (res.json().items as { id: string; code: string }[]).find((r) => r.code === code);
  if (!hit) throw new Error(`${code} not in the queue: ${res.statusCode}`);
  return hit.id;
}
