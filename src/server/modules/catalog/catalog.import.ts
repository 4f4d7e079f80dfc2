/**
 * The catalogue as files: CSV columns, reading and writing CSV, and turning a CSV row into a
 * procedure input. Pure functions; the use cases in catalog.service.ts do the database work.
 *
 * CSV carries the columns an officer edits in a spreadsheet: code, name, field, level, online_level,
 * processing_days, processing_hours, fee_vnd, agencies (codes, `;`-separated), legal_basis
 * (`;`-separated), result_type. Dossier components and the application form exist only in JSON; a
 * CSV row for a known procedure keeps them (and the fee details, when fee_vnd still equals their
 * total) from the current version.
 */
import { parse } from 'csv-parse/sync';
import { type FieldError, problems } from '../../platform/http/problem';
import { daysFromHours } from './catalog.codes';
import type { ProcedureInput } from './catalog.schemas';
import { feeTotal, type ProcedureContent } from './catalog.validate';

export const csvColumns = [
  'code',
  'name',
  'field',
  'level',
  'online_level',
  'processing_days',
  'processing_hours',
  'fee_vnd',
  'agencies',
  'legal_basis',
  'result_type',
] as const;
const requiredColumns = ['code', 'name', 'field', 'level', 'online_level'];

export interface CsvRow {
  /** Line in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
  error?: string;
}

/** Parses the CSV text; a malformed file or missing columns is a 400 for the whole file. */
export function parseCatalogCsv(text: string): CsvRow[] {
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number; error?: unknown } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (h: string[]) => {
        header = h.map((c) => c.trim().toLowerCase());
        return header;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw problems.badRequest(
      'csv_malformed',
      'Tệp CSV không đọc được',
      `Tệp CSV sai cấu trúc${line ? ` ở dòng ${line}` : ''} (kiểm tra dấu ngoặc kép và dấu phẩy).`,
    );
  }
  if (header.length === 0) throw problems.badRequest('csv_empty', 'Tệp CSV trống', 'Tệp không có dòng tiêu đề.');
  const missing = requiredColumns.filter((c) => !header.includes(c));
  if (missing.length) {
    throw problems.badRequest(
      'csv_columns',
      'Tệp CSV thiếu cột',
      `Tệp danh mục thủ tục cần các cột: ${csvColumns.join(',')}. Thiếu: ${missing.join(', ')}.`,
    );
  }
  return records.map(({ record, info }) => {
    const values: Record<string, string> = {};
    for (const h of header) values[h] = (record[h] ?? '').normalize('NFC');
    return { line: info.lines, values, ...(info.error ? { error: `Số cột không đúng (cần ${header.length} cột như dòng tiêu đề)` } : {}) };
  });
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvExportRow {
  code: string;
  content: ProcedureContent;
  agencyCodes: string[];
}

export function toCsv(rows: CsvExportRow[]): string {
  const lines = [csvColumns.join(',')];
  for (const r of rows) {
    const c = r.content;
    lines.push(
      [
        r.code,
        c.name,
        c.field,
        c.level,
        c.onlineLevel,
        daysFromHours(c.processingHours),
        c.processingHours,
        feeTotal(c.fees),
        r.agencyCodes.join(';'),
        c.legalBasis.join(';'),
        c.resultType,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  // BOM: spreadsheet programs then read the file as UTF-8 (Vietnamese names stay readable).
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Where a validation error of a CSV-built input points to, as a column name. */
export function csvColumnOf(path: string): string {
  const head = path.split('/')[0] ?? path;
  const map: Record<string, string> = {
    onlineLevel: 'online_level',
    processingDays: 'processing_days',
    processingHours: 'processing_hours',
    fees: 'fee_vnd',
    legalBasis: 'legal_basis',
    resultType: 'result_type',
  };
  return map[head] ?? head;
}

const list = (s: string) =>
  s
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);

/** What a CSV row keeps from the procedure's current version. */
export interface CsvBase {
  content: ProcedureContent;
  agencyIds: string[];
}

/**
 * A procedure input from one CSV row. For a known procedure (`base`), components, form, notes and
 * delivery come from its current version; the fee details too while fee_vnd equals their total.
 */
export function csvRowToInput(row: CsvRow, base: CsvBase | undefined): { input?: Record<string, unknown>; errors: FieldError[] } {
  const v = row.values;
  const errors: FieldError[] = [];
  if (row.error) errors.push({ field: 'line', message: row.error });
  const text = (k: string) => (v[k] ?? '').trim();

  const num = (k: string, integer: boolean): number | null | undefined => {
    const s = text(k);
    if (!s) return null;
    const n = Number(s.replace(',', '.'));
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      errors.push({ field: k, message: integer ? 'Cần một số nguyên' : 'Cần một số' });
      return undefined;
    }
    return n;
  };
  const days = num('processing_days', false);
  const hours = num('processing_hours', true);

  let fees: unknown[] = [];
  const feeText = text('fee_vnd');
  // Thousands may be written with dots or spaces (8.000).
  const fee = feeText ? (/^[0-9][0-9. ]*$/.test(feeText) ? Number(feeText.replace(/[. ]/g, '')) : Number.NaN) : null;
  if (Number.isNaN(fee)) errors.push({ field: 'fee_vnd', message: 'Cần số tiền là số nguyên (đồng), ví dụ 8000' });
  else if (base && (fee === null || fee === feeTotal(base.content.fees))) fees = base.content.fees;
  else if (fee !== null) fees = [{ name: 'Phí, lệ phí', amountVnd: fee, note: null }];

  const agencyCodes = list(text('agencies'));
  const agencies = agencyCodes.length ? agencyCodes.map((code) => ({ code })) : (base?.agencyIds ?? []).map((id) => ({ id }));

  if (errors.length) return { errors };
  const b = base?.content;
  const input: ProcedureInput & Record<string, unknown> = {
    code: text('code'),
    name: text('name'),
    field: text('field'),
    level: text('level') as ProcedureInput['level'],
    onlineLevel: text('online_level') as ProcedureInput['onlineLevel'],
    processingDays: hours === null ? (days ?? null) : null,
    processingHours: hours ?? null,
    processingNote: b?.processingNote ?? null,
    fees: fees as ProcedureInput['fees'],
    exemptions: b?.exemptions ?? null,
    ...(b ? { components: b.components, form: b.form, resultDelivery: b.resultDelivery } : {}),
    legalBasis: list(text('legal_basis')),
    resultType: text('result_type') || null,
    implementingAgencyNote: b?.implementingAgencyNote ?? null,
    agencies,
  };
  // Both times given: they must agree (the validator reports a mismatch on processing_days).
  if (hours !== null && days !== null && days !== undefined) input.processingDays = days;
  return { input, errors: [] };
}
