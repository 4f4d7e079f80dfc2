/**
 * Labelled form controls. Each shows a required mark, an optional hint and its error, and wires
 * aria-describedby / aria-invalid so assistive technology reads them together.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProps } from './form';

interface Common {
  label: string;
  hint?: ReactNode;
  required?: boolean;
  field: FieldProps;
}

function describedBy(field: FieldProps, hint: unknown): string | undefined {
  const ids = [hint ? `${field.id}-hint` : '', field.error ? `${field.id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Label({ id, label, required }: { id: string; label: string; required?: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="field-label" htmlFor={id}>
      {label}
      {required && (
        <span className="required-mark">
          <span aria-hidden="true"> *</span>
          <span className="visually-hidden"> ({t('form.required')})</span>
        </span>
      )}
    </label>
  );
}

function Extras({ field, hint }: { field: FieldProps; hint?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      {hint && (
        <div className="field-hint" id={`${field.id}-hint`}>
          {hint}
        </div>
      )}
      {field.error && (
        <p className="field-error" id={`${field.id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {field.error}
        </p>
      )}
    </>
  );
}

/** The wrapper every labelled control shares: label, hint, error, invalid styling. */
function FieldShell({ field, label, hint, required, className, children }: Common & { className?: string; children: ReactNode }) {
  return (
    <div className={['field', field.error ? 'field-invalid' : '', className].filter(Boolean).join(' ')}>
      <Label id={field.id} label={label} required={required} />
      <Extras field={field} hint={hint} />
      {children}
    </div>
  );
}

/** id, name and the aria wiring that ties a control to its hint and error. */
function controlAria(field: FieldProps, hint: unknown, required?: boolean) {
  return {
    id: field.id,
    name: field.name,
    'aria-invalid': field.error ? true : undefined,
    'aria-describedby': describedBy(field, hint),
    'aria-required': required || undefined,
  } as const;
}

export function TextField({
  label,
  hint,
  required,
  field,
  value,
  onValue,
  className,
  ...rest
}: Common & { value: string; onValue: (v: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  return (
    <FieldShell field={field} label={label} hint={hint} required={required} className={className}>
      <input className="input" {...controlAria(field, hint, required)} value={value} onChange={(e) => onValue(e.target.value)} {...rest} />
    </FieldShell>
  );
}

export function TextArea({
  label,
  hint,
  required,
  field,
  value,
  onValue,
  className,
  ...rest
}: Common & { value: string; onValue: (v: string) => void } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  return (
    <FieldShell field={field} label={label} hint={hint} required={required} className={className}>
      <textarea
        className="input textarea"
        {...controlAria(field, hint, required)}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        {...rest}
      />
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  hint,
  required,
  field,
  value,
  onValue,
  options,
  placeholder,
  className,
  ...rest
}: Common & {
  value: string;
  onValue: (v: string) => void;
  options: Option[];
  /** Label of the empty choice; omitted → no empty choice. */
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>) {
  return (
    <FieldShell field={field} label={label} hint={hint} required={required} className={className}>
      <select
        className="input select"
        {...controlAria(field, hint, required)}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        {...rest}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({
  label,
  hint,
  field,
  checked,
  onChecked,
}: Omit<Common, 'required'> & { checked: boolean; onChecked: (v: boolean) => void }) {
  return (
    <div className={['field', 'field-checkbox', field.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <input
        type="checkbox"
        className="checkbox"
        id={field.id}
        name={field.name}
        checked={checked}
        onChange={(e) => onChecked(e.target.checked)}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={describedBy(field, hint)}
      />
      <label className="checkbox-label" htmlFor={field.id}>
        {label}
      </label>
      <Extras field={field} hint={hint} />
    </div>
  );
}

/** A group of checkboxes (e.g. a role's permissions) in a fieldset with a legend. */
export function CheckboxGroup({
  legend,
  hint,
  field,
  options,
  value,
  onValue,
  columns = false,
}: {
  legend: string;
  hint?: ReactNode;
  field: FieldProps;
  options: (Option & { hint?: string })[];
  value: string[];
  onValue: (v: string[]) => void;
  columns?: boolean;
}) {
  const toggle = (v: string, on: boolean) => onValue(on ? [...value, v] : value.filter((x) => x !== v));
  return (
    <fieldset className={['fieldset', field.error ? 'field-invalid' : ''].filter(Boolean).join(' ')} id={field.id} tabIndex={-1}>
      <legend className="field-label">{legend}</legend>
      <Extras field={field} hint={hint} />
      <div className={columns ? 'checkbox-grid' : undefined}>
        {options.map((o) => {
          const id = `${field.id}-${o.value.replace(/[^\w-]/g, '_')}`;
          return (
            <div className="field-checkbox" key={o.value}>
              <input
                type="checkbox"
                className="checkbox"
                id={id}
                name={field.name}
                value={o.value}
                checked={value.includes(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <label className="checkbox-label" htmlFor={id}>
                {o.label}
                {o.hint && <span className="checkbox-hint">{o.hint}</span>}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** File picker; the chosen file is handed over as a File (read it on submit). */
export function FileField({
  label,
  hint,
  required,
  field,
  accept,
  onFile,
}: Common & { accept?: string; onFile: (f: File | null) => void }) {
  return (
    <div className={['field', field.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <Label id={field.id} label={label} required={required} />
      <Extras field={field} hint={hint} />
      <input
        type="file"
        className="input input-file"
        id={field.id}
        name={field.name}
        accept={accept}
        onChange={(e) => onFile(e.target.files?.[0] ?? null)}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={describedBy(field, hint)}
      />
    </div>
  );
}
