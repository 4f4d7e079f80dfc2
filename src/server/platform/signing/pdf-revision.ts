/**
 * Adds a signature field to a PDF as an incremental update (ISO 32000-1 §7.5.6): the original bytes are
 * kept as they are and the new or changed objects, a cross-reference section and a trailer are appended.
 * That is what lets a document carry a person's signature and then the agency's seal, each covering the
 * revision it signed.
 *
 * pdf-lib parses the file (classic xref tables and xref/object streams alike) and builds the new objects;
 * this module writes only the objects it added or changed, then the xref section in the same form as the
 * previous one (table after a table, stream after a stream) with /Prev pointing back.
 *
 * The signature dictionary is written by hand with a fixed-width /ByteRange and a zero-filled /Contents,
 * so the caller can hash the final bytes and drop the CMS in without moving anything.
 */
import { randomBytes } from 'node:crypto';
import {
  EncryptedPDFError,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  type PDFPage,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import { drawAppearance } from './appearance';
import { SigningError } from './signer';

export interface RevisionSpec {
  fieldName?: string;
  /** Signature dictionary entries. */
  subFilter: string;
  signingTime: Date;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Bytes reserved for the CMS in /Contents. */
  contentsBytes: number;
  appearance: null | {
    page: number;
    rect: [number, number, number, number];
    lines: string[];
    image?: Uint8Array;
  };
}

export interface PreparedRevision {
  /** The whole file: original + update, /ByteRange filled in, /Contents zeroed. */
  bytes: Buffer;
  /** Offset of '<' and just past '>' of the /Contents hex string: the gap the byte range leaves out. */
  gapStart: number;
  gapEnd: number;
  fieldName: string;
}

const name = (n: string) => PDFName.of(n);
const BYTE_RANGE_PLACEHOLDER = `[0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}]`;

interface Trail {
  /** Offset of the last cross-reference section (the value after the last `startxref`). */
  startxref: number;
  xrefIsStream: boolean;
  /** /Size of the last trailer: one more than the highest object number in use. */
  size: number;
}

/** Finds the last cross-reference section; an incremental update must point back at it. */
export function readTrail(bytes: Buffer): Trail {
  const at = bytes.lastIndexOf('startxref');
  const m = at < 0 ? null : /^startxref\s+(\d+)/.exec(bytes.subarray(at, at + 40).toString('latin1'));
  const startxref = m ? Number(m[1]) : Number.NaN;
  if (!(startxref >= 0 && startxref < bytes.length)) {
    throw new SigningError('invalid_pdf', 'Tệp PDF không có bảng tham chiếu chéo (startxref) hợp lệ.');
  }
  const head = bytes.subarray(startxref, Math.min(bytes.length, startxref + 64)).toString('latin1');
  let dictText: string;
  let xrefIsStream: boolean;
  if (/^\s*xref/.test(head)) {
    xrefIsStream = false;
    const trailerAt = bytes.indexOf('trailer', startxref);
    dictText = trailerAt < 0 ? '' : bytes.subarray(trailerAt, at).toString('latin1');
  } else if (/^\s*\d+\s+\d+\s+obj/.test(head)) {
    xrefIsStream = true;
    const streamAt = bytes.indexOf('stream', startxref);
    dictText = streamAt < 0 ? '' : bytes.subarray(startxref, streamAt).toString('latin1');
  } else {
    throw new SigningError('invalid_pdf', 'Bảng tham chiếu chéo của tệp PDF bị hỏng (startxref chỉ sai vị trí).');
  }
  const size = Number(/\/Size\s+(\d+)/.exec(dictText)?.[1] ?? Number.NaN);
  if (!(size > 0)) throw new SigningError('invalid_pdf', 'Phần trailer của tệp PDF thiếu /Size.');
  return { startxref, xrefIsStream, size };
}

async function loadPdf(bytes: Buffer): Promise<PDFDocument> {
  if (!bytes.subarray(0, 1024).includes('%PDF-')) throw new SigningError('invalid_pdf', 'Tệp không phải PDF.');
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  } catch (err) {
    if (err instanceof EncryptedPDFError) {
      throw new SigningError('encrypted_pdf', 'Tệp PDF đã được mã hoá hoặc đặt mật khẩu; hãy gỡ mã hoá trước khi ký số.');
    }
    throw new SigningError('invalid_pdf', `Không đọc được tệp PDF: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Full names ("parent.child") of every field in the AcroForm. */
function fieldNames(fields: PDFArray): Set<string> {
  const names = new Set<string>();
  const walk = (arr: PDFArray, prefix: string, depth: number) => {
    if (depth > 32) return;
    for (let i = 0; i < arr.size(); i++) {
      const field = arr.lookup(i);
      if (!(field instanceof PDFDict)) continue;
      const t = field.lookup(name('T'));
      const own = t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : '';
      const full = own ? (prefix ? `${prefix}.${own}` : own) : prefix;
      if (full) names.add(full);
      const kids = field.lookup(name('Kids'));
      if (kids instanceof PDFArray) walk(kids, full, depth + 1);
    }
  };
  walk(fields, '', 0);
  return names;
}

/**
 * A certification signature with DocMDP permission 1 forbids any change, signatures included
 * (ISO 32000-1 §12.8.2.2); signing such a file would break it.
 */
function assertNotLocked(catalog: PDFDict): void {
  const perms = catalog.lookup(name('Perms'));
  const docMdp = perms instanceof PDFDict ? perms.lookup(name('DocMDP')) : undefined;
  if (!(docMdp instanceof PDFDict)) return;
  const refs = docMdp.lookup(name('Reference'));
  if (!(refs instanceof PDFArray)) return;
  for (let i = 0; i < refs.size(); i++) {
    const ref = refs.lookup(i);
    const params = ref instanceof PDFDict ? ref.lookup(name('TransformParams')) : undefined;
    const p = params instanceof PDFDict ? params.lookup(name('P')) : undefined;
    if (p instanceof PDFNumber && p.asNumber() === 1) {
      throw new SigningError('document_locked', 'Tài liệu đã được chứng thực và không cho phép thay đổi, kể cả ký thêm.');
    }
  }
}

/** /Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 2 >> >>: declares PAdES (ETSI) signatures in a PDF 1.7 file. */
function declareEsic(doc: PDFDocument, catalog: PDFDict): void {
  const ctx = doc.context;
  let ext = catalog.lookup(name('Extensions'));
  if (!(ext instanceof PDFDict)) {
    ext = ctx.obj({});
    catalog.set(name('Extensions'), ext);
  } else if (catalog.get(name('Extensions')) instanceof PDFRef) {
    // An indirect Extensions dictionary is rare; copy it inline so the catalog rewrite carries the change.
    ext = (ext as PDFDict).clone(ctx);
    catalog.set(name('Extensions'), ext);
  }
  if (!(ext as PDFDict).has(name('ESIC'))) {
    (ext as PDFDict).set(name('ESIC'), ctx.obj({ BaseVersion: name('1.7'), ExtensionLevel: 2 }));
  }
}

function pageAt(doc: PDFDocument, index: number): PDFPage {
  const pages = doc.getPages();
  const i = index < 0 ? pages.length + index : index;
  const page = pages[i];
  if (!page) throw new SigningError('bad_appearance', `Tài liệu có ${pages.length} trang; không có trang số ${index + 1} để đặt chữ ký.`);
  return page;
}

/** D:YYYYMMDDHHmmss+07'00' — the signing time in Vietnam time. */
export function pdfDate(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}+07'00'`;
}

const textString = (s: string) => PDFHexString.fromText(s).toString();

function signatureDictionary(spec: RevisionSpec): string {
  const entries = [
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    `/SubFilter /${spec.subFilter}`,
    `/ByteRange ${BYTE_RANGE_PLACEHOLDER}`,
    `/Contents <${'0'.repeat(spec.contentsBytes * 2)}>`,
    `/M (${pdfDate(spec.signingTime)})`,
  ];
  if (spec.name) entries.push(`/Name ${textString(spec.name)}`);
  if (spec.reason) entries.push(`/Reason ${textString(spec.reason)}`);
  if (spec.location) entries.push(`/Location ${textString(spec.location)}`);
  if (spec.contactInfo) entries.push(`/ContactInfo ${textString(spec.contactInfo)}`);
  entries.push('/Prop_Build << /Filter << /Name /Adobe.PPKLite >> /App << /Name /TinhSo >> >>');
  return `<<\n${entries.join('\n')}\n>>`;
}

function serialize(obj: PDFObject): Buffer {
  const out = Buffer.alloc(obj.sizeInBytes());
  obj.copyBytesInto(out, 0);
  return out;
}

/**
 * Builds the updated file. Every object added after `firstNew` and every existing object in `changed` is
 * written again; the signature dictionary (`sigRef`) comes from `signatureDictionary`.
 */
export async function prepareRevision(input: Uint8Array, spec: RevisionSpec): Promise<PreparedRevision> {
  const original = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const trail = readTrail(original);
  const doc = await loadPdf(original);
  const ctx = doc.context;
  // New objects must not reuse a number the file already knows (pdf-lib does not count xref streams or free entries).
  ctx.largestObjectNumber = Math.max(ctx.largestObjectNumber, trail.size - 1);
  const firstNew = ctx.largestObjectNumber + 1;
  const changed = new Set<PDFRef>();

  const rootRef = ctx.trailerInfo.Root;
  if (!(rootRef instanceof PDFRef)) throw new SigningError('invalid_pdf', 'Tệp PDF thiếu danh mục gốc (/Root).');
  const catalog = ctx.lookup(rootRef, PDFDict);
  changed.add(rootRef);
  assertNotLocked(catalog);
  declareEsic(doc, catalog);

  // The AcroForm and its /Fields, created when missing; when indirect, they are rewritten too.
  let acroForm = catalog.lookup(name('AcroForm'));
  const acroEntry = catalog.get(name('AcroForm'));
  if (!(acroForm instanceof PDFDict)) {
    acroForm = ctx.obj({ Fields: [] });
    catalog.set(name('AcroForm'), ctx.register(acroForm));
  } else if (acroEntry instanceof PDFRef) changed.add(acroEntry);
  const form = acroForm as PDFDict;
  form.set(name('SigFlags'), PDFNumber.of(3)); // SignaturesExist | AppendOnly
  let fields = form.lookup(name('Fields'));
  const fieldsEntry = form.get(name('Fields'));
  if (!(fields instanceof PDFArray)) {
    fields = ctx.obj([]);
    form.set(name('Fields'), fields);
  } else if (fieldsEntry instanceof PDFRef) changed.add(fieldsEntry);
  const fieldArray = fields as PDFArray;

  const existing = fieldNames(fieldArray);
  let fieldName = spec.fieldName?.trim();
  if (fieldName) {
    if (/[.]/.test(fieldName)) throw new SigningError('field_exists', 'Tên trường chữ ký không được chứa dấu chấm.');
    if (existing.has(fieldName)) throw new SigningError('field_exists', `Tài liệu đã có trường "${fieldName}".`);
  } else {
    let n = 1;
    while (existing.has(`Signature${n}`)) n++;
    fieldName = `Signature${n}`;
  }

  const app = spec.appearance;
  const page = pageAt(doc, app ? app.page : 0);
  changed.add(page.ref);
  let annots = page.node.lookup(name('Annots'));
  const annotsEntry = page.node.get(name('Annots'));
  if (!(annots instanceof PDFArray)) {
    annots = ctx.obj([]);
    page.node.set(name('Annots'), annots);
  } else if (annotsEntry instanceof PDFRef) changed.add(annotsEntry);

  const sigRef = ctx.nextRef();
  let rect: number[] = [0, 0, 0, 0];
  let apRef: PDFRef;
  if (app) {
    const [x, y, w, h] = app.rect;
    if (![x, y, w, h].every(Number.isFinite) || w < 20 || h < 10) {
      throw new SigningError('bad_appearance', 'Khung chữ ký phải có toạ độ hợp lệ, rộng ít nhất 20 và cao ít nhất 10 điểm.');
    }
    rect = [x, y, x + w, y + h];
    apRef = await drawAppearance(doc, { width: w, height: h, lines: app.lines, image: app.image });
  } else {
    // Invisible signature: a zero-size widget still needs an (empty) appearance for PDF/A readers.
    apRef = ctx.register(ctx.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 0, 0] }));
  }
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText(fieldName),
    V: sigRef,
    F: app ? 4 : 132, // Print (visible) / Print + Locked (invisible)
    P: page.ref,
    Rect: rect,
    AP: { N: apRef },
  });
  const widgetRef = ctx.register(widget);
  fieldArray.push(widgetRef);
  (annots as PDFArray).push(widgetRef);

  // The objects of the update, in number order, with the signature dictionary written by hand.
  const bodies = new Map<number, { gen: number; bytes: Buffer }>();
  for (const ref of changed) bodies.set(ref.objectNumber, { gen: ref.generationNumber, bytes: serialize(ctx.lookup(ref)!) });
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNew) bodies.set(ref.objectNumber, { gen: ref.generationNumber, bytes: serialize(obj) });
  }
  const sigText = signatureDictionary(spec);
  bodies.set(sigRef.objectNumber, { gen: 0, bytes: Buffer.from(sigText, 'latin1') });

  const parts: Buffer[] = [original];
  let offset = original.length;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  const lastByte = original[original.length - 1];
  if (lastByte !== 0x0a && lastByte !== 0x0d) push(Buffer.from('\n'));
  const offsets = new Map<number, { offset: number; gen: number }>();
  let sigObjectOffset = 0;
  for (const num of [...bodies.keys()].sort((a, b) => a - b)) {
    const body = bodies.get(num)!;
    offsets.set(num, { offset, gen: body.gen });
    const header = `${num} ${body.gen} obj\n`;
    if (num === sigRef.objectNumber) sigObjectOffset = offset + header.length;
    push(Buffer.concat([Buffer.from(header, 'latin1'), body.bytes, Buffer.from('\nendobj\n', 'latin1')]));
  }
  push(xrefSection(doc, trail, offsets, offset));

  const bytes = Buffer.concat(parts);
  const gapStart = sigObjectOffset + sigText.indexOf('/Contents <') + '/Contents '.length;
  const gapEnd = gapStart + spec.contentsBytes * 2 + 2;
  const byteRange = `[0 ${gapStart} ${gapEnd} ${bytes.length - gapEnd}`;
  const rangeAt = sigObjectOffset + sigText.indexOf(BYTE_RANGE_PLACEHOLDER);
  bytes.write(`${byteRange.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ')}]`, rangeAt, 'latin1');
  return { bytes, gapStart, gapEnd, fieldName };
}

/** Trailer entries carried into the update: /Root, /Info, and /ID with a fresh second half (§14.4). */
function trailerEntries(doc: PDFDocument, trail: Trail, size: number): string {
  const info = doc.context.trailerInfo;
  const idArray = info.ID instanceof PDFArray ? info.ID : undefined;
  const first = idArray?.get(0);
  const fresh = PDFHexString.of(randomBytes(16).toString('hex'));
  const firstId = first instanceof PDFHexString || first instanceof PDFString ? first.toString() : fresh.toString();
  const entries = [`/Size ${size}`, `/Root ${String(info.Root)}`];
  if (info.Info instanceof PDFRef) entries.push(`/Info ${String(info.Info)}`);
  entries.push(`/ID [${firstId} ${fresh.toString()}]`, `/Prev ${trail.startxref}`);
  return entries.join(' ');
}

function xrefSection(doc: PDFDocument, trail: Trail, offsets: Map<number, { offset: number; gen: number }>, at: number): Buffer {
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  const highest = nums.at(-1) ?? 0;
  if (!trail.xrefIsStream) {
    const size = Math.max(trail.size, highest + 1);
    let text = 'xref\n';
    for (const run of runs(nums)) {
      text += `${run[0]} ${run.length}\n`;
      for (const n of run) {
        const e = offsets.get(n)!;
        text += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n \n`;
      }
    }
    text += `trailer\n<< ${trailerEntries(doc, trail, size)} >>\nstartxref\n${at}\n%%EOF\n`;
    return Buffer.from(text, 'latin1');
  }
  // A cross-reference stream, uncompressed: type 1 entries [1, offset, generation], itself included.
  const xrefNum = Math.max(trail.size, highest + 1);
  const all = new Map(offsets).set(xrefNum, { offset: at, gen: 0 });
  const sorted = [...all.keys()].sort((a, b) => a - b);
  const width = Math.max(4, Math.ceil(Math.log2(at + 1) / 8));
  const rows: Buffer[] = [];
  for (const n of sorted) {
    const e = all.get(n)!;
    const row = Buffer.alloc(1 + width + 2);
    row[0] = 1;
    row.writeUIntBE(e.offset, 1, width);
    row.writeUInt16BE(e.gen, 1 + width);
    rows.push(row);
  }
  const data = Buffer.concat(rows);
  const index = runs(sorted)
    .map((r) => `${r[0]} ${r.length}`)
    .join(' ');
  const dict = `<< /Type /XRef ${trailerEntries(doc, trail, xrefNum + 1)} /Index [${index}] /W [1 ${width} 2] /Length ${data.length} >>`;
  return Buffer.concat([
    Buffer.from(`${xrefNum} 0 obj\n${dict}\nstream\n`, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'),
  ]);
}

/** Consecutive runs of sorted numbers: [3,4,5,9] → [[3,4,5],[9]]. */
function runs(nums: number[]): number[][] {
  const out: number[][] = [];
  for (const n of nums) {
    const last = out.at(-1);
    if (last && last.at(-1) === n - 1) last.push(n);
    else out.push([n]);
  }
  return out;
}
