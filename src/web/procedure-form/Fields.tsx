/**
 * The application form (tờ khai) of a procedure version drawn from its `form.fields`, one field by its
 * type with the shared labelled controls: inputs suited to phones (numeric keypad for ID numbers, tel,
 * email, native date picker), selects, a checkbox, and a search-and-choose list for an administrative
 * unit (xã, phường). Used by the citizen's wizard and supplement form and by the office counter; the
 * caller gives each field its id, name and error (`fieldProps`) and holds the values.
 */
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import { Button, CheckboxField, SelectField, TextArea, TextField } from '../ui';
import type { FieldProps } from '../ui/form';
import { type FormField, type FormValues, isRequired, type RawValues } from './values';

export interface ProcedureFieldsProps {
  fields: readonly FormField[];
  /** What the inputs hold (the whole form). */
  raw: RawValues;
  /** The whole form as stored (toServer(raw)): conditions may look at fields drawn elsewhere. */
  values: FormValues;
  fieldProps: (field: FormField) => FieldProps;
  onChange: (key: string, value: string | boolean) => void;
  /**
   * The applicant fills in their own form: let the browser offer their name, phone and email. Off at the
   * counter, where the officer types someone else's details.
   */
  autoFill?: boolean;
}

/** The fields in form order (no wrapper: the caller lays them out; wide ones carry `span-2` for a `form-grid`). */
export function ProcedureFields({ fields, ...rest }: ProcedureFieldsProps) {
  return (
    <>
      {fields.map((f) => (
        <ProcedureField key={f.key} field={f} {...rest} />
      ))}
    </>
  );
}

export function ProcedureField({
  field,
  raw,
  values,
  fieldProps,
  onChange,
  autoFill = false,
}: Omit<ProcedureFieldsProps, 'fields'> & { field: FormField }) {
  const { t } = useTranslation();
  const fp = fieldProps(field);
  const required = isRequired(field, values);
  const v = raw[field.key];
  const text = typeof v === 'string' ? v : '';
  const set = (x: string | boolean) => onChange(field.key, x);
  const hint = field.help;
  const common = { label: field.label, hint, required, field: fp };
  const auto = (name: string) => (autoFill ? name : 'off');
  switch (field.type) {
    case 'textarea':
      return <TextArea {...common} className="span-2" value={text} onValue={set} maxLength={field.maxLength} rows={4} />;
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
        <div className="span-2">
          <CheckboxField
            label={required ? `${field.label} (${t('form.required')})` : field.label}
            hint={hint}
            field={fp}
            checked={v === true}
            onChecked={set}
          />
        </div>
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
      return (
        <TextField {...common} type="tel" autoComplete={auto('tel')} value={text} onValue={set} className="input-short" maxLength={20} />
      );
    case 'email':
      return (
        <TextField
          {...common}
          type="email"
          autoComplete={auto('email')}
          autoCapitalize="none"
          spellCheck={false}
          maxLength={200}
          value={text}
          onValue={set}
        />
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
          autoComplete={field.key === 'ho_ten' ? auto('name') : 'off'}
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

// ---- administrative units (the `unit` field) -----------------------------------------------------

export interface UnitItem {
  code: string;
  name: string;
}

function useUnitSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['/api/v1/units', 'commune', q],
    queryFn: ({ signal }) => api.get<Page<UnitItem>>('/api/v1/units', { level: 'commune', q: q || undefined, limit: 20 }, { signal }),
    enabled,
    staleTime: 10 * 60_000,
  });
}

function useUnit(code: string) {
  return useQuery({
    queryKey: ['/api/v1/units', code],
    queryFn: ({ signal }) => api.get<UnitItem>(`/api/v1/units/${encodeURIComponent(code)}`, undefined, { signal }),
    enabled: /^[0-9]{2,5}$/.test(code),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
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
      className={['fieldset', 'unit-field', 'span-2', fp.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
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
              // Enter searches; it must not send the form.
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
