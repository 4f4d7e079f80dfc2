/**
 * What this officer may do with the report now (GET …/:id/options): one button per action opens its form
 * (moderate, accept, assign, start, resolve with after photos, return to triage, reassign, extend, close);
 * the form sends POST …/:id/<action> and shows problem+json errors next to the fields and in a summary.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, uploadFile } from '../api';
import i18n from '../i18n';
import { Button, ErrorState, FormView, Loading, SelectField, TextArea, TextField, useForm } from '../ui';
import { actOnReport, type ReportDetail, type ReportOptions, useReportOptions } from './api';
import {
  type ActionValues,
  actionBody,
  dangerActions,
  formOf,
  initialActionValues,
  MAX_PHOTOS,
  type OfficeAction,
  officeActions,
  officerLabel,
  officersFor,
  validateAction,
} from './logic';

export interface ActionDone {
  action: OfficeAction;
  report: ReportDetail;
}

export function ActionsPanel({
  report,
  onDone,
  onConflict,
}: {
  report: ReportDetail;
  onDone: (d: ActionDone) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const options = useReportOptions(report.id);
  const [open, setOpen] = useState<OfficeAction | null>(null);

  const toggle = (a: OfficeAction) => {
    const next = open === a ? null : a;
    setOpen(next);
    if (next) requestAnimationFrame(() => document.getElementById(`pa-action-${next}`)?.focus());
  };

  let body: React.ReactNode;
  if (options.isPending) body = <Loading />;
  else if (options.isError) body = <ErrorState error={options.error} onRetry={() => void options.refetch()} />;
  else {
    const actions = officeActions(options.data.actions);
    body =
      actions.length === 0 ? (
        <p className="muted">{t('feedbackOffice.actions.none')}</p>
      ) : (
        <>
          <div className="button-row pa-action-buttons">
            {actions.map((a) => (
              <Button
                key={a}
                variant={open === a ? 'primary' : dangerActions.includes(a) ? 'danger' : 'secondary'}
                aria-expanded={open === a}
                aria-controls={`pa-action-${a}`}
                onClick={() => toggle(a)}
              >
                {t(`feedbackOffice.actions.${a}`)}
              </Button>
            ))}
          </div>
          {open && actions.includes(open) && (
            <ActionForm
              key={`${open}:${report.updatedAt}`}
              action={open}
              report={report}
              options={options.data}
              onCancel={() => setOpen(null)}
              onDone={(d) => {
                setOpen(null);
                onDone(d);
              }}
              onConflict={() => {
                setOpen(null);
                onConflict();
              }}
            />
          )}
        </>
      );
  }
  return (
    <section className="panel action-panel" aria-labelledby="pa-actions-title">
      <h2 id="pa-actions-title">{t('feedbackOffice.actions.title')}</h2>
      {body}
    </section>
  );
}

function ActionForm({
  action,
  report,
  options,
  onCancel,
  onDone,
  onConflict,
}: {
  action: OfficeAction;
  report: ReportDetail;
  options: ReportOptions;
  onCancel: () => void;
  onDone: (d: ActionDone) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const [photos, setPhotos] = useState<File[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const form = useForm<ActionValues>({
    initial: initialActionValues(action, report, t('feedbackOffice.form.returnReasonDefault')),
    validate: (v) => {
      const out: Record<string, string> = {};
      for (const [k, key] of Object.entries(validateAction(action, v, photos.length))) out[k] = i18n.t(key, { max: MAX_PHOTOS });
      return out;
    },
    onSubmit: async (v) => {
      const ids: string[] = [];
      try {
        for (const [i, f] of photos.entries()) {
          setUploading(t('feedbackOffice.form.uploading', { n: i + 1, total: photos.length }));
          ids.push((await uploadFile(f)).id);
        }
      } finally {
        setUploading(null);
      }
      try {
        const after = await actOnReport(report.id, action, actionBody(action, v, ids));
        onDone({ action, report: after });
      } catch (e) {
        // Someone acted first or the report moved: say so and show it as it is now.
        if (e instanceof ApiError && (e.status === 409 || e.status === 404)) onConflict();
        throw e;
      }
    },
  });
  const v = form.values;
  const kind = formOf(action);
  // The photos are not a form value (files): name them for the error summary all the same.
  form.labels.photos = t('feedbackOffice.form.photos');
  const fieldOf = (name: keyof ActionValues, label: string) => form.field(name, label);
  const note = (
    <TextArea
      label={t('feedbackOffice.form.note')}
      hint={t('feedbackOffice.form.noteHint')}
      rows={2}
      maxLength={2000}
      field={fieldOf('note', t('feedbackOffice.form.note'))}
      value={v.note}
      onValue={(x) => form.set('note', x)}
    />
  );
  const removing = action === 'moderate' && v.moderation === 'remove';
  const submitLabel = removing ? t('feedbackOffice.submit.remove') : t(`feedbackOffice.submit.${action}`);

  return (
    <div className="action-form pa-action-form" id={`pa-action-${action}`} tabIndex={-1}>
      <h3>{t(`feedbackOffice.actions.${action}`)}</h3>
      <p className="muted">{t(`feedbackOffice.help.${action}`)}</p>
      <FormView form={form} label={t(`feedbackOffice.actions.${action}`)}>
        {kind === 'moderate' && (
          <>
            <fieldset className="fieldset">
              <legend className="field-label">{t('feedbackOffice.form.moderation')}</legend>
              {(['publish', 'remove'] as const).map((m) => (
                <div className="field-checkbox" key={m}>
                  <input
                    type="radio"
                    className="checkbox"
                    id={`pa-moderation-${m}`}
                    name="moderation"
                    value={m}
                    checked={v.moderation === m}
                    onChange={() => form.set('moderation', m)}
                  />
                  <label className="checkbox-label" htmlFor={`pa-moderation-${m}`}>
                    {t(`feedbackOffice.form.moderationValues.${m}`)}
                  </label>
                </div>
              ))}
            </fieldset>
            {v.moderation === 'publish' ? (
              <TextArea
                label={t('feedbackOffice.form.publicDescription')}
                hint={t('feedbackOffice.form.publicDescriptionHint')}
                required
                rows={5}
                maxLength={2000}
                field={fieldOf('publicDescription', t('feedbackOffice.form.publicDescription'))}
                value={v.publicDescription}
                onValue={(x) => form.set('publicDescription', x)}
              />
            ) : (
              <TextArea
                label={t('feedbackOffice.form.removeReason')}
                required
                rows={3}
                maxLength={2000}
                field={fieldOf('reason', t('feedbackOffice.form.removeReason'))}
                value={v.reason}
                onValue={(x) => form.set('reason', x)}
              />
            )}
          </>
        )}
        {kind === 'assign' && (
          <div className="form-grid">
            <SelectField
              label={t('feedbackOffice.form.department')}
              field={fieldOf('departmentCode', t('feedbackOffice.form.department'))}
              value={v.departmentCode}
              onValue={(x) => {
                form.set('departmentCode', x);
                // An officer of another department no longer fits.
                if (x && !officersFor(options.officers, options.departments, x).some((o) => o.accountId === v.accountId))
                  form.set('accountId', '');
              }}
              placeholder={t('feedbackOffice.form.none')}
              options={options.departments.map((d) => ({ value: d.code, label: d.name }))}
            />
            <SelectField
              label={t('feedbackOffice.form.officer')}
              hint={t('feedbackOffice.form.officerHint')}
              field={fieldOf('accountId', t('feedbackOffice.form.officer'))}
              value={v.accountId}
              onValue={(x) => form.set('accountId', x)}
              placeholder={t('feedbackOffice.form.none')}
              options={officersFor(options.officers, options.departments, v.departmentCode).map((o) => ({
                value: o.accountId,
                label: officerLabel(o, options.departments),
              }))}
            />
          </div>
        )}
        {kind === 'resolve' && (
          <>
            <TextArea
              label={t('feedbackOffice.form.resultText')}
              hint={t('feedbackOffice.form.resultTextHint')}
              required
              rows={5}
              maxLength={4000}
              field={fieldOf('resultText', t('feedbackOffice.form.resultText'))}
              value={v.resultText}
              onValue={(x) => form.set('resultText', x)}
            />
            <PhotoPicker
              field={{ id: `${form.formId}-photos`, name: 'photos', error: form.errors.photos }}
              files={photos}
              onFiles={setPhotos}
            />
            {uploading && (
              <p className="muted" role="status">
                {uploading}
              </p>
            )}
          </>
        )}
        {kind === 'return' && (
          <TextArea
            label={t('feedbackOffice.form.returnReason')}
            hint={t('feedbackOffice.form.returnReasonHint')}
            required
            rows={3}
            maxLength={2000}
            field={fieldOf('reason', t('feedbackOffice.form.returnReason'))}
            value={v.reason}
            onValue={(x) => form.set('reason', x)}
          />
        )}
        {kind === 'reassign' && (
          <SelectField
            label={t('feedbackOffice.form.agency')}
            required
            field={fieldOf('agencyId', t('feedbackOffice.form.agency'))}
            value={v.agencyId}
            onValue={(x) => form.set('agencyId', x)}
            placeholder={t('feedbackOffice.form.choose')}
            options={options.agencies.map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
          />
        )}
        {kind === 'extend' && (
          <>
            <TextField
              className="input-short"
              label={t('feedbackOffice.form.days')}
              hint={t('feedbackOffice.form.daysHint')}
              required
              inputMode="numeric"
              type="number"
              min={1}
              max={30}
              field={fieldOf('days', t('feedbackOffice.form.days'))}
              value={v.days}
              onValue={(x) => form.set('days', x)}
            />
            <TextArea
              label={t('feedbackOffice.form.extendReason')}
              required
              rows={3}
              maxLength={2000}
              field={fieldOf('reason', t('feedbackOffice.form.extendReason'))}
              value={v.reason}
              onValue={(x) => form.set('reason', x)}
            />
          </>
        )}
        {(kind === 'confirm' || kind === 'assign' || kind === 'reassign' || (kind === 'moderate' && v.moderation === 'publish')) && note}
        <div className="button-row">
          <Button type="submit" variant={dangerActions.includes(action) || removing ? 'danger' : 'primary'} busy={form.submitting}>
            {submitLabel}
          </Button>
          <Button variant="link" disabled={form.submitting} onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </FormView>
    </div>
  );
}

/** Up to five after photos (images); each is uploaded through /api/v1/files when the form is sent. */
function PhotoPicker({
  field,
  files,
  onFiles,
}: {
  field: { id: string; name: string; error?: string };
  files: File[];
  onFiles: (f: File[]) => void;
}) {
  const { t } = useTranslation();
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  return (
    <div className={['field', field.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={field.id}>
        {t('feedbackOffice.form.photos')}
      </label>
      <div className="field-hint" id={hintId}>
        {t('feedbackOffice.form.photosHint', { max: MAX_PHOTOS })}
      </div>
      {field.error && (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {field.error}
        </p>
      )}
      <input
        type="file"
        className="input input-file"
        id={field.id}
        name={field.name}
        accept="image/jpeg,image/png,image/webp,image/heic,image/heif"
        multiple
        aria-invalid={field.error ? true : undefined}
        aria-describedby={[hintId, field.error ? errorId : ''].filter(Boolean).join(' ')}
        onChange={(e) => onFiles(Array.from(e.target.files ?? []))}
      />
      {files.length > 0 && (
        <ul className="plain-list">
          {files.map((f) => (
            <li key={`${f.name}:${f.size}`}>{f.name}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
