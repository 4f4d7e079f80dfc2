/**
 * The procedure editor. Saving publishes a new version (PUT) or version 1 (POST); nothing is edited
 * in place, so dossiers filed under an earlier version keep the rules they were filed under.
 * Lists (fees, dossier components, legal basis) are edited as rows; the legal time is typed in
 * working days or hours and sent as hours; the e-form schema is JSON, checked before sending.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import {
  deliveries,
  deliveryLabel,
  onlineLevelLabel,
  onlineLevels,
  type Procedure,
  procedureLevelLabel,
  procedureLevels,
  saveProcedure,
  useProcedureFields,
} from '../catalog/catalog';
import { Button, ButtonLink, CheckboxField, CheckboxGroup, type Form, FormView, SelectField, TextArea, TextField, useForm } from '../ui';
import type { FieldProps } from '../ui/form';
import { useAgencyOptions } from './org';
import {
  blankComponent,
  blankFee,
  type ComponentRow,
  type FeeRow,
  inputFieldOf,
  type ProcedureValues,
  toInput,
  toValues,
  validateProcedure,
} from './procedureValues';

type F = Form<ProcedureValues>;
/** Field props for a row input ("components.2.name"): the same error plumbing as top-level fields. */
const rowField = (form: F, name: string, label: string): FieldProps => form.field(name as keyof ProcedureValues & string, label);

/** Server field errors re-pinned on the inputs that edit them (see inputFieldOf). */
function pinErrors(e: unknown): unknown {
  if (!(e instanceof ApiError) || !e.problem.errors) return e;
  return new ApiError({ ...e.problem, errors: e.problem.errors.map((x) => ({ ...x, field: inputFieldOf(x.field) })) });
}

export function ProcedureForm({
  procedure,
  onSaved,
  submitLabel,
  cancelTo,
}: {
  procedure?: Procedure;
  onSaved: (p: Procedure) => void | Promise<void>;
  submitLabel: string;
  cancelTo: string;
}) {
  const { t } = useTranslation();
  const form = useForm<ProcedureValues>({
    initial: toValues(procedure),
    validate: (v) => validateProcedure(v, t),
    onSubmit: async (v) => {
      let saved: Procedure;
      try {
        saved = await saveProcedure(procedure?.id ?? null, toInput(v, procedure?.version));
      } catch (e) {
        throw pinErrors(e);
      }
      await onSaved(saved);
    },
  });
  const v = form.values;
  const fields = useProcedureFields();

  return (
    <FormView form={form} className="procedure-form">
      <fieldset className="form-section">
        <legend>{t('catalogAdmin.general')}</legend>
        <div className="form-grid">
          <TextArea
            className="span-2 field-compact"
            label={t('catalog.name')}
            required
            rows={2}
            maxLength={1000}
            field={form.field('name', t('catalog.name'))}
            value={v.name}
            onValue={(x) => form.set('name', x)}
          />
          <TextField
            label={t('catalog.code')}
            hint={t('catalogAdmin.codeHint')}
            required
            maxLength={60}
            readOnly={!!procedure}
            field={form.field('code', t('catalog.code'))}
            value={v.code}
            onValue={(x) => form.set('code', x.trim())}
          />
          <TextField
            label={t('catalog.field')}
            hint={t('catalogAdmin.fieldHint')}
            required
            maxLength={200}
            list="procedure-field-options"
            autoComplete="off"
            field={form.field('field', t('catalog.field'))}
            value={v.field}
            onValue={(x) => form.set('field', x)}
          />
          <datalist id="procedure-field-options">
            {(fields.data ?? []).map((f) => (
              <option key={f.value} value={f.value} />
            ))}
          </datalist>
          <SelectField
            label={t('catalog.level')}
            required
            field={form.field('level', t('catalog.level'))}
            value={v.level}
            onValue={(x) => form.set('level', x as ProcedureValues['level'])}
            placeholder={t('common.choose')}
            options={procedureLevels.map((l) => ({ value: l, label: procedureLevelLabel(t, l) }))}
          />
          <SelectField
            label={t('catalog.onlineLevel')}
            hint={t('catalogAdmin.onlineLevelHint')}
            required
            field={form.field('onlineLevel', t('catalog.onlineLevel'))}
            value={v.onlineLevel}
            onValue={(x) => form.set('onlineLevel', x as ProcedureValues['onlineLevel'])}
            placeholder={t('common.choose')}
            options={onlineLevels.map((l) => ({ value: l, label: onlineLevelLabel(t, l) }))}
          />
        </div>
        <AgencyPicker form={form} procedure={procedure} />
        <TextArea
          className="field-compact"
          label={t('catalogAdmin.agencyNote')}
          hint={t('catalogAdmin.agencyNoteHint')}
          rows={2}
          maxLength={2000}
          field={form.field('implementingAgencyNote', t('catalogAdmin.agencyNote'))}
          value={v.implementingAgencyNote}
          onValue={(x) => form.set('implementingAgencyNote', x)}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('catalog.processingTime')}</legend>
        <div className="time-row">
          <TextField
            label={t('catalogAdmin.timeValue')}
            hint={t('catalogAdmin.timeHint')}
            inputMode="decimal"
            maxLength={8}
            className="input-short"
            field={form.field('timeValue', t('catalogAdmin.timeValue'))}
            value={v.timeValue}
            onValue={(x) => form.set('timeValue', x)}
          />
          <SelectField
            label={t('catalogAdmin.timeUnit')}
            field={form.field('timeUnit', t('catalogAdmin.timeUnit'))}
            value={v.timeUnit}
            onValue={(x) => form.set('timeUnit', x === 'hours' ? 'hours' : 'days')}
            options={[
              { value: 'days', label: t('catalogAdmin.unitDays') },
              { value: 'hours', label: t('catalogAdmin.unitHours') },
            ]}
          />
        </div>
        <TextArea
          className="field-compact"
          label={t('catalogAdmin.processingNote')}
          hint={t('catalogAdmin.processingNoteHint')}
          rows={2}
          maxLength={2000}
          field={form.field('processingNote', t('catalogAdmin.processingNote'))}
          value={v.processingNote}
          onValue={(x) => form.set('processingNote', x)}
        />
      </fieldset>

      <FeeRows form={form} />

      <ComponentRows form={form} />

      <fieldset className="form-section">
        <legend>{t('catalog.result')}</legend>
        <TextArea
          className="field-compact"
          label={t('catalog.resultType')}
          hint={t('catalogAdmin.resultTypeHint')}
          rows={2}
          maxLength={1000}
          field={form.field('resultType', t('catalog.resultType'))}
          value={v.resultType}
          onValue={(x) => form.set('resultType', x)}
        />
        <CheckboxGroup
          legend={t('catalog.resultDelivery')}
          field={form.field('resultDelivery', t('catalog.resultDelivery'))}
          options={deliveries.map((d) => ({ value: d, label: deliveryLabel(t, d) }))}
          value={v.resultDelivery}
          onValue={(x) => form.set('resultDelivery', x as ProcedureValues['resultDelivery'])}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('catalog.legalBasis')}</legend>
        <TextArea
          label={t('catalogAdmin.legalBasis')}
          hint={t('catalogAdmin.legalBasisHint')}
          rows={8}
          field={form.field('legalBasis', t('catalogAdmin.legalBasis'))}
          value={v.legalBasis}
          onValue={(x) => form.set('legalBasis', x)}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('catalogAdmin.eform')}</legend>
        <TextArea
          className="json-input"
          label={t('catalogAdmin.formSchema')}
          hint={
            <>
              {t('catalogAdmin.formSchemaHint')}{' '}
              <code>{'{"fields":[{"key":"ho_ten","label":"Họ và tên","type":"text","required":true}]}'}</code>
            </>
          }
          rows={10}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          field={form.field('form', t('catalogAdmin.formSchema'))}
          value={v.form}
          onValue={(x) => form.set('form', x)}
        />
      </fieldset>

      <div className="button-row">
        <Button type="submit" busy={form.submitting}>
          {submitLabel}
        </Button>
        <ButtonLink to={cancelTo} variant="link">
          {t('common.cancel')}
        </ButtonLink>
      </div>
    </FormView>
  );
}

function AgencyPicker({ form, procedure }: { form: F; procedure?: Procedure }) {
  const { t } = useTranslation();
  const options = useAgencyOptions();
  const [choice, setChoice] = useState('');
  const names = new Map<string, string>((procedure?.agencies ?? []).map((a) => [a.id, `${a.name} (${a.code})`]));
  for (const a of options.data?.items ?? []) names.set(a.id, `${a.name} (${a.code})`);
  const chosen = form.values.agencyIds;
  // The picker's select carries the field's id, so the error summary link lands on it.
  const field = form.field('agencyIds', t('catalog.agencies'));
  const labelId = `${field.id}-chosen`;
  const add = () => {
    if (choice && !chosen.includes(choice)) form.set('agencyIds', [...chosen, choice]);
    setChoice('');
  };
  return (
    <div className="agency-picker">
      <p className="field-label" id={labelId}>
        {t('catalog.agencies')}
        <span className="required-mark">
          <span aria-hidden="true"> *</span>
          <span className="visually-hidden"> ({t('form.required')})</span>
        </span>
      </p>
      {chosen.length === 0 ? (
        <p className="muted">{t('catalogAdmin.noAgencies')}</p>
      ) : (
        <ul className="chip-list" aria-labelledby={labelId}>
          {chosen.map((id) => (
            <li key={id} className="chip">
              <span>{names.get(id) ?? id}</span>
              <Button
                variant="link"
                aria-label={t('catalogAdmin.removeAgency', { name: names.get(id) ?? id })}
                onClick={() =>
                  form.set(
                    'agencyIds',
                    chosen.filter((x) => x !== id),
                  )
                }
              >
                {t('catalogAdmin.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-add">
        <SelectField
          label={t('catalogAdmin.addAgency')}
          hint={options.isError ? t('agencies.parentLoadError') : undefined}
          field={{ id: field.id, name: 'agencyChoice', error: field.error }}
          value={choice}
          onValue={setChoice}
          placeholder={t('common.choose')}
          options={(options.data?.items ?? [])
            .filter((a) => a.active && !chosen.includes(a.id))
            .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
        />
        <Button variant="secondary" onClick={add} disabled={!choice}>
          {t('catalogAdmin.add')}
        </Button>
      </div>
    </div>
  );
}

/** Moves focus to an element once it exists (after a row was added or removed). */
function useFocusAfterRender() {
  const target = useRef<string | null>(null);
  useEffect(() => {
    if (!target.current) return;
    document.getElementById(target.current)?.focus();
    target.current = null;
  });
  return (id: string) => {
    target.current = id;
  };
}

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

function FeeRows({ form }: { form: F }) {
  const { t } = useTranslation();
  const rows = form.values.fees;
  const focusLater = useFocusAfterRender();
  const set = (i: number, patch: Partial<FeeRow>) =>
    form.set(
      'fees',
      rows.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const addId = `${form.formId}-add-fee`;
  return (
    <fieldset className="form-section">
      <legend>{t('catalog.fees')}</legend>
      <p className="field-hint">{t('catalogAdmin.feesHint')}</p>
      {rows.length === 0 && <p className="muted">{t('catalogAdmin.noFees')}</p>}
      <ol className="row-list">
        {rows.map((r, i) => {
          const n = i + 1;
          const label = (k: string) => `${t('catalogAdmin.feeN', { n })}: ${t(k)}`;
          return (
            <li key={r.rowId} className="row-card">
              <div className="row-card-head">
                <h3 className="row-card-title">{t('catalogAdmin.feeN', { n })}</h3>
                <Button
                  variant="link"
                  aria-label={t('catalogAdmin.removeRow', { name: t('catalogAdmin.feeN', { n }) })}
                  onClick={() => {
                    form.set(
                      'fees',
                      rows.filter((_, j) => j !== i),
                    );
                    focusLater(addId);
                  }}
                >
                  {t('catalogAdmin.remove')}
                </Button>
              </div>
              <div className="form-grid">
                <TextField
                  className="span-2"
                  label={t('catalog.feeName')}
                  required
                  maxLength={500}
                  field={rowField(form, `fees.${i}.name`, label('catalog.feeName'))}
                  value={r.name}
                  onValue={(x) => set(i, { name: x })}
                />
                <TextField
                  label={t('catalogAdmin.feeAmount')}
                  hint={t('catalogAdmin.feeAmountHint')}
                  inputMode="numeric"
                  maxLength={20}
                  field={rowField(form, `fees.${i}.amountVnd`, label('catalogAdmin.feeAmount'))}
                  value={r.amountVnd}
                  onValue={(x) => set(i, { amountVnd: x })}
                />
                <TextArea
                  className="span-2 field-compact"
                  label={t('catalog.feeNote')}
                  rows={2}
                  maxLength={2000}
                  field={rowField(form, `fees.${i}.note`, label('catalog.feeNote'))}
                  value={r.note}
                  onValue={(x) => set(i, { note: x })}
                />
              </div>
            </li>
          );
        })}
      </ol>
      <Button
        id={addId}
        variant="secondary"
        onClick={() => {
          const row = blankFee();
          form.set('fees', [...rows, row]);
          focusLater(`${form.formId}-fees-${rows.length}-name`);
        }}
      >
        {t('catalogAdmin.addFee')}
      </Button>
      <TextArea
        className="field-spaced"
        label={t('catalog.exemptions')}
        hint={t('catalogAdmin.exemptionsHint')}
        rows={3}
        maxLength={4000}
        field={form.field('exemptions', t('catalog.exemptions'))}
        value={form.values.exemptions}
        onValue={(x) => form.set('exemptions', x)}
      />
    </fieldset>
  );
}

function ComponentRows({ form }: { form: F }) {
  const { t } = useTranslation();
  const rows = form.values.components;
  const focusLater = useFocusAfterRender();
  const set = (i: number, patch: Partial<ComponentRow>) =>
    form.set(
      'components',
      rows.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const addId = `${form.formId}-add-component`;
  const moveRow = (i: number, to: number, button: 'up' | 'down') => {
    if (to < 0 || to >= rows.length) return;
    form.set('components', move(rows, i, to));
    // Keep the keyboard on the row that moved; at the edge, on the button that still works.
    const edge = (button === 'up' && to === 0) || (button === 'down' && to === rows.length - 1);
    const row = rows[i] as ComponentRow;
    focusLater(`${form.formId}-c-${row.rowId}-${edge ? (button === 'up' ? 'down' : 'up') : button}`);
  };
  return (
    <fieldset className="form-section">
      <legend>{t('catalog.components')}</legend>
      <p className="field-hint">{t('catalogAdmin.componentsHint')}</p>
      {rows.length === 0 && <p className="muted">{t('catalogAdmin.noComponents')}</p>}
      <ol className="row-list">
        {rows.map((r, i) => {
          const n = i + 1;
          const title = t('catalogAdmin.componentN', { n });
          const label = (k: string) => `${title}: ${t(k)}`;
          return (
            <li key={r.rowId} className="row-card">
              <div className="row-card-head">
                <h3 className="row-card-title">{title}</h3>
                <div className="row-card-tools">
                  {i > 0 && (
                    <Button
                      id={`${form.formId}-c-${r.rowId}-up`}
                      variant="link"
                      aria-label={t('catalogAdmin.moveUp', { name: title })}
                      onClick={() => moveRow(i, i - 1, 'up')}
                    >
                      {t('catalogAdmin.up')}
                    </Button>
                  )}
                  {i < rows.length - 1 && (
                    <Button
                      id={`${form.formId}-c-${r.rowId}-down`}
                      variant="link"
                      aria-label={t('catalogAdmin.moveDown', { name: title })}
                      onClick={() => moveRow(i, i + 1, 'down')}
                    >
                      {t('catalogAdmin.down')}
                    </Button>
                  )}
                  <Button
                    variant="link"
                    aria-label={t('catalogAdmin.removeRow', { name: title })}
                    onClick={() => {
                      form.set(
                        'components',
                        rows.filter((_, j) => j !== i),
                      );
                      focusLater(addId);
                    }}
                  >
                    {t('catalogAdmin.remove')}
                  </Button>
                </div>
              </div>
              <TextArea
                className="field-compact"
                label={t('catalog.componentName')}
                required
                rows={2}
                maxLength={1000}
                field={rowField(form, `components.${i}.name`, label('catalog.componentName'))}
                value={r.name}
                onValue={(x) => set(i, { name: x })}
              />
              <div className="form-grid">
                <SelectField
                  label={t('catalog.originalOrCopy')}
                  field={rowField(form, `components.${i}.original`, label('catalog.originalOrCopy'))}
                  value={r.original}
                  onValue={(x) => set(i, { original: x as ComponentRow['original'] })}
                  options={[
                    { value: 'original', label: t('catalog.original') },
                    { value: 'copy', label: t('catalog.copy') },
                    { value: '', label: t('catalogAdmin.notSpecified') },
                  ]}
                />
                <TextField
                  label={t('catalog.copies')}
                  inputMode="numeric"
                  maxLength={2}
                  field={rowField(form, `components.${i}.copies`, label('catalog.copies'))}
                  value={r.copies}
                  onValue={(x) => set(i, { copies: x })}
                />
                <CheckboxField
                  label={t('catalogAdmin.componentRequired')}
                  field={rowField(form, `components.${i}.required`, label('catalogAdmin.componentRequired'))}
                  checked={r.required}
                  onChecked={(x) => set(i, { required: x })}
                />
                <CheckboxField
                  label={t('catalog.fromEdataStore')}
                  hint={t('catalogAdmin.fromEdataStoreHint')}
                  field={rowField(form, `components.${i}.fromEdataStore`, label('catalog.fromEdataStore'))}
                  checked={r.fromEdataStore}
                  onChecked={(x) => set(i, { fromEdataStore: x })}
                />
                <TextField
                  className="span-2"
                  label={t('catalogAdmin.condition')}
                  hint={t('catalogAdmin.conditionHint')}
                  maxLength={1000}
                  field={rowField(form, `components.${i}.condition`, label('catalogAdmin.condition'))}
                  value={r.condition}
                  onValue={(x) => set(i, { condition: x })}
                />
              </div>
              {r.templateFileId && <p className="muted">{t('catalogAdmin.hasTemplate')}</p>}
            </li>
          );
        })}
      </ol>
      <Button
        id={addId}
        variant="secondary"
        onClick={() => {
          form.set('components', [...rows, blankComponent()]);
          focusLater(`${form.formId}-components-${rows.length}-name`);
        }}
      >
        {t('catalogAdmin.addComponent')}
      </Button>
    </fieldset>
  );
}
