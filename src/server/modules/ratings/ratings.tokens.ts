/**
 * Rating tokens: an HMAC-SHA256 (key = SESSION_SECRET) over the dossier id, so nothing is stored and the
 * token cannot be forged. "Works once" comes from the rating itself: a dossier has at most one.
 *
 * - Link token `l.<dossierId>.<mac>` — in the "result returned" message and in the counter QR; no expiry.
 * - Kiosk token `k.<dossierId>.<expiresAtMinutes>.<mac>` — given by the kiosk lookup (code + last 4 digits),
 *   valid for KIOSK_TOKEN_MINUTES; it marks the rating as made at the kiosk.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const KIOSK_TOKEN_MINUTES = 15;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type TokenKind = 'link' | 'kiosk';

export function ratingTokens(secret: string, now: () => number = Date.now) {
  const mac = (text: string) => createHmac('sha256', secret).update(`tinhso.rating:${text}`).digest('base64url').slice(0, 32);
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  return {
    link(dossierId: string): string {
      return `l.${dossierId}.${mac(`l.${dossierId}`)}`;
    },
    kiosk(dossierId: string): string {
      const exp = Math.floor(now() / 60_000) + KIOSK_TOKEN_MINUTES;
      return `k.${dossierId}.${exp}.${mac(`k.${dossierId}.${exp}`)}`;
    },
    /** The dossier and the channel of a valid token; null when forged, malformed or (kiosk) expired. */
    verify(token: string): { dossierId: string; kind: TokenKind } | null {
      const parts = token.split('.');
      if (parts[0] === 'l' && parts.length === 3) {
        const [, id, m] = parts as [string, string, string];
        return UUID.test(id) && same(m, mac(`l.${id}`)) ? { dossierId: id, kind: 'link' } : null;
      }
      if (parts[0] === 'k' && parts.length === 4) {
        const [, id, exp, m] = parts as [string, string, string, string];
        if (!UUID.test(id) || !/^\d{1,12}$/.test(exp) || !same(m, mac(`k.${id}.${exp}`))) return null;
        return Number(exp) >= Math.floor(now() / 60_000) ? { dossierId: id, kind: 'kiosk' } : null;
      }
      return null;
    },
  };
}
