/**
 * Checking the signatures of a PDF, for the public "verify an e-result" page and for tests.
 *
 * For each signature field with a value: the byte range must start at 0, leave out exactly the /Contents
 * string and end inside the file; the digest of those bytes must equal the CMS message-digest; the CMS
 * signature must verify with the embedded signing certificate. Separately reported: whether the signature
 * covers the whole file (false for every signature but the last when a document was signed again, and
 * for any signature after which bytes were appended), whether it is PAdES (signing-certificate-v2), whether
 * the certificate was valid at the claimed signing time and whether it chains to a trusted root.
 * Revocation (CRL/OCSP) is not checked.
 */
import { createHash } from 'node:crypto';
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { checkSignatureValue, type ParsedSignedData, parseSignedData } from './cms';
import { type Certificate, type CertificateInfo, readCertificates } from './x509';

export interface PdfSignatureCheck {
  fieldName: string | null;
  subFilter: string | null;
  /** The signing certificate's common name (or /Name when the certificate is missing). */
  signerName: string | null;
  signer: CertificateInfo | null;
  /** The /M entry (a claim of the signer, not a time-stamp). */
  signingTime: Date | null;
  reason: string | null;
  location: string | null;
  byteRange: number[];
  /** [0, a, b, c]: starts at 0, the gap is exactly the /Contents string, ends inside the file. */
  byteRangeValid: boolean;
  /** The signed bytes reach the end of the file: nothing was added after this signature. */
  coversWholeFile: boolean;
  /** The digest of the signed bytes equals the signed message-digest. */
  digestValid: boolean;
  /** The CMS signature verifies with the public key of the embedded signing certificate. */
  signatureValid: boolean;
  /** ESS signing-certificate-v2 present and matching the signer (PAdES baseline). */
  pades: boolean;
  certificateValidAtSigningTime: boolean;
  /** Chains to one of the trusted roots; null when no trusted roots were given. */
  trusted: boolean | null;
  /** byteRangeValid && digestValid && signatureValid: the signed revision is intact. */
  valid: boolean;
  /** Why it is not valid, in Vietnamese. */
  problem: string | null;
}

export interface PdfVerification {
  /** False when the file could not be read as a PDF at all. */
  readable: boolean;
  signatures: PdfSignatureCheck[];
}

export interface VerifyOptions {
  /** Trusted root (or intermediate) certificates, DER or PEM. */
  trustedRoots?: Uint8Array[];
}

const name = (n: string) => PDFName.of(n);

/** Signatures whose /Contents is a detached CMS over the byte range (document time-stamps and SHA-1 forms are not). */
const CMS_SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);

function text(v: unknown): string | null {
  return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : null;
}

/** Parses "D:YYYYMMDDHHmmSS+HH'mm'" (parts after the year are optional). */
export function parsePdfDate(s: string | null): Date | null {
  const m = s && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(s);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const sign = m[7] === '-' ? -1 : m[7] === '+' ? 1 : 0;
  return new Date(utc - sign * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) * 60_000);
}

interface SigField {
  fieldName: string | null;
  sig: PDFDict;
}

function signatureFields(doc: PDFDocument): SigField[] {
  const acroForm = doc.catalog.lookup(name('AcroForm'));
  const fields = acroForm instanceof PDFDict ? acroForm.lookup(name('Fields')) : undefined;
  const out: SigField[] = [];
  const walk = (arr: PDFArray, prefix: string, depth: number) => {
    if (depth > 32) return;
    for (let i = 0; i < arr.size(); i++) {
      const f = arr.lookup(i);
      if (!(f instanceof PDFDict)) continue;
      const own = text(f.lookup(name('T')));
      const full = own ? (prefix ? `${prefix}.${own}` : own) : prefix;
      const v = f.lookup(name('V'));
      if (f.lookup(name('FT')) === name('Sig') && v instanceof PDFDict) out.push({ fieldName: full || null, sig: v });
      const kids = f.lookup(name('Kids'));
      if (kids instanceof PDFArray) walk(kids, full, depth + 1);
    }
  };
  if (fields instanceof PDFArray) walk(fields, '', 0);
  return out;
}

function chainTrusted(signer: Certificate, pool: Certificate[], roots: Certificate[]): boolean {
  let current = signer;
  for (let depth = 0; depth < 10; depth++) {
    if (roots.some((r) => r.sameAs(current) || current.issuedBy(r))) return true;
    const next = pool.find((c) => !c.sameAs(current) && current.issuedBy(c));
    if (!next) return false;
    current = next;
  }
  return false;
}

function checkOne(file: Buffer, field: SigField, roots: Certificate[] | null): PdfSignatureCheck {
  const sig = field.sig;
  const subFilter = sig.lookup(name('SubFilter')) instanceof PDFName ? (sig.lookup(name('SubFilter')) as PDFName).decodeText() : null;
  const signingTime = parsePdfDate(text(sig.lookup(name('M'))));
  const brArray = sig.lookup(name('ByteRange'));
  const byteRange: number[] = [];
  if (brArray instanceof PDFArray) {
    for (let i = 0; i < brArray.size(); i++) {
      const n = brArray.lookup(i);
      byteRange.push(n instanceof PDFNumber ? n.asNumber() : Number.NaN);
    }
  }
  const result: PdfSignatureCheck = {
    fieldName: field.fieldName,
    subFilter,
    signerName: text(sig.lookup(name('Name'))),
    signer: null,
    signingTime,
    reason: text(sig.lookup(name('Reason'))),
    location: text(sig.lookup(name('Location'))),
    byteRange,
    byteRangeValid: false,
    coversWholeFile: false,
    digestValid: false,
    signatureValid: false,
    pades: false,
    certificateValidAtSigningTime: false,
    trusted: roots ? false : null,
    valid: false,
    problem: null,
  };
  const [start, len1, gapEnd, len2] = byteRange;
  const ints = byteRange.length === 4 && byteRange.every((n) => Number.isInteger(n) && n >= 0);
  // The gap must be exactly "<hex…>": the /Contents string, nothing else left unsigned.
  result.byteRangeValid =
    ints &&
    start === 0 &&
    len1! < gapEnd! &&
    gapEnd! + len2! <= file.length &&
    file[len1!] === 0x3c &&
    file[gapEnd! - 1] === 0x3e &&
    /^[0-9A-Fa-f\s]*$/.test(file.subarray(len1! + 1, gapEnd! - 1).toString('latin1'));
  if (!result.byteRangeValid) {
    result.problem = 'Vùng dữ liệu được ký (ByteRange) không hợp lệ.';
    return result;
  }
  result.coversWholeFile = gapEnd! + len2! === file.length;
  if (subFilter && !CMS_SUBFILTERS.has(subFilter)) {
    result.problem = `Chưa hỗ trợ kiểm tra loại chữ ký ${subFilter}.`;
    return result;
  }
  const ranges = [file.subarray(0, len1!), file.subarray(gapEnd!, gapEnd! + len2!)];

  let cms: ParsedSignedData;
  try {
    const hex = file
      .subarray(len1! + 1, gapEnd! - 1)
      .toString('latin1')
      .replace(/\s+/g, '');
    cms = parseSignedData(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
  } catch {
    result.problem = 'Không đọc được dữ liệu chữ ký (CMS) trong tệp.';
    return result;
  }
  const signer = cms.signer;
  if (signer) {
    result.signer = signer.info;
    result.signerName = signer.info.subjectCommonName ?? result.signerName;
    result.certificateValidAtSigningTime = signingTime ? signer.validAt(signingTime) : false;
    if (roots) result.trusted = chainTrusted(signer, cms.certificates, roots);
  }
  result.pades = cms.hasSigningCertificateV2 && cms.signingCertificateMatches;
  if (cms.digestAlgorithm) {
    const digest = createHash(cms.digestAlgorithm);
    for (const r of ranges) digest.update(r);
    const actual = digest.digest();
    // Without signed attributes the signature itself is over the content, checked below.
    result.digestValid = cms.messageDigest ? actual.equals(cms.messageDigest) : cms.signedAttributesDer === null;
  }
  result.signatureValid = !!signer && checkSignatureValue(cms, signer.x509.publicKey, ranges);
  result.valid = result.byteRangeValid && result.digestValid && result.signatureValid;
  if (!signer) result.problem = 'Tệp không kèm chứng thư số của người ký.';
  else if (!result.digestValid) result.problem = 'Nội dung tài liệu đã bị thay đổi sau khi ký (mã băm không khớp).';
  else if (!result.signatureValid) result.problem = 'Chữ ký số không khớp với chứng thư số kèm theo.';
  return result;
}

function safely<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Lists and checks every signature of a PDF, in the order of the signature fields. */
export async function verifyPdf(pdf: Uint8Array, options: VerifyOptions = {}): Promise<PdfVerification> {
  const file = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(file, { updateMetadata: false, ignoreEncryption: true, parseSpeed: ParseSpeeds.Fastest });
  } catch {
    return { readable: false, signatures: [] };
  }
  // An unreadable trust file is skipped: it must not make every signature unverifiable.
  const roots = options.trustedRoots ? options.trustedRoots.flatMap((b) => safely(() => readCertificates(b)) ?? []) : null;
  return { readable: true, signatures: signatureFields(doc).map((f) => checkOne(file, f, roots)) };
}
