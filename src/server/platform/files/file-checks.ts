/**
 * What may be uploaded: the type is read from the bytes themselves (never from the file name or the
 * client's Content-Type), checked against an allow-list suited to administrative dossiers, and the
 * size is limited. Each refusal is a Vietnamese problem+json the citizen can act on.
 */
import { fileTypeFromBuffer } from 'file-type';
import { Problem, problems } from '../http/problem';

export interface AllowedType {
  mediaType: string;
  /** Canonical extension, used when a download name needs one. */
  ext: string;
  /** Other extensions that name the same type. */
  aliases?: readonly string[];
  /** Name shown to users in error messages. */
  label: string;
}

/**
 * Scans and photos of papers (PDF, JPEG, PNG, WebP, TIFF), office documents in the open formats
 * (DOCX, XLSX, ODT, ODS) and XML e-documents (edXML, e-forms). Legacy binary Office files
 * (.doc/.xls) and archives are left out: they may carry macros or hide other files.
 */
export const allowedTypes: readonly AllowedType[] = [
  { mediaType: 'application/pdf', ext: 'pdf', label: 'PDF' },
  { mediaType: 'image/jpeg', ext: 'jpg', aliases: ['jpeg'], label: 'JPEG' },
  { mediaType: 'image/png', ext: 'png', label: 'PNG' },
  { mediaType: 'image/webp', ext: 'webp', label: 'WebP' },
  { mediaType: 'image/tiff', ext: 'tif', aliases: ['tiff'], label: 'TIFF' },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    label: 'Word (DOCX)',
  },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ext: 'xlsx',
    label: 'Excel (XLSX)',
  },
  { mediaType: 'application/vnd.oasis.opendocument.text', ext: 'odt', label: 'ODT' },
  { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', ext: 'ods', label: 'ODS' },
  { mediaType: 'application/xml', ext: 'xml', label: 'XML' },
];

/** Types a browser may show inline; everything else is offered as a download. */
export const inlineMediaTypes: ReadonlySet<string> = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/webp']);

export function allowedTypesText(): string {
  return allowedTypes.map((t) => t.label).join(', ');
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} byte`;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Plain UTF-8 XML: `<?xml` (after an optional byte-order mark) followed by white space. */
function isXmlDeclaration(bytes: Buffer): boolean {
  const start = bytes.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  return /^<\?xml[ \t\r\n]/.test(bytes.subarray(start, start + 6).toString('latin1'));
}

/** The allowed type the bytes really are, or undefined. */
export async function sniffType(bytes: Buffer): Promise<AllowedType | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected && detected.mime !== 'application/xml') {
    return allowedTypes.find((t) => t.mediaType === detected.mime);
  }
  // XML is text, not a binary signature: accept plain UTF-8 XML that opens with its declaration.
  return isXmlDeclaration(bytes) ? allowedTypes.find((t) => t.ext === 'xml') : undefined;
}

export const uploadProblems = {
  empty: () => problems.badRequest('file_empty', 'Tệp rỗng', 'Tệp tải lên không có nội dung. Vui lòng chọn lại tệp.'),
  tooLarge: (maxBytes: number) =>
    new Problem(413, 'file_too_large', 'Tệp quá lớn', `Tệp vượt quá dung lượng cho phép (tối đa ${formatBytes(maxBytes)}).`, undefined, {
      maxBytes,
    }),
  typeNotAllowed: () =>
    new Problem(
      415,
      'file_type_not_allowed',
      'Định dạng tệp không được chấp nhận',
      `Chỉ chấp nhận các định dạng: ${allowedTypesText()}. Định dạng được xác định theo nội dung tệp, không theo tên tệp.`,
      undefined,
      { allowedTypes: allowedTypes.map((t) => t.mediaType) },
    ),
  xmlDoctype: () =>
    problems.unprocessable('xml_doctype_not_allowed', 'Tệp XML không hợp lệ', 'Tệp XML không được chứa khai báo DOCTYPE hoặc ENTITY.'),
  infected: (signature: string) =>
    problems.unprocessable(
      'file_infected',
      'Tệp chứa mã độc',
      `Tệp bị phát hiện chứa mã độc (${signature}) nên không được tiếp nhận. Vui lòng kiểm tra lại máy tính và tải lên tệp khác.`,
    ),
  scannerUnavailable: () =>
    new Problem(
      503,
      'virus_scanner_unavailable',
      'Chưa kiểm tra được tệp',
      'Dịch vụ kiểm tra mã độc tạm thời không hoạt động. Vui lòng thử lại sau ít phút.',
    ),
};

/** Size and type checks; returns the type the bytes really are. */
export async function checkUpload(bytes: Buffer, maxBytes: number): Promise<AllowedType> {
  if (bytes.length === 0) throw uploadProblems.empty();
  if (bytes.length > maxBytes) throw uploadProblems.tooLarge(maxBytes);
  const type = await sniffType(bytes);
  if (!type) throw uploadProblems.typeNotAllowed();
  // Documents that declare entities can blow up or leak through the XML parsers that read them later.
  if (type.ext === 'xml' && /<!(DOCTYPE|ENTITY)/i.test(bytes.toString('utf8'))) throw uploadProblems.xmlDoctype();
  return type;
}

/**
 * The name offered on download: no folders, control or reserved characters, at most 200
 * characters, and an extension that matches the real type (a "photo.jpg" that is a PDF is served
 * as "photo.jpg.pdf").
 */
export function safeFileName(name: string, type: Pick<AllowedType, 'ext' | 'aliases'>): string {
  let base = cleanName(name) || 'tep';
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if (ext !== type.ext && !type.aliases?.includes(ext)) base = `${base}.${type.ext}`;
  return base;
}

/** The user's file name without path, control or reserved characters (kept as uploaded otherwise). */
export function cleanName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[\t\n\v\f\r]/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return [...cleaned].slice(0, 200).join('');
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
