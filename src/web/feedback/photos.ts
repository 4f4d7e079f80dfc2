/**
 * Photos are made smaller in the browser before they are queued or sent (rural connections are slow and
 * metered): at most 1600 px on the longer side, JPEG. Re-encoding also drops the EXIF block (GPS, camera)
 * from the copy; the server re-encodes again either way. The size computation is pure and tested.
 */

export const MAX_PHOTO_SIDE = 1600;
export const MAX_PHOTOS = 5;
const JPEG_QUALITY = 0.82;

/** The size to draw an image of w × h at so that its longer side is at most `max` (never enlarged). */
export function fitWithin(w: number, h: number, max = MAX_PHOTO_SIDE): { width: number; height: number; scaled: boolean } {
  if (!(w > 0 && h > 0)) return { width: 0, height: 0, scaled: false };
  const longer = Math.max(w, h);
  if (longer <= max) return { width: w, height: h, scaled: false };
  const s = max / longer;
  return { width: Math.max(1, Math.round(w * s)), height: Math.max(1, Math.round(h * s)), scaled: true };
}

/** "anh-1.jpg" … — the names the photos are sent with (the device's file names can carry personal data). */
export function photoName(index: number, type: string): string {
  const ext = type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : type === 'image/heic' ? 'heic' : 'jpg';
  return `anh-${index + 1}.${ext}`;
}

/**
 * A smaller JPEG copy of an image file. Images the browser cannot decode (HEIC on most browsers) are
 * returned as they are; the server converts them.
 */
export async function downscale(file: Blob, max = MAX_PHOTO_SIDE): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    // Always re-encoded, also when small: the copy must not carry the EXIF block (GPS) the user did not offer.
    const { width, height } = fitWithin(bitmap.width, bitmap.height, max);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
    return blob ?? file;
  } finally {
    bitmap.close();
  }
}
