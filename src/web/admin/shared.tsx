/** Small helpers shared by the admin screens. */
import type { FieldProps } from '../ui/form';

/** Field props for a filter input that is not part of a validated form. */
export const filterField = (name: string): FieldProps => ({ id: `filter-${name}`, name });

/** Removes empty strings so PATCH/POST bodies carry only what the user filled in. */
export function compact<T extends Record<string, unknown>>(v: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === '' || val === undefined) continue;
    (out as Record<string, unknown>)[k] = typeof val === 'string' ? val.trim() : val;
  }
  return out;
}

/** Null for an empty string: lets PATCH clear an optional value. */
export const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());
