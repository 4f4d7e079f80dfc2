/**
 * The visible box of a signature: a thin frame, an optional image (handwritten signature or seal) on the
 * left and lines of Vietnamese text, drawn as a form XObject in the DejaVu Sans font (embedded, subset).
 * The text shrinks from 10 pt (the size NĐ 30/2020 asks for the signing information) down to 5 pt and
 * wraps at spaces until it fits the box.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type PDFDocument, type PDFFont, PDFName, type PDFRef } from 'pdf-lib';
import { installNativeDeflate } from '../pdf/deflate';
import { cachingFontkit } from '../pdf/fontkit';
import { SigningError } from './signer';

installNativeDeflate();

const PADDING = 4;
const MAX_SIZE = 10;
const MIN_SIZE = 5;
const LEADING = 1.22;

let fontBytes: Promise<Buffer> | undefined;

function loadFont(): Promise<Buffer> {
  fontBytes ??= readFile(
    path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'),
  ).catch((err: unknown) => {
    fontBytes = undefined; // let the next call retry
    throw err;
  });
  return fontBytes;
}

/** Splits `text` into lines no wider than `width` at `size` (at spaces; a word too long is cut). */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while (!fits(line) && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

export interface AppearanceSpec {
  width: number;
  height: number;
  lines: string[];
  image?: Uint8Array;
}

/** Draws the box into `doc` and returns the reference of its form XObject. */
export async function drawAppearance(doc: PDFDocument, spec: AppearanceSpec): Promise<PDFRef> {
  const { width: w, height: h } = spec;
  doc.registerFontkit(cachingFontkit);
  const font = await doc.embedFont(await loadFont(), { subset: true });
  const ops: string[] = [
    'q',
    '0.97 0.98 1 rg',
    `0 0 ${num(w)} ${num(h)} re f`,
    '0.13 0.27 0.6 RG 0.75 w',
    `0.38 0.38 ${num(w - 0.75)} ${num(h - 0.75)} re S`,
    'Q',
  ];
  const ctx = doc.context;
  const resources = ctx.obj({ Font: { F1: font.ref } });

  let textLeft = PADDING;
  if (spec.image) {
    let image: Awaited<ReturnType<PDFDocument['embedPng']>>;
    try {
      image = await doc.embedPng(spec.image);
    } catch {
      throw new SigningError('bad_appearance', 'Ảnh chữ ký/con dấu phải là tệp PNG hợp lệ.');
    }
    await image.embed();
    const boxH = h - 2 * PADDING;
    const scale = Math.min(boxH / image.height, (w * 0.4) / image.width);
    const iw = image.width * scale;
    const ih = image.height * scale;
    ops.push('q', `${num(iw)} 0 0 ${num(ih)} ${num(PADDING)} ${num((h - ih) / 2)} cm`, '/Im1 Do', 'Q');
    resources.set(PDFName.of('XObject'), ctx.obj({ Im1: image.ref }));
    textLeft = PADDING * 2 + iw;
  }

  const textWidth = w - textLeft - PADDING;
  const textHeight = h - 2 * PADDING;
  let size = MAX_SIZE;
  let laidOut: string[] = [];
  for (; size >= MIN_SIZE; size -= 0.5) {
    laidOut = spec.lines.flatMap((l) => wrap(font, l, size, textWidth));
    if (laidOut.length * size * LEADING <= textHeight) break;
  }
  if (size < MIN_SIZE) {
    throw new SigningError('bad_appearance', 'Khung chữ ký quá nhỏ so với nội dung cần hiển thị.');
  }
  const lead = size * LEADING;
  // Centre the block vertically; the first baseline sits one ascent below the block's top.
  const top = (h + laidOut.length * lead) / 2 - size * 0.95;
  ops.push('BT', `/F1 ${num(size)} Tf`, '0 0 0 rg');
  laidOut.forEach((line, i) => {
    ops.push(`1 0 0 1 ${num(textLeft)} ${num(top - i * lead)} Tm`, `${font.encodeText(line).toString()} Tj`);
  });
  ops.push('ET');
  // Embeds only the glyphs encoded above.
  await font.embed();

  const stream = ctx.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, w, h],
    Resources: resources,
  });
  return ctx.register(stream);
}
