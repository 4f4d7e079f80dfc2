/**
 * Answering a supplement request (state `supplement_requested`): what the office asked for and why,
 * then one upload box per component it named, optional corrections to the form, and a note, sent
 * with POST /api/v1/dossiers/:id/supplement. Field errors of the server land next to their box.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldName } from '../api';
import { formatDateTime } from '../format';
import { ProcedureFields } from '../procedure-form/Fields';
import { checkFields, formErrorKey, fromServer, type RawValues, toServer } from '../procedure-form/values';
import { Button, type Errors, Notice, problemText, TextArea } from '../ui';
import { DOSSIERS, MINE, sendSupplement } from './api';
import { ErrorBox } from './controls';
import type { AttachedFile } from './draft';
import { fileErrorKey, formFieldProps } from './steps';
import type { Component, DossierDetail, Procedure, SupplementBody } from './types';
import { ComponentFiles } from './uploads';

/** A component the office named but the procedure version no longer lists still gets an upload box. */
const looseComponent = (key: string, name: string): Component => ({
  key,
  name,
  original: null,
  copies: null,
  required: true,
  condition: null,
  templateFileId: null,
  fromEdataStore: false,
  documentType: null,
});

/** The components the request names, once each, with the request's words when the procedure has no name for it. */
export function requestedComponents(d: Pick<DossierDetail, 'openSupplement'>, components: readonly Component[]): Component[] {
  const out: Component[] = [];
  for (const item of d.openSupplement?.items ?? []) {
    if (!item.componentKey || out.some((c) => c.key === item.componentKey)) continue;
    out.push(components.find((c) => c.key === item.componentKey) ?? looseComponent(item.componentKey, item.text));
  }
  return out;
}

export function SupplementPanel({ d, procedure, onDone }: { d: DossierDetail; procedure: Procedure | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const request = d.openSupplement;
  const fields = procedure?.form.fields ?? [];
  const wanted = useMemo(() => requestedComponents(d, procedure?.components ?? []), [d, procedure]);
  const [files, setFiles] = useState<AttachedFile[]>([]);
  const [raw, setRaw] = useState<RawValues>(() => fromServer(fields, d.form));
  const [formChanged, setFormChanged] = useState(false);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<{ title: string; detail?: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(0);
  const values = toServer(fields, raw);

  const labels: Record<string, string> = { note: t('dossier.supplement.note') };
  for (const f of fields) labels[formErrorKey(f.key)] = f.label;
  for (const c of wanted) labels[fileErrorKey(c.key)] = c.name;

  // The same rule as the server: send something (files, corrected answers or a note); typed answers must be valid.
  const check = (): Errors => {
    const found: Errors = formChanged ? checkFields(fields, values, true, t) : {};
    if (!formChanged && files.length === 0 && note.trim() === '') {
      found[wanted[0] ? fileErrorKey(wanted[0].key) : 'note'] = t('dossier.supplement.nothing');
    }
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (uploading > 0) {
      setProblem({ title: t('dossier.files.wait') });
      setAttempt((n) => n + 1);
      return;
    }
    const found = check();
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    const body: SupplementBody = {
      version: d.version,
      files: files.map((f) => ({
        componentKey: f.componentKey,
        fileId: f.fileId,
        ...(f.edataDocumentId ? { edataDocumentId: f.edataDocumentId } : {}),
      })),
    };
    if (formChanged) body.form = values;
    if (note.trim()) body.note = note.trim();
    setBusy(true);
    try {
      const next = await sendSupplement(d.id, body);
      qc.setQueryData([DOSSIERS, d.id], next);
      void qc.invalidateQueries({ queryKey: [MINE] });
      onDone();
    } catch (err) {
      if (err instanceof ApiError && (err.problem.errors?.length ?? 0) > 0) {
        const mapped: Errors = {};
        for (const x of err.problem.errors ?? []) {
          const parts = fieldName(x.field).split('.');
          const key = parts[0] === 'form' || parts[0] === 'files' ? parts.slice(0, 2).join('.') : (parts[0] ?? 'note');
          mapped[key] ??= x.message;
        }
        setErrors(mapped);
        setProblem({ title: err.problem.title, detail: err.problem.detail });
      } else {
        setProblem(problemText(err, t));
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  if (!request) return null;
  return (
    <section className="panel supplement-panel" aria-labelledby="supplement-title">
      <h2 id="supplement-title">{t('dossier.supplement.title')}</h2>
      <Notice tone="warning" title={t('dossier.supplement.requested', { date: formatDateTime(request.requestedAt) })}>
        <p>{t('dossier.timeline.reason', { reason: request.reason })}</p>
        <ul>
          {request.items.map((i) => (
            <li key={`${i.componentKey ?? ''}-${i.text}`}>{i.text}</li>
          ))}
        </ul>
      </Notice>
      <form noValidate onSubmit={submit} aria-labelledby="supplement-title">
        <ErrorBox errors={errors} labels={labels} problem={problem} attempt={attempt} />
        {wanted.map((c) => (
          <ComponentFiles
            key={c.key}
            component={c}
            files={files.filter((f) => f.componentKey === c.key)}
            error={errors[fileErrorKey(c.key)]}
            onAdded={(f) => {
              setFiles((list) => [...list, f]);
              setErrors(({ [fileErrorKey(c.key)]: _, ...rest }) => rest);
            }}
            onRemove={(fileId) => setFiles((list) => list.filter((f) => f.fileId !== fileId))}
            onBusy={(n) => setUploading((u) => u + n)}
          />
        ))}
        {fields.length > 0 && (
          <details className="supplement-form" open={formChanged || Object.keys(errors).some((k) => k.startsWith('form.'))}>
            <summary>{t('dossier.supplement.editForm')}</summary>
            <p className="muted">{t('dossier.supplement.editFormHint')}</p>
            <ProcedureFields
              fields={fields}
              raw={raw}
              values={values}
              fieldProps={formFieldProps(errors)}
              onChange={(key, v) => {
                setRaw((r) => ({ ...r, [key]: v }));
                setFormChanged(true);
              }}
              autoFill
            />
          </details>
        )}
        <TextArea
          label={t('dossier.supplement.note')}
          hint={t('dossier.supplement.noteHint')}
          field={{ id: 'dossier-supplement-note', name: 'note', error: errors.note }}
          value={note}
          onValue={setNote}
          maxLength={2000}
          rows={3}
        />
        <Button type="submit" busy={busy}>
          {t('dossier.supplement.send')}
        </Button>
      </form>
    </section>
  );
}
