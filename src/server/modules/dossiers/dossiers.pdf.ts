/**
 * One-stop forms as PDF (TT 01/2018/TT-VPCP, printed on A5 portrait):
 * Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ,
 * Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ.
 *
 * All three share one flowing layout (`FormLayout`): text is word-wrapped inside the margins and continues on a new
 * page when it reaches the bottom margin, so long component lists or many supplement items never leave the page.
 * Fonts are DejaVu Serif Condensed (a Times-like face that covers every Vietnamese letter), embedded as subsets.
 * The layout, its page geometry and the date helpers are exported for the other documents of a dossier
 * (`dossiers.pdf-processing.ts`: A5 slips, the A4 control slip with its table, the A4 result document).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { installNativeDeflate } from '../../platform/pdf/deflate';
import { cachingFontkit } from '../../platform/pdf/fontkit';
import { drawQr } from '../../platform/pdf/qr';

installNativeDeflate();

export interface FormAgency {
  name: string;
  parentName: string | null;
}

export interface FormApplicant {
  name: string;
  idNumber: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
}

/** Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptData {
  desk: FormAgency;
  /** Number of the receipt; a bare sequence ("0001") is printed as "Số: 0001/TN", a full "…/…" number as given. */
  number: string;
  code: string;
  /** Encoded in the QR code. */
  trackingUrl: string;
  applicant: FormApplicant;
  procedureName: string;
  components: { name: string; copies: number | null; original: boolean | null }[];
  /** Legal processing time in working days (null = "theo quy định"). */
  processingDays: number | null;
  receivedAt: Date;
  dueAt: Date | null;
  resultDelivery: 'online' | 'counter' | 'post';
  officerName: string;
  /** Place name of the date line, e.g. "Đắk Lắk". */
  place: string;
}

/** Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestData {
  desk: FormAgency;
  code: string;
  trackingUrl: string;
  applicant: FormApplicant;
  procedureName: string;
  items: { text: string }[];
  reason: string;
  officerName: string;
  contactPhone: string | null;
  issuedAt: Date;
  place: string;
}

/** Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalData {
  desk: FormAgency;
  code: string | null;
  trackingUrl: string | null;
  applicant: FormApplicant;
  procedureName: string;
  reasons: string[];
  officerName: string;
  issuedAt: Date;
  place: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Page geometry (points) and type sizes

export const MM = 72 / 25.4;

export interface TypeSizes {
  header: number;
  body: number;
  title: number;
  code: number;
  small: number;
}

/** Page size, margins and type sizes of one kind of document; every FormLayout measure derives from it. */
export interface PageGeometry {
  width: number;
  height: number;
  margin: { top: number; bottom: number; left: number; right: number };
  size: TypeSizes;
  /** Side of the QR code, its one-module quiet zone included. */
  qrSize: number;
  /** Blank height between a signer's title and name, for the hand signature. */
  signatureSpace: number;
}

/** The one-stop slips (Mẫu 01–04): A5 portrait, 419.53 × 595.28 pt. */
export const A5_FORM: PageGeometry = {
  width: 148 * MM,
  height: 210 * MM,
  margin: { top: 12 * MM, bottom: 14 * MM, left: 15 * MM, right: 12 * MM },
  size: { header: 8.5, body: 9.5, title: 11, code: 11, small: 7.5 },
  qrSize: 25 * MM,
  signatureSpace: 40,
};

const LEADING = 1.32;
const HEADER_GUTTER = 6;
const MIN_FIT_SIZE = 6;
const BLACK = rgb(0, 0, 0);
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const PRODUCER = 'TinhSo';

// ---------------------------------------------------------------------------------------------------------------
// Fonts: read once per process, embedded (subset) into every document

export type Style = 'regular' | 'bold' | 'italic';
type Fonts = Record<Style, PDFFont>;

const FONT_FILES: Record<Style, string> = {
  regular: 'DejaVuSerifCondensed.ttf',
  bold: 'DejaVuSerifCondensed-Bold.ttf',
  italic: 'DejaVuSerifCondensed-Italic.ttf',
};

let fontBytes: Promise<Record<Style, Uint8Array>> | undefined;

function loadFontBytes(): Promise<Record<Style, Uint8Array>> {
  fontBytes ??= readFontFiles().catch((err: unknown) => {
    fontBytes = undefined; // let the next call retry instead of caching the failure
    throw err;
  });
  return fontBytes;
}

async function readFontFiles(): Promise<Record<Style, Uint8Array>> {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const read = (style: Style) => readFile(path.join(dir, FONT_FILES[style]));
  const [regular, bold, italic] = await Promise.all([read('regular'), read('bold'), read('italic')]);
  return { regular, bold, italic };
}

async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  const bytes = await loadFontBytes();
  doc.registerFontkit(cachingFontkit);
  const embed = (style: Style) => doc.embedFont(bytes[style], { subset: true });
  const [regular, bold, italic] = await Promise.all([embed('regular'), embed('bold'), embed('italic')]);
  return { regular: memoized(regular, 'regular'), bold: memoized(bold, 'bold'), italic: memoized(italic, 'italic') };
}

/** Widths at a size of each style's strings; the same in every document, so kept per process (bounded). */
const WIDTHS_KEPT = 50_000;
const widthsOf: Record<Style, Map<string, number>> = { regular: new Map(), bold: new Map(), italic: new Map() };

/**
 * Every width and every encoding of a custom font runs fontkit's text shaping and glyph metrics, which cost far more
 * than the drawing; wrapping measures the same words again and again and a justified paragraph draws word by word.
 * Widths depend only on the font and the string and are remembered per process; encodings add glyphs to the
 * document's font subset and are remembered per document.
 */
function memoized(font: PDFFont, style: Style): PDFFont {
  const widthOf = font.widthOfTextAtSize.bind(font);
  const encode = font.encodeText.bind(font);
  const widths = widthsOf[style];
  const encodings = new Map<string, ReturnType<PDFFont['encodeText']>>();
  font.widthOfTextAtSize = (text, size) => {
    const key = `${size}\u0000${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      width = widthOf(text, size);
      if (widths.size >= WIDTHS_KEPT) widths.clear();
      widths.set(key, width);
    }
    return width;
  };
  font.encodeText = (text) => {
    let encoded = encodings.get(text);
    if (encoded === undefined) {
      encoded = encode(text);
      encodings.set(text, encoded);
    }
    return encoded;
  };
  return font;
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** One piece of text in one style; runs are separated by a space unless `glue` joins a run to the previous one. */
export interface Run {
  text: string;
  style?: Style;
  glue?: boolean;
}
interface Word {
  text: string;
  font: PDFFont;
  /** Whether a space separates this word from the previous one on the same line. */
  space: boolean;
}
export type Align = 'left' | 'center' | 'right' | 'justify';

/** NFC (decomposed diacritics would render as loose marks), one space for any whitespace or control character. */
export function clean(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
}

export function upper(text: string): string {
  return text.toLocaleUpperCase('vi-VN');
}

function upperFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi-VN') + text.slice(1);
}

function textWidth(word: Word, size: number): number {
  return word.font.widthOfTextAtSize(word.text, size);
}

function spaceBefore(line: Word[], i: number, size: number): number {
  const word = line[i]!;
  return i > 0 && word.space ? word.font.widthOfTextAtSize(' ', size) : 0;
}

/** Width of a line: the words plus the spaces (in the following word's font) between them. */
function lineWidth(line: Word[], size: number): number {
  return line.reduce((sum, w, i) => sum + spaceBefore(line, i, size) + textWidth(w, size), 0);
}

/** Splits a word wider than the line (a URL, a long code) into pieces that fit. */
function splitLong(word: Word, size: number, width: number): Word[] {
  if (textWidth(word, size) <= width) return [word];
  const pieces: Word[] = [];
  let current = '';
  for (const ch of word.text) {
    if (current && word.font.widthOfTextAtSize(current + ch, size) > width) {
      pieces.push({ text: current, font: word.font, space: pieces.length === 0 ? word.space : false });
      current = '';
    }
    current += ch;
  }
  if (current) pieces.push({ text: current, font: word.font, space: pieces.length === 0 ? word.space : false });
  return pieces;
}

/**
 * Greedy word wrap of runs into lines no wider than `width` (the first line no wider than `firstWidth`, for a
 * first-line indent). The line width is kept as a running sum so long paragraphs wrap in linear time.
 */
function wrap(runs: Run[], fonts: Fonts, size: number, width: number, firstWidth = width): Word[][] {
  const words = runs.flatMap((run) =>
    clean(run.text)
      .split(' ')
      .filter(Boolean)
      .flatMap((text, i) =>
        splitLong({ text, font: fonts[run.style ?? 'regular'], space: i > 0 || !run.glue }, size, Math.min(width, firstWidth)),
      ),
  );
  const lines: Word[][] = [];
  let line: Word[] = [];
  let used = 0;
  for (const word of words) {
    const limit = lines.length === 0 ? firstWidth : width;
    const gap = line.length > 0 && word.space ? word.font.widthOfTextAtSize(' ', size) : 0;
    const w = textWidth(word, size);
    if (line.length > 0 && used + gap + w > limit) {
      lines.push(line);
      line = [];
      used = 0;
      line.push(word);
      used = w;
      continue;
    }
    line.push(word);
    used += gap + w;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** Largest size (down to MIN_FIT_SIZE) at which a single line fits the width. */
function fitSize(text: string, font: PDFFont, size: number, width: number): number {
  const natural = font.widthOfTextAtSize(text, size);
  return natural <= width ? size : Math.max(MIN_FIT_SIZE, Math.floor(((size * width) / natural) * 10) / 10);
}

// ---------------------------------------------------------------------------------------------------------------
// Dates in Vietnam time, written as on the forms

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const localFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** Wall-clock time in Asia/Ho_Chi_Minh. */
export function localTime(at: Date): LocalTime {
  const parts = localFormat.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

export const pad2 = (n: number) => String(n).padStart(2, '0');

/** "ngày 05 tháng 02 năm 2026": days below 10 and months 1–2 take a leading zero (NĐ 30/2020, Phụ lục I). */
export function dateWords(at: Date): string {
  const t = localTime(at);
  const month = t.month <= 2 ? pad2(t.month) : String(t.month);
  return `ngày ${pad2(t.day)} tháng ${month} năm ${t.year}`;
}

/** "09 giờ 15 phút, ngày 24 tháng 11 năm 2026". */
export function timeWords(at: Date): string {
  const t = localTime(at);
  return `${pad2(t.hour)} giờ ${pad2(t.minute)} phút, ${dateWords(at)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared layout

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  createdAt: Date;
}

export interface Header {
  agency: FormAgency;
  numberLine: string;
  place: string;
  date: Date;
}

export interface Signature {
  title: string;
  name: string | null;
}

export interface LineBlock {
  runs: Run[];
  size: number;
  align: Align;
}

/** A table cell: paragraphs, each wrapped on its own lines. */
export type Cell = Run[][];

export interface TableColumn {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  share: number;
  align?: Align;
}

/** Where a visible signature may be drawn: 0-based page index and [x, y, width, height] in points (origin bottom-left). */
export interface SignatureBox {
  page: number;
  rect: [number, number, number, number];
}

const CELL_PAD = 3;

/** A flowing document: every block is placed at the cursor `y` and moves it down. */
export class FormLayout {
  private page: PDFPage;
  private y = 0;
  private readonly contentWidth: number;
  /** Called after each page break (e.g. to repeat a table's header row). */
  private onNewPage: (() => void) | null = null;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    readonly geo: PageGeometry,
  ) {
    this.contentWidth = geo.width - geo.margin.left - geo.margin.right;
    this.page = this.newPage();
  }

  static async create(info: DocumentInfo, geo: PageGeometry = A5_FORM): Promise<FormLayout> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.setTitle(clean(info.title), { showInWindowTitleBar: true });
    doc.setAuthor(clean(info.author));
    doc.setSubject(info.subject);
    doc.setLanguage('vi-VN');
    doc.setCreator(PRODUCER);
    doc.setProducer(PRODUCER);
    doc.setCreationDate(info.createdAt);
    doc.setModificationDate(info.createdAt);
    return new FormLayout(doc, await embedFonts(doc), geo);
  }

  /** 0-based index of the page the cursor is on. */
  get pageIndex(): number {
    return this.doc.getPageCount() - 1;
  }

  /** Agency block (left), national motto and date line (right); "Số" and the date share the last row. */
  header(h: Header): void {
    const { margin, size } = this.geo;
    const top = this.y;
    const leftWidth = this.contentWidth * 0.44 - HEADER_GUTTER / 2;
    const rightX = margin.left + leftWidth + HEADER_GUTTER;
    const rightWidth = this.contentWidth - leftWidth - HEADER_GUTTER;
    const parent = h.agency.parentName ? upper(clean(h.agency.parentName)) : null;
    // The parent agency stays on one line when a slightly smaller size allows it; a longer name wraps.
    const parentSize = parent ? Math.max(size.header - 1, fitSize(parent, this.fonts.regular, size.header, leftWidth)) : size.header;
    const left: LineBlock[] = [
      ...(parent ? [{ runs: [{ text: parent }], size: parentSize, align: 'center' as const }] : []),
      { runs: [{ text: upper(h.agency.name), style: 'bold' }], size: size.header, align: 'center' },
    ];
    const leftBottom = this.rule(this.blockAt(left, margin.left, leftWidth, top), margin.left, leftWidth, leftWidth / 3);
    const nation = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
    const motto = 'Độc lập - Tự do - Hạnh phúc';
    const right: LineBlock[] = [
      { runs: [{ text: nation, style: 'bold' }], size: fitSize(nation, this.fonts.bold, size.header, rightWidth), align: 'center' },
      { runs: [{ text: motto, style: 'bold' }], size: fitSize(motto, this.fonts.bold, size.header + 0.5, rightWidth), align: 'center' },
    ];
    const mottoWidth = this.fonts.bold.widthOfTextAtSize(motto, right[1]!.size);
    const rightBottom = this.rule(this.blockAt(right, rightX, rightWidth, top), rightX, rightWidth, mottoWidth);
    const rowTop = Math.min(leftBottom, rightBottom) - 3;
    const numberBottom = this.blockAt(
      [{ runs: [{ text: h.numberLine }], size: size.header, align: 'center' }],
      margin.left,
      leftWidth,
      rowTop,
    );
    // A document without a place name (an internal slip) prints the bare date.
    const dateText = h.place ? `${h.place}, ${dateWords(h.date)}` : upperFirst(dateWords(h.date));
    const dateBottom = this.blockAt(
      [{ runs: [{ text: dateText, style: 'italic' }], size: size.header, align: 'center' }],
      rightX,
      rightWidth,
      rowTop,
    );
    this.y = Math.min(numberBottom, dateBottom);
  }

  title(text: string): void {
    this.gap(14);
    this.paragraph([{ text, style: 'bold' }], { size: this.geo.size.title, align: 'center' });
  }

  /** The dossier code, large, under the title. */
  codeLine(code: string): void {
    this.gap(2);
    this.paragraph([{ text: 'Mã hồ sơ:' }, { text: code, style: 'bold' }], { size: this.geo.size.code, align: 'center' });
    this.gap(8);
  }

  /** "Label: value", the value in bold. */
  field(label: string, value: string): void {
    this.paragraph([{ text: label }, { text: value, style: 'bold' }]);
  }

  /**
   * Wrapped lines at the cursor; each line goes to a new page when it would cross the bottom margin. `firstIndent`
   * indents the first line only; a justified paragraph leaves its last line flush left.
   */
  paragraph(runs: Run[], opts: { size?: number; align?: Align; indent?: number; firstIndent?: number } = {}): void {
    const size = opts.size ?? this.geo.size.body;
    const indent = opts.indent ?? 0;
    const first = opts.firstIndent ?? 0;
    const x = this.geo.margin.left + indent;
    const width = this.contentWidth - indent;
    const lines = wrap(runs, this.fonts, size, width, width - first);
    const align = opts.align ?? 'left';
    lines.forEach((line, i) => {
      this.ensure(size * LEADING);
      const last = i === lines.length - 1;
      const dx = i === 0 ? first : 0;
      this.drawLine(line, x + dx, width - dx, size, align === 'justify' && last ? 'left' : align);
    });
  }

  /** Numbered entries with a hanging indent: wrapped lines align after the marker. */
  list(entries: Run[][], indent = 10): void {
    const size = this.geo.size.body;
    const markerWidth = this.fonts.regular.widthOfTextAtSize(`${entries.length}. `, size);
    entries.forEach((runs, i) => {
      const startY = this.ensureAndGet(size * LEADING);
      const startPage = this.page;
      this.paragraph(runs, { indent: indent + markerWidth });
      startPage.drawText(`${i + 1}.`, {
        x: this.geo.margin.left + indent,
        y: startY - size,
        size,
        font: this.fonts.regular,
        color: BLACK,
      });
    });
  }

  /** QR code of the tracking address with the code under it, and a short instruction beside it. */
  async qr(url: string, code: string, caption = 'Quét mã QR hoặc truy cập địa chỉ dưới đây để tra cứu tình trạng hồ sơ:'): Promise<void> {
    const { margin, size, qrSize } = this.geo;
    const sideX = margin.left + qrSize + 10;
    const sideWidth = this.contentWidth - qrSize - 10;
    const side: LineBlock[] = [
      { runs: [{ text: caption, style: 'italic' }], size: size.small, align: 'left' },
      { runs: [{ text: url }], size: size.small, align: 'left' },
    ];
    const codeSize = fitSize(code, this.fonts.bold, size.small + 0.5, qrSize);
    this.gap(6);
    this.ensure(Math.max(qrSize + codeSize * LEADING + 2, this.blockHeight(side, sideWidth) + 4));
    const top = this.y;
    drawQr(this.page, url, { x: margin.left, y: top - qrSize, size: qrSize });
    const codeBottom = this.blockAt(
      [{ runs: [{ text: code, style: 'bold' }], size: codeSize, align: 'center' }],
      margin.left,
      qrSize,
      top - qrSize - 2,
    );
    this.y = Math.min(codeBottom, this.blockAt(side, sideX, sideWidth, top - 4));
  }

  /** Signature blocks side by side, kept together on one page; a single signer signs on the right half. */
  signatures(blocks: Signature[]): void {
    const { margin, size, signatureSpace } = this.geo;
    const columns = Math.max(2, blocks.length);
    const width = this.contentWidth / columns;
    const offset = columns - blocks.length;
    const parts = blocks.map((b) => ({
      heading: this.signatureHeading(b.title),
      name: b.name ? [{ runs: [{ text: b.name, style: 'bold' }], size: size.body, align: 'center' } satisfies LineBlock] : [],
    }));
    this.gap(10);
    this.ensure(Math.max(...parts.map((p) => this.blockHeight([...p.heading, ...p.name], width))) + signatureSpace);
    const top = this.y;
    const bottoms = parts.map((p, i) => {
      const x = margin.left + (i + offset) * width;
      return this.blockAt(p.name, x, width, this.blockAt(p.heading, x, width, top) - signatureSpace);
    });
    this.y = Math.min(...bottoms);
  }

  /**
   * The closing block of a document to be signed digitally: the QR code and its caption on the left half, the signer's
   * title, an EMPTY box and the signer's name on the right half, kept together on the last page. The box sits centred
   * between title and name (NĐ 30/2020, Phụ lục I, II.7) and is returned for the visible signature.
   */
  async qrAndSignatureBox(
    qr: { url: string; code: string; caption: string },
    signer: { title: string; name: string },
    box: { width: number; height: number },
  ): Promise<SignatureBox> {
    const { margin, size, qrSize } = this.geo;
    const half = this.contentWidth / 2;
    const rightX = margin.left + half;
    // A title may carry line breaks ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC").
    const heading: LineBlock[] = signer.title
      .split(/\r?\n/)
      .map((line) => ({ runs: [{ text: line, style: 'bold' }], size: size.body, align: 'center' }));
    const name: LineBlock[] = [{ runs: [{ text: signer.name, style: 'bold' }], size: size.body, align: 'center' }];
    const boxWidth = Math.min(box.width, half - 4);
    const leftText: LineBlock[] = [
      { runs: [{ text: qr.code, style: 'bold' }], size: size.small + 0.5, align: 'left' },
      { runs: [{ text: qr.caption, style: 'italic' }], size: size.small, align: 'left' },
      { runs: [{ text: qr.url }], size: size.small, align: 'left' },
    ];
    const leftWidth = half - qrSize - 14;
    const rightHeight = this.blockHeight(heading, half) + 4 + box.height + 4 + this.blockHeight(name, half);
    this.gap(12);
    this.ensure(Math.max(rightHeight, qrSize, this.blockHeight(leftText, leftWidth)));
    const top = this.y;
    drawQr(this.page, qr.url, { x: margin.left, y: top - qrSize, size: qrSize });
    const textBottom = this.blockAt(leftText, margin.left + qrSize + 6, leftWidth, top);
    const boxTop = this.blockAt(heading, rightX, half, top) - 4;
    const rect: [number, number, number, number] = [rightX + (half - boxWidth) / 2, boxTop - box.height, boxWidth, box.height];
    const nameBottom = this.blockAt(name, rightX, half, boxTop - box.height - 4);
    this.y = Math.min(top - qrSize, textBottom, nameBottom);
    return { page: this.pageIndex, rect };
  }

  /**
   * A ruled table whose header row is repeated on every page. A row that does not fit the rest of the page continues
   * on the next one, line by line, so even a cell longer than a page never leaves the margins.
   */
  table(columns: TableColumn[], rows: Cell[][], opts: { size?: number } = {}): void {
    const size = opts.size ?? this.geo.size.body;
    const xs = this.columnEdges(columns);
    const headerCells: Cell[] = columns.map((c) => [[{ text: c.header, style: 'bold' }]]);
    const headerLines = this.cellLines(headerCells, xs, size);
    const drawHeader = () =>
      this.tableRow(
        headerLines,
        columns.map(() => 'center'),
        xs,
        size,
        true,
      );
    const aligns = columns.map((c) => c.align ?? 'left');
    this.ensure(this.rowHeight(headerLines, size) + CELL_PAD * 4 + size * LEADING);
    drawHeader();
    this.onNewPage = drawHeader;
    try {
      for (const row of rows) this.tableRow(this.cellLines(row, xs, size), aligns, xs, size, false);
    } finally {
      this.onNewPage = null;
    }
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** Page numbers from page 2 on, centred in the top margin (as on administrative documents), then the bytes. */
  async finish(): Promise<Uint8Array> {
    const { width, height, margin, size } = this.geo;
    const pages = this.doc.getPages();
    if (pages.length > 1) {
      pages.forEach((page, i) => {
        if (i === 0) return;
        const label = String(i + 1);
        const x = (width - this.fonts.regular.widthOfTextAtSize(label, size.header)) / 2;
        page.drawText(label, { x, y: height - margin.top + size.header, size: size.header, font: this.fonts.regular, color: BLACK });
      });
    }
    return this.doc.save();
  }

  // -- low-level placement -----------------------------------------------------------------------------------

  private newPage(): PDFPage {
    this.page = this.doc.addPage([this.geo.width, this.geo.height]);
    this.y = this.geo.height - this.geo.margin.top;
    return this.page;
  }

  /** Starts a new page when the next `height` points would cross the bottom margin. */
  private ensure(height: number): void {
    if (this.y - height < this.geo.margin.bottom) {
      this.newPage();
      this.onNewPage?.();
    }
  }

  private ensureAndGet(height: number): number {
    this.ensure(height);
    return this.y;
  }

  private signatureHeading(title: string): LineBlock[] {
    const { size } = this.geo;
    // A title may carry line breaks ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC").
    return [
      ...title.split(/\r?\n/).map((line): LineBlock => ({ runs: [{ text: line, style: 'bold' }], size: size.body, align: 'center' })),
      { runs: [{ text: '(Ký và ghi rõ họ tên)', style: 'italic' }], size: size.small, align: 'center' },
    ];
  }

  /** x of every column edge, from the left margin to the right one. */
  private columnEdges(columns: TableColumn[]): number[] {
    const xs = [this.geo.margin.left];
    let acc = 0;
    for (const c of columns) {
      acc += c.share;
      xs.push(this.geo.margin.left + this.contentWidth * Math.min(1, acc));
    }
    return xs;
  }

  /** Wrapped lines of each cell (paragraphs one after the other) and the size they are drawn at. */
  private cellLines(cells: Cell[], xs: number[], size: number): Word[][][] {
    return xs.slice(1).map((_, i) => {
      const width = xs[i + 1]! - xs[i]! - CELL_PAD * 2;
      return (cells[i] ?? []).flatMap((runs) => wrap(runs, this.fonts, size, width));
    });
  }

  private rowHeight(lines: Word[][][], size: number): number {
    return Math.max(1, ...lines.map((l) => l.length)) * size * LEADING;
  }

  /**
   * Draws one row at the cursor: as many lines as fit, then the cell borders of that part; the rest goes on the next
   * page (after the repeated header). The header row itself is always kept whole.
   */
  private tableRow(lines: Word[][][], aligns: Align[], xs: number[], size: number, isHeader: boolean): void {
    const lineHeight = size * LEADING;
    const total = Math.max(1, ...lines.map((l) => l.length));
    let from = 0;
    while (from < total) {
      const room = Math.floor((this.y - this.geo.margin.bottom - CELL_PAD * 2) / lineHeight);
      const wanted = total - from;
      // Start on a new page when no line fits, or when a short row would be split for nothing.
      if (room < 1 || (!isHeader && room < wanted && wanted * lineHeight + CELL_PAD * 2 < this.pageRoom() / 3 && from === 0)) {
        this.newPage();
        this.onNewPage?.();
        continue;
      }
      const count = Math.min(room, wanted);
      const top = this.y;
      lines.forEach((cell, c) => {
        const x = xs[c]! + CELL_PAD;
        const width = xs[c + 1]! - xs[c]! - CELL_PAD * 2;
        cell.slice(from, from + count).forEach((line, k) => {
          const align = aligns[c] === 'justify' ? 'left' : aligns[c]!;
          this.drawWords(line, x, width, top - CELL_PAD - k * lineHeight - size, size, align);
        });
      });
      const bottom = top - CELL_PAD * 2 - count * lineHeight;
      this.cellBorders(xs, top, bottom);
      this.y = bottom;
      from += count;
    }
  }

  /** Usable height of an empty page. */
  private pageRoom(): number {
    return this.geo.height - this.geo.margin.top - this.geo.margin.bottom;
  }

  private cellBorders(xs: number[], top: number, bottom: number): void {
    const line = (x1: number, y1: number, x2: number, y2: number) =>
      this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.5, color: BLACK });
    line(xs[0]!, top, xs[xs.length - 1]!, top);
    line(xs[0]!, bottom, xs[xs.length - 1]!, bottom);
    for (const x of xs) line(x, top, x, bottom);
  }

  /** Draws one wrapped line at the cursor and moves the cursor below it. */
  private drawLine(line: Word[], x: number, width: number, size: number, align: Align): void {
    this.drawWords(line, x, width, this.y - size, size, align);
    this.y -= size * LEADING;
  }

  /** Draws wrapped blocks in a fixed column from `top` without page breaks; returns the y below the last line. */
  private blockAt(blocks: LineBlock[], x: number, width: number, top: number): number {
    let y = top;
    for (const block of blocks) {
      for (const line of wrap(block.runs, this.fonts, block.size, width)) {
        this.drawWords(line, x, width, y - block.size, block.size, block.align);
        y -= block.size * LEADING;
      }
    }
    return y;
  }

  /** Height that `blockAt` would use for the same blocks in a column of `width`. */
  private blockHeight(blocks: LineBlock[], width: number): number {
    return blocks.reduce((h, b) => h + wrap(b.runs, this.fonts, b.size, width).length * b.size * LEADING, 0);
  }

  /** A centred horizontal rule of `length` under a header column; returns the y below it. */
  private rule(y: number, x: number, width: number, length: number): number {
    const start = x + (width - length) / 2;
    const lineY = y - 1;
    this.page.drawLine({ start: { x: start, y: lineY }, end: { x: start + length, y: lineY }, thickness: 0.5, color: BLACK });
    return lineY - 3;
  }

  /**
   * Words of one line; consecutive words in the same font are drawn as one string so text extraction keeps spaces.
   * A justified line is drawn word by word, the spare width shared out between the spaces.
   */
  private drawWords(line: Word[], x: number, width: number, baseline: number, size: number, align: Align): void {
    const natural = lineWidth(line, size);
    if (align === 'justify') {
      const gaps = line.filter((w, i) => i > 0 && w.space).length;
      const extra = gaps > 0 ? Math.max(0, width - natural) / gaps : 0;
      let cursor = x;
      line.forEach((word, i) => {
        if (i > 0) cursor += spaceBefore(line, i, size) + (word.space ? extra : 0);
        this.page.drawText(word.text, { x: cursor, y: baseline, size, font: word.font, color: BLACK });
        cursor += textWidth(word, size);
      });
      return;
    }
    let cursor = align === 'center' ? x + (width - natural) / 2 : align === 'right' ? x + width - natural : x;
    let i = 0;
    while (i < line.length) {
      const font = line[i]!.font;
      let text = line[i]!.text;
      let j = i + 1;
      for (; j < line.length && line[j]!.font === font; j++) text += (line[j]!.space ? ' ' : '') + line[j]!.text;
      this.page.drawText(text, { x: cursor, y: baseline, size, font, color: BLACK });
      cursor += font.widthOfTextAtSize(text, size);
      if (j < line.length) cursor += spaceBefore(line, j, size);
      i = j;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces of the three forms

const SIGNER_OFFICER = 'NGƯỜI TIẾP NHẬN';

export function numberLine(number: string, symbol: string): string {
  const n = clean(number);
  return `Số: ${n.includes('/') ? n : `${n}/${symbol}`}`;
}

/** Address, phone and e-mail lines; lines without data are left out. */
export function contactFields(form: FormLayout, applicant: FormApplicant): void {
  if (applicant.address) form.field('Địa chỉ:', applicant.address);
  const contact: Run[] = [];
  if (applicant.phone) contact.push({ text: 'Số điện thoại:' }, { text: applicant.phone, style: 'bold' });
  if (applicant.email)
    contact.push({ text: applicant.phone ? '; Email:' : 'Email:', glue: true }, { text: applicant.email, style: 'bold' });
  if (contact.length > 0) form.paragraph(contact);
}

export function idField(form: FormLayout, applicant: FormApplicant): void {
  if (applicant.idNumber) form.field('Số định danh cá nhân/tổ chức:', applicant.idNumber);
}

function componentEntry(c: ReceiptData['components'][number]): Run[] {
  const details = [
    c.original === null ? null : c.original ? 'bản chính' : 'bản sao',
    c.copies === null ? null : `số lượng: ${pad2(c.copies)}`,
  ].filter((s): s is string => s !== null);
  return [{ text: c.name }, ...(details.length > 0 ? [{ text: `(${details.join(', ')})`, style: 'italic' as const }] : [])];
}

function deliveryText(d: ReceiptData): string {
  switch (d.resultDelivery) {
    case 'online':
      return 'Trực tuyến, qua tài khoản trên Cổng Dịch vụ công';
    case 'counter':
      return `Bộ phận Một cửa - ${d.desk.name}`;
    case 'post':
      return d.applicant.address ? `Qua dịch vụ bưu chính công ích, đến địa chỉ: ${d.applicant.address}` : 'Qua dịch vụ bưu chính công ích';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The three forms

const RECEIPT_TITLE = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả';
const SUPPLEMENT_TITLE = 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ';
const REFUSAL_TITLE = 'Phiếu từ chối tiếp nhận giải quyết hồ sơ';

/** Mẫu 01: issued when a complete dossier is received; carries the due date and the QR code for tracking. */
export async function renderReceipt(d: ReceiptData): Promise<Uint8Array> {
  const form = await FormLayout.create({
    title: `${RECEIPT_TITLE} ${d.code}`,
    author: d.desk.name,
    subject: 'Mẫu 01',
    createdAt: d.receivedAt,
  });
  form.header({ agency: d.desk, numberLine: numberLine(d.number, 'TN'), place: d.place, date: d.receivedAt });
  form.title(upper(RECEIPT_TITLE));
  form.codeLine(d.code);
  form.field(`${d.desk.name} tiếp nhận hồ sơ của:`, d.applicant.name);
  idField(form, d.applicant);
  contactFields(form, d.applicant);
  form.field('Nội dung yêu cầu giải quyết:', d.procedureName);
  form.paragraph([{ text: 'Thành phần hồ sơ nộp gồm:' }]);
  if (d.components.length > 0) form.list(d.components.map(componentEntry));
  else form.paragraph([{ text: '(không có thành phần hồ sơ)', style: 'italic' }], { indent: 10 });
  form.field('Số lượng hồ sơ:', '01 (bộ)');
  form.field(
    'Thời gian giải quyết hồ sơ theo quy định:',
    d.processingDays === null ? 'theo quy định' : `${d.processingDays} ngày làm việc`,
  );
  form.field('Thời gian nhận hồ sơ:', timeWords(d.receivedAt));
  form.field('Thời gian trả kết quả giải quyết hồ sơ:', d.dueAt ? timeWords(d.dueAt) : 'theo quy định');
  form.field('Đăng ký nhận kết quả tại:', deliveryText(d));
  await form.qr(d.trackingUrl, d.code);
  form.signatures([
    { title: 'NGƯỜI NỘP HỒ SƠ', name: d.applicant.name },
    { title: SIGNER_OFFICER, name: d.officerName },
  ]);
  return form.finish();
}

/** Mẫu 02: lists what the applicant must add or correct, why, and whom to ask. */
export async function renderSupplementRequest(d: SupplementRequestData): Promise<Uint8Array> {
  const form = await FormLayout.create({
    title: `${SUPPLEMENT_TITLE} ${d.code}`,
    author: d.desk.name,
    subject: 'Mẫu 02',
    createdAt: d.issuedAt,
  });
  form.header({ agency: d.desk, numberLine: numberLine('……', 'PBS'), place: d.place, date: d.issuedAt });
  form.title(upper(SUPPLEMENT_TITLE));
  form.codeLine(d.code);
  form.field('Hồ sơ của:', d.applicant.name);
  form.field('Nội dung yêu cầu giải quyết:', d.procedureName);
  contactFields(form, d.applicant);
  form.paragraph([{ text: 'Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:' }]);
  form.list(d.items.map((item) => [{ text: item.text }]));
  form.field('Lý do:', d.reason);
  const phone = d.contactPhone ? [{ text: 'số điện thoại' }, { text: d.contactPhone, style: 'bold' as const }] : [];
  form.paragraph([
    { text: 'Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với' },
    { text: d.officerName, style: 'bold' },
    ...phone,
    { text: 'để được hướng dẫn./.' },
  ]);
  await form.qr(d.trackingUrl, d.code);
  form.signatures([{ title: 'NGƯỜI HƯỚNG DẪN', name: d.officerName }]);
  return form.finish();
}

/** Mẫu 03: refusal with the reasons; the QR code is printed only when the dossier already has a code. */
export async function renderRefusal(d: RefusalData): Promise<Uint8Array> {
  const title = d.code ? `${REFUSAL_TITLE} ${d.code}` : REFUSAL_TITLE;
  const form = await FormLayout.create({ title, author: d.desk.name, subject: 'Mẫu 03', createdAt: d.issuedAt });
  form.header({ agency: d.desk, numberLine: numberLine('……', 'PTC'), place: d.place, date: d.issuedAt });
  form.title(upper(REFUSAL_TITLE));
  if (d.code) form.codeLine(d.code);
  else form.gap(8);
  form.field(`${d.desk.name} tiếp nhận hồ sơ của:`, d.applicant.name);
  idField(form, d.applicant);
  contactFields(form, d.applicant);
  form.field('Nội dung yêu cầu giải quyết:', d.procedureName);
  form.paragraph([{ text: 'Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận giải quyết hồ sơ này với lý do cụ thể như sau:' }]);
  form.list(d.reasons.map((reason) => [{ text: reason }]));
  form.paragraph([{ text: 'Xin thông báo cho ông/bà được biết và thực hiện./.' }]);
  if (d.code && d.trackingUrl) await form.qr(d.trackingUrl, d.code);
  form.signatures([{ title: SIGNER_OFFICER, name: d.officerName }]);
  return form.finish();
}
