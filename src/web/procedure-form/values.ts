/**
 * The application form (tờ khai) of a procedure version in the browser, shared by the citizen's wizard
 * and the office counter: conditions (`requiredIf`), value checks that mirror the server's
 * (dossiers.form-values.ts: same rules, same wording), the conversion between what the inputs hold
 * and what the API stores, and how a stored value reads. Pure functions; messages come through `t`.
 */
import type { TFunction } from 'i18next';
import type { FormField } from '../../server/modules/catalog/catalog.schemas';
import type { FormValues } from '../../server/modules/dossiers/dossiers.schemas';
import type { Errors } from '../ui';

export type { FormField, FormValues };

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

/** The field's `requiredIf` holds for these stored values (strict equality, as on the server). */
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
 * be filled (moving on, submitting, registering at the counter); otherwise only what was typed is
 * checked (saving a draft). `values` is the whole form as stored (toServer), since a condition may
 * refer to a field that is not among `fields`.
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

/** An empty form: text fields blank, checkboxes unticked. */
export function initialInput(fields: readonly FormField[]): RawValues {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === 'checkbox' ? false : '']));
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
 * Input values → values to store (the `form` of the API bodies): blanks left out, numbers as numbers
 * (a number typed with a comma too), phone numbers without spaces, only the form's own keys (the
 * server refuses others). A value that does not convert is kept as typed so the check can say so.
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

/**
 * A stored value as the review and dossier pages show it: yes/no, option labels, dd/mm/yyyy, grouped
 * numbers, the commune's name when `unitName` knows it. `field` is undefined for a stored key the
 * procedure version does not declare.
 */
export function displayValue(
  field: FormField | undefined,
  v: FormValues[string] | undefined,
  t: TFunction,
  unitName?: (code: string) => string | undefined,
): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'boolean') return v ? t('dossier.yes') : t('dossier.no');
  const s = String(v);
  switch (field?.type) {
    case 'checkbox':
      return s === 'true' ? t('dossier.yes') : t('dossier.no');
    case 'select':
      return field.options?.find((o) => o.value === s)?.label ?? s;
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
    }
    case 'number':
      return typeof v === 'number' ? new Intl.NumberFormat('vi-VN').format(v) : s;
    case 'unit': {
      const name = unitName?.(s);
      return name ? `${name} (${s})` : s;
    }
    default:
      return s;
  }
}

/** Stored keys the procedure version does not declare (shown under their key so nothing is hidden). */
export const undeclaredKeys = (fields: readonly FormField[], values: FormValues): string[] =>
  Object.keys(values).filter((k) => !fields.some((f) => f.key === k));
