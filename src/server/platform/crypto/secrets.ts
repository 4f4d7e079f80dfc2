/**
 * Secrets the platform must store and read back (OIDC client secrets and signing keys, a Zalo OA's tokens):
 * AES-256-GCM under DATA_ENCRYPTION_KEY, with a key derived per use (`context`), so that a value sealed for one
 * use cannot be opened as another's.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

function keyFrom(secret: string, context: string): Buffer {
  return createHash('sha256').update(`${context}:${secret}`).digest();
}

/** `iv.tag.ciphertext`, each base64url. */
export function sealSecret(plain: string, encryptionKey: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(encryptionKey, context), iv);
  const enc = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), enc].map((b) => b.toString('base64url')).join('.');
}

/** Throws when the value was not sealed with this key and context, or was altered. */
export function openSecret(stored: string, encryptionKey: string, context: string): string {
  const [iv, tag, enc] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !enc) throw new Error('bad encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(encryptionKey, context), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(enc), decipher.final()]).toString('utf8');
}
