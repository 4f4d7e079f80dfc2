/**
 * The application form (tờ khai) in the browser: conditions (`requiredIf`), value checks that mirror
 * the server's (dossiers.form-values.ts, same rules and wording), the conversion between what the
 * inputs hold and what the API stores, pre-filling from the account, and splitting the fields into
 * short pages for small screens. Pure functions; messages come through the `t` given.
 */
import type { TFunction } from 'i18next';
import type { Errors } from '../ui';
import type { FormField, FormValues } from './types';

/** What the inputs hold: text as typed, checkboxes as booleans. */
export type RawValues = Record<string, string | boolean>;

const ID_NUMBER_RE = /^[0-9]{12}$/;
const PHONE_RE = /^(0|\+84)[1-9][0-9]{8}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_RE = /^[0-9]{2,5}$/;

/** Error key of a form field, as the server's `form/<key>` becomes through fieldName(). */
export const formErrorKey = (key: string) => `form.${key}`;

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The field's `requiredIf` holds for these values (strict equality, as on the server). */
export function conditionMet(field: FormField, values: FormValues): boolean {
  const cond = field.requiredIf;
  return cond !== undefined && values[cond.field] === cond.equals;
}

export function isRequired(field: FormField, values: FormValues): boolean {
  return field.required || conditionMet(field, values);
}

function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Spaces and dots are allowed in phone numbers ("0912 345 678"). */
export const normalisePhone = (s: string) => s.replace(/[\s.]/g, '');
export const validPhone = (s: string) => PHONE_RE.test(normalisePhone(s.trim()));
export const validEmail = (s: string) => EMAIL_RE.test(s.trim());

/**
 * A number as Vietnamese people write it: "1.000.000" (dots group thousands), "2,5" (comma before
 * decimals), or plainly "2.5" / "1000". NaN when it is not a number.
 */
export function parseNumber(text: string): number {
  const s = text.replace(/\s/g, '');
  if (s === '') return Number.NaN;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) return Number(s.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d+,\d+$/.test(s)) return Number(s.replace(',', '.'));
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

/** The message for one filled-in value, or null when it is fine. */
export function checkValue(field: FormField, v: unknown, t: TFunction): string | null {
  const text = typeof v === 'string' ? v.trim() : null;
  switch (field.type) {
    case 'checkbox':
      return typeof v === 'boolean' ? null : t('dossier.check.checkbox');
    case 'number': {
      const n = typeof v === 'number' ? v : text ? parseNumber(text) : Number.NaN;
      if (!Number.isFinite(n)) return t('dossier.check.number');
      if (field.min !== undefined && n < field.min) return t('dossier.check.min', { min: field.min });
      if (field.max !== undefined && n > field.max) return t('dossier.check.max', { max: field.max });
      return null;
    }
    case 'date':
      return text !== null && validDate(text) ? null : t('dossier.check.date');
    case 'select':
      return field.options?.some((o) => o.value === v) ? null : t('dossier.check.option');
    case 'id_number':
      return text !== null && ID_NUMBER_RE.test(text) ? null : t('dossier.check.idNumber');
    case 'phone':
      return text !== null && validPhone(text) ? null : t('dossier.check.phone');
    case 'email':
      return text !== null && validEmail(text) ? null : t('dossier.check.email');
    case 'unit':
      return text !== null && UNIT_RE.test(text) ? null : t('dossier.check.unit');
    default: {
      if (text === null) return t('dossier.check.text');
      if (field.minLength !== undefined && text.length < field.minLength) return t('dossier.check.minLength', { count: field.minLength });
      if (field.maxLength !== undefined && text.length > field.maxLength) return t('dossier.check.maxLength', { count: field.maxLength });
      if (field.pattern !== undefined && !safeTest(field.pattern, text)) return t('dossier.check.pattern');
      return null;
    }
  }
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    // The server refuses an invalid pattern when the procedure is published; never block the user on one.
    return true;
  }
}

const choose = new Set<FormField['type']>(['select', 'unit', 'date', 'checkbox']);

/**
 * Errors of `fields` (keyed `form.<key>`), with the server's rules. `complete` = required fields must
 * be filled (moving on, submitting); otherwise only what was typed is checked (saving a draft).
 * `values` is the whole form, since a condition may refer to a field on another page.
 */
export function checkFields(fields: readonly FormField[], values: FormValues, complete: boolean, t: TFunction): Errors {
  const errors: Errors = {};
  for (const field of fields) {
    const v = values[field.key];
    const required = isRequired(field, values);
    if (isBlank(v) || (field.type === 'checkbox' && v === false && required)) {
      if (complete && required) {
        errors[formErrorKey(field.key)] = t(choose.has(field.type) ? 'dossier.check.choose' : 'dossier.check.required', {
          label: field.label,
        });
      }
      continue;
    }
    const message = checkValue(field, v, t);
    if (message) errors[formErrorKey(field.key)] = message;
  }
  return errors;
}

/** Stored values → input values. */
export function fromServer(fields: readonly FormField[], values: FormValues): RawValues {
  const raw: RawValues = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === 'checkbox') raw[f.key] = v === true;
    else if (v !== undefined && v !== null) raw[f.key] = String(v);
  }
  return raw;
}

/**
 * Input values → values to store: blanks left out, numbers as numbers (a number typed with a comma
 * too), phone numbers without spaces, only the form's own keys (the server refuses others).
 */
export function toServer(fields: readonly FormField[], raw: RawValues): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = raw[f.key];
    if (v === undefined) continue;
    if (f.type === 'checkbox') {
      out[f.key] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') continue;
    if (f.type === 'number') {
      const n = parseNumber(text);
      out[f.key] = Number.isFinite(n) ? n : text;
    } else if (f.type === 'phone') out[f.key] = normalisePhone(text);
    else out[f.key] = f.type === 'textarea' ? (v as string) : text;
  }
  return out;
}

export interface AccountHints {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * Fills empty applicant fields from the account: the applicant's name (`ho_ten`, the key every
 * form's applicant block uses) and the first email and phone fields (the applicant's own, which come first).
 */
export function prefill(fields: readonly FormField[], raw: RawValues, hints: AccountHints): RawValues {
  const out = { ...raw };
  const empty = (key: string) => out[key] === undefined || out[key] === '';
  const fillFirst = (type: FormField['type'] | 'name', value: string | null | undefined) => {
    if (!value) return;
    const field = type === 'name' ? fields.find((f) => f.key === 'ho_ten' && f.type === 'text') : fields.find((f) => f.type === type);
    if (field && empty(field.key)) out[field.key] = value;
  };
  fillFirst('name', hints.name);
  fillFirst('email', hints.email);
  fillFirst('phone', hints.phone);
  return out;
}

/** Long answers take the room of two short ones on a page. */
const weight = (f: FormField) => (f.type === 'textarea' ? 2 : 1);

/**
 * Pages of a few fields each (at most `capacity`, a textarea counting double), in form order. A field
 * whose condition refers to a field on the page being filled stays on that page, so the "required"
 * mark appears next to the answer that triggers it; a last page of one short field joins the one before.
 */
export function splitFields(fields: readonly FormField[], capacity = 4): FormField[][] {
  const pages: FormField[][] = [];
  let page: FormField[] = [];
  let used = 0;
  for (const f of fields) {
    const tied = f.requiredIf !== undefined && page.some((p) => p.key === f.requiredIf?.field);
    if (page.length > 0 && !tied && used + weight(f) > capacity) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(f);
    used += weight(f);
  }
  if (page.length > 0) pages.push(page);
  const last = pages[pages.length - 1];
  const before = pages[pages.length - 2];
  if (last && before && last.length === 1 && weight(last[0] as FormField) === 1) {
    before.push(...last);
    pages.pop();
  }
  return pages;
}

/** A stored value as the review page and the dossier page show it. */
export function displayValue(field: FormField, v: FormValues[string] | undefined, t: TFunction): string {
  if (v === undefined || v === null || v === '') return '';
  switch (field.type) {
    case 'checkbox':
      return v === true ? t('dossier.yes') : t('dossier.no');
    case 'select':
      return field.options?.find((o) => o.value === v)?.label ?? String(v);
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
      return m ? `${m[3]}/${m[2]}/${m[1]}` : String(v);
    }
    case 'number':
      return typeof v === 'number' ? new Intl.NumberFormat('vi-VN').format(v) : String(v);
    default:
      return String(v);
  }
}
