/**
 * "Môi trường thử nghiệm Zalo": a test double of Zalo mounted at /zalo-sandbox when ZALO_SANDBOX is on (demo,
 * development, tests; never implied in production). Like the VNeID sandbox it keeps everything in memory.
 *
 * - `POST /zalo-sandbox/v3.0/oa/message/cs` — the OA "send message" API (customer-service message): checks the
 *   `access_token` header, stores the text per user, answers `{ error: 0, message: "Success", data: { message_id, user_id } }`
 *   (error -216 for a wrong or expired token, as Zalo).
 * - `POST /zalo-sandbox/v4/oa/access_token` — OAuth v4 refresh of the OA's tokens: checks the `secret_key` header,
 *   `app_id`, `grant_type=refresh_token` and the current refresh token (one use), answers a new pair with
 *   `expires_in` "90000" (errors `{ error: -14014, error_name }` and the like, as Zalo).
 * - `POST /zalo-sandbox/oauth/expire` — makes the current access token expire now (to show and test the refresh).
 * - `GET /zalo-sandbox/media/:name` — sample photos for image attachments (JPEG with EXIF, larger than 1600 px).
 * - `POST /zalo-sandbox/users/:userId/send` `{ text | imageUrl | image | location: {latitude, longitude} | follow }` —
 *   builds the event Zalo would send, signs it (`X-ZEvent-Signature`) and posts it to our /webhooks/zalo. Answers
 *   the webhook's status plus the exact body and signature (to replay it in tests).
 * - `GET /zalo-sandbox/users/:userId/messages` — the bot's replies to that user, oldest first.
 * - `GET /zalo-sandbox` — a small page (no script) to chat as a user in the demo.
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import sharp from 'sharp';
import type { Config } from '../../config';
import type { App } from '../../platform/http/types';
import { buildEvent, signatureHeader } from './zalo.protocol';
import { WEBHOOK_PATH } from './zalo.routes';
import type { Fetch } from './zalo.service';

export const ZALO_SANDBOX_PREFIX = '/zalo-sandbox';
export const SANDBOX_OA_ID = '579745863508352884';
/** The sample photos the sandbox serves (name → colour). */
export const SANDBOX_IMAGES: Record<string, { r: number; g: number; b: number }> = {
  'o-ga.jpg': { r: 96, g: 88, b: 80 },
  'rac-thai.jpg': { r: 70, g: 120, b: 60 },
};

export interface SandboxMessage {
  messageId: string;
  text: string;
  at: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export async function registerZaloSandbox(app: App, config: Config, fetchImpl: Fetch): Promise<void> {
  const z = config.zalo;
  const base = config.publicUrl.replace(/\/+$/, '');
  const outbox = new Map<string, SandboxMessage[]>();
  const images = new Map<string, Buffer>();
  let seq = 0;
  /** The OA's valid tokens; a refresh replaces both (the old ones stop working, as at Zalo). */
  const tokens = { access: z.accessToken, refresh: z.refreshToken, expiresAt: Number.POSITIVE_INFINITY };

  async function image(name: string): Promise<Buffer | null> {
    const colour = SANDBOX_IMAGES[name];
    if (!colour) return null;
    let bytes = images.get(name);
    if (!bytes) {
      bytes = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: colour } })
        .withExif({ IFD0: { Make: 'ZaloSandboxCam', Copyright: 'nguoi-dan-gui' } })
        .jpeg({ quality: 70 })
        .toBuffer();
      images.set(name, bytes);
    }
    return bytes;
  }

  async function sendAsUser(
    userId: string,
    content: { text?: string; imageUrl?: string; image?: string; location?: { latitude: number; longitude: number }; follow?: boolean },
    override: { msgId?: string; timestamp?: string } = {},
  ) {
    const msgId = override.msgId ?? `sb${Date.now().toString(16)}${randomBytes(6).toString('hex')}`;
    const timestamp = override.timestamp ?? String(Date.now());
    const imageUrl =
      content.imageUrl ?? (content.image ? `${base}${ZALO_SANDBOX_PREFIX}/media/${encodeURIComponent(content.image)}` : undefined);
    const event = buildEvent(
      z.appId,
      SANDBOX_OA_ID,
      userId,
      msgId,
      timestamp,
      content.follow ? { follow: true } : { text: content.text, imageUrl, location: content.location },
    );
    const body = JSON.stringify(event);
    const signature = signatureHeader(z.appId, body, timestamp, z.oaSecret);
    const res = await fetchImpl(`${base}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': signature },
      body,
    });
    const answer = await res.json().catch(() => null);
    return { msgId, webhookStatus: res.status, answer, body, signature };
  }

  await app.register(async (scope: App) => {
    const P = ZALO_SANDBOX_PREFIX;
    const hide = { hide: true };

    scope.post(
      `${P}/v3.0/oa/message/cs`,
      {
        config: { csrf: false },
        schema: {
          ...hide,
          body: Type.Object({
            recipient: Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 64 }) }),
            message: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }),
          }),
        },
      },
      async (req) => {
        if (req.headers.access_token !== tokens.access || Date.now() >= tokens.expiresAt) {
          return { error: -216, message: 'Access token is invalid' };
        }
        const userId = req.body.recipient.user_id;
        const messageId = `sbm${(++seq).toString().padStart(6, '0')}${randomBytes(4).toString('hex')}`;
        const list = outbox.get(userId) ?? [];
        list.push({ messageId, text: req.body.message.text, at: new Date().toISOString() });
        outbox.set(userId, list.slice(-200));
        return { error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } };
      },
    );

    await scope.register(async (form: App) => {
      form.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) =>
        done(null, Object.fromEntries(new URLSearchParams(String(body)))),
      );
      form.post(`${P}/v4/oa/access_token`, { config: { csrf: false }, schema: hide }, async (req) => {
        const b = (req.body ?? {}) as Record<string, string>;
        const refused = (error: number, error_name: string) => ({ error, error_name, error_description: error_name });
        if (req.headers.secret_key !== z.appSecretKey) return refused(-14002, 'Invalid secret key');
        if (b.app_id !== z.appId) return refused(-14001, 'Invalid app id');
        if (b.grant_type !== 'refresh_token') return refused(-14003, 'Invalid grant type');
        if (!tokens.refresh || b.refresh_token !== tokens.refresh) return refused(-14014, 'Invalid refresh token');
        tokens.access = `sbat-${randomBytes(24).toString('base64url')}`;
        tokens.refresh = `sbrt-${randomBytes(24).toString('base64url')}`;
        tokens.expiresAt = Date.now() + 90_000_000;
        return { access_token: tokens.access, refresh_token: tokens.refresh, expires_in: '90000' };
      });
    });

    scope.post(`${P}/oauth/expire`, { config: { csrf: false }, schema: hide }, async () => {
      tokens.expiresAt = Date.now();
      return { expired: true };
    });

    scope.get(`${P}/media/:name`, { schema: { ...hide, params: Type.Object({ name: Type.String() }) } }, async (req, reply) => {
      const bytes = await image(req.params.name);
      if (!bytes) return reply.code(404).type('text/plain; charset=utf-8').send('Không có ảnh mẫu này');
      return reply.type('image/jpeg').header('cache-control', 'no-store').send(bytes);
    });

    const SendBody = Type.Object(
      {
        text: Type.Optional(Type.String({ maxLength: 4000 })),
        imageUrl: Type.Optional(Type.String({ maxLength: 2000 })),
        image: Type.Optional(
          Type.String({ maxLength: 100, description: 'Tên ảnh mẫu của môi trường thử nghiệm (o-ga.jpg, rac-thai.jpg)' }),
        ),
        location: Type.Optional(Type.Object({ latitude: Type.Number(), longitude: Type.Number() })),
        follow: Type.Optional(Type.Boolean()),
        msgId: Type.Optional(Type.String({ maxLength: 128 })),
        timestamp: Type.Optional(Type.String({ pattern: '^[0-9]{9,16}$' })),
      },
      { additionalProperties: false },
    );
    const UserParams = Type.Object({ userId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

    scope.post(
      `${P}/users/:userId/send`,
      { config: { csrf: false }, schema: { ...hide, params: UserParams, body: SendBody } },
      async (req) => {
        const { msgId, timestamp, ...content } = req.body;
        return sendAsUser(req.params.userId, content, { msgId, timestamp });
      },
    );

    scope.get(`${P}/users/:userId/messages`, { schema: { ...hide, params: UserParams } }, async (req) => ({
      items: outbox.get(req.params.userId) ?? [],
    }));

    // A small page to chat as a user in the demo (plain HTML forms, no script).
    const page = (reply: FastifyReply, userId: string, note = '') => {
      const items = (outbox.get(userId) ?? [])
        .map((m) => `<li><small>${esc(m.at.slice(11, 19))}</small><pre>${esc(m.text)}</pre></li>`)
        .join('');
      const samples = Object.keys(SANDBOX_IMAGES)
        .map((n) => `<option value="${esc(n)}">${esc(n)}</option>`)
        .join('');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Môi trường thử nghiệm Zalo OA</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem}.banner{background:#0068ff;color:#fff;padding:.5rem;text-align:center;font-weight:600}
pre{white-space:pre-wrap;margin:.2rem 0;background:#eef4ff;padding:.5rem;border-radius:6px}ul{list-style:none;padding:0}form{margin:.75rem 0;display:flex;gap:.5rem;flex-wrap:wrap}
input,select,button{font-size:1rem;padding:.45rem}</style></head><body>
<div class="banner" role="note">Môi trường thử nghiệm Zalo OA — không phải Zalo thật</div>
<p>Người dùng Zalo: <strong>${esc(userId)}</strong>. ${esc(note)}</p>
<form method="post" action="${P}/ui"><input type="hidden" name="user" value="${esc(userId)}"><input name="text" placeholder="Tin nhắn (ví dụ: phản ánh)" required aria-label="Tin nhắn"><button>Gửi tin</button></form>
<form method="post" action="${P}/ui"><input type="hidden" name="user" value="${esc(userId)}"><select name="image" aria-label="Ảnh mẫu">${samples}</select><button>Gửi ảnh</button></form>
<form method="post" action="${P}/ui"><input type="hidden" name="user" value="${esc(userId)}"><input name="lat" value="12.6667" aria-label="Vĩ độ"><input name="lon" value="108.0378" aria-label="Kinh độ"><button>Gửi vị trí</button></form>
<form method="get" action="${P}"><input type="hidden" name="user" value="${esc(userId)}"><button>Tải lại tin trả lời</button></form>
<h2>Tin OA đã gửi cho người dùng này</h2><ul>${items || '<li>Chưa có</li>'}</ul></body></html>`);
    };

    scope.get(
      P,
      { schema: { ...hide, querystring: Type.Object({ user: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })) }) } },
      async (req, reply) => page(reply, req.query.user ?? 'nguoidung1'),
    );

    await scope.register(async (form: App) => {
      form.removeAllContentTypeParsers();
      form.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) =>
        done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      form.post(`${P}/ui`, { config: { csrf: false }, schema: hide }, async (req, reply) => {
        const f = (req.body ?? {}) as Record<string, string>;
        const user = /^[A-Za-z0-9_-]{1,64}$/.test(f.user ?? '') ? (f.user as string) : 'nguoidung1';
        const lat = Number(f.lat);
        const lon = Number(f.lon);
        const sent = await sendAsUser(
          user,
          f.image
            ? { image: f.image }
            : f.lat !== undefined && Number.isFinite(lat) && Number.isFinite(lon)
              ? { location: { latitude: lat, longitude: lon } }
              : { text: String(f.text ?? '') },
        );
        return page(reply, user, `Đã gửi (webhook trả ${sent.webhookStatus}). Tin trả lời được gửi sau vài giây: bấm "Tải lại".`);
      });
    });
  });
}
