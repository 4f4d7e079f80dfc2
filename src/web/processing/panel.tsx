/**
 * Processing panel of the dossier page (staff): the open steps, the actions the signed-in officer may
 * take now (GET /dossiers/:id/work) and the tools of the resolving agency (opinion, site visit, draft
 * result, consultation; apology, stop and reassignment for leaders), with links to the control slip,
 * the draft and the signed result. Every write sends the version on screen; after it the dossier and
 * the work are fetched again.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Page, uploadFile } from '../api';
import { can, useMe } from '../app/auth';
import { DueCell, useIsWorkingDay, useNow } from '../reception/tags';
import { Button, DateTime, FileField, FormView, Notice, problemText, SelectField, TextArea, TextField, useForm } from '../ui';
import type { Errors } from '../ui/form';
import {
  act,
  addOpinion,
  answerConsultation,
  apologize,
  consult,
  controlSlipUrl,
  DOSSIERS,
  type DossierDetail,
  type DossierWork,
  fileUrl,
  reassign,
  returnMethods,
  saveResultDraft,
  stopDossier,
  useWork,
  WORK,
  type WorkAction,
} from './api';

type Tool = 'opinion' | 'draft' | 'consult' | 'apology' | 'stop' | 'reassign';
interface Outcome {
  tone: 'success' | 'error';
  title: string;
  detail?: string;
}

/** Tells whether a dossier has entered processing (a workflow is pinned or it has ended). */
export const inProcessing = (d: DossierDetail) => d.processing.workflowVersion !== null || d.state === 'completed' || d.state === 'stopped';

export function ProcessingPanel({ dossier: d }: { dossier: DossierDetail }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const open = d.state === 'received';
  const work = useWork(d.id, open);
  const [tool, setTool] = useState<Tool | null>(null);
  const [action, setAction] = useState<WorkAction | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const leader = can(me, 'dossiers.approve');
  const staff = leader || can(me, 'dossiers.process');
  const p = d.processing;

  /** Store the new dossier, refetch the work and the queues, say what happened. */
  const done = async (next: DossierDetail, title: string) => {
    qc.setQueryData([DOSSIERS, next.id], next);
    setTool(null);
    setAction(null);
    setOutcome({ tone: 'success', title });
    await Promise.all([
      qc.invalidateQueries({ queryKey: [DOSSIERS, next.id, 'work'] }),
      qc.invalidateQueries({ queryKey: [WORK] }),
      qc.invalidateQueries({ queryKey: [DOSSIERS], refetchType: 'none' }),
    ]);
    requestAnimationFrame(() => outcomeRef.current?.focus());
  };
  /** 409 (someone acted first, too late…): say so and show the dossier as it is now. */
  const conflict = async (e: unknown): Promise<boolean> => {
    if (!(e instanceof ApiError) || e.status !== 409) return false;
    setTool(null);
    setAction(null);
    setOutcome({ tone: 'error', title: e.problem.title || t('reception.actions.conflict'), detail: e.problem.detail });
    await qc.invalidateQueries({ queryKey: [DOSSIERS, d.id] });
    requestAnimationFrame(() => outcomeRef.current?.focus());
    return true;
  };
  const forms = { dossier: d, onDone: done, onConflict: conflict, onCancel: () => setTool(null) };
  const toggle = (x: Tool) => {
    setAction(null);
    setTool(tool === x ? null : x);
    requestAnimationFrame(() => document.getElementById(`tool-${x}`)?.focus());
  };

  return (
    <section className="panel action-panel processing-panel" aria-labelledby="processing-title">
      <h2 id="processing-title">{t('processing.panel.title')}</h2>
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="outcome">
          <Notice tone={outcome.tone} live title={outcome.title}>
            {outcome.detail}
          </Notice>
        </div>
      )}
      <Steps dossier={d} />
      <Documents dossier={d} />
      {p.consultations.length > 0 && <Consultations dossier={d} onDone={done} agencyName={me?.agency?.name ?? null} />}

      {open && (
        <>
          <h3>{t('processing.panel.actions')}</h3>
          {work.isPending ? (
            <p className="muted">{t('common.loading')}</p>
          ) : work.isError ? (
            <Notice tone="error" title={problemText(work.error, t).title} />
          ) : work.data.actions.length === 0 ? (
            <p className="muted">{t('processing.panel.noActions')}</p>
          ) : (
            <div className="button-row" data-testid="work-actions">
              {work.data.actions.map((a) => (
                <Button
                  key={`${a.key}:${a.branch ?? ''}`}
                  variant={a.sendBack ? 'secondary' : 'primary'}
                  disabled={a.blockedBy !== null}
                  aria-expanded={action === a}
                  onClick={() => {
                    setTool(null);
                    setAction(action === a ? null : a);
                    requestAnimationFrame(() => document.getElementById('act-form-title')?.focus());
                  }}
                >
                  {a.name}
                </Button>
              ))}
            </div>
          )}
          {work.data?.actions
            .filter((a) => a.blockedBy)
            .map((a) => (
              <p key={`b-${a.key}`} className="muted">
                {t('processing.panel.blocked', { name: a.name, reason: a.blockedBy })}
              </p>
            ))}
          {action && work.data && <ActForm key={`${action.key}:${d.version}`} {...forms} action={action} assignees={work.data.assignees} />}

          {staff && (
            <>
              <h3>{t('processing.panel.tools')}</h3>
              <div className="button-row">
                {(['opinion', 'draft', 'consult'] as const).map((x) => (
                  <Button key={x} variant="secondary" aria-expanded={tool === x} onClick={() => toggle(x)}>
                    {t(`processing.tools.${x}`)}
                  </Button>
                ))}
                {leader &&
                  (['reassign', 'apology', 'stop'] as const).map((x) => (
                    <Button key={x} variant={x === 'stop' ? 'danger' : 'secondary'} aria-expanded={tool === x} onClick={() => toggle(x)}>
                      {t(`processing.tools.${x}`)}
                    </Button>
                  ))}
              </div>
              {tool === 'opinion' && <OpinionForm {...forms} />}
              {tool === 'draft' && <DraftForm {...forms} />}
              {tool === 'consult' && <ConsultForm {...forms} />}
              {tool === 'apology' && <ApologyForm {...forms} />}
              {tool === 'stop' && <StopForm {...forms} />}
              {tool === 'reassign' && <ReassignForm {...forms} assignees={work.data?.assignees ?? []} />}
            </>
          )}
        </>
      )}
    </section>
  );
}

function Steps({ dossier: d }: { dossier: DossierDetail }) {
  const { t } = useTranslation();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const p = d.processing;
  if (p.steps.length === 0)
    return (
      <p className="muted">
        {d.state === 'completed'
          ? t('processing.panel.completed')
          : d.state === 'stopped'
            ? t('processing.panel.stopped')
            : t('processing.panel.noSteps')}
      </p>
    );
  return (
    <table className="table table-stack table-dense">
      <caption className="visually-hidden">{t('processing.panel.steps')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('processing.fields.step')}</th>
          <th scope="col">{t('processing.fields.agency')}</th>
          <th scope="col">{t('processing.fields.assignee')}</th>
          <th scope="col">{t('processing.fields.stepDue')}</th>
        </tr>
      </thead>
      <tbody>
        {p.steps.map((s) => (
          <tr key={`${s.branch ?? ''}:${s.state}`}>
            <td className="cell-primary" data-label={t('processing.fields.step')}>
              {s.name}
              <span className="cell-sub">
                {t('processing.panel.since')} <DateTime value={s.enteredAt} />
              </span>
            </td>
            <td data-label={t('processing.fields.agency')}>{s.agencies.join(', ') || '—'}</td>
            <td data-label={t('processing.fields.assignee')}>
              {s.assigneeLabel ?? <span className="muted">{t('processing.unassigned')}</span>}
            </td>
            <td data-label={t('processing.fields.stepDue')}>
              {s.dueAt ? <DueCell dueAt={s.dueAt} now={now} isWorking={isWorking} /> : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Documents({ dossier: d }: { dossier: DossierDetail }) {
  const { t } = useTranslation();
  const p = d.processing;
  return (
    <ul className="plain-list file-list processing-docs">
      <li>
        <a href={controlSlipUrl(d.id)} target="_blank" rel="noopener" data-testid="control-slip">
          {t('processing.docs.controlSlip')}
        </a>
      </li>
      {p.resultDraftFileId && (
        <li>
          <a href={fileUrl(d.id, p.resultDraftFileId)} target="_blank" rel="noopener" data-testid="result-draft">
            {t('processing.docs.draft')}
          </a>
        </li>
      )}
      {p.resultFileId && (
        <li>
          <a href={fileUrl(d.id, p.resultFileId)} target="_blank" rel="noopener" data-testid="result-signed">
            {t('processing.docs.result')}
          </a>
          {p.resultSignedAt && (
            <span className="cell-sub">
              {t('processing.docs.signedAt')} <DateTime value={p.resultSignedAt} />
            </span>
          )}
        </li>
      )}
      {p.apologizedAt && p.originalDueAt && (
        <li>
          {t('processing.docs.rescheduled')} <DateTime value={p.originalDueAt} /> → <DateTime value={d.dueAt} />
        </li>
      )}
      {p.returnedAt && (
        <li>
          {t('processing.docs.returned')} <DateTime value={p.returnedAt} />
          {p.returnMethod && ` (${t(`processing.returnMethods.${p.returnMethod}`)})`}
        </li>
      )}
    </ul>
  );
}

function Consultations({
  dossier: d,
  onDone,
  agencyName,
}: {
  dossier: DossierDetail;
  onDone: (d: DossierDetail, title: string) => Promise<void>;
  agencyName: string | null;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('processing.consult.list')}</h3>
      <ul className="plain-list">
        {d.processing.consultations.map((c) => (
          <li key={c.id} className="row-card">
            <p>
              <strong>{c.agencyName}</strong> · <DateTime value={c.askedAt} />
              {c.dueAt && (
                <span className="cell-sub">
                  {t('processing.consult.dueAt')} <DateTime value={c.dueAt} />
                </span>
              )}
            </p>
            <p>{c.question}</p>
            {c.answer ? (
              <p>
                <strong>{t('processing.consult.answer')}:</strong> {c.answer}
                <span className="cell-sub">
                  {c.answeredBy} · <DateTime value={c.answeredAt} />
                </span>
              </p>
            ) : agencyName === c.agencyName ? (
              <AnswerForm dossierId={d.id} consultationId={c.id} onDone={onDone} />
            ) : (
              <p className="muted">{t('processing.consult.waiting')}</p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function AnswerForm({
  dossierId,
  consultationId,
  onDone,
}: {
  dossierId: string;
  consultationId: string;
  onDone: (d: DossierDetail, title: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { answer: '' },
    validate: (v): Errors => (v.answer.trim() ? {} : { answer: t('validation.required') }),
    onSubmit: async (v) => onDone(await answerConsultation(dossierId, consultationId, v.answer.trim()), t('processing.consult.answered')),
  });
  return (
    <FormView form={form} label={t('processing.consult.answer')}>
      <TextArea
        label={t('processing.consult.answer')}
        required
        rows={3}
        maxLength={10000}
        field={form.field('answer', t('processing.consult.answer'))}
        value={form.values.answer}
        onValue={(v) => form.set('answer', v)}
      />
      <Button type="submit" busy={form.submitting}>
        {t('processing.consult.send')}
      </Button>
    </FormView>
  );
}

interface FormProps {
  dossier: DossierDetail;
  onDone: (d: DossierDetail, title: string) => Promise<void>;
  onConflict: (e: unknown) => Promise<boolean>;
  onCancel: () => void;
}

/** A write that turns a 409 into the panel's notice and anything else into the form's error summary. */
const guarded = (onConflict: FormProps['onConflict']) => async (fn: () => Promise<void>) => {
  try {
    await fn();
  } catch (e) {
    if (!(await onConflict(e))) throw e;
  }
};

function FormShell({
  id,
  title,
  help,
  children,
  danger,
}: {
  id: string;
  title: string;
  help?: string;
  children: React.ReactNode;
  danger?: boolean;
}) {
  return (
    <section className={danger ? 'action-form action-form-danger' : 'action-form'} aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {title}
      </h3>
      {help && <p className="muted">{help}</p>}
      {children}
    </section>
  );
}

function Submit({ busy, label, onCancel, danger }: { busy: boolean; label: string; onCancel: () => void; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="button-row">
      <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy}>
        {label}
      </Button>
      <Button variant="link" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </div>
  );
}

/** A modal "are you sure" for what cannot be undone (signing, returning, stopping). */
function useConfirm() {
  const ref = useRef<HTMLDialogElement>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const ask = () =>
    new Promise<boolean>((resolve) => {
      resolver.current = resolve;
      ref.current?.showModal();
    });
  const answer = (ok: boolean) => {
    ref.current?.close();
    resolver.current?.(ok);
    resolver.current = null;
  };
  return { ref, ask, answer };
}

function ConfirmDialog({
  confirm,
  title,
  text,
  yes,
}: {
  confirm: ReturnType<typeof useConfirm>;
  title: string;
  text: string;
  yes: string;
}) {
  const { t } = useTranslation();
  return (
    <dialog
      ref={confirm.ref}
      className="dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onCancel={() => confirm.answer(false)}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-text">{text}</p>
      <div className="button-row">
        <Button autoFocus onClick={() => confirm.answer(true)}>
          {yes}
        </Button>
        <Button variant="link" onClick={() => confirm.answer(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </dialog>
  );
}

function ActForm({
  dossier: d,
  onDone,
  onConflict,
  onCancel,
  action: a,
  assignees,
}: FormProps & { action: WorkAction; assignees: DossierWork['assignees'] }) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const irreversible = a.signsResult || a.returnsResult;
  const form = useForm({
    initial: { note: '', assigneeId: '', returnMethod: d.resultDelivery as string },
    validate: (v) => {
      const e: Errors = {};
      if (a.requiresNote && !v.note.trim()) e.note = t('validation.required');
      if (a.assigns && !v.assigneeId) e.assigneeId = t('validation.required');
      if (a.returnsResult && !v.returnMethod) e.returnMethod = t('validation.required');
      return e;
    },
    onSubmit: async (v) => {
      if (irreversible && !(await confirm.ask())) return;
      await guarded(onConflict)(async () => {
        const next = await act(d.id, {
          action: a.key,
          // Only a parallel branch is named: the main line is sent without one (the server matches it then).
          ...(a.branch ? { branch: a.branch } : {}),
          version: d.version,
          ...(v.note.trim() ? { note: v.note.trim() } : {}),
          ...(a.assigns ? { assigneeId: v.assigneeId } : {}),
          ...(a.returnsResult ? { returnMethod: v.returnMethod as (typeof returnMethods)[number] } : {}),
        });
        await onDone(next, t('processing.act.done', { name: a.name }));
      });
    },
  });
  return (
    <FormShell id="act-form-title" title={a.name} help={t('processing.act.moves', { agency: a.agencyName })}>
      {a.signsResult && (
        <Notice tone="info" title={t('processing.act.signs')}>
          {!d.processing.resultDraftFileId && <p>{t('processing.act.noDraft')}</p>}
        </Notice>
      )}
      <FormView form={form} label={a.name}>
        {a.assigns && (
          <SelectField
            label={t('processing.act.assignee')}
            required
            field={form.field('assigneeId', t('processing.act.assignee'))}
            value={form.values.assigneeId}
            onValue={(v) => form.set('assigneeId', v)}
            placeholder={t('processing.bulk.choose')}
            options={assignees.map((s) => ({ value: s.accountId, label: s.department ? `${s.name} — ${s.department}` : s.name }))}
          />
        )}
        {a.returnsResult && (
          <SelectField
            label={t('processing.act.returnMethod')}
            required
            field={form.field('returnMethod', t('processing.act.returnMethod'))}
            value={form.values.returnMethod}
            onValue={(v) => form.set('returnMethod', v)}
            options={returnMethods.map((m) => ({ value: m, label: t(`processing.returnMethods.${m}`) }))}
          />
        )}
        <TextArea
          label={a.requiresNote ? t('processing.act.reason') : t('processing.act.note')}
          required={a.requiresNote}
          rows={2}
          maxLength={2000}
          field={form.field('note', t('processing.act.note'))}
          value={form.values.note}
          onValue={(v) => form.set('note', v)}
        />
        <Submit busy={form.submitting} label={t('processing.act.submit', { name: a.name })} onCancel={onCancel} />
      </FormView>
      <ConfirmDialog
        confirm={confirm}
        title={t('processing.act.confirmTitle', { name: a.name })}
        text={a.signsResult ? t('processing.act.confirmSign') : t('processing.act.confirmReturn')}
        yes={t('processing.act.confirmYes')}
      />
    </FormShell>
  );
}

/** datetime-local ("2026-11-24T09:30", the browser's zone) → ISO; '' when empty or invalid. */
const isoOfLocal = (v: string) => {
  const ms = Date.parse(v);
  return v && !Number.isNaN(ms) ? new Date(ms).toISOString() : '';
};

function OpinionForm({ dossier: d, onDone, onConflict, onCancel }: FormProps) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { kind: 'opinion', text: '', visitAt: '', place: '', participants: '' },
    validate: (v) => {
      const e: Errors = {};
      if (!v.text.trim()) e.text = t('validation.required');
      if (v.kind === 'site_visit' && !isoOfLocal(v.visitAt)) e.visitAt = t('validation.required');
      if (v.kind === 'site_visit' && !v.place.trim()) e.place = t('validation.required');
      return e;
    },
    onSubmit: (v) =>
      guarded(onConflict)(async () => {
        const visit = v.kind === 'site_visit';
        const next = await addOpinion(d.id, {
          kind: visit ? 'site_visit' : 'opinion',
          text: v.text.trim(),
          version: d.version,
          ...(visit ? { visitAt: isoOfLocal(v.visitAt), place: v.place.trim(), participants: v.participants.trim() || undefined } : {}),
        });
        await onDone(next, t('processing.opinion.done'));
      }),
  });
  const visit = form.values.kind === 'site_visit';
  return (
    <FormShell id="tool-opinion" title={t('processing.tools.opinion')}>
      <FormView form={form} label={t('processing.tools.opinion')}>
        <SelectField
          label={t('processing.opinion.kind')}
          field={form.field('kind', t('processing.opinion.kind'))}
          value={form.values.kind}
          onValue={(v) => form.set('kind', v)}
          options={[
            { value: 'opinion', label: t('processing.opinion.kinds.opinion') },
            { value: 'site_visit', label: t('processing.opinion.kinds.site_visit') },
          ]}
        />
        <TextArea
          label={t('processing.opinion.text')}
          required
          rows={4}
          maxLength={10000}
          field={form.field('text', t('processing.opinion.text'))}
          value={form.values.text}
          onValue={(v) => form.set('text', v)}
        />
        {visit && (
          <div className="form-grid">
            <TextField
              label={t('processing.opinion.visitAt')}
              type="datetime-local"
              required
              field={form.field('visitAt', t('processing.opinion.visitAt'))}
              value={form.values.visitAt}
              onValue={(v) => form.set('visitAt', v)}
            />
            <TextField
              label={t('processing.opinion.place')}
              required
              maxLength={500}
              field={form.field('place', t('processing.opinion.place'))}
              value={form.values.place}
              onValue={(v) => form.set('place', v)}
            />
            <TextField
              label={t('processing.opinion.participants')}
              maxLength={1000}
              field={form.field('participants', t('processing.opinion.participants'))}
              value={form.values.participants}
              onValue={(v) => form.set('participants', v)}
            />
          </div>
        )}
        <Submit busy={form.submitting} label={t('processing.opinion.submit')} onCancel={onCancel} />
      </FormView>
    </FormShell>
  );
}

function DraftForm({ dossier: d, onDone, onConflict, onCancel }: FormProps) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const form = useForm({
    initial: { mode: 'template', title: '', paragraphs: '', file: '' },
    validate: (v) => {
      const e: Errors = {};
      if (v.mode === 'template' && !v.paragraphs.trim()) e.paragraphs = t('validation.required');
      if (v.mode === 'upload' && !file) e.file = t('validation.required');
      if (v.mode === 'upload' && file && file.type !== 'application/pdf') e.file = t('processing.draft.pdfOnly');
      return e;
    },
    onSubmit: (v) =>
      guarded(onConflict)(async () => {
        const body =
          v.mode === 'upload' && file
            ? { fileId: (await uploadFile(file)).id, version: d.version }
            : {
                title: v.title.trim() || undefined,
                // One paragraph per blank-line-separated block, as typed.
                paragraphs: v.paragraphs
                  .split(/\n\s*\n/)
                  .map((x) => x.trim())
                  .filter(Boolean),
                version: d.version,
              };
        await onDone(await saveResultDraft(d.id, body), t('processing.draft.done'));
      }),
  });
  const upload = form.values.mode === 'upload';
  return (
    <FormShell id="tool-draft" title={t('processing.tools.draft')} help={t('processing.draft.help')}>
      <FormView form={form} label={t('processing.tools.draft')}>
        <SelectField
          label={t('processing.draft.mode')}
          field={form.field('mode', t('processing.draft.mode'))}
          value={form.values.mode}
          onValue={(v) => form.set('mode', v)}
          options={[
            { value: 'template', label: t('processing.draft.modes.template') },
            { value: 'upload', label: t('processing.draft.modes.upload') },
          ]}
        />
        {upload ? (
          <FileField
            label={t('processing.draft.file')}
            required
            accept="application/pdf"
            field={form.field('file', t('processing.draft.file'))}
            onFile={setFile}
          />
        ) : (
          <>
            <TextField
              label={t('processing.draft.titleLabel')}
              hint={t('processing.draft.titleHint')}
              maxLength={200}
              field={form.field('title', t('processing.draft.titleLabel'))}
              value={form.values.title}
              onValue={(v) => form.set('title', v)}
            />
            <TextArea
              label={t('processing.draft.paragraphs')}
              hint={t('processing.draft.paragraphsHint')}
              required
              rows={6}
              field={form.field('paragraphs', t('processing.draft.paragraphs'))}
              value={form.values.paragraphs}
              onValue={(v) => form.set('paragraphs', v)}
            />
          </>
        )}
        <Submit busy={form.submitting} label={t('processing.draft.submit')} onCancel={onCancel} />
      </FormView>
    </FormShell>
  );
}

function ConsultForm({ dossier: d, onDone, onConflict, onCancel }: FormProps) {
  const { t } = useTranslation();
  // Every agency but the dossier's own may be consulted.
  const agencies = useQuery({
    queryKey: ['/api/v1/agencies', 'consult'],
    queryFn: ({ signal }) => api.get<Page<{ id: string; name: string }>>('/api/v1/agencies', { limit: 200 }, { signal }),
    staleTime: 60 * 60_000,
  });
  const form = useForm({
    initial: { agencyId: '', question: '', dueDays: '5' },
    validate: (v) => {
      const e: Errors = {};
      if (!v.agencyId) e.agencyId = t('validation.required');
      if (!v.question.trim()) e.question = t('validation.required');
      const n = Number(v.dueDays);
      if (!Number.isInteger(n) || n < 1 || n > 30) e.dueDays = t('processing.consult.dueDaysRange');
      return e;
    },
    onSubmit: (v) =>
      guarded(onConflict)(async () => {
        const next = await consult(d.id, {
          agencyId: v.agencyId,
          question: v.question.trim(),
          dueDays: Number(v.dueDays),
          version: d.version,
        });
        await onDone(next, t('processing.consult.done'));
      }),
  });
  return (
    <FormShell id="tool-consult" title={t('processing.tools.consult')}>
      <FormView form={form} label={t('processing.tools.consult')}>
        <SelectField
          label={t('processing.consult.agency')}
          required
          field={form.field('agencyId', t('processing.consult.agency'))}
          value={form.values.agencyId}
          onValue={(v) => form.set('agencyId', v)}
          placeholder={t('processing.bulk.choose')}
          options={(agencies.data?.items ?? []).filter((a) => a.id !== d.agencyId).map((a) => ({ value: a.id, label: a.name }))}
        />
        <TextArea
          label={t('processing.consult.question')}
          required
          rows={4}
          maxLength={5000}
          field={form.field('question', t('processing.consult.question'))}
          value={form.values.question}
          onValue={(v) => form.set('question', v)}
        />
        <TextField
          label={t('processing.consult.dueDays')}
          type="number"
          min={1}
          max={30}
          inputMode="numeric"
          field={form.field('dueDays', t('processing.consult.dueDays'))}
          value={form.values.dueDays}
          onValue={(v) => form.set('dueDays', v)}
        />
        <Submit busy={form.submitting} label={t('processing.consult.submit')} onCancel={onCancel} />
      </FormView>
    </FormShell>
  );
}

function ApologyForm({ dossier: d, onDone, onConflict, onCancel }: FormProps) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { reason: '', newDueAt: '' },
    validate: (v) => {
      const e: Errors = {};
      if (!v.reason.trim()) e.reason = t('validation.required');
      const iso = isoOfLocal(v.newDueAt);
      if (!iso) e.newDueAt = t('validation.required');
      else if (d.dueAt && Date.parse(iso) <= Date.parse(d.dueAt)) e.newDueAt = t('processing.apology.afterDue');
      return e;
    },
    onSubmit: (v) =>
      guarded(onConflict)(async () => {
        const next = await apologize(d.id, { reason: v.reason.trim(), newDueAt: isoOfLocal(v.newDueAt), version: d.version });
        await onDone(next, t('processing.apology.done'));
      }),
  });
  return (
    <FormShell id="tool-apology" title={t('processing.tools.apology')} help={t('processing.apology.help')}>
      {d.processing.apologizedAt ? (
        <p className="muted">{t('processing.apology.already')}</p>
      ) : (
        <FormView form={form} label={t('processing.tools.apology')}>
          <TextArea
            label={t('processing.apology.reason')}
            required
            rows={3}
            maxLength={2000}
            field={form.field('reason', t('processing.apology.reason'))}
            value={form.values.reason}
            onValue={(v) => form.set('reason', v)}
          />
          <TextField
            label={t('processing.apology.newDueAt')}
            type="datetime-local"
            required
            field={form.field('newDueAt', t('processing.apology.newDueAt'))}
            value={form.values.newDueAt}
            onValue={(v) => form.set('newDueAt', v)}
          />
          <Submit busy={form.submitting} label={t('processing.apology.submit')} onCancel={onCancel} />
        </FormView>
      )}
    </FormShell>
  );
}

function StopForm({ dossier: d, onDone, onConflict, onCancel }: FormProps) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const form = useForm({
    initial: { reason: '' },
    validate: (v): Errors => (v.reason.trim() ? {} : { reason: t('validation.required') }),
    onSubmit: async (v) => {
      if (!(await confirm.ask())) return;
      await guarded(onConflict)(async () => onDone(await stopDossier(d.id, v.reason.trim(), d.version), t('processing.stop.done')));
    },
  });
  return (
    <FormShell id="tool-stop" title={t('processing.tools.stop')} help={t('processing.stop.help')} danger>
      <FormView form={form} label={t('processing.tools.stop')}>
        <TextArea
          label={t('processing.stop.reason')}
          required
          rows={3}
          maxLength={2000}
          field={form.field('reason', t('processing.stop.reason'))}
          value={form.values.reason}
          onValue={(v) => form.set('reason', v)}
        />
        <Submit busy={form.submitting} label={t('processing.stop.submit')} onCancel={onCancel} danger />
      </FormView>
      <ConfirmDialog
        confirm={confirm}
        title={t('processing.stop.confirmTitle')}
        text={t('processing.stop.confirmText')}
        yes={t('processing.stop.submit')}
      />
    </FormShell>
  );
}

function ReassignForm({ dossier: d, onDone, onConflict, onCancel, assignees }: FormProps & { assignees: DossierWork['assignees'] }) {
  const { t } = useTranslation();
  const branches = d.processing.steps.filter((s) => s.assigneeId);
  const form = useForm({
    initial: { assigneeId: '', step: branches[0] ? String(0) : '' },
    validate: (v): Errors => (v.assigneeId ? {} : { assigneeId: t('validation.required') }),
    onSubmit: (v) =>
      guarded(onConflict)(async () => {
        const step = branches[Number(v.step)];
        const next = await reassign(d.id, {
          assigneeId: v.assigneeId,
          ...(step?.branch ? { branch: step.branch } : {}),
          version: d.version,
        });
        await onDone(next, t('processing.reassign.done'));
      }),
  });
  return (
    <FormShell id="tool-reassign" title={t('processing.tools.reassign')}>
      <FormView form={form} label={t('processing.tools.reassign')}>
        {branches.length > 1 && (
          <SelectField
            label={t('processing.fields.step')}
            field={form.field('step', t('processing.fields.step'))}
            value={form.values.step}
            onValue={(v) => form.set('step', v)}
            options={branches.map((s, i) => ({ value: String(i), label: `${s.name} — ${s.assigneeLabel ?? ''}` }))}
          />
        )}
        {assignees.length > 0 ? (
          <SelectField
            label={t('processing.act.assignee')}
            required
            field={form.field('assigneeId', t('processing.act.assignee'))}
            value={form.values.assigneeId}
            onValue={(v) => form.set('assigneeId', v)}
            placeholder={t('processing.bulk.choose')}
            options={assignees.map((s) => ({ value: s.accountId, label: s.department ? `${s.name} — ${s.department}` : s.name }))}
          />
        ) : (
          <TextField
            label={t('processing.reassign.accountId')}
            hint={t('processing.reassign.accountIdHint')}
            required
            field={form.field('assigneeId', t('processing.reassign.accountId'))}
            value={form.values.assigneeId}
            onValue={(v) => form.set('assigneeId', v.trim())}
          />
        )}
        <Submit busy={form.submitting} label={t('processing.reassign.submit')} onCancel={onCancel} />
      </FormView>
    </FormShell>
  );
}
