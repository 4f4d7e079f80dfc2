/**
 * Pure parts of the Zalo channel: the webhook MAC (Zalo's documented formula, computed here independently),
 * the event shapes, the image host check and the dialogue's decisions with fake effects.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ConversationDeps, converse, IDLE, normalize, type State } from './zalo.conversation';
import { buildEvent, parseEvent, signatureHeader, verifySignature } from './zalo.protocol';
import { mediaHostAllowed } from './zalo.service';

const APP = '4040123456789012345';
const SECRET = 'oa-secret-for-tests';

describe('X-ZEvent-Signature', () => {
  const body = Buffer.from('{"event_name":"user_send_text","timestamp":"1733580000000"}');
  const expected = createHash('sha256').update(`${APP}${body.toString()}1733580000000${SECRET}`).digest('hex');

  it('is mac=sha256(app id + raw body + timestamp + OA secret key)', () => {
    expect(signatureHeader(APP, body, '1733580000000', SECRET)).toBe(`mac=${expected}`);
    expect(verifySignature(`mac=${expected}`, APP, body, '1733580000000', SECRET)).toBe(true);
    // Without the prefix and in upper case, as some senders write it.
    expect(verifySignature(expected.toUpperCase(), APP, body, '1733580000000', SECRET)).toBe(true);
  });

  it('fails for another secret, app, timestamp, body, a truncated or missing header', () => {
    expect(verifySignature(`mac=${expected}`, APP, body, '1733580000000', 'other')).toBe(false);
    expect(verifySignature(`mac=${expected}`, '1', body, '1733580000000', SECRET)).toBe(false);
    expect(verifySignature(`mac=${expected}`, APP, body, '1733580000001', SECRET)).toBe(false);
    expect(verifySignature(`mac=${expected}`, APP, Buffer.from(`${body} `), '1733580000000', SECRET)).toBe(false);
    expect(verifySignature(`mac=${expected.slice(0, 40)}`, APP, body, '1733580000000', SECRET)).toBe(false);
    expect(verifySignature(undefined, APP, body, '1733580000000', SECRET)).toBe(false);
    // No secret configured: nothing verifies.
    expect(verifySignature(`mac=${expected}`, APP, body, '1733580000000', '')).toBe(false);
  });
});

describe('events', () => {
  it('reads text, image, location (coordinates as strings) and follow events', () => {
    const text = parseEvent(buildEvent(APP, 'oa', 'u1', 'm1', '1733580000000', { text: 'phản ánh' }));
    expect(text).toMatchObject({ eventId: 'm1', userId: 'u1', eventName: 'user_send_text', incoming: { kind: 'text', text: 'phản ánh' } });
    const image = parseEvent(buildEvent(APP, 'oa', 'u1', 'm2', '1733580000000', { imageUrl: 'https://photo.zadn.vn/a.jpg' }));
    expect(image?.incoming).toEqual({ kind: 'image', url: 'https://photo.zadn.vn/a.jpg' });
    const loc = parseEvent(buildEvent(APP, 'oa', 'u1', 'm3', '1733580000000', { location: { latitude: 12.6667, longitude: 108.0378 } }));
    expect(loc?.incoming).toEqual({ kind: 'location', lat: 12.6667, lon: 108.0378 });
    const follow = parseEvent(buildEvent(APP, 'oa', 'u9', 'x', '1733580000000', { follow: true }));
    expect(follow).toMatchObject({ eventId: 'follow:u9:1733580000000', userId: 'u9', incoming: { kind: 'follow' } });
    expect(follow?.at.toISOString()).toBe(new Date(1733580000000).toISOString());
  });

  it('ignores events without a user or a timestamp, and other kinds', () => {
    expect(parseEvent({ event_name: 'user_send_text', timestamp: '1733580000000', message: { text: 'x' } })).toBeNull();
    expect(parseEvent({ event_name: 'user_send_text', sender: { id: 'u1' } })).toBeNull();
    expect(parseEvent({ event_name: 'user_send_text', timestamp: '1733580000000', sender: { id: '../x' } })).toBeNull();
    expect(
      parseEvent({ event_name: 'user_send_sticker', timestamp: '1733580000000', sender: { id: 'u1' }, message: { msg_id: 'm' } })?.incoming,
    ).toEqual({
      kind: 'other',
    });
  });
});

describe('image hosts', () => {
  const hosts = ['zadn.vn', 'zdn.vn'];
  it('allows the hosts and their subdomains only', () => {
    expect(mediaHostAllowed(new URL('https://zadn.vn/a.jpg'), hosts)).toBe(true);
    expect(mediaHostAllowed(new URL('https://s120-ava-talk.zadn.vn/a.jpg'), hosts)).toBe(true);
    expect(mediaHostAllowed(new URL('https://evilzadn.vn/a.jpg'), hosts)).toBe(false);
    expect(mediaHostAllowed(new URL('https://zadn.vn.evil.com/a.jpg'), hosts)).toBe(false);
  });
});

describe('the dialogue', () => {
  const created: object[] = [];
  const deps: ConversationDeps = {
    categories: async () => [
      { code: 'moi_truong', name: 'Môi trường, vệ sinh' },
      { code: 'chieu_sang', name: 'Điện chiếu sáng' },
    ],
    fetchPhoto: async (url) => (url.includes('ok') ? { bytes: Buffer.from('jpeg') } : { refused: 'Không nhận ảnh này.' }),
    submit: async (draft, photo) => {
      created.push({ draft, photo });
      if (!draft.location && draft.address === 'ngoài tỉnh') return { refused: 'Vị trí nằm ngoài địa bàn', step: 'location' };
      return { report: { id: 'r1', code: 'PA-20261207-ABCDEF', agencyName: 'UBND phường X' } };
    },
    dossierStatus: async (code) => (code === 'H66.201-261207-0001' ? `Hồ sơ ${code}: đang xử lý` : null),
    reportStatus: async () => null,
    trackingUrl: (id) => `https://x/phan-anh/${id}`,
    provinceName: 'Đắk Lắk',
  };
  const text = (t: string) => ({ kind: 'text' as const, text: t });

  it('normalizes commands without diacritics or punctuation', () => {
    expect(normalize(' Hủy! ')).toBe('huy');
    expect(normalize('Đồng ý.')).toBe('dong y');
    expect(normalize('BỎ QUA')).toBe('bo qua');
  });

  it('goes from the menu to a created report and back to idle', async () => {
    let s: State = IDLE;
    const step = async (input: Parameters<typeof converse>[1]) => {
      const out = await converse(s, input, deps);
      s = out.state;
      return out.replies.join('\n');
    };
    expect(await step(text('1'))).toContain('2. Điện chiếu sáng');
    expect(s.step).toBe('category');
    expect(await step(text('2'))).toContain('Điện chiếu sáng');
    expect(await step({ kind: 'image', url: 'https://ok' })).toContain('mô tả');
    expect(s.step).toBe('description');
    await step(text('Đèn hỏng'));
    expect(await step({ kind: 'image', url: 'https://bad' })).toContain('Không nhận ảnh này.');
    expect(s.step).toBe('photo');
    await step({ kind: 'image', url: 'https://ok' });
    expect(s.photo?.toString()).toBe('jpeg');
    expect(await step(text('ngoài tỉnh'))).toContain('đồng ý');
    expect(await step(text('ừ'))).toContain('Xin gửi "đồng ý"');
    expect(await step(text('đồng ý'))).toContain('Vị trí nằm ngoài địa bàn');
    expect(s.step).toBe('location');
    await step({ kind: 'location', lat: 12.6, lon: 108 });
    const done = await step(text('OK'));
    expect(done).toContain('PA-20261207-ABCDEF');
    expect(done).toContain('https://x/phan-anh/r1');
    expect(s).toEqual(IDLE);
    expect(created.at(-1)).toMatchObject({
      draft: { categoryCode: 'chieu_sang', description: 'Đèn hỏng', location: { lat: 12.6, lon: 108 } },
    });
  });

  it('answers codes and help only when idle', async () => {
    expect((await converse(IDLE, text('H66.201-261207-0001'), deps)).replies[0]).toContain('đang xử lý');
    expect((await converse(IDLE, text('H66.201-261207-0002'), deps)).replies[0]).toContain('Không tìm thấy hồ sơ');
    expect((await converse(IDLE, text('PA-20261207-ZZZZZZ'), deps)).replies[0]).toContain('Không tìm thấy phản ánh');
    expect((await converse(IDLE, text('hello'), deps)).replies[0]).toContain('Gửi "phản ánh"');
    const describing: State = { step: 'description', draft: { categoryCode: 'moi_truong' }, photo: null };
    expect((await converse(describing, text('H66.201-261207-0001'), deps)).state.draft.description).toBe('H66.201-261207-0001');
  });
});
