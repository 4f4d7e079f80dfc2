/**
 * Checks the values of an application form (tờ khai) against the form schema of the procedure version
 * the dossier is pinned to, and reads the applicant's details out of it. Messages are the ones the
 * user sees next to the field.
 */
import type { FieldError } from '../../platform/http/problem';
import type { FormField, FormSchema } from '../catalog';
import type { FormValues } from './dossiers.schemas';
import type { Applicant } from './dossiers.state';

const ID_NUMBER_RE = /^[0-9]{12}$/;
const PHONE_RE = /^(0|\+84)[1-9][0-9]{8}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_RE = /^[0-9]{2,5}$/;

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function isRequired(field: FormField, values: FormValues): boolean {
  if (field.required) return true;
  const cond = field.requiredIf;
  return cond !== undefined && values[cond.field] === cond.equals;
}

function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The message for one filled-in value, or null when it is fine. */
function checkValue(field: FormField, v: unknown): string | null {
  const text = typeof v === 'string' ? v.trim() : null;
  switch (field.type) {
    case 'checkbox':
      return typeof v === 'boolean' ? null : 'Giá trị phải là có hoặc không';
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (!Number.isFinite(n)) return 'Phải là một số';
      if (field.min !== undefined && n < field.min) return `Không được nhỏ hơn ${field.min}`;
      if (field.max !== undefined && n > field.max) return `Không được lớn hơn ${field.max}`;
      return null;
    }
    case 'date':
      return text !== null && validDate(text) ? null : 'Ngày không hợp lệ (định dạng YYYY-MM-DD)';
    case 'select':
      return field.options?.some((o) => o.value === v) ? null : 'Giá trị không nằm trong danh sách lựa chọn';
    case 'id_number':
      return text !== null && ID_NUMBER_RE.test(text) ? null : 'Số định danh cá nhân gồm đúng 12 chữ số';
    case 'phone':
      return text !== null && PHONE_RE.test(text.replace(/[\s.]/g, '')) ? null : 'Số điện thoại không hợp lệ (ví dụ 0912345678)';
    case 'email':
      return text !== null && EMAIL_RE.test(text) ? null : 'Địa chỉ thư điện tử không hợp lệ';
    case 'unit':
      return text !== null && UNIT_RE.test(text) ? null : 'Mã đơn vị hành chính không hợp lệ';
    default: {
      if (text === null) return 'Phải là văn bản';
      if (field.minLength !== undefined && text.length < field.minLength) return `Cần ít nhất ${field.minLength} ký tự`;
      if (field.maxLength !== undefined && text.length > field.maxLength) return `Không quá ${field.maxLength} ký tự`;
      if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(text)) return 'Giá trị không đúng định dạng';
      return null;
    }
  }
}

/**
 * Field errors of the values (field = `form/<key>`). `complete` = check required fields too (at
 * submission); drafts are checked only for what has been typed.
 */
export function checkFormValues(schema: FormSchema, values: FormValues, complete: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(schema.fields.map((f) => f.key));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) errors.push({ field: `form/${key}`, message: 'Tờ khai không có trường này' });
  }
  for (const field of schema.fields) {
    const v = values[field.key];
    if (isBlank(v) || (field.type === 'checkbox' && v === false && isRequired(field, values))) {
      if (complete && isRequired(field, values)) errors.push({ field: `form/${field.key}`, message: `Vui lòng nhập "${field.label}"` });
      continue;
    }
    const message = checkValue(field, v);
    if (message) errors.push({ field: `form/${field.key}`, message });
  }
  return errors;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The applicant as declared on the form (the common applicant fields every procedure asks). */
export function applicantOf(values: FormValues): Applicant {
  const address = [str(values.dia_chi), str(values.dia_chi_don_vi_ten)].filter(Boolean).join(', ');
  return {
    kind: str(values.ma_so_thue) ? 'business' : 'citizen',
    name: str(values.ho_ten) ?? str(values.ten_to_chuc) ?? '',
    idNumber: str(values.so_dinh_danh) ?? str(values.ma_so_thue),
    phone: str(values.so_dien_thoai)?.replace(/[\s.]/g, '') ?? null,
    email: str(values.email),
    address: address || null,
  };
}

/** A one-line summary (trích yếu) for lists: the request text when the form has one. */
export function summaryOf(values: FormValues): string | null {
  const text = str(values.noi_dung_yeu_cau);
  return text ? text.slice(0, 300) : null;
}

/** Digits only, so "0912 345 678" and "+84912345678" compare equal by their last digits. */
export function lastDigits(s: string | null, n = 4): string | null {
  const digits = s?.replace(/\D/g, '') ?? '';
  return digits.length >= n ? digits.slice(-n) : null;
}
