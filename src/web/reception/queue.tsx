/**
 * Reception queue of the one-stop desk (GET /api/v1/dossiers?queue=reception): tabs for "chờ tiếp
 * nhận", "chờ bổ sung" and "tất cả", filters kept in the URL, a dense table with waiting time and
 * deadline bands, ↑/↓ between rows, "Tải thêm" for the next page.
 */
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { can, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { ButtonLink, DateTime, FilterBar, PagedList, PageHeader, SelectField, TextField, usePagedList } from '../ui';
import { DOSSIERS, type DossierSummary, officeDossierPath } from './api';
import {
  channelValues,
  emptyFilters,
  hasFilters,
  officeStates,
  parseQueueFilters,
  type QueueFilters,
  type QueueView,
  queueApiQuery,
  queueFiltersToParams,
  queueViews,
  withView,
} from './filters';
import { ProcedurePicker } from './ProcedurePicker';
import { ChannelTag, channelLabel, DueCell, PausedDue, StateTag, stateLabel, useIsWorkingDay, useNow, WaitTag } from './tags';

const filterField = (name: string) => ({ id: `queue-filter-${name}`, name });

/** Where a dossier has been waiting since: the desk since submission, the applicant since the request. */
function waitingSince(d: DossierSummary): string | null {
  if (d.state === 'submitted') return d.submittedAt;
  if (d.state === 'supplement_requested') return d.updatedAt;
  return null;
}

export function ReceptionQueue() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => parseQueueFilters(params), [params]);
  const [draft, setDraft] = useState<QueueFilters>(applied);
  const appliedKey = queueFiltersToParams(applied).toString();
  // Back/forward changes the URL: the form follows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: appliedKey stands for `applied`
  useEffect(() => setDraft(applied), [appliedKey]);
  const allowed = can(me, 'dossiers.receive');
  const list = usePagedList<DossierSummary>(DOSSIERS, queueApiQuery(applied), { enabled: allowed });
  const apply = (f: QueueFilters) => setParams(queueFiltersToParams(f));
  if (!allowed) return <NotFound />;

  const set = <K extends keyof QueueFilters>(k: K, v: QueueFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const filtered = hasFilters(applied);
  return (
    <>
      <PageHeader
        title={t('reception.queue.title')}
        lead={t('reception.queue.lead')}
        breadcrumbs={[{ to: '/office', label: t('office.title') }]}
        actions={
          <ButtonLink to="/office/counter" variant="primary">
            {t('reception.counter.title')}
          </ButtonLink>
        }
      />
      <nav className="view-switch queue-tabs" aria-label={t('reception.queue.tabs')}>
        {queueViews.map((v) => (
          <ViewLink key={v} view={v} current={applied.view} filters={applied} />
        ))}
      </nav>
      <FilterBar
        label={t('reception.queue.filters')}
        onApply={() => apply(draft)}
        onClear={() => apply({ ...emptyFilters, view: applied.view })}
        active={filtered}
      >
        <TextField
          label={t('reception.queue.search')}
          type="search"
          maxLength={100}
          field={filterField('q')}
          value={draft.q}
          onValue={(v) => set('q', v)}
        />
        {applied.view === 'all' && (
          <SelectField
            label={t('reception.queue.state')}
            field={filterField('state')}
            value={draft.state}
            onValue={(v) => set('state', v)}
            placeholder={t('common.all')}
            options={officeStates.map((s) => ({ value: s, label: stateLabel(t, s) }))}
          />
        )}
        <SelectField
          label={t('reception.queue.channel')}
          field={filterField('channel')}
          value={draft.channel}
          onValue={(v) => set('channel', v)}
          placeholder={t('common.all')}
          options={channelValues.map((c) => ({ value: c, label: channelLabel(t, c) }))}
        />
        <div className="span-all">
          <ProcedurePicker
            id="queue-filter-procedure"
            label={t('reception.queue.procedure')}
            hint={t('reception.queue.procedureHint')}
            value={draft.procedureId}
            onChange={(p) => set('procedureId', p?.id ?? '')}
          />
        </div>
      </FilterBar>
      <PagedList
        list={list}
        emptyTitle={filtered ? t('list.noMatch') : t(`reception.queue.empty.${applied.view}`)}
        emptyText={!filtered && applied.view === 'reception' ? t('reception.queue.emptyText') : undefined}
      >
        {(items) => <QueueTable rows={items} view={applied.view} />}
      </PagedList>
    </>
  );
}

function ViewLink({ view, current, filters }: { view: QueueView; current: QueueView; filters: QueueFilters }) {
  const { t } = useTranslation();
  const qs = queueFiltersToParams(withView(filters, view)).toString();
  const active = view === current;
  return (
    <Link
      to={`/office/reception${qs ? `?${qs}` : ''}`}
      className={`btn ${active ? 'btn-primary' : 'btn-secondary'}`}
      aria-current={active ? 'page' : undefined}
    >
      {t(`reception.queue.views.${view}`)}
    </Link>
  );
}

/** ↑/↓ move between the rows' links (the row's code); Enter opens the dossier. */
function onRowKeys(e: KeyboardEvent<HTMLTableSectionElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const row = (e.target as HTMLElement).closest('tr');
  if (!row) return;
  const next = (e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
  const link = next?.querySelector<HTMLAnchorElement>('a.row-link');
  if (link) {
    e.preventDefault();
    link.focus();
  }
}

function QueueTable({ rows, view }: { rows: DossierSummary[]; view: QueueView }) {
  const { t } = useTranslation();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const showState = view === 'all';
  return (
    <>
      <p className="muted queue-keys" id="queue-keys">
        {t('reception.queue.keys')}
      </p>
      <table className="table table-stack table-dense queue-table" aria-describedby="queue-keys">
        <caption className="visually-hidden">{t(`reception.queue.views.${view}`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reception.fields.code')}</th>
            <th scope="col">{t('reception.fields.procedure')}</th>
            <th scope="col">{t('reception.fields.applicant')}</th>
            <th scope="col">{t('reception.fields.channel')}</th>
            {showState && <th scope="col">{t('reception.fields.state')}</th>}
            <th scope="col">{t('reception.fields.submittedAt')}</th>
            <th scope="col">{t('reception.fields.waiting')}</th>
            <th scope="col">{t('reception.fields.dueAt')}</th>
          </tr>
        </thead>
        <tbody onKeyDown={onRowKeys}>
          {rows.map((d) => {
            const since = waitingSince(d);
            return (
              <tr key={d.id} className="row-linked">
                <td className="cell-primary" data-label={t('reception.fields.code')}>
                  <Link className="row-link nowrap" to={officeDossierPath(d.id)}>
                    {d.code ?? t('reception.noCode')}
                  </Link>
                </td>
                <td data-label={t('reception.fields.procedure')}>
                  {d.procedureName}
                  {d.agencyId !== d.deskAgencyId && <span className="cell-sub">{d.agencyName}</span>}
                </td>
                <td data-label={t('reception.fields.applicant')}>{d.applicantName || '—'}</td>
                <td data-label={t('reception.fields.channel')}>
                  <ChannelTag channel={d.channel} />
                </td>
                {showState && (
                  <td data-label={t('reception.fields.state')}>
                    <StateTag state={d.state} />
                  </td>
                )}
                <td data-label={t('reception.fields.submittedAt')}>
                  <DateTime value={d.submittedAt} />
                </td>
                <td data-label={t('reception.fields.waiting')}>
                  {since ? <WaitTag since={since} now={now} isWorking={isWorking} /> : '—'}
                </td>
                <td data-label={t('reception.fields.dueAt')}>
                  {d.dueAt && d.state === 'supplement_requested' ? (
                    <PausedDue dueAt={d.dueAt} />
                  ) : d.dueAt && d.state !== 'refused' && d.state !== 'withdrawn' ? (
                    <DueCell dueAt={d.dueAt} now={now} isWorking={isWorking} />
                  ) : (
                    <span className="muted">{d.receivedAt ? '—' : t('reception.notReceived')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
