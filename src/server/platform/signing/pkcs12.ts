/**
 * The `pkcs12` provider: an agency's private key and certificate chain in a PKCS#12 (.p12/.pfx) file.
 *
 * node-forge reads the container: it handles both the current OpenSSL/Windows encryption (PBES2 with
 * AES and PBKDF2-HMAC-SHA256) and the legacy one many issued files still use (3DES/RC2 with SHA-1).
 * The decrypted key is handed to node:crypto at once; all signing happens there (RSA or EC).
 */
import { createPrivateKey, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { SigningError, type SigningKey } from './signer';
import { Certificate, orderChain } from './x509';

const ECDSA_MAX_BYTES: Record<string, number> = { prime256v1: 72, secp384r1: 104, secp521r1: 139 };

/** A SigningKey over a node:crypto private key. */
export function keyFromKeyObject(privateKey: KeyObject, chain: Uint8Array[]): SigningKey {
  const type = privateKey.asymmetricKeyType;
  const details = privateKey.asymmetricKeyDetails ?? {};
  if (type !== 'rsa' && type !== 'ec') {
    throw new SigningError('bad_keystore', `Loại khoá "${type}" chưa được hỗ trợ để ký số (chỉ RSA hoặc ECDSA).`);
  }
  const maxSignatureBytes =
    type === 'rsa' ? Math.ceil((details.modulusLength ?? 4096) / 8) : (ECDSA_MAX_BYTES[details.namedCurve ?? ''] ?? 139);
  return {
    chain,
    keyType: type,
    maxSignatureBytes,
    sign: async (data) => cryptoSign('sha256', data, privateKey),
  };
}

const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });

/** The private keys of a decoded PKCS#12, as node:crypto keys. */
function privateKeysOf(p12: forge.pkcs12.Pkcs12Pfx): KeyObject[] {
  const bags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag!] ?? []),
  ];
  return bags.map((bag) => {
    // RSA keys come back decoded; other key types (EC) as their PrivateKeyInfo ASN.1.
    const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
    if (!info) throw new SigningError('bad_keystore', 'Tệp PKCS#12 có khoá bí mật không đọc được.');
    return createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  });
}

function certificatesOf(p12: forge.pkcs12.Pkcs12Pfx): Certificate[] {
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag!] ?? [];
  const out: Certificate[] = [];
  for (const bag of bags) {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
    if (asn1) out.push(new Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')));
  }
  return out;
}

/**
 * Opens a PKCS#12 file. `label` names it in error messages (an agency code or a file name).
 * Throws SigningError 'bad_password' or 'bad_keystore' with a Vietnamese message.
 */
export function readPkcs12(bytes: Uint8Array, password: string, label: string): SigningKey {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/password|MAC could not be verified|decrypt/i.test(msg)) {
      throw new SigningError('bad_password', `Mật khẩu của tệp chứng thư số (PKCS#12) ${label} không đúng.`);
    }
    throw new SigningError('bad_keystore', `Tệp chứng thư số ${label} không phải tệp PKCS#12 (.p12/.pfx) hợp lệ.`);
  }
  let keys: KeyObject[];
  try {
    keys = privateKeysOf(p12);
  } catch (err) {
    if (err instanceof SigningError) throw err;
    throw new SigningError('bad_keystore', `Không đọc được khoá bí mật trong tệp chứng thư số ${label}.`);
  }
  const certs = certificatesOf(p12);
  // The signing certificate is the one whose public key matches the private key.
  for (const key of keys) {
    const pub = spki(createPublicKey(key));
    const leaf = certs.find((c) => spki(c.x509.publicKey).equals(pub));
    if (leaf)
      return keyFromKeyObject(
        key,
        orderChain(leaf, certs).map((c) => c.der),
      );
  }
  throw new SigningError('bad_keystore', `Tệp chứng thư số ${label} không chứa cặp khoá bí mật và chứng thư số tương ứng.`);
}

export interface Pkcs12Content {
  privateKey: KeyObject;
  /** Signing certificate first, then its issuers. */
  chain: Uint8Array[];
  password: string;
  friendlyName?: string;
  /** PBKDF2 and MAC iterations; 2048 is OpenSSL's default (forge's pure-JS KDF makes more costly to open). */
  iterations?: number;
}

/** Writes a PKCS#12 file: AES-256-CBC with PBKDF2-HMAC-SHA256 for the key, HMAC integrity over the whole. */
export function writePkcs12(c: Pkcs12Content): Buffer {
  if (c.privateKey.asymmetricKeyType !== 'rsa') throw new Error('writePkcs12 supports RSA keys only');
  const key = forge.pki.privateKeyFromPem(c.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const certs = c.chain.map((der) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary'))));
  // prfAlgorithm is passed through to forge's encryptPrivateKeyInfo (PBKDF2-HMAC-SHA256), absent from the typings.
  const options = {
    algorithm: 'aes256' as const,
    count: c.iterations ?? 2048,
    prfAlgorithm: 'sha256',
    ...(c.friendlyName ? { friendlyName: c.friendlyName } : {}), // forge cannot encode an undefined name
  };
  const asn1 = forge.pkcs12.toPkcs12Asn1(key as forge.pki.rsa.PrivateKey, certs, c.password, options);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
