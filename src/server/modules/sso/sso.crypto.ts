/**
 * Encryption of stored SSO secrets (client secrets, signing keys) with DATA_ENCRYPTION_KEY (the platform's
 * sealSecret, key derived per purpose), and the random values the module hands out.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { openSecret, sealSecret } from '../../platform/crypto/secrets';

export const encrypt = (plain: string, encryptionKey: string, purpose: string) => sealSecret(plain, encryptionKey, `tinhso-sso-${purpose}`);

export const decrypt = (stored: string, encryptionKey: string, purpose: string) =>
  openSecret(stored, encryptionKey, `tinhso-sso-${purpose}`);

/** A client secret: 256 random bits, base64url. */
export const newClientSecret = () => randomBytes(32).toString('base64url');

/** oidc-provider's cookie signing keys: SSO_COOKIE_KEYS when set, else derived from SESSION_SECRET (HKDF-SHA256). */
export function cookieKeys(configured: string[], sessionSecret: string): string[] {
  if (configured.length) return configured;
  const key = hkdfSync('sha256', sessionSecret, 'tinhso-sso', 'oidc-provider cookie keys', 32);
  return [Buffer.from(key).toString('base64url')];
}
