/**
 * Issuing X.509 certificates, for the demo CA and for tests. node-forge lays out the certificate;
 * node:crypto generates the keys and makes the signature (forge's own RSA is pure JavaScript and slow).
 * Names are UTF8String so Vietnamese text survives.
 */
import { createPublicKey, generateKeyPair, type KeyObject, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import { Certificate } from './x509';

export interface NameParts {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  locality?: string;
  country?: string;
}

export interface IssueOptions {
  subject: NameParts;
  publicKey: KeyObject;
  /** Key and certificate of the issuer; absent for a self-signed root (then `selfKey` signs). */
  issuer?: { privateKey: KeyObject; certificate: Uint8Array };
  selfKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}

export function generateRsaKey(bits = 2048): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: bits }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );
}

function attributes(n: NameParts): forge.pki.CertificateField[] {
  // forge encodes the value as UTF-8 itself when the tag is UTF8String.
  const utf8 = (shortName: string, value: string) =>
    ({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 }) as unknown as forge.pki.CertificateField;
  const out: forge.pki.CertificateField[] = [];
  if (n.country) out.push({ shortName: 'C', value: n.country }); // PrintableString, as X.520 requires
  if (n.locality) out.push(utf8('L', n.locality));
  if (n.organization) out.push(utf8('O', n.organization));
  if (n.organizationalUnit) out.push(utf8('OU', n.organizationalUnit));
  out.push(utf8('CN', n.commonName));
  return out;
}

const toForgePublic = (k: KeyObject) => forge.pki.publicKeyFromPem(k.export({ type: 'spki', format: 'pem' }).toString());

/** A positive 128-bit serial number (RFC 5280 allows up to 20 octets). */
const serial = () => {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
};

/** Issues a certificate and returns its DER. RSA keys only (the demo CA and tests use RSA). */
export function issueCertificate(o: IssueOptions): Buffer {
  const cert = forge.pki.createCertificate();
  cert.publicKey = toForgePublic(o.publicKey);
  cert.serialNumber = serial();
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = o.notAfter;
  cert.setSubject(attributes(o.subject));
  const issuer = o.issuer ? new Certificate(o.issuer.certificate) : null;
  // Placeholder for an issued certificate: the issuer Name is replaced below by the exact bytes of the issuer's subject.
  cert.setIssuer(attributes(o.subject));
  const extensions: object[] = [
    { name: 'basicConstraints', cA: o.ca, critical: true },
    o.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuer?.subjectKeyId) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuer.subjectKeyId.toString('binary') });
  cert.setExtensions(extensions);
  // Same steps as forge's cert.sign(), with node:crypto doing the RSA operation.
  const signer = o.issuer?.privateKey ?? o.selfKey;
  if (!signer) throw new Error('issueCertificate needs an issuer key or selfKey');
  const c = cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1; md: forge.md.MessageDigest; signatureOid: string };
  c.md = forge.md.sha256.create();
  c.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  c.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  c.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  if (issuer) {
    // tbsCertificate: [0] version, serialNumber, signature, issuer, …. Re-encoding parsed names through forge would
    // change them (it encodes UTF-8 a second time), and name chaining compares the bytes.
    (c.tbsCertificate.value as forge.asn1.Asn1[])[3] = forge.asn1.fromDer(issuer.subjectDer.toString('binary'));
  }
  const tbs = Buffer.from(forge.asn1.toDer(c.tbsCertificate).getBytes(), 'binary');
  c.signature = sign('sha256', tbs, signer).toString('binary');
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** The public key of a private key (for self-signed roots). */
export const publicOf = (k: KeyObject) => createPublicKey(k);
