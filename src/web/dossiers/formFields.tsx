/**
 * One field of the application form, drawn by its type with the shared labelled controls: inputs
 * suited to phones (numeric keypad for ID numbers, tel, email, native date picker), selects, a
 * checkbox, and a search-and-choose list for an administrative unit (xã, phường).
 */
import type { TFunction } from 'i18next';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, CheckboxField, SelectField, TextArea, TextField } from '../ui';
import type { FieldProps } from '../ui/form';
import { useUnit, useUnitSearch } from './api';
import { formErrorKey, isRequired, type RawValues } from './formValues';
import { inputId } from './steps';
import type { FormField, FormValues } from './types';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}

export function FormFieldControl({
  field,
  raw,
  values,
  error,
  onChange,
}: {
  field: FormField;
  raw: RawValues;
  /** The whole form as stored (conditions may look at other pages). */
  values: FormValues;
  error?: string;
  onChange: (key: string, value: string | boolean) => void;
}) {
  const { t } = useTranslation();
  const fp: FieldProps = { id: inputId(formErrorKey(field.key)) ?? field.key, name: field.key, error };
  const required = isRequired(field, values);
  const v = raw[field.key];
  const text = typeof v === 'string' ? v : '';
  const set = (x: string | boolean) => onChange(field.key, x);
  const hint = field.help;
  const common = { label: field.label, hint, required, field: fp };
  switch (field.type) {
    case 'textarea':
      return <TextArea {...common} value={text} onValue={set} maxLength={field.maxLength} rows={4} />;
    case 'select':
      return (
        <SelectField
          {...common}
          value={text}
          onValue={set}
          placeholder={t('common.choose')}
          options={(field.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
        />
      );
    case 'checkbox':
      return (
        <CheckboxField label={required ? `${field.label} *` : field.label} hint={hint} field={fp} checked={v === true} onChecked={set} />
      );
    case 'date':
      return <TextField {...common} type="date" value={text} onValue={set} className="input-short" />;
    case 'number':
      return (
        <TextField
          {...common}
          hint={hint ?? rangeHint(field, t)}
          inputMode="decimal"
          value={text}
          onValue={set}
          className="input-short"
          autoComplete="off"
        />
      );
    case 'id_number':
      return (
        <TextField
          {...common}
          hint={hint ?? t('dossier.form.idNumberHint')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={text}
          onValue={(x) => set(x.replace(/\D/g, ''))}
          className="input-short"
        />
      );
    case 'phone':
      return <TextField {...common} type="tel" autoComplete="tel" value={text} onValue={set} className="input-short" maxLength={20} />;
    case 'email':
      return (
        <TextField {...common} type="email" autoComplete="email" autoCapitalize="none" spellCheck={false} value={text} onValue={set} />
      );
    case 'unit':
      return <UnitField field={field} fp={fp} required={required} value={text} onValue={set} />;
    default:
      return (
        <TextField
          {...common}
          value={text}
          onValue={set}
          maxLength={field.maxLength}
          autoComplete={field.key === 'ho_ten' ? 'name' : 'off'}
        />
      );
  }
}

function rangeHint(field: FormField, t: TFunction): string | undefined {
  if (field.min !== undefined && field.max !== undefined) return t('dossier.form.range', { min: field.min, max: field.max });
  if (field.min !== undefined) return t('dossier.form.atLeast', { min: field.min });
  if (field.max !== undefined) return t('dossier.form.atMost', { max: field.max });
  return undefined;
}

/** The name of an administrative unit by its code (review page, dossier page). */
export function UnitName({ code }: { code: string }) {
  const unit = useUnit(code);
  return <>{unit.data ? `${unit.data.name} (${code})` : code}</>;
}

/**
 * An administrative unit: the current choice, or a search box with the matching communes as radio
 * buttons (results announced politely). The stored value is the unit code.
 */
function UnitField({
  field,
  fp,
  required,
  value,
  onValue,
}: {
  field: FormField;
  fp: FieldProps;
  required: boolean;
  value: string;
  onValue: (v: string) => void;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [open, setOpen] = useState(value === '');
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const results = useUnitSearch(query, open);
  const chosen = useUnit(value);
  const items = results.data?.items ?? [];
  const searchId = `${fp.id}-q`;
  return (
    <fieldset
      className={['fieldset', 'unit-field', fp.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
      id={fp.id}
      tabIndex={-1}
      aria-describedby={fp.error ? `${fp.id}-error` : undefined}
    >
      <legend className="field-label">
        {field.label}
        {required && (
          <span className="required-mark">
            <span aria-hidden="true"> *</span>
            <span className="visually-hidden"> ({t('form.required')})</span>
          </span>
        )}
      </legend>
      {field.help && <div className="field-hint">{field.help}</div>}
      {fp.error && (
        <p className="field-error" id={`${fp.id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {fp.error}
        </p>
      )}
      {value && !open ? (
        <p className="unit-chosen">
          <span>{chosen.data ? chosen.data.name : value}</span>
          <Button variant="link" onClick={() => setOpen(true)}>
            {t('dossier.form.changeUnit')}
          </Button>
        </p>
      ) : (
        <>
          <label className="field-hint" htmlFor={searchId}>
            {t('dossier.form.unitSearch')}
          </label>
          <input
            id={searchId}
            className="input"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoComplete="off"
            enterKeyHint="search"
            onKeyDown={(e) => {
              // Enter searches; it must not send the step's form.
              if (e.key === 'Enter') e.preventDefault();
            }}
          />
          <p className="visually-hidden" aria-live="polite">
            {results.isFetching ? '' : t('dossier.form.unitFound', { count: items.length })}
          </p>
          {results.isError ? (
            <p className="field-error">{t('dossier.form.unitError')}</p>
          ) : (
            <div className="choice-list">
              {items.map((u) => {
                const oid = `${uid}-${u.code}`;
                return (
                  <div className="field-checkbox" key={u.code}>
                    <input
                      type="radio"
                      className="checkbox"
                      id={oid}
                      name={fp.name}
                      value={u.code}
                      checked={value === u.code}
                      onChange={() => onValue(u.code)}
                    />
                    <label className="checkbox-label" htmlFor={oid}>
                      {u.name}
                    </label>
                  </div>
                );
              })}
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
