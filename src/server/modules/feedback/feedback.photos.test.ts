/**
 * Photo normalisation: large photos are scaled to 1600 px, small ones kept, EXIF removed, output JPEG.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_EDGE, normalizePhoto } from './feedback.photos';

const photo = (width: number, height: number, exif = false) => {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 60 } } }).jpeg();
  return (exif ? img.withExif({ IFD0: { Make: 'TestCam', Copyright: 'secret-owner' } }) : img).toBuffer();
};

describe('normalizePhoto', () => {
  it('scales the longer side down to 1600 px and keeps the aspect ratio', async () => {
    const out = await normalizePhoto(await photo(4000, 3000));
    expect([out.width, out.height]).toEqual([MAX_PHOTO_EDGE, 1200]);
    expect((await sharp(out.bytes).metadata()).format).toBe('jpeg');
  });

  it('does not enlarge small photos', async () => {
    const out = await normalizePhoto(await photo(800, 600));
    expect([out.width, out.height]).toEqual([800, 600]);
  });

  it('strips EXIF metadata', async () => {
    const input = await photo(1000, 800, true);
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await normalizePhoto(input);
    expect((await sharp(out.bytes).metadata()).exif).toBeUndefined();
    expect(out.bytes.includes(Buffer.from('secret-owner'))).toBe(false);
  });

  it('refuses bytes that are not an image', async () => {
    await expect(normalizePhoto(Buffer.from('not an image'))).rejects.toThrow();
  });
});
