import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { secureHeaders } from './secure-headers';

const options = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
  hsts: false,
};

describe('security headers', () => {
  it("are helmet's, from the configuration", () => {
    const h = secureHeaders(options);
    expect(h['content-security-policy']).toContain("default-src 'self'");
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['strict-transport-security']).toBeUndefined();
    expect(secureHeaders({ ...options, hsts: true })['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('refuses a directive helmet refuses', () => {
    expect(() => secureHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ['self'] } } })).toThrow(/should be quoted/);
  });

  it("reach every answer, and a route's own value wins", async () => {
    const app = Fastify();
    const security = secureHeaders(options);
    app.addHook('onRequest', async (_req, reply) => {
      reply.headers(security);
    });
    app.get('/page', async () => ({ ok: true }));
    app.get('/file', async (_req, reply) => reply.header('content-security-policy', "default-src 'none'; sandbox").send('x'));
    const page = await app.inject('/page');
    expect(page.headers['content-security-policy']).toBe(security['content-security-policy']);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const missing = await app.inject('/nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect((await app.inject('/file')).headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    await app.close();
  });
});
