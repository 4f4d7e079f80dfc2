/**
 * Work queue of the resolving agency (/office/work, GET /api/v1/work): tabs "được giao cho tôi",
 * "chờ phân công" and "tất cả", filters kept in the URL, step due dates in colour and words, ↑/↓
 * between rows, "Tải thêm", and bulk assignment of the dossiers waiting for a specialist.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import { can, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { officeDossierPath } from '../reception/api';
import { ProcedurePicker } from '../reception/ProcedurePicker';
import { DueCell, useIsWorkingDay, useNow } from '../reception/tags';
import { Button, FilterBar, Notice, PagedList, PageHeader, problemText, SelectField, TextField, usePagedList } from '../ui';
import { type BulkResult, bulkAssign, DOSSIERS, type DossierWork, WORK, type WorkItem, workPath } from './api';
import {
  dueValues,
  emptyWork,
  hasWorkFilters,
  parseWorkFilters,
  type WorkFilters,
  type WorkView,
  workApiQuery,
  workFiltersToParams,
  workViews,
} from './filters';

const filterField = (name: string) => ({ id: `work-filter-${name}`, name });

export function WorkQueue() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => parseWorkFilters(params), [params]);
  const [draft, setDraft] = useState<WorkFilters>(applied);
  const appliedKey = workFiltersToParams(applied).toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: appliedKey stands for `applied`
  useEffect(() => setDraft(applied), [appliedKey]);
  const allowed = can(me, 'dossiers.process') || can(me, 'dossiers.approve') || can(me, 'dossiers.receive');
  const list = usePagedList<WorkItem>(WORK, workApiQuery(applied), { enabled: allowed });
  if (!allowed) return <NotFound />;
  const apply = (f: WorkFilters) => setParams(workFiltersToParams(f));
  const set = <K extends keyof WorkFilters>(k: K, v: WorkFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const filtered = hasWorkFilters(applied);
  return (
    <>
      <PageHeader
        title={t('processing.work.title')}
        lead={t('processing.work.lead')}
        breadcrumbs={[{ to: '/office', label: t('office.title') }]}
      />
      <nav className="view-switch queue-tabs" aria-label={t('processing.work.tabs')}>
        {workViews.map((v) => (
          <ViewLink key={v} view={v} filters={applied} />
        ))}
      </nav>
      <FilterBar
        label={t('processing.work.filters')}
        onApply={() => apply(draft)}
        onClear={() => apply({ ...emptyWork, view: applied.view })}
        active={filtered}
      >
        <TextField
          label={t('processing.work.search')}
          type="search"
          maxLength={100}
          field={filterField('q')}
          value={draft.q}
          onValue={(v) => set('q', v)}
        />
        <SelectField
          label={t('processing.work.due')}
          field={filterField('due')}
          value={draft.due}
          onValue={(v) => set('due', v)}
          placeholder={t('common.all')}
          options={dueValues.map((d) => ({ value: d, label: t(`processing.work.dueValues.${d}`) }))}
        />
        <div className="span-all">
          <ProcedurePicker
            id="work-filter-procedure"
            label={t('processing.work.procedure')}
            value={draft.procedureId}
            onChange={(p) => set('procedureId', p?.id ?? '')}
          />
        </div>
      </FilterBar>
      <PagedList
        list={list}
        emptyTitle={filtered ? t('list.noMatch') : t(`processing.work.empty.${applied.view}`)}
        emptyText={filtered ? undefined : t('processing.work.emptyText')}
      >
        {(items) => <WorkTable rows={items} view={applied.view} />}
      </PagedList>
    </>
  );
}

function ViewLink({ view, filters }: { view: WorkView; filters: WorkFilters }) {
  const { t } = useTranslation();
  const qs = workFiltersToParams({ ...filters, view }).toString();
  const active = view === filters.view;
  return (
    <Link
      to={`/office/work${qs ? `?${qs}` : ''}`}
      className={`btn ${active ? 'btn-primary' : 'btn-secondary'}`}
      aria-current={active ? 'page' : undefined}
    >
      {t(`processing.work.views.${view}`)}
    </Link>
  );
}

/** ↑/↓ move between the rows' links (the row's code); Enter opens the dossier. */
function onRowKeys(e: KeyboardEvent<HTMLTableSectionElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const row = (e.target as HTMLElement).closest('tr');
  const next = (e.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling) as HTMLElement | null | undefined;
  const link = next?.querySelector<HTMLAnchorElement>('a.row-link');
  if (link) {
    e.preventDefault();
    link.focus();
  }
}

function WorkTable({ rows, view }: { rows: WorkItem[]; view: WorkView }) {
  const { t } = useTranslation();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const bulk = view === 'unassigned';
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const key = (r: WorkItem) => `${r.id}:${r.branch ?? ''}`;
  return (
    <>
      {bulk && <BulkAssign selected={selected} onDone={() => setSelected([])} />}
      <p className="muted queue-keys" id="work-keys">
        {t('reception.queue.keys')}
      </p>
      <table className="table table-stack table-dense queue-table work-table" aria-describedby="work-keys">
        <caption className="visually-hidden">{t(`processing.work.views.${view}`)}</caption>
        <thead>
          <tr>
            {bulk && (
              <th scope="col">
                <span className="visually-hidden">{t('processing.work.select')}</span>
              </th>
            )}
            <th scope="col">{t('reception.fields.code')}</th>
            <th scope="col">{t('reception.fields.procedure')}</th>
            <th scope="col">{t('reception.fields.applicant')}</th>
            <th scope="col">{t('processing.fields.step')}</th>
            <th scope="col">{t('processing.fields.stepDue')}</th>
            <th scope="col">{t('processing.fields.assignee')}</th>
          </tr>
        </thead>
        <tbody onKeyDown={onRowKeys}>
          {rows.map((r) => (
            <tr key={key(r)} className="row-linked">
              {bulk && (
                <td data-label={t('processing.work.select')}>
                  <input
                    type="checkbox"
                    className="checkbox"
                    id={`work-select-${r.id}`}
                    checked={selected.includes(r.id)}
                    onChange={(e) => toggle(r.id, e.target.checked)}
                    aria-label={t('processing.work.selectOne', { code: r.code ?? '' })}
                  />
                </td>
              )}
              <td className="cell-primary" data-label={t('reception.fields.code')}>
                <Link className="row-link nowrap" to={officeDossierPath(r.id)}>
                  {r.code ?? t('reception.noCode')}
                </Link>
              </td>
              <td data-label={t('reception.fields.procedure')}>{r.procedureName}</td>
              <td data-label={t('reception.fields.applicant')}>{r.applicantName || '—'}</td>
              <td data-label={t('processing.fields.step')}>
                {r.stepName}
                <span className="cell-sub">{r.stepAgencyName}</span>
              </td>
              <td data-label={t('processing.fields.stepDue')}>
                {r.stepDueAt ? <DueCell dueAt={r.stepDueAt} now={now} isWorking={isWorking} /> : '—'}
              </td>
              <td data-label={t('processing.fields.assignee')}>
                {r.assigneeLabel ?? <span className="muted">{t('processing.unassigned')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The staff who may take the dossiers: those `/work` offers for the first one selected. */
function BulkAssign({ selected, onDone }: { selected: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const first = selected[0] ?? '';
  const [assignees, setAssignees] = useState<DossierWork['assignees']>([]);
  const [assigneeId, setAssigneeId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const [error, setError] = useState<{ title: string; detail?: string } | null>(null);

  useEffect(() => {
    if (!first) return;
    const ctl = new AbortController();
    api
      .get<DossierWork>(workPath(first), undefined, { signal: ctl.signal })
      .then((w) => setAssignees(w.assignees))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(problemText(e, t));
      });
    return () => ctl.abort();
  }, [first, t]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await bulkAssign(selected, assigneeId);
      setResult(r);
      onDone();
      await qc.invalidateQueries({ queryKey: [WORK] });
      await qc.invalidateQueries({ queryKey: [DOSSIERS], refetchType: 'none' });
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel bulk-panel" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t('processing.bulk.title')}</h2>
      <p className="muted" aria-live="polite">
        {t('processing.bulk.selected', { count: selected.length })}
      </p>
      {selected.length > 0 && (
        <div className="form-grid">
          <SelectField
            label={t('processing.bulk.assignee')}
            field={{ id: 'bulk-assignee', name: 'assigneeId' }}
            value={assigneeId}
            onValue={setAssigneeId}
            placeholder={t('processing.bulk.choose')}
            options={assignees.map((a) => ({ value: a.accountId, label: a.department ? `${a.name} — ${a.department}` : a.name }))}
          />
        </div>
      )}
      <div className="button-row">
        <Button disabled={selected.length === 0 || !assigneeId} busy={busy} onClick={() => void submit()}>
          {t('processing.bulk.submit')}
        </Button>
      </div>
      {error && (
        <Notice tone="error" live title={error.title}>
          {error.detail}
        </Notice>
      )}
      {result && (
        <Notice
          tone={result.results.every((r) => r.ok) ? 'success' : 'warning'}
          live
          title={t('processing.bulk.done', { count: result.assigned })}
        >
          <ul className="plain-list">
            {result.results.map((r) => (
              <li key={r.id}>
                <strong>{r.code ?? r.id}</strong>: {r.ok ? t('processing.bulk.ok') : (r.error ?? t('errors.generic'))}
              </li>
            ))}
          </ul>
        </Notice>
      )}
    </section>
  );
}
