import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { cachingFontkit } from './fontkit';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const fontFile = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSerifCondensed.ttf',
);
const bytes = readFileSync(fontFile);

async function pdfWith(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  const font = await doc.embedFont(bytes, { subset: true });
  doc.addPage().drawText(text, { x: 20, y: 700, size: 12, font });
  return doc.save();
}

describe('fontkit with fonts parsed once', () => {
  it('parses a font file once and gives each document its own glyph cache', () => {
    const a = cachingFontkit.create(bytes);
    const b = cachingFontkit.create(bytes);
    expect(a).not.toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  });

  it.skipIf(!hasPdftotext)(
    'keeps every letter extractable in later documents (a letter met first as part of an accented one)',
    async () => {
      // "Ủ" is drawn from U + hook: the first document meets U only as a component.
      const first = await pdfWith('ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK');
      const second = await pdfWith('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
      const text = (pdf: Uint8Array) =>
        execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(pdf) })
          .toString()
          .trim();
      expect(text(first)).toBe('ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK');
      expect(text(second)).toBe('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
    },
  );
});
