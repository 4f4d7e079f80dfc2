import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { installNativeDeflate } from './deflate';

describe("pdf-lib's deflate through zlib", () => {
  it('compresses streams that inflate back to their contents, as FlateDecode', async () => {
    installNativeDeflate();
    installNativeDeflate(); // idempotent
    const doc = await PDFDocument.create();
    const text = 'BT /F1 12 Tf (Giay tiep nhan) Tj ET\n'.repeat(200);
    const stream = doc.context.flateStream(text);
    expect(stream).toBeInstanceOf(PDFRawStream);
    expect(stream.contents.length).toBeLessThan(text.length / 10);
    expect(inflateSync(stream.contents).toString()).toBe(text);
    // A whole document still loads after saving (page contents, object streams).
    doc.addPage().drawText('TinhSo', { x: 20, y: 700 });
    const again = await PDFDocument.load(await doc.save());
    expect(again.getPageCount()).toBe(1);
  });
});
