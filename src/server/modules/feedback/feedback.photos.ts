/**
 * Photos of field reports: resized to at most 1600 px on the longer side and re-encoded as JPEG with sharp.
 * Re-encoding writes no metadata, so EXIF (GPS position, camera serial, time) is stripped; the EXIF
 * orientation is applied to the pixels first so the photo stays upright. Reading the GPS position from EXIF
 * (useExifLocation) is NOT implemented yet: sharp gives the raw EXIF buffer only, and parsing its GPS IFD
 * needs a small TIFF reader (see docs/feedback.md).
 */
import sharp from 'sharp';

export const MAX_PHOTO_EDGE = 1600;

export interface NormalizedPhoto {
  bytes: Buffer;
  width: number;
  height: number;
  /** Whether the original carried EXIF metadata (now removed). */
  hadExif: boolean;
}

export async function normalizePhoto(input: Buffer): Promise<NormalizedPhoto> {
  const meta = await sharp(input).metadata();
  const { data, info } = await sharp(input)
    .rotate()
    .resize({ width: MAX_PHOTO_EDGE, height: MAX_PHOTO_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, hadExif: meta.exif !== undefined };
}
