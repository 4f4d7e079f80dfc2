import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type TestApp } from '../../../../test/app';
import { anonymous, type RequestContext, systemContext } from '../auth/actor';
import type { Permission } from '../auth/permissions';
import { Problem } from '../http/problem';
import { escapeHtml, maskRecipient, normaliseRecipient, placeholders, renderTemplate } from '.';

// ---------------------------------------------------------------------------------------------------
// An in-process SMTP server and a minimal MIME reader (RFC 2047 headers, base64 / quoted-printable parts).

interface Received {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

const received: Received[] = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, done) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const mail = parseMail(Buffer.concat(chunks).toString('latin1'));
      received.push({ ...mail, to: session.envelope.rcptTo.map((r) => r.address) });
      done();
    });
  },
});

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(at + 4) };
}

/** Decodes RFC 2047 encoded words; adjacent words are joined byte-wise before UTF-8 decoding. */
function decodeHeader(value: string): string {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  // split() with a capture group alternates plain text (even indexes) and encoded words (odd indexes).
  const pieces = value.split(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)/);
  pieces.forEach((piece, i) => {
    const m = /^=\?[^?]+\?([BbQq])\?([^?]*)\?=$/.exec(piece);
    if (m) {
      const data = m[2] ?? '';
      if (m[1]?.toUpperCase() === 'B') bytes.push(...Buffer.from(data, 'base64'));
      else
        bytes.push(
          ...Buffer.from(
            data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ),
        );
      return;
    }
    // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
    if (i > 0 && i < pieces.length - 1 && /^\s*$/.test(piece)) return;
    flush();
    out += piece;
  });
  flush();
  return out;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bin = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bin, 'latin1').toString('utf8');
  }
  return Buffer.from(body, 'latin1').toString('utf8');
}

function parts(raw: string): { type: string; content: string }[] {
  const { headers, body } = splitHead(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .flatMap((p) => parts(p.replace(/^\r\n/, '')));
  }
  return [{ type: type.split(';')[0]?.trim().toLowerCase() ?? '', content: decodeBody(body, headers.get('content-transfer-encoding')) }];
}

function parseMail(raw: string): Omit<Received, 'to'> {
  const { headers } = splitHead(raw);
  const all = parts(raw);
  return {
    subject: decodeHeader(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: all.find((p) => p.type === 'text/plain')?.content ?? '',
    html: all.find((p) => p.type === 'text/html')?.content ?? '',
  };
}

// ---------------------------------------------------------------------------------------------------

function ctxWith(permissions: Permission[], scope = ''): RequestContext {
  return {
    actor: { kind: 'staff', accountId: randomUUID(), label: 'test', grants: [{ role: 'test', permissions: new Set(permissions), scope }] },
    ip: '127.0.0.1',
    requestId: 'test',
  };
}
const reader = ctxWith(['notify.outbox.read']);
const templatesAdmin = ctxWith(['notify.templates.manage']);
const nobody = ctxWith(['files.upload']);
const anonymousCtx: RequestContext = { actor: anonymous, ip: null, requestId: null };

async function problemOf(p: Promise<unknown>): Promise<Problem> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const receivedVars = {
  fullName: 'Nguyễn Thị Hồng',
  dossierCode: 'H66.01-260715-0001',
  procedureName: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
  receivedAt: '09:30 ngày 15/07/2026',
  dueDate: '29/07/2026',
};

let t: TestApp;
let smtpUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  t = await createTestApp({ SMTP_URL: smtpUrl, JOBS_POLL_SECONDS: '1', PUBLIC_URL: 'https://dichvucong.daklak.gov.vn' });
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('rendering', () => {
  it('substitutes variables, escapes them in HTML and refuses a missing one', () => {
    const tpl = { channel: 'email' as const, subject: 'Hồ sơ {{ code }}\r\nBcc: x@y.z', body: 'Kính gửi {{name}},\n\nMã: {{code}}' };
    const r = renderTemplate(tpl, { name: '<b>Lê & "Trần"</b>', code: 'H66.01' });
    expect(r.subject).toBe('Hồ sơ H66.01 Bcc: x@y.z'); // one header line, whatever the values hold
    expect(r.text).toBe('Kính gửi <b>Lê & "Trần"</b>,\n\nMã: H66.01');
    expect(r.html).toContain('<p>Kính gửi &lt;b&gt;Lê &amp; &quot;Trần&quot;&lt;/b&gt;,</p>');
    expect(r.html).not.toContain('<b>Lê');
    expect(r.html).toContain('<html lang="vi">');
    expect(renderTemplate({ channel: 'sms', subject: null, body: 'Mã {{code}}' }, { code: '<x>' })).toEqual({
      subject: null,
      text: 'Mã <x>',
      html: null,
    });
    expect(() => renderTemplate(tpl, { name: 'A' })).toThrow(Problem);
    expect(placeholders('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('normalises and masks recipients', () => {
    expect(normaliseRecipient('sms', '+84 905.123.456')).toBe('0905123456');
    expect(normaliseRecipient('sms', '0905-123-456')).toBe('0905123456');
    expect(() => normaliseRecipient('sms', '12345')).toThrow(Problem);
    expect(() => normaliseRecipient('email', 'khong-phai-email')).toThrow(Problem);
    expect(maskRecipient('sms', '0905123478')).toBe('09******78');
    expect(maskRecipient('email', 'nguyenvana@example.vn')).toBe('ng********@example.vn');
    expect(maskRecipient('email', 'ab@example.vn')).toBe('a***@example.vn');
    expect(maskRecipient('zalo', '4811234567890123')).toBe('48************23');
  });
});

describe('notifications', () => {
  it('has the default Vietnamese templates', async () => {
    const rows = await t.db.rows<{ code: string; channel: string }>(sql`select code, channel from notification_templates`);
    const codes = new Set(rows.map((r) => `${r.code}:${r.channel}`));
    for (const code of ['account.welcome', 'account.password_changed', 'account.locked', 'dossier.received', 'dossier.result_ready']) {
      for (const ch of ['email', 'sms', 'zalo']) expect(codes.has(`${code}:${ch}`)).toBe(true);
    }
  });

  it('delivers an e-mail over SMTP with the Vietnamese subject and body intact', async () => {
    const before = received.length;
    const { id, status } = await t.platform.notify.send(systemContext(), {
      template: 'dossier.received',
      channel: 'email',
      to: 'nguyenthihong@example.vn',
      vars: receivedVars,
      target: { type: 'dossier', id: 'H66.01-260715-0001' },
    });
    expect(status).toBe('queued');
    // Queued together with its delivery job.
    const [row] = await t.db.rows<{ status: string; job_id: string }>(sql`select status, job_id from notifications where id = ${id}`);
    expect(row?.status).toBe('queued');
    expect((await t.platform.jobs.getJob('notify.deliver', row?.job_id ?? ''))?.data).toEqual({ notificationId: id });

    const result = await t.platform.notify.deliverNow(id);
    expect(result).toMatchObject({ id, status: 'sent', attempts: 1, lastError: null });
    expect(received.length).toBe(before + 1);
    const mail = received[received.length - 1] as Received;
    expect(mail.to).toEqual(['nguyenthihong@example.vn']);
    expect(mail.subject).toBe('Đã tiếp nhận hồ sơ H66.01-260715-0001');
    expect(mail.text).toContain('Kính gửi Ông/Bà Nguyễn Thị Hồng,');
    expect(mail.text).toContain('- Thủ tục: Cấp giấy phép xây dựng nhà ở riêng lẻ');
    expect(mail.text).toContain('- Ngày hẹn trả kết quả: 29/07/2026');
    expect(mail.text).toContain('tại https://dichvucong.daklak.gov.vn bằng mã hồ sơ trên');
    expect(mail.html).toContain('Kính gửi Ông/Bà Nguyễn Thị Hồng,');
    expect(mail.messageId).toBe(`<${id}@dichvucong.daklak.gov.vn>`);
    expect(result.providerId).toBe(mail.messageId);

    // Idempotent: a sent message is not sent again.
    const again = await t.platform.notify.deliverNow(id);
    expect(again).toMatchObject({ status: 'sent', attempts: 1 });
    expect(received.length).toBe(before + 1);
  });

  it('escapes variable values in the HTML part of an e-mail', async () => {
    const before = received.length;
    const { id } = await t.platform.notify.send(systemContext(), {
      template: 'dossier.refused',
      channel: 'email',
      to: 'hong@example.vn',
      vars: { ...receivedVars, reason: 'Thiếu <script>alert("x")</script> & bản sao' },
    });
    await t.platform.notify.deliverNow(id);
    const mail = received[before] as Received;
    expect(mail.text).toContain('Thiếu <script>alert("x")</script> & bản sao');
    expect(mail.html).toContain('Thiếu &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; bản sao');
    expect(mail.html).not.toContain('<script>');
    const detail = await t.platform.notify.getOutbox(reader, id);
    expect(detail.bodyHtml).toContain('&lt;script&gt;');
  });

  it('stores SMS and Zalo messages in the outbox through the local channels', async () => {
    const ctx = systemContext();
    const sms = await t.platform.notify.send(ctx, {
      template: 'account.password_changed',
      channel: 'sms',
      to: '+84 905 123 478',
      vars: { fullName: 'Y Blốk Niê', changedAt: '14:05 ngày 20/07/2026' },
    });
    const zalo = await t.platform.notify.send(ctx, {
      template: 'dossier.result_ready',
      channel: 'zalo',
      to: '4811234567890123',
      vars: { fullName: 'Y Blốk Niê', dossierCode: 'H66.01-260715-0002', procedureName: 'Đăng ký khai sinh' },
    });
    for (const { id } of [sms, zalo]) {
      const r = await t.platform.notify.deliverNow(id);
      expect(r.status).toBe('sent');
      expect(r.providerId).toMatch(/^local:/);
    }
    const smsDetail = await t.platform.notify.getOutbox(reader, sms.id);
    expect(smsDetail).toMatchObject({ channel: 'sms', recipient: '0905123478', status: 'sent', subject: null, bodyHtml: null });
    expect(smsDetail.body).toBe(
      'Mật khẩu tài khoản Cổng dịch vụ công của Ông/Bà đã được đổi lúc 14:05 ngày 20/07/2026. Nếu không phải Ông/Bà thực hiện, xin liên hệ ngay Trung tâm Phục vụ hành chính công.',
    );
    const zaloDetail = await t.platform.notify.getOutbox(reader, zalo.id);
    expect(zaloDetail.body).toContain('Hồ sơ H66.01-260715-0002 (Đăng ký khai sinh) của Ông/Bà Y Blốk Niê đã có kết quả giải quyết.');

    const list = await t.platform.notify.listOutbox(reader, { channel: 'sms' });
    const item = list.items.find((i) => i.id === sms.id);
    expect(item?.recipient).toBe('09******78');
    expect(list.items.every((i) => i.channel === 'sms')).toBe(true);
  });

  it('refuses unknown templates, bad recipients and missing variables, leaving nothing behind', async () => {
    const count = async () => Number((await t.db.rows<{ n: number }>(sql`select count(*)::int as n from notifications`))[0]?.n);
    const before = await count();
    const ctx = systemContext();
    expect((await problemOf(t.platform.notify.send(ctx, { template: 'khong.co', channel: 'sms', to: '0905123456' }))).code).toBe(
      'template_not_found',
    );
    expect((await problemOf(t.platform.notify.send(ctx, { template: 'account.locked', channel: 'sms', to: 'abc' }))).status).toBe(400);
    expect(
      (
        await problemOf(
          t.platform.notify.send(ctx, { template: 'account.locked', channel: 'sms', to: '0905123456', vars: { fullName: 'A' } }),
        )
      ).code,
    ).toBe('template_variable_missing');
    expect(await count()).toBe(before);
  });

  it('sends inside the caller transaction: a rollback drops the message and its job', async () => {
    let id = '';
    await expect(
      t.db.orm.transaction(async (tx) => {
        ({ id } = await t.platform.notify.send(
          systemContext(),
          { template: 'account.locked', channel: 'sms', to: '0905123456', vars: { fullName: 'A', lockedUntil: '10:00' } },
          tx,
        ));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await t.db.rows(sql`select 1 from notifications where id = ${id}`)).toHaveLength(0);
    const pending = await t.db.rows(sql`select 1 from pgboss.job where name = 'notify.deliver' and data->>'notificationId' = ${id}`);
    expect(pending).toHaveLength(0);
  });

  it('is delivered by the notify.deliver job when workers run', async () => {
    const before = received.length;
    await t.platform.jobs.start();
    try {
      const { id } = await t.platform.notify.send(systemContext(), {
        template: 'account.welcome',
        channel: 'email',
        to: 'moi@example.vn',
        vars: { fullName: 'Hoàng Văn Đức', username: 'hvduc' },
      });
      const row = await waitFor('job delivered the e-mail', async () => {
        const [r] = await t.db.rows<{ status: string; attempts: number }>(sql`select status, attempts from notifications where id = ${id}`);
        return r?.status === 'sent' ? r : null;
      });
      expect(row.attempts).toBe(1);
      expect(received.length).toBe(before + 1);
      expect(received[before]?.subject).toBe('Tài khoản của Ông/Bà trên Cổng dịch vụ công đã được tạo');
      expect(received[before]?.text).toContain('Tên đăng nhập: hvduc');
    } finally {
      await t.platform.jobs.stop();
    }
  });

  it('pages through the outbox newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await t.platform.notify.send(systemContext(), {
        template: 'account.locked',
        channel: 'zalo',
        to: `zalo_user_${i}`,
        vars: { fullName: `Người dùng ${i}`, lockedUntil: '10:00' },
        target: { type: 'paging-test', id: 'x' },
      });
      ids.push(id);
    }
    const first = await t.platform.notify.listOutbox(reader, { targetType: 'paging-test', limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await t.platform.notify.listOutbox(reader, {
      targetType: 'paging-test',
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0]).toMatchObject({ status: 'queued', target: { type: 'paging-test', id: 'x' } });
    const bad = Buffer.from(JSON.stringify(['not-a-time', 'x'])).toString('base64url');
    expect((await problemOf(t.platform.notify.listOutbox(reader, { cursor: bad }))).status).toBe(400);
  });

  it('records a dead SMTP server as a failure, with the error and the attempts counted', async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const { id } = await t.platform.notify.send(systemContext(), {
      template: 'account.password_changed',
      channel: 'email',
      to: 'hong@example.vn',
      vars: { fullName: 'Nguyễn Thị Hồng', changedAt: '08:00 ngày 21/07/2026' },
    });
    const first = await t.platform.notify.deliverNow(id);
    expect(first.status).toBe('failed');
    expect(first.attempts).toBe(1);
    expect(first.lastError).toMatch(/ECONNREFUSED/);
    const second = await t.platform.notify.deliverNow(id);
    expect(second).toMatchObject({ status: 'failed', attempts: 2 });
    const detail = await t.platform.notify.getOutbox(reader, id);
    expect(detail).toMatchObject({ status: 'failed', attempts: 2, sentAt: null });
    expect(detail.lastError).toMatch(/ECONNREFUSED/);
  });
});

describe('outbox access', () => {
  it('lets only holders of notify.outbox.read list and read, within their scope', async () => {
    const { id: provinceWide } = await t.platform.notify.send(systemContext(), {
      template: 'account.locked',
      channel: 'sms',
      to: '0912345678',
      vars: { fullName: 'A', lockedUntil: '10:00' },
    });
    const { id: inCommune } = await t.platform.notify.send(systemContext(), {
      template: 'account.locked',
      channel: 'sms',
      to: '0912345679',
      vars: { fullName: 'B', lockedUntil: '10:00' },
      scope: '66/xa-hoa-thang',
    });

    expect((await problemOf(t.platform.notify.listOutbox(anonymousCtx, {}))).status).toBe(401);
    expect((await problemOf(t.platform.notify.listOutbox(nobody, {}))).status).toBe(403);
    expect((await problemOf(t.platform.notify.getOutbox(nobody, inCommune))).status).toBe(403);

    const all = await t.platform.notify.listOutbox(reader, { limit: 200 });
    expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining([provinceWide, inCommune]));
    expect(all.items.every((i) => i.recipient.includes('*'))).toBe(true);

    // A reader scoped to one commune sees that commune's messages only, and no sign of the others.
    const communeReader = ctxWith(['notify.outbox.read'], '66/xa-hoa-thang');
    const scoped = await t.platform.notify.listOutbox(communeReader, { limit: 200 });
    expect(scoped.items.map((i) => i.id)).toEqual([inCommune]);
    expect((await t.platform.notify.getOutbox(communeReader, inCommune)).recipient).toBe('0912345679');
    expect((await problemOf(t.platform.notify.getOutbox(communeReader, provinceWide))).status).toBe(404);
    expect((await problemOf(t.platform.notify.getOutbox(reader, randomUUID()))).status).toBe(404);
  });

  it('answers the outbox routes: anonymous 401, a citizen 403', async () => {
    const anon = await anonymousSession(t.app);
    for (const url of ['/api/v1/notifications/outbox', `/api/v1/notifications/outbox/${randomUUID()}`, '/api/v1/notifications/templates']) {
      const res = await anon.request('GET', url);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const citizen = await login(t.app, 'congdan');
    expect((await citizen.request('GET', '/api/v1/notifications/outbox')).statusCode).toBe(403);
    expect((await citizen.request('GET', '/api/v1/notifications/templates')).statusCode).toBe(403);
    const put = await citizen.request('PUT', '/api/v1/notifications/templates/account.locked', { channel: 'sms', body: 'x' });
    expect(put.statusCode).toBe(403);
    expect((await citizen.request('GET', '/api/v1/notifications/outbox?channel=fax')).statusCode).toBe(400);
  });
});

describe('templates', () => {
  it('lists and updates templates for holders of notify.templates.manage, with an audit entry', async () => {
    expect((await problemOf(t.platform.notify.listTemplates(reader))).status).toBe(403);
    expect((await problemOf(t.platform.notify.updateTemplate(reader, 'account.locked', { channel: 'sms', body: 'x' }))).status).toBe(403);

    const list = await t.platform.notify.listTemplates(templatesAdmin);
    const locked = list.find((x) => x.code === 'account.locked' && x.channel === 'sms');
    expect(locked?.variables).toEqual(['fullName', 'lockedUntil']);

    const body = 'Tài khoản của {{fullName}} tạm khóa đến {{lockedUntil}}. Liên hệ 1900 1234 nếu cần hỗ trợ.';
    const saved = await t.platform.notify.updateTemplate(templatesAdmin, 'account.locked', { channel: 'sms', body });
    expect(saved).toMatchObject({ code: 'account.locked', channel: 'sms', body, subject: null });
    const audit = await t.db.rows<{ target_id: string; details: Record<string, unknown> }>(
      sql`select target_id, details from audit_log where action = 'notify.template.update'`,
    );
    expect(audit).toEqual([{ target_id: 'account.locked:sms', details: { created: false, subjectChanged: false, bodyChanged: true } }]);

    // New messages use the new text.
    const { id } = await t.platform.notify.send(systemContext(), {
      template: 'account.locked',
      channel: 'sms',
      to: '0905000111',
      vars: { fullName: 'Lê Văn Tám', lockedUntil: '10:15' },
    });
    expect((await t.platform.notify.getOutbox(reader, id)).body).toBe(
      'Tài khoản của Lê Văn Tám tạm khóa đến 10:15. Liên hệ 1900 1234 nếu cần hỗ trợ.',
    );
  });

  it('refuses unknown variables, a subject outside e-mail, a missing e-mail subject and unknown codes', async () => {
    const p1 = await problemOf(
      t.platform.notify.updateTemplate(templatesAdmin, 'account.locked', { channel: 'sms', body: 'Xin chào {{hoTen}}' }),
    );
    expect(p1.status).toBe(400);
    expect(p1.errors?.[0]).toMatchObject({ field: '/body' });
    expect(p1.errors?.[0]?.message).toContain('hoTen');
    const p2 = await problemOf(
      t.platform.notify.updateTemplate(templatesAdmin, 'account.locked', { channel: 'sms', subject: 'Tiêu đề', body: 'x' }),
    );
    expect(p2.errors?.[0]).toMatchObject({ field: '/subject' });
    const p3 = await problemOf(t.platform.notify.updateTemplate(templatesAdmin, 'account.locked', { channel: 'email', body: 'x' }));
    expect(p3.errors?.[0]).toMatchObject({ field: '/subject' });
    expect((await problemOf(t.platform.notify.updateTemplate(templatesAdmin, 'khong.co', { channel: 'sms', body: 'x' }))).status).toBe(404);
  });
});

describe('as the demo admin', () => {
  it('reads the outbox and templates over HTTP', async (ctx) => {
    const admin = await login(t.app, 'admin').catch(() => null);
    if (!admin) ctx.skip(); // the demo admin account comes with the org module's seed
    const list = await admin!.request('GET', '/api/v1/notifications/outbox?limit=5');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; recipient: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.recipient.includes('*'))).toBe(true);
    const detail = await admin!.request('GET', `/api/v1/notifications/outbox/${items[0]?.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().recipient).not.toContain('*');
    expect((await admin!.request('GET', '/api/v1/notifications/templates')).statusCode).toBe(200);
  });
});
