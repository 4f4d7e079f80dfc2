/**
 * What the desk does with a dossier waiting for it: receive (after a confirmation dialog), request a
 * supplement (the full list of what to complete, said once, pre-filled from the missing components),
 * or refuse (with reasons). Each sends the dossier version the officer is looking at, so a dossier
 * someone else has just handled answers 409 instead of being handled twice.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Component } from '../../server/modules/catalog/catalog.schemas';
import { ApiError } from '../api';
import { Button, check, FormView, problemText, rules, SelectField, TextArea, useForm } from '../ui';
import type { Errors, FieldProps } from '../ui/form';
import { DOSSIERS, type DossierDetail, receiveDossier, refuseDossier, requestSupplement } from './api';
import { type SupplementRow, supplementItems, supplementPrefill } from './checklist';

export interface Outcome {
  tone: 'success' | 'error';
  title: string;
  detail?: string;
}

type Mode = 'none' | 'supplement' | 'refuse';

export function ReceptionActions({
  dossier,
  components,
  missing,
  onOutcome,
}: {
  dossier: DossierDetail;
  components: readonly Component[];
  missing: readonly Component[];
  onOutcome: (o: Outcome) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [mode, setMode] = useState<Mode>('none');
  const [receiving, setReceiving] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);

  /** Store the answer, mark the lists stale (they are refetched when shown). */
  const done = async (d: DossierDetail, o: Outcome) => {
    await qc.invalidateQueries({ queryKey: [DOSSIERS], refetchType: 'none' });
    qc.setQueryData([DOSSIERS, d.id], d);
    setMode('none');
    onOutcome(o);
  };

  /** 409: someone acted first or the state changed; say so and show the dossier as it is now. */
  const failed = async (e: unknown): Promise<boolean> => {
    if (e instanceof ApiError && e.status === 409) {
      setMode('none');
      onOutcome({ tone: 'error', title: e.problem.title || t('reception.actions.conflict'), detail: t('reception.actions.reloaded') });
      await qc.invalidateQueries({ queryKey: [DOSSIERS] });
      return true;
    }
    return false;
  };

  const receive = async () => {
    setReceiving(true);
    try {
      const d = await receiveDossier(dossier);
      dialogRef.current?.close();
      await done(d, { tone: 'success', title: t('reception.actions.received', { code: d.code ?? '' }) });
    } catch (e) {
      dialogRef.current?.close();
      if (!(await failed(e))) onOutcome({ tone: 'error', ...problemText(e, t) });
    } finally {
      setReceiving(false);
    }
  };

  const open = (m: Mode) => {
    setMode(m);
    // Take the officer to the form that just opened.
    requestAnimationFrame(() => document.getElementById(`action-${m}`)?.focus());
  };

  return (
    <section className="panel action-panel" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('reception.actions.title')}</h2>
      <p className="muted">{t('reception.actions.help')}</p>
      <div className="button-row">
        <Button onClick={() => dialogRef.current?.showModal()}>{t('reception.actions.receive')}</Button>
        <Button
          variant="secondary"
          aria-expanded={mode === 'supplement'}
          onClick={() => open(mode === 'supplement' ? 'none' : 'supplement')}
        >
          {t('reception.actions.supplement')}
        </Button>
        <Button variant="danger" aria-expanded={mode === 'refuse'} onClick={() => open(mode === 'refuse' ? 'none' : 'refuse')}>
          {t('reception.actions.refuse')}
        </Button>
      </div>

      <dialog ref={dialogRef} className="dialog" aria-labelledby="receive-title" aria-describedby="receive-text">
        <h2 id="receive-title">{t('reception.actions.receiveConfirm', { code: dossier.code ?? '' })}</h2>
        <p id="receive-text">{t('reception.actions.receiveText')}</p>
        {missing.length > 0 && (
          <p className="field-error">
            {t('reception.actions.receiveMissing', { count: missing.length, names: missing.map((c) => c.name).join('; ') })}
          </p>
        )}
        <div className="button-row">
          <Button autoFocus busy={receiving} onClick={() => void receive()}>
            {t('reception.actions.receiveYes')}
          </Button>
          <Button variant="link" onClick={() => dialogRef.current?.close()}>
            {t('common.cancel')}
          </Button>
        </div>
      </dialog>

      {mode === 'supplement' && (
        <SupplementForm
          dossier={dossier}
          components={components}
          missing={missing}
          onCancel={() => setMode('none')}
          onDone={(d) => done(d, { tone: 'success', title: t('reception.actions.supplemented', { code: d.code ?? '' }) })}
          onConflict={failed}
        />
      )}
      {mode === 'refuse' && (
        <RefuseForm
          dossier={dossier}
          onCancel={() => setMode('none')}
          onDone={(d) => done(d, { tone: 'success', title: t('reception.actions.refused', { code: d.code ?? '' }) })}
          onConflict={failed}
        />
      )}
    </section>
  );
}

const rowField = <V,>(form: { field: (name: keyof V & string, label: string) => FieldProps }, name: string, label: string) =>
  form.field(name as keyof V & string, label);

interface FormProps {
  dossier: DossierDetail;
  onCancel: () => void;
  onDone: (d: DossierDetail) => Promise<void>;
  onConflict: (e: unknown) => Promise<boolean>;
}

type SupplementValues = { items: SupplementRow[]; reason: string };

function SupplementForm({
  dossier,
  components,
  missing,
  onCancel,
  onDone,
  onConflict,
}: FormProps & { components: readonly Component[]; missing: readonly Component[] }) {
  const { t } = useTranslation();
  const form = useForm<SupplementValues>({
    initial: { items: supplementPrefill(missing), reason: '' },
    validate: (v) => {
      const e: Errors = check(v, { reason: [rules.required(), rules.maxLength(2000)] });
      if (v.items.length === 0) e.items = t('reception.actions.itemsRequired');
      v.items.forEach((r, i) => {
        const msg =
          r.text.trim() === '' ? t('validation.required') : r.text.trim().length > 1000 ? t('validation.maxLength', { count: 1000 }) : null;
        if (msg) e[`items.${i}.text`] = msg;
      });
      return e;
    },
    onSubmit: async (v) => {
      try {
        const d = await requestSupplement(dossier.id, {
          version: dossier.version,
          items: supplementItems(v.items),
          reason: v.reason.trim(),
        });
        await onDone(d);
      } catch (e) {
        if (!(await onConflict(e))) throw e;
      }
    },
  });
  const rows = form.values.items;
  const setRow = (i: number, patch: Partial<SupplementRow>) =>
    form.set(
      'items',
      rows.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const componentOptions = components.map((c) => ({ value: c.key, label: c.name }));
  const itemsField = form.field('items', t('reception.actions.items'));
  return (
    <section className="action-form" aria-labelledby="action-supplement">
      <h3 id="action-supplement" tabIndex={-1}>
        {t('reception.actions.supplementTitle')}
      </h3>
      <p className="muted">{t('reception.actions.supplementHelp')}</p>
      <FormView form={form} label={t('reception.actions.supplementTitle')}>
        <fieldset className="fieldset" id={itemsField.id} tabIndex={-1}>
          <legend className="field-label">{t('reception.actions.items')}</legend>
          {itemsField.error && <p className="field-error">{itemsField.error}</p>}
          <ol className="row-list">
            {rows.map((r, i) => {
              const n = i + 1;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; order is the identity
                <li key={i} className="row-card">
                  <div className="row-card-head">
                    <h4 className="row-card-title">{t('reception.actions.itemN', { n })}</h4>
                    <Button
                      variant="link"
                      aria-label={t('reception.actions.removeItemN', { n })}
                      onClick={() => {
                        form.set(
                          'items',
                          rows.filter((_, j) => j !== i),
                        );
                        document.getElementById(`${form.formId}-add`)?.focus();
                      }}
                    >
                      {t('reception.actions.remove')}
                    </Button>
                  </div>
                  <div className="form-grid">
                    <SelectField
                      label={t('reception.actions.itemComponent')}
                      field={rowField<SupplementValues>(form, `items.${i}.componentKey`, t('reception.actions.itemComponentN', { n }))}
                      value={r.componentKey}
                      onValue={(x) => setRow(i, { componentKey: x })}
                      placeholder={t('reception.actions.noComponent')}
                      options={componentOptions}
                    />
                    <TextArea
                      className="field-compact"
                      label={t('reception.actions.itemText')}
                      required
                      maxLength={1000}
                      rows={2}
                      field={rowField<SupplementValues>(form, `items.${i}.text`, t('reception.actions.itemN', { n }))}
                      value={r.text}
                      onValue={(x) => setRow(i, { text: x })}
                    />
                  </div>
                </li>
              );
            })}
          </ol>
          <Button
            id={`${form.formId}-add`}
            variant="secondary"
            onClick={() => {
              form.set('items', [...rows, { componentKey: '', text: '' }]);
              const idx = rows.length;
              requestAnimationFrame(() => document.getElementById(`${form.formId}-items-${idx}-text`)?.focus());
            }}
          >
            {t('reception.actions.addItem')}
          </Button>
        </fieldset>
        <TextArea
          label={t('reception.actions.reason')}
          hint={t('reception.actions.reasonHint')}
          required
          maxLength={2000}
          rows={3}
          field={form.field('reason', t('reception.actions.reason'))}
          value={form.values.reason}
          onValue={(x) => form.set('reason', x)}
        />
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('reception.actions.supplementSubmit')}
          </Button>
          <Button variant="link" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </FormView>
    </section>
  );
}

type RefuseValues = { reasons: string[] };

function RefuseForm({ dossier, onCancel, onDone, onConflict }: FormProps) {
  const { t } = useTranslation();
  const form = useForm<RefuseValues>({
    initial: { reasons: [''] },
    validate: (v) => {
      const e: Errors = {};
      if (v.reasons.length === 0) e.reasons = t('reception.actions.reasonsRequired');
      v.reasons.forEach((r, i) => {
        const msg = r.trim() === '' ? t('validation.required') : r.trim().length > 1000 ? t('validation.maxLength', { count: 1000 }) : null;
        if (msg) e[`reasons.${i}`] = msg;
      });
      return e;
    },
    onSubmit: async (v) => {
      try {
        const d = await refuseDossier(dossier.id, { version: dossier.version, reasons: v.reasons.map((r) => r.trim()) });
        await onDone(d);
      } catch (e) {
        if (!(await onConflict(e))) throw e;
      }
    },
  });
  const reasons = form.values.reasons;
  const reasonsField = form.field('reasons', t('reception.actions.reasons'));
  return (
    <section className="action-form action-form-danger" aria-labelledby="action-refuse">
      <h3 id="action-refuse" tabIndex={-1}>
        {t('reception.actions.refuseTitle')}
      </h3>
      <p className="muted">{t('reception.actions.refuseHelp')}</p>
      <FormView form={form} label={t('reception.actions.refuseTitle')}>
        <fieldset className="fieldset" id={reasonsField.id} tabIndex={-1}>
          <legend className="field-label">{t('reception.actions.reasons')}</legend>
          {reasonsField.error && <p className="field-error">{reasonsField.error}</p>}
          <ol className="row-list">
            {reasons.map((r, i) => {
              const n = i + 1;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; order is the identity
                <li key={i} className="row-card">
                  <div className="row-card-head">
                    <h4 className="row-card-title">{t('reception.actions.reasonN', { n })}</h4>
                    {reasons.length > 1 && (
                      <Button
                        variant="link"
                        aria-label={t('reception.actions.removeReasonN', { n })}
                        onClick={() => {
                          form.set(
                            'reasons',
                            reasons.filter((_, j) => j !== i),
                          );
                          document.getElementById(`${form.formId}-add`)?.focus();
                        }}
                      >
                        {t('reception.actions.remove')}
                      </Button>
                    )}
                  </div>
                  <TextArea
                    className="field-compact"
                    label={t('reception.actions.reasonText')}
                    required
                    maxLength={1000}
                    rows={2}
                    field={rowField<RefuseValues>(form, `reasons.${i}`, t('reception.actions.reasonN', { n }))}
                    value={r}
                    onValue={(x) =>
                      form.set(
                        'reasons',
                        reasons.map((y, j) => (j === i ? x : y)),
                      )
                    }
                  />
                </li>
              );
            })}
          </ol>
          <Button
            id={`${form.formId}-add`}
            variant="secondary"
            onClick={() => {
              form.set('reasons', [...reasons, '']);
              const idx = reasons.length;
              requestAnimationFrame(() => document.getElementById(`${form.formId}-reasons-${idx}`)?.focus());
            }}
          >
            {t('reception.actions.addReason')}
          </Button>
        </fieldset>
        <div className="button-row">
          <Button type="submit" variant="danger" busy={form.submitting}>
            {t('reception.actions.refuseSubmit')}
          </Button>
          <Button variant="link" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </FormView>
    </section>
  );
}
