/**
 * A QR code drawn as vector rectangles in the page's content stream. A PNG would be rendered, encoded, decoded
 * again by pdf-lib and re-compressed for every document (a quarter of the CPU of a one-page form); the vector
 * symbol is a few hundred bytes, prints sharp at any size and scans the same.
 *
 * Geometry: the square of side `size` holds the symbol plus a quiet zone of one module on each side (as the PNG
 * made with `margin: 1` did). The modules are drawn in module units under one transformation matrix (y down, origin
 * at the top-left module), each row's runs of dark modules as one rectangle, all filled as one path so adjacent
 * rectangles leave no hairline seams.
 */
import {
  concatTransformationMatrix,
  fill,
  type PDFOperator,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
} from 'pdf-lib';
import QRCode from 'qrcode';

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Dark modules of the symbol, row by row (size × size). */
export function qrModules(
  text: string,
  errorCorrectionLevel: QrErrorCorrection = 'M',
): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel });
  return { size: modules.size, dark: (row, col) => Boolean(modules.get(row, col)) };
}

/** Operators drawing the symbol of `text` in the square whose bottom-left corner is (x, y). */
export function qrOperators(text: string, box: { x: number; y: number; size: number }, level: QrErrorCorrection = 'M'): PDFOperator[] {
  const symbol = qrModules(text, level);
  const n = symbol.size;
  const module = box.size / (n + 2);
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    // Module space: x to the right, y down, (0, 0) at the top-left corner of the first module.
    concatTransformationMatrix(module, 0, 0, -module, box.x + module, box.y + box.size - module),
    setFillingGrayscaleColor(0),
  ];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!symbol.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && symbol.dark(row, col)) col++;
      ops.push(rectangle(start, row, col - start, 1));
    }
  }
  ops.push(fill(), popGraphicsState());
  return ops;
}

/** Draws the QR code of `text` on the page, its quiet zone included in `size`. */
export function drawQr(page: PDFPage, text: string, box: { x: number; y: number; size: number }, level: QrErrorCorrection = 'M'): void {
  page.pushOperators(...qrOperators(text, box, level));
}
