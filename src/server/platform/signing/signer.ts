/**
 * The signing port: what the rest of the server sees of a digital signature on a PDF.
 *
 * Two layers, so that where the private key lives is a configuration choice:
 * - `Signer` signs a whole PDF (PAdES: incremental update, signature field, CMS). One implementation,
 *   `createPadesSigner(key)` in ./pades, serves every provider.
 * - `SigningKey` is the only thing a provider supplies: the certificate chain and a function that signs
 *   bytes with the private key. The `pkcs12` provider (./pkcs12) reads a .p12/.pfx file.
 *
 * Providers for later, same `SigningKey` shape, nothing else to change:
 * - HSM / USB token through PKCS#11 (e.g. the Ban Cơ yếu Chính phủ tokens): find the certificate and key
 *   objects by label, `sign` = C_Sign with CKM_SHA256_RSA_PKCS (or CKM_ECDSA over a SHA-256 digest,
 *   converted to DER); the key never leaves the device.
 * - Remote signing service speaking the Cloud Signature Consortium API (CSC v2, used by the Vietnamese
 *   remote-signing CAs): `credentials/info` gives the chain, `sign` = `signatures/signHash` with the
 *   SHA-256 of the bytes after `credentials/authorize` (SAD); it may need the signer's OTP, so the
 *   provider will ask for it through the call that triggers signing.
 */
import { Problem } from '../http/problem';
import type { CertificateInfo } from './x509';

export type { CertificateInfo } from './x509';

/** A visible signature box. */
export interface SignatureAppearance {
  /** Zero-based page index; negative counts from the end (-1 = last page). */
  page: number;
  /** [x, y, width, height] in PDF points (1/72 inch) from the bottom-left corner of the page. */
  rect: [number, number, number, number];
  /**
   * Lines of text, e.g. "Ký bởi: SỞ TƯ PHÁP TỈNH ĐẮK LẮK". `{signer}` is replaced by the certificate's
   * common name and `{time}` by the signing time ("24/11/2026 09:15", Vietnam time). When absent or
   * empty: "Ký bởi: {signer}" and "Thời gian ký: {time}". Long lines wrap; the font shrinks to fit.
   */
  lines?: string[];
  /** Optional PNG (transparent background) drawn on the left of the box: a handwritten signature or a seal. */
  image?: Uint8Array;
}

export interface SignOptions {
  /** Why the document is signed (/Reason), e.g. "Phê duyệt kết quả giải quyết thủ tục hành chính". */
  reason: string;
  /** Where (/Location), e.g. "Đắk Lắk". */
  location: string;
  /** Name of the signer shown by PDF readers (/Name); defaults to the certificate's common name. */
  signerName?: string;
  /** How to reach the signer (/ContactInfo). */
  contactInfo?: string;
  /** A visible box; null or absent gives an invisible signature. */
  appearance?: SignatureAppearance | null;
  /** Name of the new signature field; must not exist yet. Default: the first free "Signature<n>". */
  fieldName?: string;
}

export interface Signer {
  /**
   * Signs the PDF and returns the signed file: the input bytes unchanged, followed by an incremental update
   * holding the signature (so earlier signatures stay valid). PAdES baseline B-B: subfilter
   * ETSI.CAdES.detached, SHA-256, signed attributes content-type, message-digest and ESS
   * signing-certificate-v2; the signing time is the /M entry of the signature dictionary.
   */
  sign(pdf: Uint8Array, opts: SignOptions): Promise<Uint8Array>;
  /** The signing certificate. */
  describe(): CertificateInfo;
}

/** What a provider supplies: a certificate chain and a private-key operation. */
export interface SigningKey {
  /** The signing certificate (DER) first, then its issuers. */
  readonly chain: readonly Uint8Array[];
  readonly keyType: 'rsa' | 'ec';
  /** Largest signature `sign` can return, in bytes (room is reserved in the PDF before signing). */
  readonly maxSignatureBytes: number;
  /** Signs `data` with SHA-256: PKCS#1 v1.5 for RSA, DER-encoded ECDSA for EC keys. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export type SigningErrorReason =
  | 'no_certificate'
  | 'bad_password'
  | 'bad_keystore'
  | 'not_configured'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'certificate_key_usage'
  | 'invalid_pdf'
  | 'encrypted_pdf'
  | 'document_locked'
  | 'field_exists'
  | 'bad_appearance';

const INPUT_REASONS: ReadonlySet<SigningErrorReason> = new Set([
  'invalid_pdf',
  'encrypted_pdf',
  'document_locked',
  'field_exists',
  'bad_appearance',
]);

/**
 * Signing failed, with a Vietnamese explanation. A Problem, so a route that lets it through answers 422 for
 * a document that cannot be signed and 503 when the agency's certificate is missing, unusable or expired.
 */
export class SigningError extends Problem {
  constructor(
    readonly reason: SigningErrorReason,
    detail: string,
  ) {
    const input = INPUT_REASONS.has(reason);
    super(input ? 422 : 503, `signing_${reason}`, input ? 'Không ký số được tài liệu' : 'Chữ ký số chưa sẵn sàng', detail);
    this.name = 'SigningError';
  }
}
