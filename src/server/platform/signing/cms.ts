/**
 * CMS SignedData (RFC 5652) for PAdES baseline signatures (ETSI EN 319 142-1, CAdES detached):
 *
 *   ContentInfo { signedData, SignedData {
 *     version 1, digestAlgorithms {sha256}, encapContentInfo {id-data} (detached: no content),
 *     certificates [0] { signing certificate, its issuers },
 *     signerInfos { SignerInfo { version 1, sid IssuerAndSerialNumber, sha256,
 *       signedAttrs [0] { content-type id-data, message-digest, signing-certificate-v2 },
 *       signatureAlgorithm, signature } } } }
 *
 * signing-certificate-v2 (RFC 5035) binds the signature to its certificate, which is what makes it
 * PAdES/CAdES rather than plain PKCS#7. No signing-time attribute: PAdES puts the claimed time in the
 * signature dictionary's /M.
 *
 * The reader does the reverse for verification and also accepts what other software produces
 * (other digest algorithms, no signed attributes, signer identified by subject key identifier).
 */
import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  algorithm,
  child,
  content,
  contextTag,
  integer,
  type Node,
  octetString,
  oid,
  parseDer,
  raw,
  readOid,
  seq,
  setOf,
  TAG,
  tlv,
} from './der';
import type { SigningKey } from './signer';
import { Certificate } from './x509';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** Digest algorithms by OID (as digest algorithm or as the hash of a signature algorithm). */
const HASH_OF: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** Signature algorithms that take their hash from the digest algorithm. */
const PLAIN_KEY_ALGORITHMS = new Set<string>([OID.rsaEncryption, '1.2.840.10045.2.1']);

const attribute = (type: string, value: Uint8Array) => seq(oid(type), setOf([value]));

/** ESS SigningCertificateV2 { certs { ESSCertIDv2 { certHash (SHA-256, the default: no AlgorithmIdentifier), issuerSerial } } } */
function signingCertificateV2(cert: Certificate): Buffer {
  const certHash = createHash('sha256').update(cert.der).digest();
  // IssuerSerial { issuer GeneralNames { [4] directoryName }, serialNumber }
  const issuerSerial = seq(seq(contextTag(4, cert.issuerDer)), cert.serialDer);
  return seq(seq(seq(octetString(certHash), issuerSerial)));
}

/** The DER of the signed attributes, sorted as a SET OF (the bytes that are signed). */
function signedAttributes(cert: Certificate, contentDigest: Uint8Array): Buffer[] {
  return [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(cert)),
  ];
}

function signatureAlgorithm(key: SigningKey): Buffer {
  return key.keyType === 'rsa' ? algorithm(OID.sha256WithRsa, true) : algorithm(OID.ecdsaWithSha256);
}

function assemble(chain: Certificate[], attrs: Buffer[], sigAlg: Buffer, signature: Uint8Array): Buffer {
  const signer = chain[0]!;
  const sorted = [...attrs].sort(Buffer.compare);
  const signerInfo = seq(
    integer(1),
    seq(signer.issuerDer, signer.serialDer),
    algorithm(OID.sha256),
    tlv(0xa0, Buffer.concat(sorted)), // [0] IMPLICIT SET OF Attribute
    sigAlg,
    octetString(signature),
  );
  const signedData = seq(
    integer(1),
    setOf([algorithm(OID.sha256)]),
    seq(oid(OID.data)),
    tlv(0xa0, Buffer.concat(chain.map((c) => c.der))), // [0] IMPLICIT CertificateSet
    setOf([signerInfo]),
  );
  return seq(oid(OID.signedData), contextTag(0, signedData));
}

/** A key's chain, parsed once: every signature of an agency's key carries the same certificates. */
const chains = new WeakMap<SigningKey, Certificate[]>();
function chainOf(key: SigningKey): Certificate[] {
  let chain = chains.get(key);
  if (!chain) {
    chain = key.chain.map((der) => new Certificate(der));
    chains.set(key, chain);
  }
  return chain;
}

/** The CMS of a PAdES signature over content whose SHA-256 is `contentDigest`. */
export async function buildSignedData(key: SigningKey, contentDigest: Uint8Array): Promise<Buffer> {
  const chain = chainOf(key);
  const attrs = signedAttributes(chain[0]!, contentDigest);
  const signature = await key.sign(setOf(attrs));
  return assemble(chain, attrs, signatureAlgorithm(key), signature);
}

/** Bytes to reserve in the PDF for this key's CMS (its size is fixed but for a few bytes of ECDSA). */
export function cmsSizeFor(key: SigningKey): number {
  const chain = chainOf(key);
  const attrs = signedAttributes(chain[0]!, Buffer.alloc(32));
  return assemble(chain, attrs, signatureAlgorithm(key), Buffer.alloc(key.maxSignatureBytes)).length + 64;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and checking

export interface ParsedSignedData {
  certificates: Certificate[];
  /** The certificate the signer info names, when it is in the CMS. */
  signer: Certificate | null;
  digestAlgorithm: string | null;
  /** The signed attributes re-tagged as a SET (what was signed), or null when the signature is over the content. */
  signedAttributesDer: Buffer | null;
  messageDigest: Buffer | null;
  hasSigningCertificateV2: boolean;
  /** signing-certificate(-v2) hashes the signer certificate. */
  signingCertificateMatches: boolean;
  signatureAlgorithm: string;
  signature: Buffer;
}

function findSigner(sid: Node, certs: Certificate[]): Certificate | null {
  if (sid.tag === TAG.SEQUENCE) {
    const issuer = raw(child(sid, 0, 'issuer'));
    const serial = raw(child(sid, 1, 'serialNumber'));
    return certs.find((c) => c.issuerDer.equals(issuer) && c.serialDer.equals(serial)) ?? null;
  }
  // [0] SubjectKeyIdentifier
  const ski = content(sid);
  return certs.find((c) => c.subjectKeyId?.equals(ski)) ?? null;
}

function essCertMatches(value: Node, signer: Certificate, v2: boolean): boolean {
  // SigningCertificate(V2) { certs SEQUENCE OF ESSCertID(v2) { [hashAlgorithm (v2 only)], certHash, … } }
  const first = value.children[0]?.children[0];
  if (!first) return false;
  let hashName = v2 ? 'sha256' : 'sha1';
  let hashNode = first.children[0];
  if (v2 && hashNode?.tag === TAG.SEQUENCE) {
    hashName = HASH_OF[readOid(child(hashNode, 0, 'hashAlgorithm'))] ?? '';
    hashNode = first.children[1];
  }
  if (!hashName || hashNode?.tag !== TAG.OCTET_STRING) return false;
  return createHash(hashName).update(signer.der).digest().equals(content(hashNode));
}

export function parseSignedData(bytes: Uint8Array): ParsedSignedData {
  const contentInfo = parseDer(bytes);
  if (readOid(child(contentInfo, 0, 'contentType')) !== OID.signedData) throw new Error('không phải CMS SignedData');
  const sd = child(child(contentInfo, 1, 'content'), 0, 'SignedData');
  const certificates: Certificate[] = [];
  let signerInfos: Node | undefined;
  for (const node of sd.children.slice(3)) {
    if (node.tag === 0xa0) {
      for (const c of node.children) if (c.tag === TAG.SEQUENCE) certificates.push(new Certificate(raw(c)));
    } else if (node.tag === TAG.SET) signerInfos = node;
  }
  const si = child(signerInfos, 0, 'SignerInfo');
  const signer = findSigner(child(si, 1, 'sid'), certificates);
  const digestAlgorithm = HASH_OF[readOid(child(child(si, 2, 'digestAlgorithm'), 0, 'digestAlgorithm'))] ?? null;
  let i = 3;
  let signedAttributesDer: Buffer | null = null;
  let messageDigest: Buffer | null = null;
  let hasSigningCertificateV2 = false;
  let signingCertificateMatches = false;
  const attrs = si.children[i];
  if (attrs?.tag === 0xa0) {
    i++;
    signedAttributesDer = tlv(TAG.SET, content(attrs));
    for (const attr of attrs.children) {
      const type = readOid(child(attr, 0, 'attrType'));
      const value = child(child(attr, 1, 'attrValues'), 0, 'attrValue');
      if (type === OID.messageDigest) messageDigest = Buffer.from(content(value));
      if (type === OID.signingCertificateV2) hasSigningCertificateV2 = true;
      if ((type === OID.signingCertificateV2 || type === OID.signingCertificate) && signer) {
        signingCertificateMatches = essCertMatches(value, signer, type === OID.signingCertificateV2);
      }
    }
  }
  const signatureAlgorithm = readOid(child(child(si, i, 'signatureAlgorithm'), 0, 'signatureAlgorithm'));
  const signature = Buffer.from(content(child(si, i + 1, 'signature')));
  return {
    certificates,
    signer,
    digestAlgorithm,
    signedAttributesDer,
    messageDigest,
    hasSigningCertificateV2,
    signingCertificateMatches,
    signatureAlgorithm,
    signature,
  };
}

/** Whether the signature value verifies with `publicKey` over the signed attributes (or the content when there are none). */
export function checkSignatureValue(cms: ParsedSignedData, publicKey: KeyObject, content: Buffer[]): boolean {
  const hash = PLAIN_KEY_ALGORITHMS.has(cms.signatureAlgorithm) ? cms.digestAlgorithm : HASH_OF[cms.signatureAlgorithm];
  if (!hash) return false;
  const signed = cms.signedAttributesDer ?? Buffer.concat(content);
  try {
    return cryptoVerify(hash, signed, publicKey, cms.signature);
  } catch {
    return false;
  }
}
