import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { cachingFontkit } from './fontkit';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const fontFile = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSerifCondensed.ttf',
);
const bytes = readFileSync(fontFile);

async function pdfWith(text: string, kit: typeof fontkit = cachingFontkit): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(kit);
  const font = await doc.embedFont(bytes, { subset: true });
  text.split('\n').forEach((line, i) => {
    font.widthOfTextAtSize(line, 12);
    doc.addPage().drawText(line, { x: 20, y: 700 - 20 * i, size: 12, font });
  });
  return doc.save({ useObjectStreams: false });
}

/** Every object of the file, streams inflated: what a reader sees, whatever the compressor. */
async function objectsOf(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.context.enumerateIndirectObjects().map(([ref, obj]) => {
    // The info dictionary's dates are the time of saving.
    if (!(obj instanceof PDFRawStream)) return `${ref} ${String(obj).replace(/\/(ModDate|CreationDate) \(D:\d+Z\)/g, '')}`;
    const flate = obj.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode');
    return `${ref} ${Buffer.from(flate ? inflateSync(obj.contents) : obj.contents).toString('hex')}`;
  });
}

describe('fontkit with fonts parsed once', () => {
  it('parses a font file once and gives each document its own glyph cache', () => {
    const a = cachingFontkit.create(bytes);
    const b = cachingFontkit.create(bytes);
    expect(a).not.toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  });

  it('makes the same documents as plain fontkit once shapes, metrics and subset glyphs are shared', async () => {
    const texts = [
      'ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nGiải quyết chế độ trợ cấp',
      'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nU u Ủ ủ Ư ư Ứ fi fl ffi',
      'Nguyễn Thị Hồng Nhung\nỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nUÙÚỦŨỤ',
      'ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nGiải quyết chế độ trợ cấp',
    ];
    // Twice: the second round finds every string already shaped and every glyph already read.
    for (const _round of [1, 2]) {
      for (const text of texts) {
        expect(await objectsOf(await pdfWith(text))).toEqual(await objectsOf(await pdfWith(text, fontkit)));
      }
    }
  });

  it('writes the same font file as fontkit, compound glyphs and long glyph offsets included', async () => {
    const encoded = (font: ReturnType<typeof fontkit.create>, ids: number[]) => {
      const subset = font.createSubset();
      for (const id of ids) subset.includeGlyph(id);
      return new Promise<Buffer>((resolve) => {
        const parts: Uint8Array[] = [];
        subset
          .encodeStream()
          .on('data', (b) => parts.push(b))
          .on('end', () => resolve(Buffer.concat(parts)));
      });
    };
    const plain = fontkit.create(bytes);
    const shared = cachingFontkit.create(bytes);
    const letters = [...'Ủy ban nhân dân TỈNH ĐẮK LẮK 0123'].map((ch) => plain.glyphForCodePoint(ch.codePointAt(0)!).id);
    // 1,500 glyphs: the glyph data passes 64 KB, so loca switches to 32-bit offsets.
    const many = Array.from({ length: 1500 }, (_, i) => i + 1);
    for (const ids of [[], letters, many, letters]) {
      const expected = await encoded(plain, ids);
      expect((await encoded(shared, ids)).equals(expected)).toBe(true);
    }
    const file = await encoded(shared, many);
    const head = [...Array(file.readUInt16BE(4)).keys()]
      .map((i) => 12 + 16 * i)
      .find((at) => file.toString('latin1', at, at + 4) === 'head')!;
    expect(file.readInt16BE(file.readUInt32BE(head + 8) + 50)).toBe(1); // indexToLocFormat: long offsets
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
