/**
 * Renders a procedure version's application form (form.fields) with the shared labelled controls:
 * text, textarea, number, date, select, checkbox, id_number, phone, email, unit (a commune of the
 * province). Values are held by the caller as text (true/false for checkboxes).
 */
import { useTranslation } from 'react-i18next';
import type { FormField } from '../../server/modules/catalog/catalog.schemas';
import { CheckboxField, SelectField, TextArea, TextField } from '../ui';
import type { FieldProps } from '../ui/form';
import { useCommunes } from './api';
import { type FormInput, isRequired } from './formValues';

export function DossierFormFields({
  fields,
  input,
  onInput,
  fieldProps,
}: {
  fields: readonly FormField[];
  input: FormInput;
  onInput: (key: string, value: string | boolean) => void;
  /** id/name/error of a field (names are "form.<key>", as the server reports them). */
  fieldProps: (key: string, label: string) => FieldProps;
}) {
  const { t } = useTranslation();
  const communes = useCommunes(fields.some((f) => f.type === 'unit'));
  const unitOptions = (communes.data?.items ?? []).map((u) => ({ value: u.code, label: u.name }));
  return (
    <div className="form-grid">
      {fields.map((f) => {
        const field = fieldProps(f.key, f.label);
        const required = isRequired(f, input);
        const text = typeof input[f.key] === 'string' ? (input[f.key] as string) : '';
        const set = (v: string | boolean) => onInput(f.key, v);
        const common = { label: f.label, hint: f.help, required, field };
        switch (f.type) {
          case 'textarea':
            return <TextArea key={f.key} className="span-2" {...common} rows={3} maxLength={f.maxLength} value={text} onValue={set} />;
          case 'checkbox':
            return (
              <div key={f.key} className="span-2">
                <CheckboxField
                  label={required ? `${f.label} (${t('form.required')})` : f.label}
                  hint={f.help}
                  field={field}
                  checked={input[f.key] === true}
                  onChecked={set}
                />
              </div>
            );
          case 'select':
            return (
              <SelectField
                key={f.key}
                {...common}
                value={text}
                onValue={set}
                placeholder={t('common.choose')}
                options={(f.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
              />
            );
          case 'unit':
            return (
              <SelectField
                key={f.key}
                {...common}
                value={text}
                onValue={set}
                placeholder={communes.isPending ? t('common.loading') : t('common.choose')}
                options={unitOptions.some((o) => o.value === text) || !text ? unitOptions : [{ value: text, label: text }, ...unitOptions]}
              />
            );
          case 'number':
            return (
              <TextField
                key={f.key}
                {...common}
                type="number"
                inputMode="decimal"
                min={f.min}
                max={f.max}
                step="any"
                value={text}
                onValue={set}
              />
            );
          case 'date':
            return <TextField key={f.key} {...common} type="date" value={text} onValue={set} />;
          case 'id_number':
            return (
              <TextField
                key={f.key}
                {...common}
                hint={f.help ?? t('reception.formHints.idNumber')}
                inputMode="numeric"
                autoComplete="off"
                maxLength={12}
                value={text}
                onValue={set}
              />
            );
          case 'phone':
            return (
              <TextField key={f.key} {...common} type="tel" inputMode="tel" autoComplete="off" maxLength={15} value={text} onValue={set} />
            );
          case 'email':
            return <TextField key={f.key} {...common} type="email" autoComplete="off" maxLength={200} value={text} onValue={set} />;
          default:
            return <TextField key={f.key} {...common} maxLength={f.maxLength} autoComplete="off" value={text} onValue={set} />;
        }
      })}
    </div>
  );
}
