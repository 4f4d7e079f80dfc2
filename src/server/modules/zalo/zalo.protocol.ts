/**
 * What Zalo sends and how it is signed (Zalo OA webhook, API v3), as pure functions.
 *
 * The webhook POSTs one JSON event per request, signed in the header
 * `X-ZEvent-Signature: mac=<hex sha256(app_id + raw body + timestamp + OA secret key)>` where `timestamp` is
 * the event's own `timestamp` field (milliseconds, a string). The shapes handled here:
 *
 *   { "app_id", "user_id_by_app", "event_name": "user_send_text", "timestamp": "1733580000000",
 *     "sender": { "id": "<user id>" }, "recipient": { "id": "<OA id>" },
 *     "message": { "msg_id": "…", "text": "…" } }
 *   user_send_image:    message.attachments[{ "type": "image", "payload": { "url", "thumbnail" } }]
 *   user_send_location: message.attachments[{ "type": "location", "payload": { "coordinates": { "latitude", "longitude" } } }]
 *                       (Zalo sends the coordinates as strings)
 *   follow:             { "event_name": "follow", "follower": { "id": "<user id>" }, "oa_id", "source", "timestamp" }
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zevent-signature';

/** The MAC Zalo puts in X-ZEvent-Signature (without the `mac=` prefix). */
export function zaloMac(appId: string, rawBody: string | Buffer, timestamp: string, oaSecret: string): string {
  return createHash('sha256').update(appId).update(rawBody).update(timestamp).update(oaSecret).digest('hex');
}

/** Header value as Zalo sends it. */
export function signatureHeader(appId: string, rawBody: string | Buffer, timestamp: string, oaSecret: string): string {
  return `mac=${zaloMac(appId, rawBody, timestamp, oaSecret)}`;
}

/** Constant-time check of the header against the expected MAC (`mac=` prefix optional, hex case-insensitive). */
export function verifySignature(header: string | undefined, appId: string, rawBody: Buffer, timestamp: string, oaSecret: string): boolean {
  if (!header || !appId || !oaSecret || !timestamp) return false;
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = zaloMac(appId, rawBody, timestamp, oaSecret);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}

/** What the conversation understands of one event. */
export type Incoming =
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string }
  | { kind: 'location'; lat: number; lon: number }
  | { kind: 'follow' }
  | { kind: 'other' };

export interface ZaloEvent {
  /** msg_id, or `<event_name>:<user>:<timestamp>` for events without one. */
  eventId: string;
  eventName: string;
  userId: string;
  at: Date;
  timestamp: string;
  incoming: Incoming;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** Just the timestamp (needed for the signature before anything else is trusted). */
export function eventTimestamp(payload: unknown): string | null {
  const t = text(obj(payload).timestamp);
  return t && /^[0-9]{9,16}$/.test(t) ? t : null;
}

/** The event, or null when it is not one the channel deals with (no user id, no timestamp). */
export function parseEvent(payload: unknown): ZaloEvent | null {
  const p = obj(payload);
  const eventName = text(p.event_name) ?? '';
  const timestamp = eventTimestamp(p);
  if (!eventName || !timestamp) return null;
  const message = obj(p.message);
  const userId = text(eventName === 'follow' || eventName === 'unfollow' ? obj(p.follower).id : obj(p.sender).id);
  if (!userId || !/^[A-Za-z0-9_-]{1,64}$/.test(userId)) return null;
  const msgId = text(message.msg_id);
  const eventId = msgId && msgId.length <= 128 ? msgId : `${eventName}:${userId}:${timestamp}`;
  const attachments = Array.isArray(message.attachments) ? message.attachments.map(obj) : [];
  let incoming: Incoming = { kind: 'other' };
  if (eventName === 'user_send_text') {
    incoming = { kind: 'text', text: (text(message.text) ?? '').slice(0, 4000) };
  } else if (eventName === 'user_send_image') {
    const url = text(obj(attachments.find((a) => a.type === 'image')?.payload).url);
    if (url) incoming = { kind: 'image', url };
  } else if (eventName === 'user_send_location') {
    const c = obj(obj(attachments.find((a) => a.type === 'location')?.payload).coordinates);
    const lat = Number(c.latitude);
    const lon = Number(c.longitude);
    if (c.latitude !== undefined && c.longitude !== undefined && Number.isFinite(lat) && Number.isFinite(lon)) {
      incoming = { kind: 'location', lat, lon };
    }
  } else if (eventName === 'follow') {
    incoming = { kind: 'follow' };
  }
  return { eventId, eventName, userId, at: new Date(Number(timestamp)), timestamp, incoming };
}

/** The event Zalo would send for a user's message (the sandbox builds its webhooks with it). */
export function buildEvent(
  appId: string,
  oaId: string,
  userId: string,
  msgId: string,
  timestamp: string,
  content: { text?: string; imageUrl?: string; location?: { latitude: number; longitude: number } } | { follow: true },
): Record<string, unknown> {
  const base = { app_id: appId, user_id_by_app: `${userId}0`, timestamp };
  if ('follow' in content) {
    return { ...base, oa_id: oaId, event_name: 'follow', source: 'oa_profile', follower: { id: userId } };
  }
  const envelope = { ...base, sender: { id: userId }, recipient: { id: oaId } };
  if (content.imageUrl) {
    return {
      ...envelope,
      event_name: 'user_send_image',
      message: {
        msg_id: msgId,
        text: content.text ?? '',
        attachments: [{ type: 'image', payload: { thumbnail: content.imageUrl, url: content.imageUrl } }],
      },
    };
  }
  if (content.location) {
    return {
      ...envelope,
      event_name: 'user_send_location',
      message: {
        msg_id: msgId,
        text: content.text ?? '',
        attachments: [
          {
            type: 'location',
            payload: {
              coordinates: { latitude: String(content.location.latitude), longitude: String(content.location.longitude) },
            },
          },
        ],
      },
    };
  }
  return { ...envelope, event_name: 'user_send_text', message: { msg_id: msgId, text: content.text ?? '' } };
}
