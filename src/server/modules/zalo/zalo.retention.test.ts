/** Retention of the Zalo channel (job zalo.purge): what goes, and what stays. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app';
import { purgeZalo } from '.';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('retention (zalo.purge)', () => {
  it('drops expired drafts with their photo, old events and old answered replies; keeps the rest', async () => {
    const old = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    await t.db.rows(sql`insert into zalo_conversations (user_id, step, draft, photo, updated_at) values
      ('zold', 'photo', '{"description":"cũ"}'::jsonb, '\\xffd8ff'::bytea, ${old(2)}),
      ('znew', 'photo', '{"description":"mới"}'::jsonb, '\\xffd8ff'::bytea, now())`);
    await t.db.rows(sql`insert into zalo_events (event_id, user_id, event_name, event_at, received_at) values
      ('ev-old', 'zold', 'user_send_text', ${old(40)}, ${old(40)}), ('ev-new', 'znew', 'user_send_text', now(), now())`);
    await t.db.rows(sql`insert into zalo_outbox (id, user_id, text, status, created_at, sent_at) values
      (gen_random_uuid(), 'zold', 'đã gửi lâu', 'sent', ${old(100)}, ${old(100)}),
      (gen_random_uuid(), 'zold', 'chưa gửi được', 'pending', ${old(100)}, null),
      (gen_random_uuid(), 'znew', 'đã gửi', 'sent', now(), now())`);
    const purged = await purgeZalo(t.db);
    expect(purged).toMatchObject({ drafts: 1, events: 1, replies: 1 });
    const convs = await t.db.rows<{ user_id: string; step: string; has_photo: boolean }>(
      sql`select user_id, step, photo is not null as has_photo from zalo_conversations where user_id in ('zold', 'znew') order by user_id`,
    );
    expect(convs).toEqual([
      { user_id: 'znew', step: 'photo', has_photo: true },
      { user_id: 'zold', step: 'idle', has_photo: false },
    ]);
    const events = await t.db.rows<{ event_id: string }>(sql`select event_id from zalo_events where event_id like 'ev-%'`);
    expect(events.map((e) => e.event_id)).toEqual(['ev-new']);
    const texts = await t.db.rows<{ text: string }>(sql`select text from zalo_outbox where user_id in ('zold', 'znew') order by text`);
    expect(texts.map((r) => r.text)).toEqual(['chưa gửi được', 'đã gửi']);
  });
});
