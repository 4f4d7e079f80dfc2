/**
 * Sổ theo dõi hồ sơ (Mẫu 06, TT 01/2018/TT-VPCP; Mẫu 07 in TT 03/2025) and any filtered list of dossiers, exported as
 * an .xlsx workbook (exceljs, see docs/adr/0008-xlsx-exceljs.md). The register may be kept electronically; this is the
 * printable / archivable form of it: title rows, the Mẫu 06 columns, real Excel dates in Vietnam wall time, a frozen
 * header with an auto-filter, and a totals block.
 */
import ExcelJS from 'exceljs';
import { localTime, pad2 } from './dossiers.pdf';

export interface RegisterRow {
  code: string;
  procedureName: string;
  applicantName: string;
  applicantAddress: string | null;
  applicantPhone: string | null;
  leadAgencyName: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  returnedAt: Date | null;
  returnMethod: 'online' | 'counter' | 'post' | null;
  publicStatusName: string | null;
  timeliness: 'early' | 'on_time' | 'late' | 'pending_overdue' | 'pending' | null;
  /** 1 = trực tiếp, 2 = trực tuyến, 3 = bưu chính công ích. */
  channel: 1 | 2 | 3;
}

export interface RegisterMeta {
  /** e.g. "Sổ theo dõi hồ sơ" or "Danh sách hồ sơ quá hạn"; printed upper case. */
  title: string;
  agencyName: string;
  /** ISO dates (YYYY-MM-DD) or free text; null = open-ended. */
  periodFrom: string | null;
  periodTo: string | null;
  generatedAt: Date;
  /** Human-readable filter conditions, e.g. "Lĩnh vực: Hộ tịch". */
  filters: string[];
}

const SHEET_NAME = 'Sổ theo dõi hồ sơ';
const DATE_FORMAT = 'dd/mm/yyyy hh:mm';

interface Column {
  header: string;
  width: number;
  /** Date columns are centred and carry the date format. */
  kind?: 'date' | 'center';
}

/** The Mẫu 06 columns, plus the channel, the public status and the timeliness the platform knows. */
const COLUMNS: Column[] = [
  { header: 'STT', width: 6, kind: 'center' },
  { header: 'Mã hồ sơ', width: 22 },
  { header: 'Tên TTHC', width: 40 },
  { header: 'Tên tổ chức/cá nhân', width: 26 },
  { header: 'Địa chỉ, số điện thoại', width: 32 },
  { header: 'Cơ quan chủ trì giải quyết', width: 28 },
  { header: 'Nhận hồ sơ (ngày giờ)', width: 17, kind: 'date' },
  { header: 'Hẹn trả kết quả', width: 17, kind: 'date' },
  { header: 'Ngày trả kết quả', width: 17, kind: 'date' },
  { header: 'Phương thức nhận kết quả', width: 18 },
  { header: 'Kênh nộp', width: 14, kind: 'center' },
  { header: 'Tình trạng', width: 20 },
  { header: 'Đúng hạn/Trễ hạn', width: 16, kind: 'center' },
  { header: 'Ký nhận', width: 14 },
];

const RETURN_METHOD: Record<NonNullable<RegisterRow['returnMethod']>, string> = {
  online: 'Trực tuyến',
  counter: 'Trực tiếp tại Bộ phận Một cửa',
  post: 'Qua bưu chính công ích',
};

const CHANNEL: Record<RegisterRow['channel'], string> = { 1: 'Trực tiếp', 2: 'Trực tuyến', 3: 'Bưu chính công ích' };

const TIMELINESS: Record<NonNullable<RegisterRow['timeliness']>, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Trễ hạn',
  pending_overdue: 'Đang giải quyết, quá hạn',
  pending: 'Đang giải quyết, trong hạn',
};

const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = 'Times New Roman';

/**
 * Excel dates have no time zone: the cell holds the Vietnam wall-clock time as if it were UTC, which exceljs writes
 * unchanged, so "09:15" in Buôn Ma Thuột shows as 09:15 whatever the reader's zone.
 */
function wallClock(at: Date | null): Date | null {
  if (!at) return null;
  const t = localTime(at);
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute));
}

function formatDateTime(at: Date): string {
  const t = localTime(at);
  return `${pad2(t.day)}/${pad2(t.month)}/${t.year} ${pad2(t.hour)}:${pad2(t.minute)}`;
}

/** "2026-11-01" → "01/11/2026"; anything else is printed as given. */
function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

function periodText(from: string | null, to: string | null): string {
  if (from && to) return `Từ ngày ${formatDay(from)} đến ngày ${formatDay(to)}`;
  if (from) return `Từ ngày ${formatDay(from)}`;
  if (to) return `Đến ngày ${formatDay(to)}`;
  return 'Toàn bộ thời gian';
}

function contact(row: RegisterRow): string {
  return [row.applicantAddress, row.applicantPhone ? `ĐT: ${row.applicantPhone}` : null].filter(Boolean).join('; ');
}

function cells(row: RegisterRow, i: number): ExcelJS.CellValue[] {
  return [
    i + 1,
    row.code,
    row.procedureName,
    row.applicantName,
    contact(row),
    row.leadAgencyName,
    wallClock(row.receivedAt),
    wallClock(row.dueAt),
    wallClock(row.returnedAt),
    row.returnMethod ? RETURN_METHOD[row.returnMethod] : null,
    CHANNEL[row.channel],
    row.publicStatusName,
    row.timeliness ? TIMELINESS[row.timeliness] : null,
    null, // Ký nhận: signed on the printed copy
  ];
}

export interface RegisterTotals {
  total: number;
  /** Returned early or on time. */
  onTime: number;
  /** Returned late. */
  late: number;
  /** Not returned yet and already past the due time. */
  pendingOverdue: number;
}

export function registerTotals(rows: RegisterRow[]): RegisterTotals {
  const totals = { total: rows.length, onTime: 0, late: 0, pendingOverdue: 0 };
  for (const r of rows) {
    if (r.timeliness === 'early' || r.timeliness === 'on_time') totals.onTime++;
    else if (r.timeliness === 'late') totals.late++;
    else if (r.timeliness === 'pending_overdue') totals.pendingOverdue++;
  }
  return totals;
}

/** A text line across the whole table width. */
function titleRow(sheet: ExcelJS.Worksheet, text: string, font: Partial<ExcelJS.Font>, height?: number): void {
  const row = sheet.addRow([text]);
  sheet.mergeCells(row.number, 1, row.number, COLUMNS.length);
  const cell = row.getCell(1);
  cell.font = { name: FONT, size: 12, ...font };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  if (height) row.height = height;
}

/** The register as .xlsx bytes; 10,000 rows take about a second. */
export async function registerWorkbook(rows: RegisterRow[], meta: RegisterMeta): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'TinhSo';
  workbook.created = meta.generatedAt;
  workbook.modified = meta.generatedAt;
  workbook.title = meta.title;
  const sheet = workbook.addWorksheet(SHEET_NAME, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));

  titleRow(sheet, meta.agencyName.toLocaleUpperCase('vi-VN'), { bold: true });
  titleRow(sheet, meta.title.toLocaleUpperCase('vi-VN'), { bold: true, size: 14 }, 22);
  titleRow(sheet, periodText(meta.periodFrom, meta.periodTo), { italic: true });
  if (meta.filters.length > 0) titleRow(sheet, `Điều kiện lọc: ${meta.filters.join('; ')}`, { italic: true, size: 11 });
  titleRow(sheet, `Ngày lập: ${formatDateTime(meta.generatedAt)}`, { italic: true, size: 11 });
  sheet.addRow([]);

  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.height = 32;
  header.eachCell((cell) => {
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
    cell.border = BORDER;
  });

  const bodyFont: Partial<ExcelJS.Font> = { name: FONT, size: 11 };
  const alignments = COLUMNS.map(
    (c): Partial<ExcelJS.Alignment> => ({ vertical: 'top', wrapText: true, ...(c.kind ? { horizontal: 'center' } : {}) }),
  );
  rows.forEach((r, i) => {
    const row = sheet.addRow(cells(r, i));
    for (let c = 0; c < COLUMNS.length; c++) {
      const cell = row.getCell(c + 1);
      cell.font = bodyFont;
      cell.alignment = alignments[c]!;
      cell.border = BORDER;
      if (COLUMNS[c]!.kind === 'date') cell.numFmt = DATE_FORMAT;
    }
  });
  const lastDataRow = header.number + rows.length;

  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: header.number, topLeftCell: `A${header.number + 1}`, activeCell: 'A1' }];
  sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: lastDataRow, column: COLUMNS.length } };
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`;

  sheet.addRow([]);
  const totals = registerTotals(rows);
  const totalLines: [string, number][] = [
    ['Tổng số hồ sơ', totals.total],
    ['Đúng hạn (kể cả trước hạn)', totals.onTime],
    ['Trễ hạn', totals.late],
    ['Đang giải quyết, quá hạn', totals.pendingOverdue],
  ];
  for (const [label, value] of totalLines) {
    const row = sheet.addRow([label, null, null, value]);
    sheet.mergeCells(row.number, 1, row.number, 3);
    row.getCell(1).font = { name: FONT, size: 11, bold: true };
    row.getCell(4).font = { name: FONT, size: 11, bold: true };
    row.getCell(4).alignment = { horizontal: 'left' };
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
