/**
 * Checks a whole procedure input and turns it into the content of a version: shape (the same
 * schema the routes use), then the rules a schema cannot say — unique keys, select options, ranges,
 * consistent days/hours, known condition fields. Every problem is reported with its path
 * (`body/components/0/name`), not just the first one. Agencies are resolved later (they need the
 * database); here they are only checked for shape.
 */
import { ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FieldError } from '../../platform/http/problem';
import { daysFromHours, hoursFromDays, procedureCodeError } from './catalog.codes';
import { genericForm } from './catalog.forms';
import {
  type Component,
  type Fee,
  type FormField,
  type FormSchema,
  ProcedureInput,
  type ProcedureInput as ProcedureInputT,
} from './catalog.schemas';

export type Level = 'province' | 'commune';
export type OnlineLevel = 'toan_trinh' | 'mot_phan' | 'thong_tin';
export type Delivery = 'online' | 'counter' | 'post';

/** What a version holds (everything but the code, which belongs to the procedure). */
export interface ProcedureContent {
  name: string;
  field: string;
  level: Level;
  onlineLevel: OnlineLevel;
  processingHours: number | null;
  processingNote: string | null;
  fees: Fee[];
  exemptions: string | null;
  components: Component[];
  form: FormSchema;
  legalBasis: string[];
  resultType: string | null;
  resultDelivery: Delivery[];
  implementingAgencyNote: string | null;
}

export interface AgencyPick {
  id?: string;
  code?: string;
}

export interface CheckedProcedure {
  code: string;
  content: ProcedureContent;
  agencies: AgencyPick[];
}

const join = (...parts: (string | number)[]) => parts.filter((p) => p !== '').join('/');

/** Trimmed, NFC-normalised text (composed and decomposed Vietnamese must compare equal). */
export const clean = (s: string) => s.normalize('NFC').trim();
/** A one-line text: also collapses inner whitespace. */
const line = (s: string) => clean(s).replace(/\s+/g, ' ');
const optText = (s: string | null | undefined) => (s == null || clean(s) === '' ? null : clean(s));

/** Sum of the fee amounts when every one is known; null when a fee's amount is unknown or there is no fee information. */
/**
 * The one amount a list can show: free when every line is free, the amount when there is a single
 * line; otherwise null ("see the fee table") — several lines are often alternatives (on time: free,
 * late: 8.000 đ), so adding them up would mislead.
 */
export function feeTotal(fees: Fee[]): number | null {
  if (fees.length > 0 && fees.every((x) => x.amountVnd === 0)) return 0;
  if (fees.length === 1) return fees[0]?.amountVnd ?? null;
  return null;
}

export function defaultDelivery(onlineLevel: OnlineLevel): Delivery[] {
  return onlineLevel === 'toan_trinh' ? ['online', 'counter', 'post'] : ['counter', 'post'];
}

// ------------------------------------------------------------------------------------------------
// Shape errors (the import path validates with TypeBox; routes validate the same schema with AJV)
// ------------------------------------------------------------------------------------------------

function shapeMessage(type: ValueErrorType, schema: Record<string, unknown>): string {
  switch (type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'Trường này là bắt buộc';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'Có trường không được phép';
    case ValueErrorType.String:
      return 'Sai kiểu dữ liệu (cần chuỗi)';
    case ValueErrorType.Number:
      return 'Sai kiểu dữ liệu (cần số)';
    case ValueErrorType.Integer:
      return 'Sai kiểu dữ liệu (cần số nguyên)';
    case ValueErrorType.Boolean:
      return 'Sai kiểu dữ liệu (cần đúng/sai)';
    case ValueErrorType.Array:
      return 'Sai kiểu dữ liệu (cần danh sách)';
    case ValueErrorType.Object:
      return 'Sai kiểu dữ liệu (cần đối tượng)';
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? 'Không được để trống' : `Cần ít nhất ${schema.minLength} ký tự`;
    case ValueErrorType.StringMaxLength:
      return `Không được dài quá ${schema.maxLength} ký tự`;
    case ValueErrorType.StringPattern:
      return 'Không đúng định dạng';
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `Giá trị phải ≥ ${schema.minimum}`;
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `Giá trị phải > ${schema.exclusiveMinimum}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `Giá trị phải ≤ ${schema.maximum}`;
    case ValueErrorType.ArrayMinItems:
      return `Cần ít nhất ${schema.minItems} phần tử`;
    case ValueErrorType.ArrayMaxItems:
      return `Không được quá ${schema.maxItems} phần tử`;
    default:
      return 'Giá trị không hợp lệ';
  }
}

/** A union such as "integer or null": report the non-null branch's own error (e.g. "≥ 0"). */
function unionMessage(schema: Record<string, unknown>, value: unknown): string {
  const branches = (schema.anyOf as Record<string, unknown>[] | undefined) ?? [];
  const nonNull = branches.filter((b) => b.type !== 'null');
  if (nonNull.length === 1 && value !== null && value !== undefined) {
    const first = Value.Errors(nonNull[0] as never, value).First();
    if (first) return shapeMessage(first.type, first.schema as Record<string, unknown>);
  }
  if (branches.every((b) => 'const' in b)) return 'Giá trị không nằm trong danh sách cho phép';
  return 'Giá trị không hợp lệ';
}

function shapeErrors(raw: unknown, prefix: string): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of Value.Errors(ProcedureInput, raw)) {
    const field = join(prefix, e.path.replace(/^\//, '')) || prefix || '/';
    if (seen.has(field)) continue;
    seen.add(field);
    const schema = e.schema as Record<string, unknown>;
    out.push({ field, message: e.type === ValueErrorType.Union ? unionMessage(schema, e.value) : shapeMessage(e.type, schema) });
    if (out.length >= 50) break;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Rules
// ------------------------------------------------------------------------------------------------

function checkForm(form: NonNullable<ProcedureInputT['form']>, at: string, errors: FieldError[]): FormSchema {
  const push = (i: number, k: string, message: string) => errors.push({ field: join(at, 'fields', i, k), message });
  const firstIndex = new Map<string, number>();
  const fields: FormField[] = form.fields.map((x, i) => {
    const dup = firstIndex.get(x.key);
    if (dup !== undefined) push(i, 'key', `Mã trường "${x.key}" trùng với trường số ${dup + 1}`);
    else firstIndex.set(x.key, i);
    const out: FormField = { key: x.key, label: line(x.label), type: x.type, required: x.required ?? false };
    if (!out.label) push(i, 'label', 'Không được để trống');

    if (x.type === 'select') {
      if (!x.options?.length) push(i, 'options', 'Trường chọn (select) cần ít nhất một lựa chọn');
    } else if (x.options !== undefined) push(i, 'options', 'Chỉ trường chọn (select) mới có danh sách lựa chọn');
    if (x.options?.length) {
      const values = new Set<string>();
      out.options = x.options.map((o, j) => {
        const value = clean(o.value);
        if (values.has(value)) errors.push({ field: join(at, 'fields', i, 'options', j, 'value'), message: `Giá trị "${value}" bị trùng` });
        values.add(value);
        const label = line(o.label);
        if (!label || !value) errors.push({ field: join(at, 'fields', i, 'options', j), message: 'Giá trị và nhãn không được để trống' });
        return { value, label };
      });
    }

    if (x.min !== undefined || x.max !== undefined) {
      if (x.type !== 'number') push(i, x.min !== undefined ? 'min' : 'max', 'Giới hạn giá trị (min, max) chỉ dùng cho trường số');
      else if (x.min !== undefined && x.max !== undefined && x.min > x.max) push(i, 'max', 'max phải ≥ min');
      if (x.min !== undefined) out.min = x.min;
      if (x.max !== undefined) out.max = x.max;
    }
    if (x.minLength !== undefined || x.maxLength !== undefined) {
      if (x.type !== 'text' && x.type !== 'textarea')
        push(i, x.minLength !== undefined ? 'minLength' : 'maxLength', 'Giới hạn độ dài chỉ dùng cho trường văn bản (text, textarea)');
      else if (x.minLength !== undefined && x.maxLength !== undefined && x.minLength > x.maxLength)
        push(i, 'maxLength', 'maxLength phải ≥ minLength');
      if (x.minLength !== undefined) out.minLength = x.minLength;
      if (x.maxLength !== undefined) out.maxLength = x.maxLength;
    }
    if (x.pattern !== undefined) {
      if (x.type !== 'text' && x.type !== 'textarea') push(i, 'pattern', 'Mẫu kiểm tra (pattern) chỉ dùng cho trường văn bản');
      try {
        new RegExp(x.pattern, 'u');
      } catch {
        push(i, 'pattern', 'Biểu thức chính quy không hợp lệ');
      }
      out.pattern = x.pattern;
    }
    const help = optText(x.help);
    if (help) out.help = help;
    if (x.requiredIf) out.requiredIf = { field: x.requiredIf.field, equals: x.requiredIf.equals };
    return out;
  });

  // Conditions refer to other fields of the same form, with a value that field can take.
  fields.forEach((x, i) => {
    if (!x.requiredIf) return;
    const target = fields.find((t) => t.key === x.requiredIf?.field);
    const where = join(at, 'fields', i, 'requiredIf', 'field');
    if (x.required)
      errors.push({ field: join(at, 'fields', i, 'requiredIf'), message: 'Trường đã bắt buộc thì không cần điều kiện requiredIf' });
    if (!target || target.key === x.key) {
      errors.push({ field: where, message: `Không có trường "${x.requiredIf.field}" khác trong biểu mẫu` });
      return;
    }
    const eq = x.requiredIf.equals;
    const eqAt = join(at, 'fields', i, 'requiredIf', 'equals');
    if (target.type === 'select' && !target.options?.some((o) => o.value === eq))
      errors.push({ field: eqAt, message: `"${String(eq)}" không phải một lựa chọn của trường "${target.key}"` });
    if (target.type === 'checkbox' && typeof eq !== 'boolean') errors.push({ field: eqAt, message: 'Trường đánh dấu chỉ nhận true/false' });
    if (target.type === 'number' && typeof eq !== 'number') errors.push({ field: eqAt, message: 'Trường số cần giá trị số' });
  });
  return { fields };
}

function checkComponents(list: NonNullable<ProcedureInputT['components']>, at: string, errors: FieldError[]): Component[] {
  const given = new Map<string, number>();
  list.forEach((c, i) => {
    if (c.key === undefined) return;
    const dup = given.get(c.key);
    if (dup !== undefined)
      errors.push({ field: join(at, i, 'key'), message: `Mã thành phần "${c.key}" trùng với thành phần số ${dup + 1}` });
    else given.set(c.key, i);
  });
  // Components without a key get tp1, tp2 … (skipping keys already in use), so dossiers can refer to them.
  let n = 0;
  const nextKey = () => {
    let k: string;
    do k = `tp${++n}`;
    while (given.has(k));
    return k;
  };
  return list.map((c, i) => {
    const name = line(c.name);
    if (!name) errors.push({ field: join(at, i, 'name'), message: 'Không được để trống' });
    return {
      key: c.key ?? nextKey(),
      name,
      original: c.original ?? null,
      copies: c.copies ?? null,
      required: c.required ?? true,
      condition: optText(c.condition),
      templateFileId: c.templateFileId ? c.templateFileId.toLowerCase() : null,
      fromEdataStore: c.fromEdataStore ?? false,
      documentType: optText(c.documentType),
    };
  });
}

function checkFees(list: NonNullable<ProcedureInputT['fees']>, at: string, errors: FieldError[]): Fee[] {
  return list.map((x, i) => {
    const name = line(x.name);
    if (!name) errors.push({ field: join(at, i, 'name'), message: 'Không được để trống' });
    const amount = x.amountVnd ?? null;
    if (amount !== null && (!Number.isSafeInteger(amount) || amount < 0))
      errors.push({ field: join(at, i, 'amountVnd'), message: 'Số tiền phải là số nguyên (đồng) ≥ 0' });
    return { name, amountVnd: amount, note: optText(x.note) };
  });
}

function checkProcessing(input: ProcedureInputT, at: string, errors: FieldError[]): number | null {
  const hours = input.processingHours ?? null;
  if (input.processingDays === undefined || input.processingDays === null) return hours;
  const fromDays = hoursFromDays(input.processingDays);
  if (fromDays === undefined) {
    errors.push({
      field: join(at, 'processingDays'),
      message: 'Số ngày phải đổi được ra số giờ làm việc nguyên (1 ngày = 8 giờ; ví dụ 0,5 ngày = 4 giờ)',
    });
    return hours;
  }
  if (hours !== null && hours !== fromDays) {
    errors.push({
      field: join(at, 'processingDays'),
      message: `Không khớp với processingHours (${hours} giờ = ${daysFromHours(hours)} ngày làm việc); chỉ cần gửi một trong hai`,
    });
  }
  return hours ?? fromDays;
}

/**
 * Checks one procedure input. `prefix` starts every error path ('body' for a request body, '' for an
 * element of an import file, where the line number says which element).
 */
export function checkProcedureInput(raw: unknown, prefix = 'body'): { value?: CheckedProcedure; errors: FieldError[] } {
  const shape = shapeErrors(raw, prefix);
  if (shape.length) return { errors: shape };
  const input = raw as ProcedureInputT;
  const errors: FieldError[] = [];
  const at = (k: string) => join(prefix, k);

  const code = clean(input.code).toUpperCase();
  const codeErr = procedureCodeError(code);
  if (codeErr) errors.push({ field: at('code'), message: codeErr });
  const name = line(input.name);
  if (!name) errors.push({ field: at('name'), message: 'Không được để trống' });
  const field = line(input.field);
  if (!field) errors.push({ field: at('field'), message: 'Không được để trống' });

  const processingHours = checkProcessing(input, prefix, errors);
  const fees = checkFees(input.fees ?? [], at('fees'), errors);
  const components = checkComponents(input.components ?? [], at('components'), errors);
  const form = input.form ? checkForm(input.form, at('form'), errors) : genericForm();

  const legalBasis: string[] = [];
  (input.legalBasis ?? []).forEach((b, i) => {
    const v = line(b);
    if (!v) errors.push({ field: at(`legalBasis/${i}`), message: 'Không được để trống' });
    else if (v.includes(';'))
      errors.push({ field: at(`legalBasis/${i}`), message: 'Mỗi căn cứ là một phần tử; không dùng dấu ";" (dấu ngăn cách trong tệp CSV)' });
    else if (!legalBasis.includes(v)) legalBasis.push(v);
  });

  const resultDelivery = input.resultDelivery ? [...new Set(input.resultDelivery)] : defaultDelivery(input.onlineLevel);
  if (input.onlineLevel === 'toan_trinh' && !resultDelivery.includes('online') && !resultDelivery.includes('post')) {
    errors.push({
      field: at('resultDelivery'),
      message: 'Dịch vụ công trực tuyến toàn trình phải trả kết quả trực tuyến hoặc qua bưu chính công ích (NĐ 42/2022, Điều 11)',
    });
  }

  const agencies: AgencyPick[] = [];
  const seen = new Set<string>();
  input.agencies.forEach((a, i) => {
    const id = a.id?.toLowerCase();
    const agencyCode = a.code ? clean(a.code).toUpperCase() : undefined;
    if (!id && !agencyCode) {
      errors.push({ field: at(`agencies/${i}`), message: 'Cần id hoặc mã định danh (code) của cơ quan' });
      return;
    }
    const k = id ?? `code:${agencyCode}`;
    if (seen.has(k)) errors.push({ field: at(`agencies/${i}`), message: 'Cơ quan bị lặp' });
    seen.add(k);
    agencies.push({ ...(id ? { id } : {}), ...(agencyCode ? { code: agencyCode } : {}) });
  });

  if (errors.length) return { errors };
  return {
    value: {
      code,
      agencies,
      content: {
        name,
        field,
        level: input.level,
        onlineLevel: input.onlineLevel,
        processingHours,
        processingNote: optText(input.processingNote),
        fees,
        exemptions: optText(input.exemptions),
        components,
        form,
        legalBasis,
        resultType: optText(input.resultType),
        resultDelivery,
        implementingAgencyNote: optText(input.implementingAgencyNote),
      },
    },
    errors: [],
  };
}
