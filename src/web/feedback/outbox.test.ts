import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import type { Report } from './api';
import { formDataOf, memoryStore, Outbox, type OutboxItem, retryable, type Transport } from './outbox';

const body = { categoryCode: 'moi_truong', description: 'Rác thải đổ trộm', location: { lon: 108.0378, lat: 12.6667 } };
const meta = { categoryName: 'Môi trường', accountId: null };
const offline = () => new ApiError({ type: 'about:blank', title: '', status: 0, code: 'network_error' });
const problem = (status: number, code = 'validation') =>
  new ApiError({
    type: 'about:blank',
    title: 'Dữ liệu không hợp lệ',
    status,
    code,
    errors: [{ field: '/description', message: 'bắt buộc' }],
  });

/** A fake server: remembers which keys it has created a report for (as the Idempotency-Key rules do). */
function fakeServer() {
  const created = new Map<string, Report>();
  const calls: string[] = [];
  let mode: 'offline' | 'online' | 'invalid' | 'busy' | 'down' = 'online';
  const transport: Transport = async (item) => {
    calls.push(item.key);
    if (mode === 'offline') throw offline();
    if (mode === 'invalid') throw problem(422);
    if (mode === 'busy') throw problem(409, 'idempotency_in_progress');
    if (mode === 'down') throw problem(503, 'unavailable');
    const prior = created.get(item.key);
    if (prior) return prior;
    const r = { id: `r${created.size + 1}`, code: `PA-${created.size + 1}` } as Report;
    created.set(item.key, r);
    return r;
  };
  return { transport, created, calls, set: (m: typeof mode) => (mode = m) };
}

function setup() {
  const server = fakeServer();
  const store = memoryStore();
  let n = 0;
  const outbox = new Outbox(
    store,
    server.transport,
    () => new Date(Date.UTC(2026, 11, 7, 8, 0, n)),
    () => `key-${++n}`,
  );
  return { server, store, outbox };
}

describe('offline queue of field reports', () => {
  it('stores the report with its key before sending, and removes it once the server has it', async () => {
    const { server, store, outbox } = setup();
    server.set('offline');
    const item = await outbox.add(body, [], meta);
    expect(item.key).toBe('key-1');
    expect(await store.get('key-1')).toMatchObject({ status: 'pending', attempts: 0, report: body });
    expect(server.calls).toEqual([]);
    server.set('online');
    const r = await outbox.send(item.key);
    expect(r).toMatchObject({ status: 'sent', report: { code: 'PA-1' } });
    expect(await store.all()).toEqual([]);
    expect(outbox.sent).toMatchObject([{ key: 'key-1', id: 'r1', code: 'PA-1' }]);
  });

  it('a network failure keeps it queued; every resend uses the same key; the server creates it once', async () => {
    const { server, store, outbox } = setup();
    server.set('offline');
    const item = await outbox.add(body, [], meta);
    expect(await outbox.send(item.key)).toMatchObject({ status: 'queued', error: { status: 0 } });
    expect(await outbox.flush()).toMatchObject([{ status: 'queued' }]);
    expect(await store.get(item.key)).toMatchObject({ status: 'pending', attempts: 2 });
    server.set('online');
    expect(await outbox.flush()).toMatchObject([{ status: 'sent' }]);
    expect(server.calls).toEqual(['key-1', 'key-1', 'key-1']);
    expect(server.created.size).toBe(1);
    expect(await outbox.list()).toEqual([]);
  });

  it('a lost answer (sent, reply never arrived) is resent with the same key and gets the same report', async () => {
    const { server, store, outbox } = setup();
    const item = await outbox.add(body, [], meta);
    const real = server.transport;
    // The server creates the report, but the connection drops before the answer reaches the phone.
    const lossy: Transport = async (i) => {
      await real(i);
      throw offline();
    };
    const o2 = new Outbox(store, lossy);
    expect(await o2.send(item.key)).toMatchObject({ status: 'queued' });
    expect(await outbox.send(item.key)).toMatchObject({ status: 'sent', report: { code: 'PA-1' } });
    expect(server.created.size).toBe(1);
  });

  it('a validation answer (4xx) is kept as rejected with the message, and is not resent by flush', async () => {
    const { server, outbox } = setup();
    server.set('invalid');
    const item = await outbox.add(body, [], meta);
    const r = await outbox.send(item.key);
    expect(r).toMatchObject({ status: 'rejected', error: { status: 422, errors: [{ field: '/description' }] } });
    expect((await outbox.list())[0]).toMatchObject({ status: 'rejected', error: { title: 'Dữ liệu không hợp lệ' } });
    server.set('online');
    expect(await outbox.flush()).toEqual([]);
    expect(await outbox.send(item.key)).toMatchObject({ status: 'rejected' });
    expect(server.calls).toEqual(['key-1']);
    await outbox.remove(item.key);
    expect(await outbox.list()).toEqual([]);
  });

  it('409 (first attempt still running), 5xx and 429 are retried later; other 4xx are not', () => {
    for (const s of [0, 409, 429, 500, 502, 503]) expect(retryable({ status: s, code: '', title: '' })).toBe(true);
    for (const s of [400, 401, 403, 404, 413, 415, 422]) expect(retryable({ status: s, code: '', title: '' })).toBe(false);
  });

  it('a server outage keeps the item; two sends at once make one request', async () => {
    const { server, outbox } = setup();
    server.set('down');
    const item = await outbox.add(body, [], meta);
    expect(await outbox.send(item.key)).toMatchObject({ status: 'queued', error: { status: 503 } });
    server.set('online');
    const [a, b] = await Promise.all([outbox.send(item.key), outbox.send(item.key)]);
    expect(a).toEqual(b);
    expect(server.calls).toEqual(['key-1', 'key-1']);
    expect(await outbox.send(item.key)).toEqual({ status: 'missing', key: 'key-1' });
  });

  it('flush sends oldest first and stops early while offline', async () => {
    const { server, outbox } = setup();
    server.set('offline');
    await outbox.add(body, [], meta);
    await outbox.add({ ...body, description: 'Đèn đường hỏng' }, [], meta);
    expect(await outbox.flush()).toHaveLength(1);
    server.set('online');
    const sent = await outbox.flush();
    expect(sent.map((r) => r.key)).toEqual(['key-1', 'key-2']);
    expect(server.created.size).toBe(2);
  });

  it('listeners hear about changes', async () => {
    const { outbox } = setup();
    let n = 0;
    const off = outbox.subscribe(() => n++);
    await outbox.add(body, [], meta);
    expect(n).toBe(1);
    off();
    await outbox.add(body, [], meta);
    expect(n).toBe(1);
  });

  it('the multipart body: `report` is the JSON text, one `photo` part per photo', async () => {
    const item: OutboxItem = {
      key: 'k',
      createdAt: '',
      report: { ...body, useExifLocation: true },
      photos: [
        { name: 'anh-1.jpg', type: 'image/jpeg', blob: new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' }) },
        { name: 'anh-2.jpg', type: 'image/jpeg', blob: new Blob([new Uint8Array([0xff, 0xd8, 0])], { type: 'image/jpeg' }) },
      ],
      categoryName: '',
      accountId: null,
      status: 'pending',
      attempts: 0,
      lastAttemptAt: null,
      error: null,
    };
    const fd = formDataOf(item);
    expect(JSON.parse(fd.get('report') as string)).toEqual(item.report);
    const photos = fd.getAll('photo') as File[];
    expect(photos.map((p) => [p.name, p.size])).toEqual([
      ['anh-1.jpg', 2],
      ['anh-2.jpg', 3],
    ]);
  });
});
