import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { drawQr, qrModules } from './qr';
import { drawnQrs, hasPdftoppm, pageContent, qrMismatches, renderedQrMismatches } from './testing';

const URL_A = 'https://dichvucong.daklak.gov.vn/tra-cuu/H66.201-261124-0001';
const URL_B = 'https://dichvucong.daklak.gov.vn/tra-cuu/H66.201-261124-0002';

async function pageWithQr(text: string, box = { x: 40, y: 300, size: 72 }) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 500]);
  drawQr(page, text, box);
  const bytes = await doc.save();
  return { bytes, doc: await PDFDocument.load(bytes) };
}

describe('QR code drawn as vector modules', () => {
  it('draws the symbol of the text in the square, a one-module quiet zone inside it', async () => {
    const { doc } = await pageWithQr(URL_A);
    const [qr] = drawnQrs(doc);
    expect(qr).toBeDefined();
    const n = qrModules(URL_A).size;
    expect(qr!.module).toBeCloseTo(72 / (n + 2), 6);
    expect(qr!.x).toBeCloseTo(40, 6);
    expect(qr!.y).toBeCloseTo(300, 6);
    expect(qr!.size).toBeCloseTo(72, 6);
    expect(qrMismatches(qr!, URL_A)).toBe(0);
    expect(qrMismatches(qr!, URL_B)).toBeGreaterThan(0);
  });

  it('needs no image: the page has no XObject and one fill', async () => {
    const { doc } = await pageWithQr(URL_A);
    expect(doc.getPages()[0]!.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict)?.keys() ?? []).toEqual([]);
    const content = pageContent(doc, 0);
    expect(content).not.toContain(' Do');
    expect(content.match(/^f$/gm)).toHaveLength(1);
  });

  it.skipIf(!hasPdftoppm)('renders with poppler as the reference symbol, quiet zone light', async () => {
    const { bytes, doc } = await pageWithQr(URL_A);
    const [qr] = drawnQrs(doc);
    expect(renderedQrMismatches(bytes, qr!, URL_A, 500)).toBe(0);
    expect(renderedQrMismatches(bytes, qr!, URL_B, 500)).toBeGreaterThan(0);
  });
});
