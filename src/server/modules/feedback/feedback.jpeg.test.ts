/**
 * Lossless metadata removal: the pixels stay identical, EXIF/XMP/comments and appended data go, the
 * orientation stays, and what is not a whole JPEG is refused.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JpegError, jpegWithoutMetadata } from './feedback.jpeg';
import { MAX_PHOTO_EDGE, needsDisplayCopy, normalizePhoto, photoToStore } from './feedback.photos';

const exif = { IFD0: { Make: 'TestCam', Copyright: 'secret-owner' } };

async function jpeg(opts: { width?: number; height?: number; progressive?: boolean; orientation?: number } = {}) {
  const { width = 320, height = 200 } = opts;
  const img = sharp({ create: { width, height, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 80, progressive: opts.progressive ?? false })
    .withExif(exif);
  return opts.orientation ? img.withMetadata({ orientation: opts.orientation }).toBuffer() : img.toBuffer();
}

/** A COM segment and an XMP APP1 segment inserted after SOI. */
function withCommentAndXmp(input: Buffer): Buffer {
  const seg = (marker: number, text: string) => {
    const body = Buffer.from(text, 'latin1');
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, body]);
  };
  return Buffer.concat([
    input.subarray(0, 2),
    seg(0xfe, 'comment: secret-comment'),
    seg(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>secret-xmp</x:xmpmeta>'),
    input.subarray(2),
  ]);
}

const pixels = async (b: Buffer) => (await sharp(b).raw().toBuffer()).toString('base64');
/** The function reuses its input's memory: tests keep their own copy. */
const strip = (input: Buffer, orientation?: number) => jpegWithoutMetadata(Buffer.from(input), orientation);

describe('jpegWithoutMetadata', () => {
  it('keeps every pixel and drops EXIF, XMP and comments', async () => {
    const input = withCommentAndXmp(await jpeg());
    const out = strip(input);
    for (const secret of ['secret-owner', 'secret-comment', 'secret-xmp', 'TestCam']) {
      expect(input.includes(Buffer.from(secret))).toBe(true);
      expect(out.includes(Buffer.from(secret))).toBe(false);
    }
    expect((await sharp(out).metadata()).exif).toBeUndefined();
    expect(await pixels(out)).toBe(await pixels(input));
    expect(out.length).toBeLessThan(input.length);
  });

  it('keeps progressive JPEGs whole (tables between scans)', async () => {
    const input = await jpeg({ progressive: true });
    const out = strip(input);
    expect((await sharp(out).metadata()).isProgressive).toBe(true);
    expect(await pixels(out)).toBe(await pixels(input));
  });

  it('drops what a phone appends after the image (motion-photo video, second image)', async () => {
    const input = await jpeg();
    const out = strip(Buffer.concat([input, Buffer.from('ftypmp42 secret-video')]));
    expect(out.includes(Buffer.from('secret-video'))).toBe(false);
    expect(out.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('writes the orientation back, and nothing else of the EXIF', async () => {
    const input = await jpeg({ orientation: 6 });
    expect((await sharp(input).metadata()).orientation).toBe(6);
    expect(input.includes(Buffer.from('secret-owner'))).toBe(true);
    const out = strip(input, 6);
    const meta = await sharp(out).metadata();
    expect(meta.orientation).toBe(6);
    expect(out.includes(Buffer.from('secret-owner'))).toBe(false);
    // Turned upright when displayed: 320×200 taken sideways shows as 200×320.
    const upright = await sharp(out).rotate().toBuffer({ resolveWithObject: true });
    expect([upright.info.width, upright.info.height]).toEqual([200, 320]);
  });

  it('writes the result into the memory of the input when the removed segments make room, else into a new buffer', async () => {
    const input = await jpeg();
    const reused = jpegWithoutMetadata(input);
    expect(reused.buffer).toBe(input.buffer);
    const bare = strip(input); // no metadata left to remove: an orientation segment does not fit before the data
    const turned = jpegWithoutMetadata(Buffer.from(bare), 3);
    expect(turned.buffer).not.toBe(bare.buffer);
    expect((await sharp(turned).metadata()).orientation).toBe(3);
    expect(await pixels(turned)).toBe(await pixels(bare));
  });

  it('refuses what is not a whole JPEG', async () => {
    const input = await jpeg();
    expect(() => jpegWithoutMetadata(Buffer.from('not a jpeg at all'))).toThrow(JpegError);
    expect(() => jpegWithoutMetadata(input.subarray(0, input.length - 200))).toThrow(JpegError);
    expect(() => jpegWithoutMetadata(input.subarray(0, 30))).toThrow(JpegError);
  });
});

describe('photoToStore', () => {
  it('stores a large JPEG at full size without metadata, and marks it for a display copy', async () => {
    const input = await jpeg({ width: 2400, height: 1800 });
    const stored = await photoToStore(input);
    expect([stored.width, stored.height]).toEqual([2400, 1800]);
    expect(stored.bytes.includes(Buffer.from('secret-owner'))).toBe(false);
    expect(await needsDisplayCopy(stored.bytes)).toBe(true);
    const display = await normalizePhoto(stored.bytes);
    expect([display.width, display.height]).toEqual([MAX_PHOTO_EDGE, 1200]);
  });

  it('re-encodes other formats as JPEG of at most 1600 px', async () => {
    const png = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const stored = await photoToStore(png);
    expect((await sharp(stored.bytes).metadata()).format).toBe('jpeg');
    expect([stored.width, stored.height]).toEqual([1600, 800]);
    expect(await needsDisplayCopy(stored.bytes)).toBe(false);
  });

  it('refuses bytes that are not an image', async () => {
    await expect(photoToStore(Buffer.from('not an image'))).rejects.toThrow();
  });
});
