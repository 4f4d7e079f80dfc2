/**
 * TOTP second factor (RFC 6238, 30 s, 6 digits). Secrets are stored encrypted (AES-256-GCM).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'TinhSo';

function keyFrom(secret: string): Buffer {
  return createHash('sha256').update(`tinhso-totp:${secret}`).digest();
}

export function encryptSecret(plain: string, encryptionKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(encryptionKey), iv);
  const enc = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), enc].map((b) => b.toString('base64url')).join('.');
}

export function decryptSecret(stored: string, encryptionKey: string): string {
  const [iv, tag, enc] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !enc) throw new Error('bad TOTP secret');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(encryptionKey), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(enc), decipher.final()]).toString('utf8');
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, username: string) {
  return new OTPAuth.TOTP({ issuer: ISSUER, label: username, secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
}

/** The time step a code matches (±1 step for clock drift), or null. */
export function matchTotp(secret: string, username: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret, username).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

export function currentTotp(secret: string, username: string, now = Date.now()): string {
  return totp(secret, username).generate({ timestamp: now });
}

export async function enrolmentData(secret: string, username: string) {
  const otpauthUrl = totp(secret, username).toString();
  return { secret, otpauthUrl, qrSvg: await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1 }) };
}
