/**
 * Just enough ASN.1 DER to build and read CMS SignedData and X.509 fields byte-exactly.
 *
 * Encoding helpers return complete TLVs as Buffers. The reader keeps the position of every node in the
 * input, so a field can be taken back out unchanged (a signature covers exact bytes: re-encoding a parsed
 * tree is never safe). It accepts BER indefinite lengths as well, because signatures made by other
 * software sometimes use them in the outer ContentInfo.
 */

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const seq = (...items: Uint8Array[]) => tlv(TAG.SEQUENCE, Buffer.concat(items));

/** A DER SET OF: its elements sorted by their encodings (X.690 11.6); signed attributes must be DER. */
export function setOf(items: Uint8Array[]): Buffer {
  const sorted = [...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return tlv(TAG.SET, Buffer.concat(sorted));
}

export const octetString = (bytes: Uint8Array) => tlv(TAG.OCTET_STRING, bytes);
export const derNull = () => Buffer.from([TAG.NULL, 0]);

/** INTEGER from a non-negative JS number. */
export function integer(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(TAG.INTEGER, Buffer.from(bytes));
}

/** Context-specific constructed tag [n] (EXPLICIT wrapping, or IMPLICIT of a constructed type). */
export const contextTag = (n: number, content: Uint8Array) => tlv(0xa0 | n, content);

export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [];
  // The first two arcs share one subidentifier (40·a + b), which may itself take several bytes.
  for (const id of [40 * a + b, ...rest]) {
    const chunk: number[] = [];
    let v = id;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** AlgorithmIdentifier; `withNull` adds the NULL parameters RSA algorithms carry. */
export const algorithm = (dotted: string, withNull = false) => (withNull ? seq(oid(dotted), derNull()) : seq(oid(dotted)));

// ---------------------------------------------------------------------------------------------------------------
// Reading

export interface Node {
  tag: number;
  /** Offset of the tag byte in the input. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content (for indefinite lengths: before the end-of-contents octets). */
  contentEnd: number;
  /** Offset just past the whole element. */
  end: number;
  children: Node[];
  input: Buffer;
}

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

const MAX_DEPTH = 64;

function readNode(input: Buffer, pos: number, limit: number, depth: number): Node {
  if (depth > MAX_DEPTH) throw new DerError('ASN.1 lồng quá sâu');
  if (pos + 2 > limit) throw new DerError('ASN.1 bị cắt cụt');
  const tag = input[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('thẻ ASN.1 nhiều byte không được hỗ trợ');
  let p = pos + 1;
  const first = input[p++]!;
  const constructed = (tag & 0x20) !== 0;
  let contentEnd: number;
  let end: number;
  const children: Node[] = [];
  if (first === 0x80) {
    if (!constructed) throw new DerError('độ dài không xác định trên kiểu nguyên thủy');
    let q = p;
    for (;;) {
      if (q + 2 > limit) throw new DerError('thiếu dấu kết thúc ASN.1');
      if (input[q] === 0 && input[q + 1] === 0) break;
      const child = readNode(input, q, limit, depth + 1);
      children.push(child);
      q = child.end;
    }
    contentEnd = q;
    end = q + 2;
  } else {
    let len = first;
    if (first & 0x80) {
      const n = first & 0x7f;
      if (n > 4) throw new DerError('độ dài ASN.1 quá lớn');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + input[p++]!;
    }
    contentEnd = p + len;
    end = contentEnd;
    if (end > limit) throw new DerError('ASN.1 bị cắt cụt');
    if (constructed) {
      for (let q = p; q < contentEnd; ) {
        const child = readNode(input, q, contentEnd, depth + 1);
        children.push(child);
        q = child.end;
      }
    }
  }
  return { tag, start: pos, contentStart: p, contentEnd, end, children, input };
}

/** Parses one element at the start of `input` (trailing bytes, such as PDF zero padding, are ignored). */
export function parseDer(input: Uint8Array): Node {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return readNode(buf, 0, buf.length, 0);
}

/** The exact bytes of an element. */
export const raw = (n: Node) => n.input.subarray(n.start, n.end);
export const content = (n: Node) => n.input.subarray(n.contentStart, n.contentEnd);

export function child(n: Node | undefined, i: number, what: string): Node {
  const c = n?.children[i];
  if (!c) throw new DerError(`thiếu trường ${what}`);
  return c;
}

export function readOid(n: Node): string {
  if (n.tag !== TAG.OID) throw new DerError('cần một OID');
  const ids: number[] = [];
  let v = 0;
  for (const b of content(n)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      ids.push(v);
      v = 0;
    }
  }
  const first = ids.shift() ?? 0;
  const a = Math.min(2, Math.floor(first / 40));
  return [a, first - 40 * a, ...ids].join('.');
}

/** Text of a directory string (UTF8String, PrintableString, BMPString, …). */
export function readString(n: Node): string {
  const bytes = content(n);
  switch (n.tag) {
    case TAG.BMP_STRING: {
      const swapped = Buffer.from(bytes);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) s += String.fromCodePoint(bytes.readUInt32BE(i));
      return s;
    }
    case TAG.T61_STRING:
      return bytes.toString('latin1');
    default:
      return bytes.toString('utf8');
  }
}

/** UTCTime or GeneralizedTime (the forms X.509 and CMS use: Z-terminated, seconds present). */
export function readTime(n: Node): Date {
  const s = content(n).toString('latin1');
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
  if (!m) throw new DerError(`thời gian ASN.1 không hợp lệ: ${s}`);
  let year = Number(m[1]);
  if (n.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}
