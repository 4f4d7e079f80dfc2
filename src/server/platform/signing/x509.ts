/**
 * Reading X.509 certificates: the fields a signature needs byte-exactly (issuer name and serial number for
 * the CMS signer identifier and signing-certificate-v2), names decoded as Vietnamese text (Node's own
 * `X509Certificate.subject` escapes non-ASCII), key usage, and chain checks through node:crypto.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { child, content, type Node, parseDer, raw, readOid, readString, readTime, TAG } from './der';

/** What a certificate says about its holder, for people and for the verification page. */
export interface CertificateInfo {
  /** Distinguished name in RFC 4514 order: "CN=SỞ TƯ PHÁP TỈNH ĐẮK LẮK, O=…, C=VN". */
  subject: string;
  subjectCommonName: string | null;
  issuer: string;
  issuerCommonName: string | null;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  validFrom: Date;
  validTo: Date;
  /** SHA-256 of the DER certificate, upper-case hex. */
  fingerprintSha256: string;
}

const NAME_LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

const OID_KEY_USAGE = '2.5.29.15';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

interface NameAttr {
  label: string;
  value: string;
}

function readName(name: Node): NameAttr[] {
  const out: NameAttr[] = [];
  for (const rdn of name.children) {
    for (const atv of rdn.children) {
      const type = readOid(child(atv, 0, 'loại thuộc tính tên'));
      out.push({ label: NAME_LABELS[type] ?? type, value: readString(child(atv, 1, 'giá trị thuộc tính tên')) });
    }
  }
  return out;
}

const escapeRdn = (v: string) => v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);

function nameText(attrs: NameAttr[]): string {
  return [...attrs]
    .reverse()
    .map((a) => `${a.label}=${escapeRdn(a.value)}`)
    .join(', ');
}

const commonName = (attrs: NameAttr[]) => attrs.filter((a) => a.label === 'CN').at(-1)?.value ?? null;

export interface KeyUsage {
  digitalSignature: boolean;
  nonRepudiation: boolean;
  keyCertSign: boolean;
}

/** A certificate parsed once: its exact DER parts, decoded names and node:crypto's view of it. */
export class Certificate {
  readonly der: Buffer;
  readonly x509: X509Certificate;
  /** The issuer Name and serialNumber INTEGER exactly as encoded (CMS IssuerAndSerialNumber). */
  readonly issuerDer: Buffer;
  readonly serialDer: Buffer;
  readonly subjectDer: Buffer;
  /** Null when the certificate has no key-usage extension (then any use is allowed). */
  readonly keyUsage: KeyUsage | null;
  readonly isCa: boolean;
  readonly subjectKeyId: Buffer | null;
  readonly info: CertificateInfo;

  constructor(der: Uint8Array) {
    this.der = Buffer.from(der);
    this.x509 = new X509Certificate(this.der);
    const tbs = child(parseDer(this.der), 0, 'tbsCertificate');
    // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, spki, …, [3] extensions
    const off = tbs.children[0]?.tag === 0xa0 ? 1 : 0;
    const serial = child(tbs, off, 'serialNumber');
    const issuer = child(tbs, off + 2, 'issuer');
    const validity = child(tbs, off + 3, 'validity');
    const subject = child(tbs, off + 4, 'subject');
    this.serialDer = Buffer.from(raw(serial));
    this.issuerDer = Buffer.from(raw(issuer));
    this.subjectDer = Buffer.from(raw(subject));
    const ext = extensionsOf(tbs);
    this.keyUsage = ext.keyUsage;
    this.isCa = ext.isCa;
    this.subjectKeyId = ext.subjectKeyId;
    const subjectAttrs = readName(subject);
    const issuerAttrs = readName(issuer);
    this.info = {
      subject: nameText(subjectAttrs),
      subjectCommonName: commonName(subjectAttrs),
      issuer: nameText(issuerAttrs),
      issuerCommonName: commonName(issuerAttrs),
      serialNumber: content(serial)
        .toString('hex')
        .replace(/^(00)+(?=.)/, '')
        .toUpperCase(),
      validFrom: readTime(child(validity, 0, 'notBefore')),
      validTo: readTime(child(validity, 1, 'notAfter')),
      fingerprintSha256: createHash('sha256').update(this.der).digest('hex').toUpperCase(),
    };
  }

  /** Whether `issuer` issued this certificate (names match and its signature verifies). */
  issuedBy(issuer: Certificate): boolean {
    try {
      return this.x509.checkIssued(issuer.x509) && this.x509.verify(issuer.x509.publicKey);
    } catch {
      return false;
    }
  }

  validAt(when: Date): boolean {
    return when >= this.info.validFrom && when <= this.info.validTo;
  }

  sameAs(other: Certificate): boolean {
    return this.der.equals(other.der);
  }
}

function extensionsOf(tbs: Node): { keyUsage: KeyUsage | null; isCa: boolean; subjectKeyId: Buffer | null } {
  const result = { keyUsage: null as KeyUsage | null, isCa: false, subjectKeyId: null as Buffer | null };
  const wrapper = tbs.children.find((c) => c.tag === 0xa3);
  for (const ext of wrapper?.children[0]?.children ?? []) {
    const id = readOid(child(ext, 0, 'extnID'));
    const value = ext.children.at(-1);
    if (!value || value.tag !== TAG.OCTET_STRING) continue;
    const inner = parseDer(content(value));
    if (id === OID_KEY_USAGE && inner.tag === TAG.BIT_STRING) {
      const bits = content(inner)[1] ?? 0; // byte 0 is the count of unused bits
      result.keyUsage = { digitalSignature: !!(bits & 0x80), nonRepudiation: !!(bits & 0x40), keyCertSign: !!(bits & 0x04) };
    } else if (id === OID_BASIC_CONSTRAINTS) {
      const flag = inner.children[0];
      result.isCa = flag?.tag === TAG.BOOLEAN && (content(flag)[0] ?? 0) !== 0;
    } else if (id === '2.5.29.14' && inner.tag === TAG.OCTET_STRING) {
      result.subjectKeyId = Buffer.from(content(inner));
    }
  }
  return result;
}

/** Reads a certificate from DER or PEM bytes (the first one in a PEM file). */
export function readCertificate(bytes: Uint8Array | string): Certificate {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  if (pem?.[1]) return new Certificate(Buffer.from(pem[1].replace(/\s+/g, ''), 'base64'));
  if (typeof bytes === 'string') throw new Error('không phải chứng thư số PEM');
  return new Certificate(bytes);
}

/** All certificates of a PEM bundle (or the one certificate of a DER file). */
export function readCertificates(bytes: Uint8Array): Certificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) return [new Certificate(bytes)];
  return blocks.map((m) => new Certificate(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

/**
 * Orders `certs` into a chain starting at `leaf`: each next certificate is the issuer of the previous one.
 * Certificates that are not part of the chain are left out.
 */
export function orderChain(leaf: Certificate, certs: Certificate[]): Certificate[] {
  const chain = [leaf];
  const pool = certs.filter((c) => !c.sameAs(leaf));
  for (let current = leaf; chain.length < 10; ) {
    const issuer = pool.find((c) => !chain.includes(c) && current.issuedBy(c));
    if (!issuer || issuer.sameAs(current)) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}
