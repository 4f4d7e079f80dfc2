/**
 * Lossless removal of a JPEG's metadata: the compressed image data is copied byte for byte, only the
 * segments that describe the photo rather than draw it are left out. Decoding and re-encoding a 12 MP phone
 * photo costs about 150 ms of CPU; this costs about 1 ms, so a report is accepted without waiting for sharp
 * (the ≤ 1600 px copy the board shows is made when it is first viewed: feedback.photos.ts).
 *
 * Left out: APP1 (EXIF with GPS, camera serial and time, its thumbnail, XMP), APP13 (IPTC), comments, every
 * other application segment except the JFIF header, the ICC colour profile and Adobe's colour-transform flag,
 * and anything after the image's end marker (the second image or motion-photo video some phones append).
 * The small npm packages for this drop EXIF only, lose the orientation and keep the appended data; hence this.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

export class JpegError extends Error {}

function startsWith(payload: Buffer, text: string): boolean {
  return payload.subarray(0, text.length).toString('latin1') === text;
}

/** Whether a segment before or between scans is kept. */
function keepSegment(marker: number, payload: Buffer): boolean {
  if (marker === APP0) return startsWith(payload, 'JFIF\0');
  if (marker === APP2) return startsWith(payload, 'ICC_PROFILE\0');
  if (marker === APP14) return startsWith(payload, 'Adobe');
  if (marker === COM) return false;
  return marker < 0xe0 || marker > 0xef; // tables, frame and scan headers
}

/**
 * A minimal EXIF segment holding only the orientation (TIFF, big-endian, one IFD entry 0x0112 SHORT), so a
 * photo taken sideways still shows upright without decoding and turning its pixels.
 */
function orientationSegment(orientation: number): Buffer {
  const payload = Buffer.alloc(32);
  payload.write('Exif\0\0MM\0\x2a\0\0\0\x08', 0, 'latin1');
  payload.writeUInt16BE(1, 14); // one entry
  payload.writeUInt16BE(0x0112, 16);
  payload.writeUInt16BE(3, 18); // SHORT
  payload.writeUInt32BE(1, 20); // one value
  payload.writeUInt16BE(orientation, 24);
  // bytes 26–27 pad the value, 28–31 say there is no next IFD
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A segment with a length at offset i (the 0xFF of its marker): its end offset. */
function segmentEnd(jpeg: Buffer, i: number): number {
  if (i + 4 > jpeg.length) throw new JpegError('JPEG bị cắt cụt');
  const end = i + 2 + jpeg.readUInt16BE(i + 2);
  if (end > jpeg.length) throw new JpegError('JPEG bị cắt cụt');
  return end;
}

/**
 * The kept header segments written just before the image data, in the input's own memory (the removed
 * segments made room): no new 2 MB buffer per photo. New buffers of that size are what make V8 run full
 * collections (it counts memory outside its heap), so each one avoided matters under a burst of reports.
 */
function joinInPlace(jpeg: Buffer, parts: Buffer[]): Buffer {
  const body = parts.pop() as Buffer;
  const head = Buffer.concat(parts);
  const at = body.byteOffset - jpeg.byteOffset;
  if (head.length > at) return Buffer.concat([head, body]);
  head.copy(jpeg, at - head.length);
  return jpeg.subarray(at - head.length, at + body.length);
}

/**
 * The JPEG without its metadata; the orientation (1–8) is written back when it is not the default.
 * The result shares the input's memory and the bytes before it are overwritten: the input must not be used after.
 */
export function jpegWithoutMetadata(jpeg: Buffer, orientation = 1): Buffer {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) throw new JpegError('Không phải tệp JPEG');
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  if (orientation > 1 && orientation <= 8) parts.push(orientationSegment(orientation));
  let i = 2;
  let inScan = false;
  let copyFrom = 2; // start of the bytes still to be copied verbatim
  const skip = (from: number, to: number) => {
    parts.push(jpeg.subarray(copyFrom, from));
    copyFrom = to;
  };
  while (i < jpeg.length) {
    if (inScan) {
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte), a restart marker, or a real marker.
      i = jpeg.indexOf(0xff, i);
      if (i < 0 || i + 1 >= jpeg.length) break;
    } else if (jpeg[i] !== 0xff) {
      throw new JpegError('JPEG hỏng: thiếu mã đánh dấu');
    }
    const marker = jpeg[i + 1] as number;
    if (marker === 0xff) {
      i += 1; // fill byte
    } else if (inScan && (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7))) {
      i += 2;
    } else if (marker === EOI) {
      parts.push(jpeg.subarray(copyFrom, i + 2));
      return joinInPlace(jpeg, parts);
    } else {
      const end = segmentEnd(jpeg, i);
      if (!keepSegment(marker, jpeg.subarray(i + 4, end))) skip(i, end);
      inScan = marker === SOS || inScan;
      i = end;
    }
  }
  throw new JpegError('JPEG bị cắt cụt: không có điểm kết thúc ảnh');
}
