/**
 * Platform-wide HTTP conventions: health, problem+json for every 4xx, OpenAPI 3.1, security headers.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, type TestApp } from './app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });
});

describe('problem+json', () => {
  it('answers unknown API routes with 404 in Vietnamese', async () => {
    const res = await t.app.inject('/api/v1/khong-co');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', title: 'Không tìm thấy', instance: '/api/v1/khong-co' });
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const s = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      cookies: s.cookies,
      headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf },
      payload: '{"username": "congdan", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'malformed_json', title: 'Dữ liệu JSON không hợp lệ' });
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('every documented operation answers anonymous bad input with problem+json, never 500', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = p.replace(/\{[^}]+\}/g, 'khong-hop-le');
        const res = await t.app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          ...(method === 'get' || method === 'delete' ? {} : { payload: { khong: 'hop-le' } }),
        });
        expect(res.statusCode, `${method} ${p}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], `${method} ${p}`).toContain('application/problem+json');
          const body = res.json();
          expect(body.title, `${method} ${p}`).toBeTruthy();
          expect(body.code, `${method} ${p}`).toBeTruthy();
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3.1 document and a docs page', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const staffCreate = doc.paths['/api/v1/staff'].post;
    expect(staffCreate.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]));
    const page = await t.app.inject('/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});

describe('security headers', () => {
  it('sets CSP, nosniff, frame and referrer policies, and a request id', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});
