import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type TestApp } from '../../../../test/app';
import { systemContext } from '../auth/actor';
import { canonicalJson, recordAudit, verifyAuditChain } from './audit';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('audit chain', () => {
  it('chains entries written concurrently and verifies', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.orm.transaction((tx) =>
          recordAudit(tx, systemContext(), { action: 'test.write', targetType: 'thing', targetId: String(i), details: { b: 1, a: [i] } }),
        ),
      ),
    );
    const res = await verifyAuditChain(t.db.orm);
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThanOrEqual(20);
  });

  it('records login with actor, IP and request id', async () => {
    const s = await anonymousSession(t.app);
    await s.request('POST', '/api/v1/auth/login', { username: 'congdan', password: 'demo' }, { 'x-request-id': 'req-audit-test-1' });
    const [row] = await t.db.rows<{ actor_label: string; source_ip: string; request_id: string; action: string }>(
      sql`select * from audit_log where request_id = 'req-audit-test-1'`,
    );
    expect(row).toMatchObject({ actor_label: 'congdan', action: 'auth.login', source_ip: '127.0.0.1' });
  });

  it('refuses updates and deletes through SQL (append-only)', async () => {
    await expect(t.db.rows(sql`update audit_log set action = 'x' where seq = 1`)).rejects.toThrow();
    await expect(t.db.rows(sql`delete from audit_log where seq = 1`)).rejects.toThrow();
  });

  it('detects a tampered row and names the first broken link', async () => {
    await t.db.exec('alter table audit_log disable trigger audit_log_no_update');
    const [victim] = await t.db.rows<{ seq: string }>(sql`select seq from audit_log order by seq limit 1 offset 3`);
    await t.db.rows(sql`update audit_log set details = '{"b":2}'::jsonb where seq = ${victim!.seq}`);
    await t.db.exec('alter table audit_log enable trigger audit_log_no_update');
    const res = await verifyAuditChain(t.db.orm, 2);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.brokenAt).toBe(String(victim!.seq));
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(canonicalJson({ a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 }));
  });
});

describe('GET /api/v1/audit scopes', () => {
  it('admin reads the log newest first with cursor pagination and filters', async () => {
    const admin = await login(t.app, 'admin');
    await login(t.app, 'congdan2');
    const first = await admin.request('GET', '/api/v1/audit?limit=2&action=auth.');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.items.every((i: { action: string }) => i.action.startsWith('auth.'))).toBe(true);
    expect(Number(page1.items[0].seq)).toBeGreaterThan(Number(page1.items[1].seq));
    const page2 = (await admin.request('GET', `/api/v1/audit?limit=2&action=auth.&cursor=${page1.nextCursor}`)).json();
    expect(Number(page2.items[0].seq)).toBeLessThan(Number(page1.items[1].seq));
  });

  it('staff without audit.read → 403', async () => {
    const motcua = await login(t.app, 'motcua');
    expect((await motcua.request('GET', '/api/v1/audit')).statusCode).toBe(403);
  });

  it('anonymous → 401, citizen → 403', async () => {
    expect((await t.app.inject('/api/v1/audit')).statusCode).toBe(401);
    const c = await login(t.app, 'congdan');
    expect((await c.request('GET', '/api/v1/audit')).statusCode).toBe(403);
  });
});
