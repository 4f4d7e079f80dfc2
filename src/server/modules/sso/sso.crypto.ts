/**
 * Encryption of stored SSO secrets (client secrets, signing keys) with DATA_ENCRYPTION_KEY
 * (AES-256-GCM, key derived per purpose), and the random values the module hands out.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

function keyFrom(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`tinhso-sso-${purpose}:${secret}`).digest();
}

export function encrypt(plain: string, encryptionKey: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(encryptionKey, purpose), iv);
  const enc = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), enc].map((b) => b.toString('base64url')).join('.');
}

export function decrypt(stored: string, encryptionKey: string, purpose: string): string {
  const [iv, tag, enc] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !enc) throw new Error('bad encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(encryptionKey, purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(enc), decipher.final()]).toString('utf8');
}

/** A client secret: 256 random bits, base64url. */
export const newClientSecret = () => randomBytes(32).toString('base64url');

/** oidc-provider's cookie signing keys: SSO_COOKIE_KEYS when set, else derived from SESSION_SECRET (HKDF-SHA256). */
export function cookieKeys(configured: string[], sessionSecret: string): string[] {
  if (configured.length) return configured;
  const key = hkdfSync('sha256', sessionSecret, 'tinhso-sso', 'oidc-provider cookie keys', 32);
  return [Buffer.from(key).toString('base64url')];
}
