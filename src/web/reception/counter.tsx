/**
 * Counter registration: a walk-in applicant (channel 1) or a dossier that came by post (channel 3).
 * The officer picks the procedure, the agency when several handle it, fills the procedure's form,
 * attaches the scans per component, chooses how the result is delivered and who is notified, then
 * "Đăng ký" or "Đăng ký và tiếp nhận" (POST /api/v1/dossiers/counter with one Idempotency-Key per form).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, type FileMeta, type Me, uploadFile, uuid } from '../api';
import { can, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { deliveries, deliveryLabel, type Procedure, processingTime, useProcedure } from '../catalog/catalog';
import { ProcedureFields } from '../procedure-form/Fields';
import { checkFields, formErrorKey, initialInput, type RawValues, toServer, validEmail, validPhone } from '../procedure-form/values';
import { Button, ButtonLink, ErrorState, FormView, Loading, PageHeader, problemText, SelectField, TextField, useForm } from '../ui';
import type { Errors, Form } from '../ui/form';
import { type CounterDossierBody, DOSSIERS, officeDossierPath, registerCounterDossier } from './api';
import { afterFailure, freshKey, type IdempotencyState, keyForSend } from './idempotency';
import { ProcedurePicker } from './ProcedurePicker';

const ACCEPT = '.pdf,.jpg,.jpeg,.png,.webp,.tif,.tiff,.docx,.xlsx,.odt,.ods,.xml';

export function CounterPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [procedureId, setProcedureId] = useState('');
  const procedure = useProcedure(procedureId);
  if (!can(me, 'dossiers.receive')) return <NotFound />;
  return (
    <>
      <PageHeader
        title={t('reception.counter.title')}
        lead={t('reception.counter.lead')}
        breadcrumbs={[
          { to: '/office', label: t('office.title') },
          { to: '/office/reception', label: t('reception.queue.title') },
        ]}
      />
      <div className="panel">
        <ProcedurePicker
          id="counter-procedure"
          label={t('reception.counter.procedure')}
          hint={t('reception.counter.procedureHint')}
          required
          value={procedureId}
          onChange={(p) => setProcedureId(p?.id ?? '')}
        />
      </div>
      {procedureId &&
        (procedure.isPending ? (
          <Loading />
        ) : procedure.isError ? (
          <ErrorState error={procedure.error} onRetry={() => void procedure.refetch()} />
        ) : (
          <CounterForm key={`${procedure.data.id}@${procedure.data.version}`} procedure={procedure.data} me={me ?? null} />
        ))}
    </>
  );
}

interface Uploaded {
  fileId: string;
  name: string;
  size: number;
}

interface CounterValues extends Record<string, unknown> {
  channel: '1' | '3';
  agencyId: string;
  resultDelivery: string;
  notifyChannel: string;
  notifyTo: string;
  input: RawValues;
}

type FilesByComponent = Record<string, Uploaded[]>;

/** Label-aware field props for names that are not keys of the values ("form.ho_ten", "files.to_khai"). */
const named = (form: Form<CounterValues>, name: string, label: string) => form.field(name as keyof CounterValues & string, label);

function CounterForm({ procedure: p, me }: { procedure: Procedure; me: Me | null }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const intent = useRef<'register' | 'receive'>('register');
  const idem = useRef<IdempotencyState>(freshKey(uuid));
  // Scans live outside the form values: uploads finish in any order, so they are added with updaters.
  const [files, setFiles] = useState<FilesByComponent>({});
  const filesRef = useRef(files);
  filesRef.current = files;
  const fields = p.form.fields;
  const agencies = p.agencies;
  const defaultAgency = agencies.find((a) => a.id === me?.agency?.id)?.id ?? (agencies.length === 1 ? (agencies[0]?.id ?? '') : '');
  const deliveryChoices = p.resultDelivery.length > 0 ? p.resultDelivery : [...deliveries];

  const form = useForm<CounterValues>({
    initial: {
      channel: '1',
      agencyId: defaultAgency,
      resultDelivery: deliveryChoices.includes('counter') ? 'counter' : (deliveryChoices[0] ?? 'counter'),
      notifyChannel: '',
      notifyTo: '',
      input: initialInput(fields),
    },
    validate: (v) => {
      const e: Errors = {};
      if (agencies.length > 1 && !v.agencyId) e.agencyId = t('validation.required');
      Object.assign(e, checkFields(fields, toServer(fields, v.input), true, t));
      for (const c of p.components) {
        if (c.required && (filesRef.current[c.key] ?? []).length === 0) e[`files.${c.key}`] = t('reception.counter.fileRequired');
      }
      if (!v.resultDelivery) e.resultDelivery = t('validation.required');
      const to = v.notifyTo.trim();
      if (v.notifyChannel && !to) e.notifyTo = t('validation.required');
      else if (to && v.notifyChannel === 'email' && !validEmail(to)) e.notifyTo = t('validation.email');
      else if (to && v.notifyChannel === 'sms' && !validPhone(to)) e.notifyTo = t('dossier.check.phone');
      return e;
    },
    onSubmit: async (v) => {
      const refs = Object.entries(filesRef.current).flatMap(([componentKey, list]) =>
        list.map((f) => ({ componentKey, fileId: f.fileId })),
      );
      const body: CounterDossierBody = {
        procedureId: p.id,
        ...(v.agencyId ? { agencyId: v.agencyId } : {}),
        channel: v.channel === '3' ? 3 : 1,
        form: toServer(fields, v.input),
        ...(refs.length ? { files: refs } : {}),
        resultDelivery: v.resultDelivery as CounterDossierBody['resultDelivery'],
        ...(v.notifyChannel && v.notifyTo.trim()
          ? { notifyChannel: v.notifyChannel as NonNullable<CounterDossierBody['notifyChannel']>, notifyTo: v.notifyTo.trim() }
          : {}),
        ...(intent.current === 'receive' ? { receive: true } : {}),
      };
      idem.current = keyForSend(idem.current, JSON.stringify(body), uuid);
      try {
        const created = await registerCounterDossier(body, idem.current.key);
        await qc.invalidateQueries({ queryKey: [DOSSIERS] });
        qc.setQueryData([DOSSIERS, created.id], created);
        navigate(officeDossierPath(created.id));
      } catch (err) {
        if (err instanceof ApiError) idem.current = afterFailure(idem.current, err.status, uuid);
        throw err;
      }
    },
  });
  const v = form.values;
  // Registered in page order (the error summary lists problems in the order fields were registered).
  const channelField = form.field('channel', t('reception.counter.channel'));
  const agencyField = form.field('agencyId', t('reception.fields.agency'));
  const formFieldProps = Object.fromEntries(fields.map((f) => [f.key, named(form, formErrorKey(f.key), f.label)]));
  const setInput = (key: string, value: string | boolean) => form.set('input', { ...form.values.input, [key]: value });
  const time = processingTime(p, t, i18n.language);

  /** Suggest the recipient from the form (phone or email) when a channel is picked. */
  const pickNotify = (ch: string) => {
    form.set('notifyChannel', ch);
    if (v.notifyTo.trim()) return;
    const phone = typeof v.input.so_dien_thoai === 'string' ? v.input.so_dien_thoai : '';
    const email = typeof v.input.email === 'string' ? v.input.email : '';
    const guess = ch === 'email' ? email : ch ? phone.replace(/[\s.]/g, '') : '';
    if (guess.trim()) form.set('notifyTo', guess.trim());
  };

  return (
    <FormView form={form} label={t('reception.counter.formLabel', { name: p.name })}>
      <section className="section" aria-labelledby="counter-intake">
        <h2 id="counter-intake">{t('reception.counter.intake')}</h2>
        <p className="muted">
          {p.code}
          {time ? ` · ${t('reception.counter.time', { time })}` : ''}
        </p>
        <div className="form-grid">
          <fieldset className="fieldset" id={channelField.id} tabIndex={-1}>
            <legend className="field-label">{t('reception.counter.channel')}</legend>
            {(['1', '3'] as const).map((c) => (
              <div className="field-checkbox" key={c}>
                <input
                  type="radio"
                  className="checkbox"
                  id={`counter-channel-${c}`}
                  name="channel"
                  value={c}
                  checked={v.channel === c}
                  onChange={() => form.set('channel', c)}
                />
                <label className="checkbox-label" htmlFor={`counter-channel-${c}`}>
                  {t(`reception.counter.channels.${c}`)}
                </label>
              </div>
            ))}
          </fieldset>
          {agencies.length > 1 ? (
            <SelectField
              label={t('reception.fields.agency')}
              required
              field={agencyField}
              value={v.agencyId}
              onValue={(x) => form.set('agencyId', x)}
              placeholder={t('common.choose')}
              options={agencies.map((a) => ({ value: a.id, label: a.name }))}
            />
          ) : (
            <div className="field">
              <p className="field-label">{t('reception.fields.agency')}</p>
              <p>{agencies[0]?.name ?? '—'}</p>
            </div>
          )}
        </div>
      </section>

      <section className="section" aria-labelledby="counter-form">
        <h2 id="counter-form">{t('reception.counter.formTitle')}</h2>
        <div className="form-grid">
          <ProcedureFields
            fields={fields}
            raw={v.input}
            values={toServer(fields, v.input)}
            fieldProps={(f) => formFieldProps[f.key] ?? named(form, formErrorKey(f.key), f.label)}
            onChange={setInput}
          />
        </div>
      </section>

      <section className="section" aria-labelledby="counter-files">
        <h2 id="counter-files">{t('reception.counter.files')}</h2>
        <p className="muted">{t('reception.counter.filesHelp')}</p>
        {p.components.length === 0 ? (
          <p className="muted">{t('reception.detail.noComponents')}</p>
        ) : (
          <ul className="row-list">
            {p.components.map((c) => (
              <li key={c.key} className="row-card">
                <ComponentUpload
                  name={c.name}
                  required={c.required}
                  hint={c.required ? undefined : (c.condition ?? t('reception.checklist.optional'))}
                  field={named(form, `files.${c.key}`, c.name)}
                  files={files[c.key] ?? []}
                  onChange={(update) => setFiles((prev) => ({ ...prev, [c.key]: update(prev[c.key] ?? []) }))}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="counter-delivery">
        <h2 id="counter-delivery">{t('reception.counter.delivery')}</h2>
        <div className="form-grid">
          <SelectField
            label={t('reception.fields.resultDelivery')}
            required
            field={form.field('resultDelivery', t('reception.fields.resultDelivery'))}
            value={v.resultDelivery}
            onValue={(x) => form.set('resultDelivery', x)}
            options={deliveryChoices.map((d) => ({ value: d, label: deliveryLabel(t, d) }))}
          />
          <div />
          <SelectField
            label={t('reception.counter.notifyChannel')}
            field={form.field('notifyChannel', t('reception.counter.notifyChannel'))}
            value={v.notifyChannel}
            onValue={pickNotify}
            placeholder={t('reception.counter.noNotify')}
            options={(['sms', 'zalo', 'email'] as const).map((c) => ({ value: c, label: t(`reception.notifyChannels.${c}`) }))}
          />
          <TextField
            label={t('reception.counter.notifyTo')}
            hint={t('reception.counter.notifyToHint')}
            required={v.notifyChannel !== ''}
            disabled={v.notifyChannel === ''}
            maxLength={200}
            autoComplete="off"
            field={form.field('notifyTo', t('reception.counter.notifyTo'))}
            value={v.notifyTo}
            onValue={(x) => form.set('notifyTo', x)}
          />
        </div>
      </section>

      <div className="button-row counter-submit">
        <Button
          type="submit"
          variant="secondary"
          busy={form.submitting && intent.current === 'register'}
          disabled={form.submitting}
          onClick={() => (intent.current = 'register')}
        >
          {t('reception.counter.register')}
        </Button>
        <Button
          type="submit"
          busy={form.submitting && intent.current === 'receive'}
          disabled={form.submitting}
          onClick={() => (intent.current = 'receive')}
        >
          {t('reception.counter.registerReceive')}
        </Button>
        <ButtonLink to="/office/reception" variant="link">
          {t('common.cancel')}
        </ButtonLink>
      </div>
    </FormView>
  );
}

/** Scans of one component: uploaded as soon as they are picked, listed with a remove button. */
function ComponentUpload({
  name,
  required,
  hint,
  field,
  files,
  onChange,
}: {
  name: string;
  required: boolean;
  hint?: string;
  field: { id: string; name: string; error?: string };
  files: Uploaded[];
  onChange: (update: (list: Uploaded[]) => Uploaded[]) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const message = error ?? field.error;
  const pick = async (list: FileList | null, input: HTMLInputElement) => {
    if (!list || list.length === 0) return;
    setBusy(true);
    setError(null);
    const added: Uploaded[] = [];
    try {
      for (const f of Array.from(list)) {
        const meta: FileMeta = await uploadFile(f);
        added.push({ fileId: meta.id, name: meta.originalName || f.name, size: meta.size });
      }
    } catch (e) {
      const p = problemText(e, t);
      setError(p.detail ? `${p.title}: ${p.detail}` : p.title);
    } finally {
      if (added.length) onChange((list) => [...list, ...added]);
      setBusy(false);
      input.value = '';
    }
  };
  const describedBy = [hint ? `${field.id}-hint` : '', message ? `${field.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', message ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={field.id}>
        {name}
        {required && (
          <span className="required-mark">
            <span aria-hidden="true"> *</span>
            <span className="visually-hidden"> ({t('form.required')})</span>
          </span>
        )}
      </label>
      {hint && (
        <div className="field-hint" id={`${field.id}-hint`}>
          {hint}
        </div>
      )}
      {message && (
        <p className="field-error" id={`${field.id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {message}
        </p>
      )}
      {files.length > 0 && (
        <ul className="plain-list file-list">
          {files.map((f) => (
            <li key={f.fileId}>
              {f.name}{' '}
              <Button
                variant="link"
                aria-label={t('reception.counter.removeFile', { name: f.name })}
                onClick={() => onChange((list) => list.filter((x) => x.fileId !== f.fileId))}
              >
                {t('reception.actions.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <input
        type="file"
        className="input input-file"
        id={field.id}
        name={field.name}
        accept={ACCEPT}
        multiple
        disabled={busy}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => void pick(e.target.files, e.target)}
      />
      <p className="visually-hidden" aria-live="polite">
        {busy ? t('reception.counter.uploading') : ''}
      </p>
      {busy && <p className="muted">{t('reception.counter.uploading')}</p>}
    </div>
  );
}
