import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type TestApp } from '../../../../test/app';
import { systemContext } from '../auth/actor';
import { canonicalJson, chainAuditLog, recordAudit, verifyAuditChain } from './audit';

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
    // Written unchained (no lock, no hash yet)…
    const written = await t.db.rows<{ hash: string | null; chain_pos: string | null }>(
      sql`select hash, chain_pos from audit_log where action = 'test.write'`,
    );
    expect(written).toHaveLength(20);
    expect(written.every((r) => r.hash === null && r.chain_pos === null)).toBe(true);
    // …then linked, and the whole chain verifies.
    const res = await verifyAuditChain(t.db.orm);
    expect(res).toMatchObject({ ok: true, unchained: 0 });
    expect(res.checked).toBeGreaterThanOrEqual(20);
    const linked = await t.db.rows<{ seq: string; chain_pos: string; prev_hash: string; hash: string }>(
      sql`select seq, chain_pos, prev_hash, hash from audit_log order by chain_pos`,
    );
    expect(linked.every((r) => r.hash !== null)).toBe(true);
    // One chain: each row points at the one before it, positions without gaps.
    linked.forEach((r, i) => {
      expect(Number(r.chain_pos)).toBe(i + 1);
      if (i > 0) expect(r.prev_hash).toBe(linked[i - 1]?.hash);
    });
  });

  it('links new rows after the ones already chained, oldest first; nothing twice', async () => {
    const [before] = await t.db.rows<{ n: string }>(sql`select max(chain_pos)::text as n from audit_log`);
    for (const i of [1, 2, 3]) {
      await t.db.orm.transaction((tx) =>
        recordAudit(tx, systemContext(), { action: 'test.later', targetType: 'thing', targetId: String(i) }),
      );
    }
    expect(await chainAuditLog(t.db.orm)).toBeGreaterThanOrEqual(3);
    expect(await chainAuditLog(t.db.orm)).toBe(0);
    const rows = await t.db.rows<{ target_id: string; chain_pos: string }>(
      sql`select target_id, chain_pos::text from audit_log where action = 'test.later' order by chain_pos`,
    );
    expect(rows.map((r) => r.target_id)).toEqual(['1', '2', '3']);
    expect(Number(rows[0]?.chain_pos)).toBeGreaterThan(Number(before?.n ?? 0));
    expect(await verifyAuditChain(t.db.orm, 5000, false)).toMatchObject({ ok: true, unchained: 0 });
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
    // A linked row cannot be linked again, nor unlinked.
    await expect(t.db.rows(sql`update audit_log set hash = null, prev_hash = null, chain_pos = null where seq = 1`)).rejects.toThrow();
    await expect(t.db.rows(sql`update audit_log set hash = 'x' where seq = 1`)).rejects.toThrow();
    // An unchained row may only be linked, its content untouched.
    await t.db.orm.transaction((tx) => recordAudit(tx, systemContext(), { action: 'test.pending', targetType: 'thing' }));
    const [p] = await t.db.rows<{ seq: string }>(sql`select seq from audit_log where action = 'test.pending'`);
    await expect(
      t.db.rows(sql`update audit_log set chain_pos = 999999, prev_hash = 'a', hash = 'b', action = 'x' where seq = ${p!.seq}`),
    ).rejects.toThrow();
    await expect(t.db.rows(sql`delete from audit_log where seq = ${p!.seq}`)).rejects.toThrow();
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
