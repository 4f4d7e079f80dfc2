/**
 * The signing block: PAdES digital signatures on PDF for e-results (decisions, certificates, licences) and
 * official documents (a person's signature, then the agency seal), and their verification.
 *
 *   const signer = await platform.signing.signerFor(agency.code);
 *   const signed = await signer.sign(pdf, { reason: 'Phê duyệt kết quả', location: 'Đắk Lắk',
 *     appearance: { page: -1, rect: [330, 60, 220, 50] } });
 *   const report = await platform.signing.verify(signed);
 *
 * See docs/signing.md.
 */
import path from 'node:path';
import type { Config } from '../../config';
import { type DemoAgency, ensureDemoCa } from './demo-ca';

export { type DemoAgency, type DemoCaResult, demoCaReport, ensureDemoCa } from './demo-ca';
export { createPadesSigner, PADES_SUBFILTER } from './pades';
export { readPkcs12 } from './pkcs12';
export type { CertificateInfo, SignatureAppearance, Signer, SigningKey, SignOptions } from './signer';
export { SigningError, type SigningErrorReason } from './signer';
export { createSigning, type SigningService } from './signing.service';
export { type PdfSignatureCheck, type PdfVerification, type VerifyOptions, verifyPdf } from './verify';

/** The demo CA under the configured folders (`npm run signing:demo-ca`, and `npm start` in demo mode). */
export function ensureConfiguredDemoCa(config: Config, agencies: DemoAgency[]) {
  return ensureDemoCa({
    signingDir: path.join(config.dataDir, 'signing'),
    p12Dir: config.signing.p12Dir,
    trustDir: config.signing.trustDir,
    password: config.signing.p12Password,
    agencies,
    provinceName: config.provinceName,
  });
}
