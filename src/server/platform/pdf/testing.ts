/**
 * Test helpers for the QR codes that `drawQr` puts in a page's content stream: find them again, compare them with the
 * reference symbol of a text, and check them on the page as poppler renders it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFArray, type PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import { qrModules } from './qr';

export interface DrawnQr {
  /** 0-based page index. */
  page: number;
  /** Bottom-left corner and side of the square (quiet zone included), in points. */
  x: number;
  y: number;
  size: number;
  /** Side of one module, in points. */
  module: number;
  /** Dark modules as "row,col". */
  dark: Set<string>;
}

/** The page's content streams, decoded and joined. */
export function pageContent(doc: PDFDocument, index: number): string {
  const page = doc.getPages()[index];
  if (!page) throw new Error(`no page ${index}`);
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref as PDFRef)) : [contents];
  return streams
    .map((s) => {
      if (!(s instanceof PDFRawStream)) return '';
      const flate = s.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode');
      return Buffer.from(flate ? inflateSync(s.contents) : s.contents).toString('latin1');
    })
    .join('\n');
}

const NUM = String.raw`(-?[\d.]+)`;
const QR_PATH = new RegExp(String.raw`q\n${NUM} 0 0 ${NUM} ${NUM} ${NUM} cm\n0 g\n((?:\d+ \d+ \d+ 1 re\n)+)f\nQ`, 'g');

/** Every QR symbol drawn on the document's pages, in page order. */
export function drawnQrs(doc: PDFDocument): DrawnQr[] {
  const out: DrawnQr[] = [];
  doc.getPages().forEach((_, page) => {
    for (const m of pageContent(doc, page).matchAll(QR_PATH)) {
      const module = Number(m[1]);
      const dark = new Set<string>();
      for (const rect of m[5]!.trim().split('\n')) {
        const [col, row, width] = rect.split(' ').map(Number) as [number, number, number];
        for (let c = col; c < col + width; c++) dark.add(`${row},${c}`);
      }
      const left = Number(m[3]) - module;
      const top = Number(m[4]) + module;
      let modules = 0;
      for (const key of dark) modules = Math.max(modules, ...key.split(',').map(Number));
      const size = module * (modules + 3);
      out.push({ page, x: left, y: top - size, size, module, dark });
    }
  });
  return out;
}

/** Modules where the drawn symbol differs from the reference symbol of `text` (error correction M). */
export function qrMismatches(qr: DrawnQr, text: string): number {
  const symbol = qrModules(text, 'M');
  let bad = 0;
  for (let row = 0; row < symbol.size; row++) {
    for (let col = 0; col < symbol.size; col++) if (symbol.dark(row, col) !== qr.dark.has(`${row},${col}`)) bad++;
  }
  // A module drawn outside the symbol is wrong too.
  for (const key of qr.dark) {
    const [row, col] = key.split(',').map(Number) as [number, number];
    if (row >= symbol.size || col >= symbol.size) bad++;
  }
  return bad;
}

export const hasPdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Renders the QR's page with poppler (grey, `dpi`) and samples the centre of every module and of the quiet zone:
 * returns how many are not as dark or light as the reference symbol of `text` wants them.
 */
export function renderedQrMismatches(pdf: Uint8Array, qr: DrawnQr, text: string, pageHeight: number, dpi = 216): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-qr-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, pdf);
    const page = String(qr.page + 1);
    execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', page, '-l', page, '-singlefile', file, path.join(dir, 'page')]);
    const pgm = fs.readFileSync(path.join(dir, 'page.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('not a PGM');
    const width = Number(header[1]);
    const pixels = pgm.subarray(header[0].length);
    const scale = dpi / 72;
    const symbol = qrModules(text, 'M');
    let bad = 0;
    for (let row = -1; row <= symbol.size; row++) {
      for (let col = -1; col <= symbol.size; col++) {
        const want = row >= 0 && col >= 0 && row < symbol.size && col < symbol.size && symbol.dark(row, col);
        const px = Math.round((qr.x + (col + 1.5) * qr.module) * scale);
        const py = Math.round((pageHeight - (qr.y + qr.size - (row + 1.5) * qr.module)) * scale);
        const dark = pixels[py * width + px]! < 128;
        if (dark !== want) bad++;
      }
    }
    return bad;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
