/**
 * Client-side checks that mirror the server's schemas, with the same wording as the server's
 * messages, so the user sees one voice whichever side catches the mistake.
 */
import i18n from '../i18n';
import type { Errors } from './form';

type Rule = (value: unknown) => string | null;

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v));

export const rules = {
  required: (): Rule => (v) => (str(v) === '' ? i18n.t('validation.required') : null),
  minLength:
    (n: number): Rule =>
    (v) =>
      str(v) !== '' && str(v).length < n ? i18n.t('validation.minLength', { count: n }) : null,
  maxLength:
    (n: number): Rule =>
    (v) =>
      str(v).length > n ? i18n.t('validation.maxLength', { count: n }) : null,
  pattern:
    (re: RegExp, messageKey = 'validation.pattern'): Rule =>
    (v) =>
      str(v) !== '' && !re.test(str(v)) ? i18n.t(messageKey) : null,
  email: (): Rule => (v) => (str(v) !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(str(v)) ? i18n.t('validation.email') : null),
  date: (): Rule => (v) => (str(v) !== '' && Number.isNaN(Date.parse(str(v))) ? i18n.t('validation.date') : null),
};

/** Runs the rules of each field and keeps the first failure per field. */
export function check<V extends Record<string, unknown>>(values: V, spec: Partial<Record<keyof V & string, Rule[]>>): Errors {
  const errors: Errors = {};
  for (const [name, list] of Object.entries(spec) as [string, Rule[]][]) {
    for (const rule of list) {
      const msg = rule(values[name]);
      if (msg) {
        errors[name] = msg;
        break;
      }
    }
  }
  return errors;
}
