/**
 * Photos of field reports. What is stored is the photo without its metadata (EXIF GPS position, camera
 * serial, time; see feedback.jpeg.ts): a JPEG keeps its compressed data byte for byte, so accepting a report
 * costs no decoding; any other format is re-encoded as JPEG. What the board and the office show is a copy of
 * at most 1600 px on the longer side, made by sharp the first time it is asked for (displayCopy). When the
 * reporter allows it (useExifLocation), the GPS position is read from the original's EXIF before it is stripped.
 */
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { jpegWithoutMetadata } from './feedback.jpeg';

export const MAX_PHOTO_EDGE = 1600;

export interface StoredPhoto {
  bytes: Buffer;
  width: number;
  height: number;
}

/** Resized to at most 1600 px and re-encoded as JPEG; re-encoding writes no metadata. */
export async function normalizePhoto(input: Buffer): Promise<StoredPhoto> {
  const meta = await sharp(input).metadata();
  // Auto-orientation costs a fifth of the time: only photos that need it are turned.
  const image = (meta.orientation ?? 1) > 1 ? sharp(input).rotate() : sharp(input);
  const { data, info } = await image
    .resize({ width: MAX_PHOTO_EDGE, height: MAX_PHOTO_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/**
 * The photo as it is stored: a JPEG without its metadata (orientation kept), anything else normalised.
 * Throws when the bytes are not an image sharp can read.
 */
export async function photoToStore(input: Buffer): Promise<StoredPhoto> {
  const meta = await sharp(input).metadata();
  if (meta.format !== 'jpeg' || !meta.width || !meta.height) return normalizePhoto(input);
  return { bytes: jpegWithoutMetadata(input, meta.orientation ?? 1), width: meta.width, height: meta.height };
}

/** Whether a stored photo is larger than what the board shows (it then gets a display copy). */
export async function needsDisplayCopy(stored: Buffer): Promise<boolean> {
  const { width = 0, height = 0 } = await sharp(stored).metadata();
  return Math.max(width, height) > MAX_PHOTO_EDGE;
}

/** Degrees/minutes/seconds with a hemisphere letter → signed decimal degrees. */
function decimal(dms: number[] | undefined, ref: string | undefined): number | null {
  if (!dms || dms.length < 1 || dms.some((n) => !Number.isFinite(n))) return null;
  const [d = 0, m = 0, s = 0] = dms;
  const value = d + m / 60 + s / 3600;
  return ref === 'S' || ref === 'W' ? -value : value;
}

/** The GPS position in the photo's EXIF, or null (no EXIF, no GPS, or unreadable: a photo is never refused for it). */
export async function exifLocation(input: Buffer): Promise<{ lon: number; lat: number } | null> {
  try {
    const { exif } = await sharp(input).metadata();
    if (!exif) return null;
    const gps = exifReader(exif).GPSInfo;
    const lat = decimal(gps?.GPSLatitude, gps?.GPSLatitudeRef);
    const lon = decimal(gps?.GPSLongitude, gps?.GPSLongitudeRef);
    if (lat === null || lon === null || (lat === 0 && lon === 0)) return null;
    return { lon, lat };
  } catch {
    return null;
  }
}
