import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/template';
import { anonymous } from '../auth/actor';
import { type Database, sql } from '../db/database';
import { installErrorHandlers } from './errors';
import { idempotencyOf, registerIdempotency } from './idempotency';
import type { App } from './types';

let db: Database;
let app: App;
let calls = 0;

beforeAll(async () => {
  db = await freshDatabase();
  app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  installErrorHandlers(app);
  app.decorateRequest('ctx', null as never);
  app.addHook('onRequest', async (req) => {
    req.ctx = { actor: anonymous, ip: req.ip, requestId: String(req.id) };
  });
  await registerIdempotency(app, db);
  app.post('/orders', { config: { idempotent: true }, schema: { body: Type.Object({ item: Type.String() }) } }, async (req, reply) => {
    calls++;
    if (req.body.item === 'slow') await new Promise((r) => setTimeout(r, 200));
    if (req.body.item === 'boom') throw new Error('boom');
    return reply.code(201).send({ order: calls, item: req.body.item });
  });
  // A use case that keeps the key itself: the hook only checks it and hands it over with the request's hash.
  app.post('/keyed', { config: { idempotent: 'keyed' }, schema: { body: Type.Object({ item: Type.String() }) } }, async (req) => ({
    idempotency: idempotencyOf(req),
  }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const post = (item: string, key?: string) =>
  app.inject({ method: 'POST', url: '/orders', payload: { item }, headers: key ? { 'idempotency-key': key } : {} });

describe('Idempotency-Key', () => {
  it('replays the first answer for a retry with the same key and body', async () => {
    const before = calls;
    const a = await post('sach', 'key-aaaaaaaa');
    const b = await post('sach', 'key-aaaaaaaa');
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toEqual(a.json());
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(calls - before).toBe(1);
  });

  it('acts every time without a key', async () => {
    const before = calls;
    await post('but');
    await post('but');
    expect(calls - before).toBe(2);
  });

  it('refuses the same key with a different body (422)', async () => {
    await post('giay', 'key-bbbbbbbb');
    const res = await post('muc', 'key-bbbbbbbb');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('idempotency_key_reused');
  });

  it('answers 409 while the first request is still running', async () => {
    const [first, second] = await Promise.all([
      post('slow', 'key-cccccccc'),
      new Promise((r) => setTimeout(r, 50)).then(() => post('slow', 'key-cccccccc')),
    ]);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(409);
  });

  it('forgets a key whose request failed with 5xx, so a retry runs again', async () => {
    const before = calls;
    expect((await post('boom', 'key-dddddddd')).statusCode).toBe(500);
    expect((await post('boom', 'key-dddddddd')).statusCode).toBe(500);
    expect(calls - before).toBe(2);
  });

  it("keyed routes get the key and the request's hash, and no idempotency_keys row is written", async () => {
    const keyed = (item: string, key?: string) =>
      app.inject({ method: 'POST', url: '/keyed', payload: { item }, headers: key ? { 'idempotency-key': key } : {} });
    const a = (await keyed('sach', 'keyed-aaaaaaaa')).json().idempotency;
    const b = (await keyed('sach', 'keyed-aaaaaaaa')).json().idempotency;
    const c = (await keyed('muc', 'keyed-aaaaaaaa')).json().idempotency;
    expect(a).toMatchObject({ key: 'keyed-aaaaaaaa', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
    expect((await keyed('sach')).json().idempotency).toBeNull();
    expect((await keyed('sach', 'short')).statusCode).toBe(400);
    const rows = await db.rows<{ n: number }>(sql`select count(*)::int as n from idempotency_keys where key = 'keyed-aaaaaaaa'`);
    expect(rows[0]?.n).toBe(0);
  });

  it('validates the key format', async () => {
    const res = await post('x', 'short');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('header/idempotency-key');
  });
});
