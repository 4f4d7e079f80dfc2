/**
 * POST /webhooks/zalo — where the Zalo OA delivers user events. The body is kept raw (a Buffer) in this
 * route's own scope: the signature covers the exact bytes, and no other route's JSON parsing changes.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../platform/http/types';
import { SIGNATURE_HEADER } from './zalo.protocol';
import type { ZaloService } from './zalo.service';

export const WEBHOOK_PATH = '/webhooks/zalo';
/** Zalo events are small JSON documents; anything bigger is not one. */
const WEBHOOK_BODY_LIMIT = 64 * 1024;

export async function registerZaloRoutes(app: App, zalo: ZaloService): Promise<void> {
  await app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(
      WEBHOOK_PATH,
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        config: { csrf: false },
        schema: {
          tags: ['Zalo OA'],
          summary: 'Webhook nhận sự kiện từ Zalo Official Account',
          description:
            'Zalo gửi sự kiện user_send_text, user_send_image, user_send_location, follow, ký bằng tiêu đề ' +
            '`X-ZEvent-Signature: mac=sha256(app_id + nội dung + timestamp + khóa bí mật OA)`. Sai hoặc thiếu chữ ký → 401. ' +
            'Sự kiện đã nhận (cùng msg_id) hoặc cũ hơn 5 phút được bỏ qua. Trả lời người dùng được gửi sau, qua API gửi tin của OA.',
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              outcome: Type.Union([Type.Literal('processed'), Type.Literal('duplicate'), Type.Literal('stale'), Type.Literal('ignored')]),
            }),
          },
        },
      },
      async (req) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const header = req.headers[SIGNATURE_HEADER];
        const { outcome } = await zalo.handleWebhook(req.ctx, raw, Array.isArray(header) ? header[0] : header);
        return { ok: true, outcome };
      },
    );
  });
}
