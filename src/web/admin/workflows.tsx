/**
 * Process definitions (quy trình giải quyết): the procedures with the status of their definition, and
 * an editor per procedure — states, actions and parallel branches as tables, errors checked live by the
 * server's validator and shown next to each row and in a summary, "save draft" and "publish version n",
 * earlier versions read-only, and a simple diagram of states and actions.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { can, useMe } from '../app/auth';
import {
  Button,
  DataTable,
  DateTime,
  ErrorState,
  FilterBar,
  Loading,
  Notice,
  PagedList,
  PageHeader,
  Section,
  SelectField,
  Tag,
  TextField,
  usePagedList,
  useUrlFilters,
} from '../ui';
import { useRoles } from './org';
import { filterField } from './shared';
import {
  anchorOf,
  builtinRoles,
  type DefinitionError,
  discardDraft,
  emptyAction,
  emptyBranch,
  emptyState,
  errorsUnder,
  fetchStandard,
  layoutStates,
  publicStatuses,
  publishDraft,
  saveDraft,
  useWorkflowOverview,
  useWorkflowVersion,
  validateDefinition,
  WORKFLOWS,
  type WorkflowAction,
  type WorkflowBranch,
  type WorkflowDefinition,
  type WorkflowListItem,
  type WorkflowList as WorkflowListPage,
  type WorkflowOverview,
  type WorkflowState,
  workflowsOf,
} from './workflowModel';
import './workflows.css';

/** Yes/no settings of an action, each a checkbox in the actions table. */
const actionFlags = ['sendBack', 'requiresNote', 'assigns', 'signsResult', 'returnsResult'] as const;

type T = (k: string, o?: Record<string, unknown>) => string;
const crumbs = (t: T) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/workflows', label: t('workflows.section.title') },
];
const editorPath = (id: string) => `/admin/workflows/${encodeURIComponent(id)}`;
const FILTERS = ['q', 'status'] as const;
const hoursText = (t: T, h: number | null) => (h === null ? t('workflows.noLegalTime') : t('workflows.hours', { count: h }));

// ---- List -----------------------------------------------------------------------------------------

export function WorkflowList() {
  const { t } = useTranslation();
  const f = useUrlFilters(FILTERS);
  const list = usePagedList<WorkflowListItem, WorkflowListPage>(WORKFLOWS, f.applied);
  return (
    <>
      <PageHeader
        title={t('workflows.section.title')}
        lead={t('workflows.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
      />
      <FilterBar label={t('workflows.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField
          label={t('workflows.query')}
          type="search"
          field={filterField('q')}
          value={f.draft.q}
          onValue={(v) => f.setDraft('q', v)}
        />
        <SelectField
          label={t('workflows.status')}
          field={filterField('status')}
          value={f.draft.status}
          onValue={(v) => f.setDraft('status', v)}
          placeholder={t('common.all')}
          options={(['published', 'draft', 'missing'] as const).map((s) => ({ value: s, label: t(`workflows.statuses.${s}`) }))}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('workflows.empty')}>
        {(items) => (
          <DataTable<WorkflowListItem>
            caption={t('workflows.section.title')}
            rows={items}
            rowKey={(r) => r.procedureId}
            columns={[
              {
                key: 'name',
                header: t('workflows.procedure'),
                primary: true,
                render: (r) => (
                  <>
                    <Link to={editorPath(r.procedureId)}>{r.procedureName}</Link>
                    <code className="cell-sub">{r.procedureCode}</code>
                  </>
                ),
              },
              { key: 'time', header: t('workflows.legalTime'), render: (r) => hoursText(t, r.processingHours) },
              {
                key: 'status',
                header: t('workflows.status'),
                render: (r) => (
                  <>
                    {r.currentVersion === null ? (
                      <Tag tone="warning">{t('workflows.statuses.missing')}</Tag>
                    ) : (
                      <Tag tone="success">{t('workflows.versionN', { version: r.currentVersion })}</Tag>
                    )}{' '}
                    {r.draftVersion !== null && <Tag tone="info">{t('workflows.draftN', { version: r.draftVersion })}</Tag>}
                  </>
                ),
              },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}

// ---- Editor ---------------------------------------------------------------------------------------

export function WorkflowEditorPage() {
  const { t } = useTranslation();
  const { procedureId = '' } = useParams();
  const overview = useWorkflowOverview(procedureId);
  const o = overview.data;
  // The editor opens the draft when there is one, else the version in force.
  const openVersion = o ? (o.draftVersion ?? o.currentVersion) : null;
  const version = useWorkflowVersion(procedureId, openVersion);
  const { data: me } = useMe();
  // Kept here: saving or publishing reloads the editor with the new draft/version.
  const [done, setDone] = useState<string | null>(null);
  if (overview.isPending || (openVersion !== null && version.isPending)) return <Loading />;
  if (overview.isError) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  if (version.isError) return <ErrorState error={version.error} onRetry={() => void version.refetch()} />;
  const ov = overview.data;
  const v = version.data ?? null;
  return (
    <>
      <PageHeader
        title={ov.procedureName}
        lead={
          <span className="result-meta">
            <code>{ov.procedureCode}</code>
            <span>{t('workflows.legalTimeIs', { time: hoursText(t, ov.processingHours) })}</span>
            <span>
              {ov.currentVersion === null ? t('workflows.statuses.missing') : t('workflows.inForce', { version: ov.currentVersion })}
            </span>
          </span>
        }
        breadcrumbs={crumbs(t)}
      />
      {can(me, 'workflows.manage') ? (
        <Editor
          key={`${ov.draftVersion}-${ov.currentVersion}`}
          overview={ov}
          initial={v?.definition ?? null}
          initialErrors={v?.errors ?? []}
          done={done}
          setDone={setDone}
        />
      ) : (
        v && <DefinitionView definition={v.definition} />
      )}
      <Versions overview={ov} />
    </>
  );
}

function Editor({
  overview: ov,
  initial,
  initialErrors,
  done,
  setDone,
}: {
  overview: WorkflowOverview;
  initial: WorkflowDefinition | null;
  initialErrors: DefinitionError[];
  done: string | null;
  setDone: (message: string | null) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [def, setDef] = useState<WorkflowDefinition | null>(initial);
  const [errors, setErrors] = useState<DefinitionError[]>(initialErrors);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | 'discard' | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const roles = useRoles();
  const roleCodes = roles.data?.items.map((r) => r.code).filter((c) => c !== 'admin') ?? builtinRoles;
  const summaryRef = useRef<HTMLDivElement>(null);

  // Live validation: the server's checks, a moment after the last change.
  useEffect(() => {
    if (!def || !dirty) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      validateDefinition(ov.procedureId, def, ctrl.signal)
        .then((r) => setErrors(r.errors))
        .catch(() => {});
    }, 400);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [def, dirty, ov.procedureId]);

  const change = (next: WorkflowDefinition) => {
    setDef(next);
    setDirty(true);
    setDone(null);
  };
  const refresh = () => qc.invalidateQueries({ queryKey: [workflowsOf(ov.procedureId)] });
  const run = async (kind: 'save' | 'publish' | 'discard', fn: () => Promise<string>) => {
    setBusy(kind);
    setProblem(null);
    try {
      const message = await fn();
      setDirty(false);
      setDone(message);
      await refresh();
    } catch (e) {
      setProblem(e);
      const fieldErrors = (e as { problem?: { errors?: DefinitionError[] } }).problem?.errors;
      if (fieldErrors) setErrors(fieldErrors);
      requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setBusy(null);
    }
  };
  const nextVersion = ov.draftVersion ?? Math.max(0, ...ov.versions.map((v) => v.version)) + 1;

  if (!def) {
    return (
      <Section title={t('workflows.start')} id="wf-start">
        <p>{t('workflows.startText')}</p>
        <Button onClick={() => void fetchStandard(ov.procedureId).then(change)}>{t('workflows.useStandard')}</Button>
      </Section>
    );
  }

  const save = () =>
    saveDraft(ov.procedureId, def, ov.currentVersion).then((v) => {
      setErrors(v.errors);
      return t('workflows.saved', { version: v.version });
    });
  const publish = () =>
    run('publish', async () => {
      await save();
      const v = await publishDraft(ov.procedureId);
      return t('workflows.published', { version: v.version });
    });

  return (
    <>
      {done && <Notice tone="success" live title={done} />}
      {problem !== null && !errors.length && <ErrorState error={problem} />}
      <ErrorList errors={errors} summaryRef={summaryRef} />
      <Notice
        tone="info"
        title={
          ov.draftVersion ? t('workflows.editingDraft', { version: ov.draftVersion }) : t('workflows.editingNew', { version: nextVersion })
        }
      >
        <p>{t('workflows.immutableText')}</p>
      </Notice>
      <Diagram definition={def} />
      <Section title={t('workflows.states')} id="wf-states-section">
        <SelectField
          label={t('workflows.startState')}
          hint={t('workflows.startStateHint')}
          field={{ id: anchorOf('/start'), name: 'start', error: errorsUnder(errors, '/start')[0]?.message }}
          value={def.start}
          onValue={(start) => change({ ...def, start })}
          options={def.states.map((s) => ({ value: s.key, label: `${s.name || s.key} (${s.key})` }))}
          placeholder=""
        />
        <StatesTable states={def.states} base="" errors={errors} onChange={(states) => change({ ...def, states })} />
      </Section>
      <Section title={t('workflows.actions')} id="wf-actions-section">
        <SectionErrors errors={errors.filter((e) => e.field === '/actions')} />
        <ActionsTable
          actions={def.actions}
          states={def.states}
          roles={roleCodes}
          base=""
          errors={errors}
          onChange={(actions) => change({ ...def, actions })}
        />
      </Section>
      <Section title={t('workflows.branches')} id="wf-branches-section">
        <p className="field-hint">{t('workflows.branchesHint')}</p>
        {(def.branches ?? []).map((b, i) => (
          <BranchEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place (even their key), their position is their identity
            key={`branch-${i}`}
            branch={b}
            index={i}
            mainStates={def.states}
            roles={roleCodes}
            errors={errors}
            onChange={(nb) => change({ ...def, branches: (def.branches ?? []).map((x, j) => (j === i ? nb : x)) })}
            onRemove={() => change({ ...def, branches: (def.branches ?? []).filter((_, j) => j !== i) })}
          />
        ))}
        <Button
          variant="secondary"
          onClick={() =>
            change({ ...def, branches: [...(def.branches ?? []), emptyBranch((def.branches?.length ?? 0) + 1, def.states[0]?.key ?? '')] })
          }
        >
          {t('workflows.addBranch')}
        </Button>
      </Section>
      <div className="button-row wf-actions-bar">
        <Button variant="secondary" busy={busy === 'save'} disabled={busy !== null} onClick={() => void run('save', save)}>
          {t('workflows.saveDraft')}
        </Button>
        <Button busy={busy === 'publish'} disabled={busy !== null || errors.length > 0} onClick={() => void publish()}>
          {t('workflows.publish', { version: nextVersion })}
        </Button>
        {ov.draftVersion !== null && (
          <Button
            variant="danger"
            busy={busy === 'discard'}
            disabled={busy !== null}
            onClick={() => void run('discard', () => discardDraft(ov.procedureId).then(() => t('workflows.discarded')))}
          >
            {t('workflows.discard')}
          </Button>
        )}
      </div>
      {errors.length > 0 && <p className="field-hint">{t('workflows.fixBeforePublish', { count: errors.length })}</p>}
    </>
  );
}

function ErrorList({ errors, summaryRef }: { errors: DefinitionError[]; summaryRef: React.RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" ref={summaryRef} tabIndex={-1} role="status" aria-labelledby="wf-error-summary-title">
      <h2 className="error-summary-title" id="wf-error-summary-title">
        {t('workflows.errorSummary', { count: errors.length })}
      </h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.field}:${e.message}`}>
            <a href={`#${anchorOf(e.field)}`}>
              <code>{e.field}</code> {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SectionErrors({ errors }: { errors: DefinitionError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="wf-row-errors" id={anchorOf(errors[0]?.field ?? '')}>
      {errors.map((e) => (
        <li key={e.message} className="field-error">
          {e.message}
        </li>
      ))}
    </ul>
  );
}

/** A row's own errors, under it (spanning the table). */
function RowErrors({ errors, colSpan }: { errors: DefinitionError[]; colSpan: number }) {
  if (errors.length === 0) return null;
  return (
    <tr className="wf-error-row">
      <td colSpan={colSpan}>
        <ul className="wf-row-errors">
          {errors.map((e) => (
            <li key={`${e.field}:${e.message}`} className="field-error">
              {e.message}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

const set = <X,>(list: X[], i: number, patch: Partial<X>): X[] => list.map((x, j) => (j === i ? { ...x, ...patch } : x));

function StatesTable({
  states,
  base,
  errors,
  onChange,
}: {
  states: WorkflowState[];
  base: string;
  errors: DefinitionError[];
  onChange: (s: WorkflowState[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <SectionErrors errors={errors.filter((e) => e.field === `${base}/states`)} />
      <div className="wf-table-wrap">
        <table className="table wf-table">
          <caption className="visually-hidden">{t('workflows.states')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('workflows.key')}</th>
              <th scope="col">{t('workflows.name')}</th>
              <th scope="col">{t('workflows.publicStatus')}</th>
              <th scope="col">{t('workflows.terminal')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('workflows.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {states.map((s, i) => {
              const path = `${base}/states/${i}`;
              const rowErrors = errorsUnder(errors, path);
              return [
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place (even their key), their position is their identity
                <tr key={`s-${i}`} id={anchorOf(path)} className={rowErrors.length ? 'wf-row-invalid' : undefined}>
                  <td>
                    <input
                      className="input"
                      aria-label={t('workflows.key')}
                      value={s.key}
                      onChange={(e) => onChange(set(states, i, { key: e.target.value.trim() }))}
                    />
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-label={t('workflows.name')}
                      value={s.name}
                      onChange={(e) => onChange(set(states, i, { name: e.target.value }))}
                    />
                  </td>
                  <td>
                    <select
                      className="input select"
                      aria-label={t('workflows.publicStatus')}
                      value={s.publicStatus}
                      onChange={(e) => onChange(set(states, i, { publicStatus: Number(e.target.value) }))}
                    >
                      {publicStatuses.map((n) => (
                        <option key={n} value={n}>
                          {n} — {t(`workflows.publicStatuses.s${n}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      className="checkbox"
                      aria-label={t('workflows.terminal')}
                      checked={s.terminal ?? false}
                      onChange={(e) => onChange(set(states, i, { terminal: e.target.checked || undefined }))}
                    />
                  </td>
                  <td>
                    <Button variant="link" onClick={() => onChange(states.filter((_, j) => j !== i))}>
                      {t('workflows.remove')}
                    </Button>
                  </td>
                </tr>,
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place (even their key), their position is their identity
                <RowErrors key={`se-${i}`} errors={rowErrors} colSpan={5} />,
              ];
            })}
          </tbody>
        </table>
      </div>
      <Button variant="secondary" onClick={() => onChange([...states, emptyState(states.length + 1)])}>
        {t('workflows.addState')}
      </Button>
    </>
  );
}

type WhereKind = 'desk' | 'resolving_agency' | 'agency' | '';
const whereKind = (w: WorkflowAction['where']): WhereKind => (w === undefined ? '' : typeof w === 'object' ? 'agency' : w);

function ActionsTable({
  actions,
  states,
  roles,
  base,
  errors,
  onChange,
}: {
  actions: WorkflowAction[];
  states: WorkflowState[];
  roles: string[];
  base: string;
  errors: DefinitionError[];
  onChange: (a: WorkflowAction[]) => void;
}) {
  const { t } = useTranslation();
  const stateLabel = (k: string) => states.find((s) => s.key === k)?.name || k;
  const toggle = (list: string[], v: string, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));
  return (
    <>
      <div className="wf-table-wrap">
        <table className="table wf-table">
          <caption className="visually-hidden">{t('workflows.actions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('workflows.keyAndName')}</th>
              <th scope="col">{t('workflows.from')}</th>
              <th scope="col">{t('workflows.to')}</th>
              <th scope="col">{t('workflows.roles')}</th>
              <th scope="col">{t('workflows.where')}</th>
              <th scope="col">{t('workflows.budget')}</th>
              <th scope="col">{t('workflows.options')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('workflows.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a, i) => {
              const path = `${base}/actions/${i}`;
              const rowErrors = errorsUnder(errors, path);
              const id = anchorOf(path);
              const kind = whereKind(a.where);
              return [
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place (even their key), their position is their identity
                <tr key={`a-${i}`} id={id} className={rowErrors.length ? 'wf-row-invalid' : undefined}>
                  <td>
                    <input
                      className="input"
                      aria-label={t('workflows.key')}
                      value={a.key}
                      onChange={(e) => onChange(set(actions, i, { key: e.target.value.trim() }))}
                    />
                    <input
                      className="input"
                      aria-label={t('workflows.name')}
                      value={a.name}
                      placeholder={t('workflows.name')}
                      onChange={(e) => onChange(set(actions, i, { name: e.target.value }))}
                    />
                  </td>
                  <td>
                    <fieldset className="wf-checks">
                      <legend className="visually-hidden">{t('workflows.from')}</legend>
                      {states.map((s) => (
                        <label key={s.key} className="wf-check">
                          <input
                            type="checkbox"
                            checked={a.from.includes(s.key)}
                            onChange={(e) => onChange(set(actions, i, { from: toggle(a.from, s.key, e.target.checked) }))}
                          />{' '}
                          {stateLabel(s.key)}
                        </label>
                      ))}
                    </fieldset>
                  </td>
                  <td>
                    <select
                      className="input select"
                      aria-label={t('workflows.to')}
                      value={a.to}
                      onChange={(e) => onChange(set(actions, i, { to: e.target.value }))}
                    >
                      <option value="" />
                      {states.map((s) => (
                        <option key={s.key} value={s.key}>
                          {stateLabel(s.key)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <fieldset className="wf-checks">
                      <legend className="visually-hidden">{t('workflows.roles')}</legend>
                      {[...new Set([...roles, ...a.roles])].map((r) => (
                        <label key={r} className="wf-check">
                          <input
                            type="checkbox"
                            checked={a.roles.includes(r)}
                            onChange={(e) => onChange(set(actions, i, { roles: toggle(a.roles, r, e.target.checked) }))}
                          />{' '}
                          {r}
                        </label>
                      ))}
                    </fieldset>
                  </td>
                  <td>
                    <select
                      className="input select"
                      aria-label={t('workflows.where')}
                      value={kind}
                      onChange={(e) => {
                        const k = e.target.value as WhereKind;
                        onChange(set(actions, i, { where: k === '' ? undefined : k === 'agency' ? { agencyCode: '' } : k }));
                      }}
                    >
                      <option value="">{t('workflows.whereDefault')}</option>
                      <option value="desk">{t('workflows.whereDesk')}</option>
                      <option value="resolving_agency">{t('workflows.whereResolving')}</option>
                      <option value="agency">{t('workflows.whereAgency')}</option>
                    </select>
                    {typeof a.where === 'object' && (
                      <input
                        className="input"
                        aria-label={t('workflows.agencyCode')}
                        placeholder="H66.003"
                        value={a.where.agencyCode}
                        onChange={(e) => onChange(set(actions, i, { where: { agencyCode: e.target.value.trim() } }))}
                      />
                    )}
                    <input
                      className="input"
                      aria-label={t('workflows.department')}
                      placeholder={t('workflows.department')}
                      value={a.department ?? ''}
                      onChange={(e) => onChange(set(actions, i, { department: e.target.value.trim() || undefined }))}
                    />
                  </td>
                  <td>
                    <input
                      className="input wf-number"
                      type="number"
                      min={0}
                      max={2920}
                      step={1}
                      aria-label={t('workflows.budget')}
                      value={a.budgetHours ?? ''}
                      onChange={(e) => {
                        const n = e.target.value === '' ? undefined : Math.max(0, Math.min(2920, Math.round(Number(e.target.value))));
                        onChange(set(actions, i, { budgetHours: Number.isFinite(n) ? n : undefined }));
                      }}
                    />
                  </td>
                  <td>
                    {actionFlags.map((flag) => (
                      <label className="wf-check" key={flag}>
                        <input
                          type="checkbox"
                          checked={a[flag] ?? false}
                          onChange={(e) => onChange(set(actions, i, { [flag]: e.target.checked || undefined }))}
                        />{' '}
                        {t(`workflows.${flag}`)}
                      </label>
                    ))}
                  </td>
                  <td>
                    <Button variant="link" onClick={() => onChange(actions.filter((_, j) => j !== i))}>
                      {t('workflows.remove')}
                    </Button>
                  </td>
                </tr>,
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place (even their key), their position is their identity
                <RowErrors key={`ae-${i}`} errors={rowErrors} colSpan={8} />,
              ];
            })}
          </tbody>
        </table>
      </div>
      <Button
        variant="secondary"
        onClick={() => onChange([...actions, emptyAction(actions.length + 1, states[0]?.key ?? '', states[1]?.key ?? '')])}
      >
        {t('workflows.addAction')}
      </Button>
    </>
  );
}

function BranchEditor({
  branch: b,
  index,
  mainStates,
  roles,
  errors,
  onChange,
  onRemove,
}: {
  branch: WorkflowBranch;
  index: number;
  mainStates: WorkflowState[];
  roles: string[];
  errors: DefinitionError[];
  onChange: (b: WorkflowBranch) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const base = `/branches/${index}`;
  const err = (f: string) => errorsUnder(errors, `${base}/${f}`)[0]?.message;
  const field = (f: string) => ({ id: `wf${base.replace(/\//g, '-')}-${f}`, name: f, error: err(f) });
  const mainOptions = mainStates.map((s) => ({ value: s.key, label: `${s.name || s.key} (${s.key})` }));
  return (
    <fieldset className="fieldset wf-branch" id={anchorOf(base)}>
      <legend className="field-label">{t('workflows.branchN', { n: index + 1, name: b.name || b.key })}</legend>
      <SectionErrors errors={errors.filter((e) => e.field === `${base}/key` || e.field === `${base}/name`)} />
      <div className="wf-branch-grid">
        <TextField label={t('workflows.key')} field={field('key')} value={b.key} onValue={(key) => onChange({ ...b, key: key.trim() })} />
        <TextField label={t('workflows.name')} field={field('name')} value={b.name} onValue={(name) => onChange({ ...b, name })} />
        <SelectField
          label={t('workflows.branchAgency')}
          field={field('agency')}
          value={typeof b.agency === 'object' ? 'agency' : 'resolving_agency'}
          onValue={(k) => onChange({ ...b, agency: k === 'agency' ? { agencyCode: '' } : 'resolving_agency' })}
          options={[
            { value: 'resolving_agency', label: t('workflows.whereResolving') },
            { value: 'agency', label: t('workflows.whereAgency') },
          ]}
        />
        {typeof b.agency === 'object' && (
          <TextField
            label={t('workflows.agencyCode')}
            field={field('agency/agencyCode')}
            value={b.agency.agencyCode}
            onValue={(agencyCode) => onChange({ ...b, agency: { agencyCode: agencyCode.trim() } })}
          />
        )}
        <SelectField
          label={t('workflows.branchFrom')}
          field={field('from')}
          value={b.from}
          onValue={(from) => onChange({ ...b, from })}
          options={mainOptions}
          placeholder=""
        />
        <SelectField
          label={t('workflows.branchJoin')}
          field={field('join')}
          value={b.join}
          onValue={(join) => onChange({ ...b, join })}
          options={mainOptions}
          placeholder=""
        />
        <SelectField
          label={t('workflows.startState')}
          field={field('start')}
          value={b.start}
          onValue={(start) => onChange({ ...b, start })}
          options={b.states.map((s) => ({ value: s.key, label: `${s.name || s.key} (${s.key})` }))}
          placeholder=""
        />
      </div>
      <h3>{t('workflows.states')}</h3>
      <StatesTable states={b.states} base={base} errors={errors} onChange={(states) => onChange({ ...b, states })} />
      <h3>{t('workflows.actions')}</h3>
      <ActionsTable
        actions={b.actions}
        states={b.states}
        roles={roles}
        base={base}
        errors={errors}
        onChange={(actions) => onChange({ ...b, actions })}
      />
      <div className="button-row">
        <Button variant="danger" onClick={onRemove}>
          {t('workflows.removeBranch')}
        </Button>
      </div>
    </fieldset>
  );
}

// ---- Read-only view, versions, diagram ------------------------------------------------------------

function DefinitionView({ definition: d }: { definition: WorkflowDefinition }) {
  const { t } = useTranslation();
  const name = (k: string) => d.states.find((s) => s.key === k)?.name ?? k;
  const whereText = (a: WorkflowAction): string =>
    a.where === undefined
      ? t('workflows.whereDefault')
      : typeof a.where === 'object'
        ? a.where.agencyCode
        : a.where === 'desk'
          ? t('workflows.whereDesk')
          : t('workflows.whereResolving');
  return (
    <>
      <Diagram definition={d} />
      <Section title={t('workflows.states')} id="wf-view-states">
        <DataTable<WorkflowState>
          caption={t('workflows.states')}
          rows={d.states}
          rowKey={(s) => s.key}
          columns={[
            {
              key: 'name',
              header: t('workflows.name'),
              primary: true,
              render: (s) => (
                <>
                  {s.name}
                  {s.key === d.start && (
                    <>
                      {' '}
                      <Tag tone="info">{t('workflows.startTag')}</Tag>
                    </>
                  )}
                </>
              ),
            },
            { key: 'key', header: t('workflows.key'), render: (s) => <code>{s.key}</code> },
            {
              key: 'status',
              header: t('workflows.publicStatus'),
              render: (s) => `${s.publicStatus} — ${t(`workflows.publicStatuses.s${s.publicStatus}`)}`,
            },
            { key: 'terminal', header: t('workflows.terminal'), render: (s) => (s.terminal ? t('workflows.yes') : '') },
          ]}
        />
      </Section>
      <Section title={t('workflows.actions')} id="wf-view-actions">
        <DataTable<WorkflowAction>
          caption={t('workflows.actions')}
          rows={d.actions}
          rowKey={(a) => a.key}
          columns={[
            { key: 'name', header: t('workflows.name'), primary: true, render: (a) => a.name },
            { key: 'path', header: t('workflows.fromTo'), render: (a) => `${a.from.map(name).join(', ')} → ${name(a.to)}` },
            { key: 'roles', header: t('workflows.roles'), render: (a) => a.roles.join(', ') },
            { key: 'where', header: t('workflows.where'), render: (a) => whereText(a) + (a.department ? ` / ${a.department}` : '') },
            { key: 'budget', header: t('workflows.budget'), align: 'end', render: (a) => a.budgetHours ?? '—' },
          ]}
        />
      </Section>
      {(d.branches ?? []).length > 0 && (
        <Section title={t('workflows.branches')} id="wf-view-branches">
          <ul className="plain-list">
            {(d.branches ?? []).map((b) => (
              <li key={b.key}>
                <strong>{b.name}</strong> ({typeof b.agency === 'object' ? b.agency.agencyCode : t('workflows.whereResolving')}):{' '}
                {t('workflows.branchSpan', { from: name(b.from), join: name(b.join) })} — {b.actions.map((a) => a.name).join(', ')}
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}

function Versions({ overview: ov }: { overview: WorkflowOverview }) {
  const { t } = useTranslation();
  if (ov.versions.length === 0) return null;
  return (
    <Section title={t('workflows.versions')} id="wf-versions">
      <DataTable
        caption={t('workflows.versions')}
        rows={ov.versions}
        rowKey={(v) => String(v.version)}
        columns={[
          {
            key: 'version',
            header: t('workflows.version'),
            primary: true,
            render: (v) => (
              <>
                <Link to={`${editorPath(ov.procedureId)}/versions/${v.version}`}>{t('workflows.versionN', { version: v.version })}</Link>{' '}
                {v.status === 'draft' ? (
                  <Tag tone="info">{t('workflows.statuses.draft')}</Tag>
                ) : (
                  v.version === ov.currentVersion && <Tag tone="success">{t('workflows.current')}</Tag>
                )}
              </>
            ),
          },
          { key: 'at', header: t('workflows.publishedAt'), render: (v) => <DateTime value={v.publishedAt ?? v.updatedAt} /> },
          { key: 'by', header: t('workflows.publishedBy'), render: (v) => v.publishedBy ?? v.updatedBy },
        ]}
      />
    </Section>
  );
}

export function WorkflowVersionPage() {
  const { t } = useTranslation();
  const { procedureId = '', version = '' } = useParams();
  const overview = useWorkflowOverview(procedureId);
  const v = useWorkflowVersion(procedureId, Number(version));
  if (v.isPending) return <Loading />;
  if (v.isError) return <ErrorState error={v.error} onRetry={() => void v.refetch()} />;
  const name = overview.data?.procedureName ?? '';
  return (
    <>
      <PageHeader
        title={t('workflows.versionTitle', { version: v.data.version, name })}
        lead={v.data.status === 'draft' ? t('workflows.statuses.draft') : t('workflows.readOnly')}
        breadcrumbs={[...crumbs(t), { to: editorPath(procedureId), label: name || procedureId }]}
      />
      {!v.data.current && v.data.status === 'published' && (
        <Notice tone="warning" title={t('workflows.oldVersion', { version: v.data.version })} />
      )}
      <DefinitionView definition={v.data.definition} />
    </>
  );
}

/** States in columns by distance from the start; forward actions as arrows, send-backs dashed below. */
function Diagram({ definition: d }: { definition: WorkflowDefinition }) {
  const { t } = useTranslation();
  const pos = layoutStates(d.states, d.start, d.actions);
  const W = 150;
  const H = 44;
  const GX = 60;
  const GY = 30;
  const cols = Math.max(1, ...[...pos.values()].map((p) => p.col + 1));
  const rows = Math.max(1, ...[...pos.values()].map((p) => p.row + 1));
  const width = cols * (W + GX);
  const height = rows * (H + GY) + 40;
  const center = (k: string) => {
    const p = pos.get(k);
    return p ? { x: p.col * (W + GX) + W / 2 + 10, y: p.row * (H + GY) + H / 2 + 10 } : null;
  };
  const lines: ReactNode[] = [];
  for (const a of d.actions) {
    for (const f of a.from) {
      const p = center(f);
      const q = center(a.to);
      if (!p || !q || f === a.to) continue;
      if (a.sendBack) {
        const y = Math.max(p.y, q.y) + H / 2 + 14;
        lines.push(
          <path
            key={`${a.key}-${f}`}
            d={`M${p.x},${p.y + H / 2} C${p.x},${y} ${q.x},${y} ${q.x},${q.y + H / 2}`}
            className="wf-edge wf-edge-back"
            markerEnd="url(#wf-arrow)"
          >
            <title>{a.name}</title>
          </path>,
        );
      } else {
        const dir = q.x >= p.x ? 1 : -1;
        lines.push(
          <line
            key={`${a.key}-${f}`}
            x1={p.x + (dir * W) / 2}
            y1={p.y}
            x2={q.x - (dir * W) / 2}
            y2={q.y}
            className="wf-edge"
            markerEnd="url(#wf-arrow)"
          >
            <title>{a.name}</title>
          </line>,
        );
      }
    }
  }
  return (
    <Section title={t('workflows.diagram')} id="wf-diagram">
      {/* Scrolls sideways on small screens: focusable so keyboard users can scroll it too. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
      <section className="wf-diagram" tabIndex={0} aria-label={t('workflows.diagram')}>
        <svg
          // Scales down to the box on narrow screens (never wider than the page), natural size otherwise.
          style={{ width: '100%', maxWidth: width, height: 'auto' }}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={t('workflows.diagramLabel', { count: d.states.length })}
        >
          <defs>
            <marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="wf-arrow" />
            </marker>
          </defs>
          {lines}
          {d.states.map((s) => {
            const c = center(s.key);
            if (!c) return null;
            return (
              <g
                key={s.key}
                className={['wf-node', s.terminal ? 'wf-node-terminal' : '', s.key === d.start ? 'wf-node-start' : ''].join(' ')}
              >
                <rect x={c.x - W / 2} y={c.y - H / 2} width={W} height={H} rx={8} />
                <text x={c.x} y={c.y - 3} textAnchor="middle">
                  {(s.name || s.key).slice(0, 22)}
                </text>
                <text x={c.x} y={c.y + 13} textAnchor="middle" className="wf-node-sub">
                  {s.key} · {s.publicStatus}
                </text>
              </g>
            );
          })}
        </svg>
      </section>
    </Section>
  );
}
