/**
 * The unit's field reports (/office/phan-anh, GET /api/v1/field-reports): state tabs and filters kept in
 * the URL, due dates in colour and words (acceptance while waiting, resolution while handled), the age of
 * each report, ↑/↓ between rows, "Tải thêm".
 */
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { canAny, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { DueCell, useIsWorkingDay, useNow } from '../reception/tags';
import { CheckboxField, DateTime, FilterBar, Notice, PagedList, PageHeader, SelectField, usePagedList } from '../ui';
import { officeReportPath, REPORTS, type StaffReport } from './api';
import {
  currentDue,
  emptyQueueFilters,
  FEEDBACK_OFFICE_PERMISSIONS,
  hasQueueFilters,
  parseQueueFilters,
  QUEUE_TABS,
  type QueueFilters,
  queueApiQuery,
  queueFiltersToParams,
  REPORT_STATES,
} from './logic';
import { AgeText, ReportStateTag } from './parts';
import './feedback-office.css';

const filterField = (name: string) => ({ id: `pa-filter-${name}`, name });

export function FieldReportQueue() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => parseQueueFilters(params), [params]);
  const [draft, setDraft] = useState<QueueFilters>(applied);
  const appliedKey = queueFiltersToParams(applied).toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: appliedKey stands for `applied`
  useEffect(() => setDraft(applied), [appliedKey]);
  const allowed = canAny(me, FEEDBACK_OFFICE_PERMISSIONS);
  const list = usePagedList<StaffReport>(REPORTS, queueApiQuery(applied), { enabled: allowed });
  if (!allowed) return <NotFound />;
  const apply = (f: QueueFilters) => setParams(queueFiltersToParams(f));
  const filtered = hasQueueFilters(applied);
  // A report just sent elsewhere (return, reassign) comes back here with a word about it.
  const moved = (location.state as { moved?: string } | null)?.moved;
  return (
    <>
      <PageHeader
        title={t('feedbackOffice.queue.title')}
        lead={t('feedbackOffice.queue.lead')}
        breadcrumbs={[{ to: '/office', label: t('office.title') }]}
      />
      {moved && <Notice tone="success" live title={moved} />}
      <nav className="view-switch queue-tabs pa-tabs" aria-label={t('feedbackOffice.queue.tabs')}>
        {QUEUE_TABS.map((s) => {
          const qs = queueFiltersToParams({ ...applied, state: s }).toString();
          const active = applied.state === s;
          return (
            <Link
              key={s || 'all'}
              to={`/office/phan-anh${qs ? `?${qs}` : ''}`}
              className={`btn ${active ? 'btn-primary' : 'btn-secondary'}`}
              aria-current={active ? 'page' : undefined}
            >
              {s ? t(`feedbackOffice.tabs.${s}`) : t('feedbackOffice.tabs.all')}
            </Link>
          );
        })}
      </nav>
      <FilterBar
        label={t('feedbackOffice.queue.filters')}
        onApply={() => apply(draft)}
        onClear={() => apply(emptyQueueFilters)}
        active={filtered}
      >
        <SelectField
          label={t('feedbackOffice.fields.state')}
          field={filterField('state')}
          value={draft.state}
          onValue={(v) => setDraft((d) => ({ ...d, state: v as QueueFilters['state'] }))}
          placeholder={t('common.all')}
          options={REPORT_STATES.map((s) => ({ value: s, label: t(`feedbackOffice.states.${s}`) }))}
        />
        <CheckboxField
          label={t('feedbackOffice.queue.overdueOnly')}
          field={filterField('overdue')}
          checked={draft.overdue}
          onChecked={(v) => setDraft((d) => ({ ...d, overdue: v }))}
        />
      </FilterBar>
      <PagedList
        list={list}
        emptyTitle={filtered ? t('list.noMatch') : t('feedbackOffice.queue.empty')}
        emptyText={filtered ? undefined : t('feedbackOffice.queue.emptyText')}
      >
        {(items) => <QueueTable rows={items} />}
      </PagedList>
    </>
  );
}

/** ↑/↓ move between the rows' links (the report code); Enter opens the report. */
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

function QueueTable({ rows }: { rows: StaffReport[] }) {
  const { t } = useTranslation();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  return (
    <>
      <p className="muted queue-keys" id="pa-keys">
        {t('reception.queue.keys')}
      </p>
      <table className="table table-stack table-dense queue-table pa-table" aria-describedby="pa-keys">
        <caption className="visually-hidden">{t('feedbackOffice.queue.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('feedbackOffice.fields.code')}</th>
            <th scope="col">{t('feedbackOffice.fields.category')}</th>
            <th scope="col">{t('feedbackOffice.fields.commune')}</th>
            <th scope="col">{t('feedbackOffice.fields.state')}</th>
            <th scope="col">{t('feedbackOffice.fields.createdAt')}</th>
            <th scope="col">{t('feedbackOffice.fields.due')}</th>
          </tr>
        </thead>
        <tbody onKeyDown={onRowKeys}>
          {rows.map((r) => {
            const due = currentDue(r);
            return (
              <tr key={r.id} className="row-linked">
                <td className="cell-primary" data-label={t('feedbackOffice.fields.code')}>
                  <Link className="row-link nowrap" to={officeReportPath(r.id)}>
                    {r.code}
                  </Link>
                </td>
                <td data-label={t('feedbackOffice.fields.category')}>
                  {r.categoryName}
                  <span className="cell-sub pa-excerpt">{r.description}</span>
                </td>
                <td data-label={t('feedbackOffice.fields.commune')}>
                  {r.communeName ?? r.address ?? <span className="muted">{t('feedbackOffice.noCommune')}</span>}
                </td>
                <td data-label={t('feedbackOffice.fields.state')}>
                  <ReportStateTag state={r.state} name={r.stateName} />
                </td>
                <td data-label={t('feedbackOffice.fields.createdAt')}>
                  <DateTime value={r.createdAt} />
                  <span className="cell-sub">
                    <AgeText createdAt={r.createdAt} now={now} />
                  </span>
                </td>
                <td data-label={t('feedbackOffice.fields.due')}>
                  {due ? (
                    <>
                      <span className="cell-sub">{t(`feedbackOffice.dueKind.${due.kind}`)}</span>
                      <DueCell dueAt={due.dueAt} now={now} isWorking={isWorking} />
                    </>
                  ) : (
                    '—'
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
