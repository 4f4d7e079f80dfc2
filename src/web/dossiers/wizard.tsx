/**
 * Online submission (/procedures/:code/nop): one short step per page — agency (when several), the
 * application form in pages of a few fields, attachments per component, result delivery and
 * notification, review — then "Nộp hồ sơ". The draft is saved on the server at every step, on
 * "Lưu nháp" and a few seconds after typing stops, so a closed tab loses nothing; `?draft=<id>`
 * resumes it. Errors (client checks or the server's 422) are summarised at the top of the step they
 * belong to, and focus moves there.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { portalPath, templateUrl, useProcedure, useProcedureVersion } from '../catalog/catalog';
import { useValidDocuments } from '../edata/api';
import { formatDateTime } from '../format';
import { OnBehalfChoice, OnBehalfNote } from '../parties/OnBehalfChoice';
import { ProcedureFields } from '../procedure-form/Fields';
import { formErrorKey, toServer } from '../procedure-form/values';
import { Button, ButtonLink, EmptyState, ErrorState, type Errors, Loading, PageHeader, problemText } from '../ui';
import { DOSSIERS, MINE, myDossierPath, submitDossier, submittedPath, useDossier } from './api';
import { ErrorBox } from './controls';
import { checkAll, checkStep, type DraftState, draftFromDetail, newDraft } from './draft';
import { SignedIn } from './guard';
import { buildSteps, errorsByStep, fileErrorKey, formFieldProps, type Step, submitKey } from './steps';
import type { DossierDetail, Procedure } from './types';
import { ComponentFiles } from './uploads';
import { useDraft } from './useDraft';
import { AgencyStep, DeliveryStep, ReviewStep } from './wizardSteps';

/** Drafts created by this page: their id joining the address must not reload the wizard. */
const createdHere = new Set<string>();

export default function SubmitPage() {
  return (
    <SignedIn>
      <WizardRoute />
    </SignedIn>
  );
}

function WizardRoute() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const param = params.get('draft') ?? '';
  const draftId = createdHere.has(param) ? '' : param;
  return <WizardLoader key={`${code}|${draftId}`} code={code} draftId={draftId} />;
}

function WizardLoader({ code, draftId }: { code: string; draftId: string }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const current = useProcedure(draftId ? '' : code);
  const draft = useDossier(draftId);
  // A draft is filled in against the procedure version it was started on.
  const pinned = useProcedureVersion(draft.data?.procedureId ?? '', draft.data?.procedureVersion ?? 0);
  const procedure = draftId ? pinned : current;
  const shown = useRef(false);

  if (draftId && draft.isError) {
    if (draft.error instanceof ApiError && draft.error.status === 404) return <NotFound />;
    return <ErrorState error={draft.error} onRetry={() => void draft.refetch()} />;
  }
  // A dossier already submitted opens on its own page, but not the one just submitted here (the success page shows it).
  if (draft.data && draft.data.state !== 'draft' && !shown.current) return <Navigate to={myDossierPath(draft.data.id)} replace />;
  if (procedure.isError) {
    if (procedure.error instanceof ApiError && procedure.error.status === 404) return <NotFound />;
    return <ErrorState error={procedure.error} onRetry={() => void procedure.refetch()} />;
  }
  if (procedure.isPending || (draftId && draft.isPending)) return <Loading />;
  const p = procedure.data;
  if (!draftId && (p.status !== 'active' || p.onlineLevel === 'thong_tin')) {
    return (
      <>
        <PageHeader title={t('dossier.wizard.title')} lead={p.name} />
        <EmptyState
          title={t('dossier.wizard.notOnline')}
          action={<ButtonLink to={portalPath(p)}>{t('dossier.wizard.backToProcedure')}</ButtonLink>}
        >
          <p>{t('dossier.wizard.notOnlineText')}</p>
        </EmptyState>
      </>
    );
  }
  shown.current = true;
  return <Wizard procedure={p} saved={draft.data ?? null} hints={{ name: me?.displayName }} />;
}

type Problem = { title: string; detail?: string } | null;

function without(map: Record<string, Errors>, key: string): Record<string, Errors> {
  const { [key]: _, ...rest } = map;
  return rest;
}

function Wizard({ procedure: p, saved, hints }: { procedure: Procedure; saved: DossierDetail | null; hints: { name?: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const steps = useMemo(() => buildSteps(p), [p]);
  const [initial] = useState<DraftState>(() => (saved ? draftFromDetail(p, saved) : newDraft(p, hints)));
  const onCreated = useCallback((d: DossierDetail) => createdHere.add(d.id), []);
  const draft = useDraft(p, initial, saved, onCreated);
  const step = steps.find((s) => s.key === params.get('step')) ?? (steps[0] as Step);
  const index = steps.indexOf(step);
  const [errors, setErrors] = useState<Record<string, Errors>>({});
  const [problem, setProblem] = useState<Problem>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<null | 'next' | 'save' | 'submit'>(null);
  const [uploading, setUploading] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const here = errors[step.key] ?? {};

  const stepTitle = useCallback(
    (s: Step) => (s.kind === 'form' && s.page ? t('dossier.steps.formPage', { n: s.page.n, of: s.page.of }) : t(`dossier.steps.${s.kind}`)),
    [t],
  );

  const go = (key: string, id: string | null = draft.id, replace = false) => {
    const next = new URLSearchParams();
    if (id) next.set('draft', id);
    next.set('step', key);
    setParams(next, { replace });
  };

  // A new step takes focus on its heading, unless its error summary does.
  const firstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    if (Object.keys(errors[step.key] ?? {}).length === 0 && !problem) headingRef.current?.focus();
  }, [step.key]);

  // Save a few seconds after typing stops (only values that pass the checks: the server refuses others).
  useEffect(() => {
    if (!draft.dirty || !draft.id || busy) return;
    const timer = setTimeout(() => {
      if (!checkAll(steps, p, draft.state, false, t).first) draft.save().catch(() => undefined);
    }, 4000);
    return () => clearTimeout(timer);
  }, [draft, busy, steps, p, t]);

  // A saved draft knows a file was taken from the e-data store, not which paper: find it in the store again.
  const unresolved = draft.state.files.some((f) => f.reused && !f.edataDocumentId);
  const storeDocs = useValidDocuments(unresolved);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the store's papers arrive
  useEffect(() => {
    const docs = storeDocs.data;
    if (!docs || !unresolved) return;
    draft.update((s) => ({
      files: s.files.map((f) =>
        f.reused && !f.edataDocumentId ? { ...f, edataDocumentId: docs.find((d) => d.file.id === f.fileId)?.id } : f,
      ),
    }));
  }, [storeDocs.data]);

  // Warn before closing the tab with changes not saved yet.
  useEffect(() => {
    if (!draft.dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [draft.dirty]);

  const fail = (e: unknown) => {
    if (e instanceof ApiError && (e.problem.errors?.length ?? 0) > 0) {
      const grouped = errorsByStep(e.problem.errors ?? [], steps);
      setErrors(grouped.byStep);
      setProblem({ title: e.problem.title, detail: e.problem.detail });
      if (grouped.first && grouped.first !== step.key) go(grouped.first);
    } else if (e instanceof ApiError && e.code === 'dossier_not_draft' && draft.id) {
      // Submitted meanwhile (another tab, or an answer lost on the way): show the dossier as it is.
      navigate(myDossierPath(draft.id), { replace: true });
      return;
    } else if (e instanceof ApiError && e.status === 409) {
      setProblem({ title: e.problem.title || t('dossier.wizard.conflictTitle'), detail: e.problem.detail ?? t('dossier.wizard.conflict') });
    } else {
      setProblem(problemText(e, t));
    }
    setAttempt((n) => n + 1);
  };

  const show = (byStep: Record<string, Errors>, first: string, why: Problem = null) => {
    setErrors(byStep);
    setProblem(why);
    setAttempt((n) => n + 1);
    if (first !== step.key) go(first);
  };

  const waitForUploads = () => {
    if (uploading === 0) return false;
    setProblem({ title: t('dossier.files.wait') });
    setAttempt((n) => n + 1);
    return true;
  };

  const next = async () => {
    if (waitForUploads()) return;
    const found = checkStep(step, p, draft.state, true, t);
    if (Object.keys(found).length > 0) return show({ ...errors, [step.key]: found }, step.key);
    setBusy('next');
    try {
      const d = await draft.save();
      setErrors((all) => without(all, step.key));
      setProblem(null);
      const following = steps[index + 1];
      if (following) go(following.key, d?.id ?? draft.id);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const back = () => {
    const previous = steps[index - 1];
    if (!previous) return;
    setProblem(null);
    if (draft.id && draft.dirty && !checkAll(steps, p, draft.state, false, t).first) draft.save().catch(() => undefined);
    go(previous.key);
  };

  const saveDraft = async () => {
    if (waitForUploads()) return;
    const typed = checkAll(steps, p, draft.state, false, t);
    if (typed.first) return show(typed.byStep, typed.first, { title: t('dossier.wizard.fixBeforeSave') });
    setBusy('save');
    try {
      const d = await draft.save(true);
      setProblem(null);
      if (d && !params.get('draft')) go(step.key, d.id, true);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    if (waitForUploads()) return;
    const all = checkAll(steps, p, draft.state, true, t);
    if (all.first) return show(all.byStep, all.first);
    setBusy('submit');
    try {
      let id = draft.id;
      let version = draft.version;
      if (!id || draft.dirty) {
        const d = await draft.save();
        if (d) ({ id, version } = d);
      }
      if (!id) throw new Error('draft not saved');
      const done = await submitDossier(id, version, submitKey(id, version));
      qc.setQueryData([DOSSIERS, done.id], done);
      void qc.invalidateQueries({ queryKey: [MINE] });
      navigate(submittedPath(done.id), { replace: true });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const labels = useMemo(() => {
    const out: Record<string, string> = {
      agencyId: t('dossier.agency.legend'),
      resultDelivery: t('dossier.delivery.result'),
      notifyChannel: t('dossier.delivery.notify'),
      notifyTo: t('dossier.delivery.to'),
    };
    for (const f of p.form.fields) out[formErrorKey(f.key)] = f.label;
    for (const c of p.components) out[fileErrorKey(c.key)] = c.name;
    return out;
  }, [p, t]);

  const others = steps
    .filter((s) => s.key !== step.key && Object.keys(errors[s.key] ?? {}).length > 0)
    .map((s) => ({ key: s.key, label: stepTitle(s), onGo: () => go(s.key) }));

  const values = toServer(p.form.fields, draft.state.raw);
  const isLast = step.kind === 'review';

  return (
    <>
      <PageHeader
        title={t('dossier.wizard.title')}
        lead={p.name}
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: '/procedures', label: t('catalog.title') },
          { to: portalPath(p), label: p.name },
        ]}
      />
      {draft.id ? <OnBehalfNote dossier={saved} /> : <OnBehalfChoice procedure={p} agencyId={draft.state.agencyId} />}
      <div className="wizard">
        <p className="wizard-progress">
          <span>{t('dossier.wizard.progress', { n: index + 1, of: steps.length })}</span>
          <progress max={steps.length} value={index + 1} aria-hidden="true" />
        </p>
        <form
          noValidate
          aria-labelledby="wizard-step-title"
          onSubmit={(e) => {
            e.preventDefault();
            void (isLast ? submit() : next());
          }}
        >
          <ErrorBox errors={here} labels={labels} problem={problem} attempt={attempt} others={others} />
          <h2 id="wizard-step-title" ref={headingRef} tabIndex={-1}>
            {stepTitle(step)}
          </h2>

          {step.kind === 'agency' && (
            <AgencyStep
              procedure={p}
              value={draft.state.agencyId}
              onValue={(agencyId) => draft.update({ agencyId })}
              error={here.agencyId}
            />
          )}
          {step.kind === 'form' && (
            <ProcedureFields
              fields={step.fields}
              raw={draft.state.raw}
              values={values}
              fieldProps={formFieldProps(here)}
              onChange={(key, v) => draft.update((s) => ({ raw: { ...s.raw, [key]: v } }))}
              autoFill
            />
          )}
          {step.kind === 'files' && (
            <>
              <p>{t('dossier.files.lead')}</p>
              {p.components.map((c) => (
                <ComponentFiles
                  key={c.key}
                  component={c}
                  files={draft.state.files.filter((f) => f.componentKey === c.key)}
                  error={here[fileErrorKey(c.key)]}
                  templateHref={c.templateFileId ? templateUrl(p.id, p.version, c.key) : undefined}
                  onAdded={(f) => {
                    draft.update((s) => ({ files: [...s.files, f] }));
                    // The "missing file" message no longer holds.
                    setErrors((all) => {
                      const { [fileErrorKey(c.key)]: _, ...rest } = all[step.key] ?? {};
                      return { ...all, [step.key]: rest };
                    });
                  }}
                  onRemove={(fileId) => draft.update((s) => ({ files: s.files.filter((x) => x.fileId !== fileId) }))}
                  onBusy={(d) => setUploading((n) => n + d)}
                />
              ))}
            </>
          )}
          {step.kind === 'delivery' && <DeliveryStep procedure={p} state={draft.state} errors={here} onChange={(c) => draft.update(c)} />}
          {step.kind === 'review' && (
            <ReviewStep procedure={p} state={draft.state} steps={steps} stepTitle={stepTitle} onGo={(k) => go(k)} />
          )}

          <div className="wizard-actions">
            <Button type="submit" busy={busy === (isLast ? 'submit' : 'next')} disabled={busy !== null}>
              {isLast ? t('dossier.wizard.submit') : t('dossier.wizard.next')}
            </Button>
            {index > 0 && (
              <Button variant="secondary" onClick={back} disabled={busy !== null}>
                {t('dossier.wizard.back')}
              </Button>
            )}
            <Button variant="link" onClick={() => void saveDraft()} busy={busy === 'save'} disabled={busy !== null}>
              {t('dossier.wizard.saveDraft')}
            </Button>
          </div>
          <p className="draft-status muted" role="status">
            {draft.saving
              ? t('dossier.wizard.saving')
              : draft.savedAt && !draft.dirty
                ? t('dossier.wizard.savedAt', { time: formatDateTime(draft.savedAt).slice(-5) })
                : draft.dirty
                  ? t('dossier.wizard.unsaved')
                  : ''}
          </p>
        </form>
      </div>
    </>
  );
}
