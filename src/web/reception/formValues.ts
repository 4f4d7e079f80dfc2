/**
 * The application form (tờ khai) of a procedure version on the office side: the values a form starts
 * with, the checks the server makes (mirrored so the officer sees mistakes before sending), the body
 * the API takes, and how a stored value reads on the dossier page.
 */
import type { FormField } from '../../server/modules/catalog/catalog.schemas';
import type { FormValues } from '../../server/modules/dossiers/dossiers.schemas';
import { formatDay } from '../format';

/** What the inputs hold: text for every field, true/false for checkboxes. */
export type FormInput = Record<string, string | boolean>;

/** A client-side problem with one field; `code` picks the message (reception.formErrors.<code>). */
export interface FieldProblem {
  code:
    | 'required'
    | 'checkboxRequired'
    | 'number'
    | 'min'
    | 'max'
    | 'date'
    | 'select'
    | 'idNumber'
    | 'phone'
    | 'email'
    | 'unit'
    | 'minLength'
    | 'maxLength'
    | 'pattern';
  params?: Record<string, number>;
}

// Same rules as the server (dossiers.form-values.ts).
const ID_NUMBER_RE = /^[0-9]{12}$/;
const PHONE_RE = /^(0|\+84)[1-9][0-9]{8}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_RE = /^[0-9]{2,5}$/;

export function initialInput(fields: readonly FormField[]): FormInput {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === 'checkbox' ? false : '']));
}

const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v.trim() : '');

/** Required outright, or because another field has the given value (requiredIf). */
export function isRequired(field: FormField, input: FormInput): boolean {
  if (field.required) return true;
  const cond = field.requiredIf;
  if (!cond) return false;
  const other = input[cond.field];
  return typeof other === 'boolean' || typeof cond.equals !== 'string'
    ? String(other) === String(cond.equals)
    : text(other) === cond.equals;
}

function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function checkFilled(field: FormField, v: string): FieldProblem | null {
  switch (field.type) {
    case 'number': {
      const n = Number(v.replace(',', '.'));
      if (!Number.isFinite(n)) return { code: 'number' };
      if (field.min !== undefined && n < field.min) return { code: 'min', params: { min: field.min } };
      if (field.max !== undefined && n > field.max) return { code: 'max', params: { max: field.max } };
      return null;
    }
    case 'date':
      return validDate(v) ? null : { code: 'date' };
    case 'select':
      return field.options?.some((o) => o.value === v) ? null : { code: 'select' };
    case 'id_number':
      return ID_NUMBER_RE.test(v) ? null : { code: 'idNumber' };
    case 'phone':
      return PHONE_RE.test(v.replace(/[\s.]/g, '')) ? null : { code: 'phone' };
    case 'email':
      return EMAIL_RE.test(v) ? null : { code: 'email' };
    case 'unit':
      return UNIT_RE.test(v) ? null : { code: 'unit' };
    default: {
      if (field.minLength !== undefined && v.length < field.minLength) return { code: 'minLength', params: { count: field.minLength } };
      if (field.maxLength !== undefined && v.length > field.maxLength) return { code: 'maxLength', params: { count: field.maxLength } };
      if (field.pattern !== undefined && !safeTest(field.pattern, v)) return { code: 'pattern' };
      return null;
    }
  }
}

/** A pattern the browser cannot compile is left to the server. */
function safeTest(pattern: string, v: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(v);
  } catch {
    return true;
  }
}

/** Problems by field key (empty when the form may be sent). */
export function checkInput(fields: readonly FormField[], input: FormInput): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const field of fields) {
    const v = input[field.key];
    if (field.type === 'checkbox') {
      if (v !== true && isRequired(field, input)) out[field.key] = { code: 'checkboxRequired' };
      continue;
    }
    const s = text(v);
    if (s === '') {
      if (isRequired(field, input)) out[field.key] = { code: 'required' };
      continue;
    }
    const p = checkFilled(field, s);
    if (p) out[field.key] = p;
  }
  return out;
}

/** The `form` body of the API: known fields only, text trimmed, numbers as numbers, blanks left out. */
export function toFormValues(fields: readonly FormField[], input: FormInput): FormValues {
  const out: FormValues = {};
  for (const field of fields) {
    const v = input[field.key];
    if (field.type === 'checkbox') {
      out[field.key] = v === true;
      continue;
    }
    const s = text(v);
    if (s === '') continue;
    if (field.type === 'number') {
      const n = Number(s.replace(',', '.'));
      out[field.key] = Number.isFinite(n) ? n : s;
    } else if (field.type === 'phone') {
      out[field.key] = s.replace(/[\s.]/g, '');
    } else {
      out[field.key] = s;
    }
  }
  return out;
}

/** How a stored value reads: option labels, dd/mm/yyyy, yes/no, the commune's name. */
export function displayValue(
  field: FormField | undefined,
  value: FormValues[string] | undefined,
  words: { yes: string; no: string; unitName?: (code: string) => string | undefined },
): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  const s = String(value);
  switch (field?.type) {
    case 'select':
      return field.options?.find((o) => o.value === s)?.label ?? s;
    case 'date':
      return formatDay(s);
    case 'checkbox':
      return s === 'true' ? words.yes : words.no;
    case 'unit': {
      const name = words.unitName?.(s);
      return name ? `${name} (${s})` : s;
    }
    default:
      return s;
  }
}

/** Stored keys the procedure version does not declare (shown under their key so nothing is hidden). */
export const undeclaredKeys = (fields: readonly FormField[], values: FormValues): string[] =>
  Object.keys(values).filter((k) => !fields.some((f) => f.key === k));
