/**
 * Register of dossiers (/office/register, Sổ theo dõi hồ sơ): filters for the period, national status,
 * channel and timeliness kept in the URL, the table, and "Xuất Excel" with the same filters.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { officeDossierPath } from '../reception/api';
import { channelLabel } from '../reception/tags';
import { DateTime, FilterBar, PagedList, PageHeader, SelectField, Tag, TextField, usePagedList, useUrlFilters } from '../ui';
import { REGISTER, type RegisterItem } from './api';
import {
  channelValues,
  parseRegisterFilters,
  REGISTER_KEYS,
  registerApiQuery,
  registerXlsxUrl,
  statusValues,
  timelinessValues,
} from './filters';

const field = (name: string) => ({ id: `register-${name}`, name });
const timelinessTone = { early: 'success', on_time: 'success', late: 'danger', pending: 'info', pending_overdue: 'warning' } as const;

export function RegisterPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const f = useUrlFilters(REGISTER_KEYS);
  // Same cleaning as the URL parser: malformed values are not sent.
  const applied = parseRegisterFilters(new URLSearchParams(Object.entries(f.applied).filter(([, v]) => v !== '')));
  const allowed = can(me, 'dossiers.receive') || can(me, 'dossiers.process') || can(me, 'dossiers.approve');
  const list = usePagedList<RegisterItem>(REGISTER, registerApiQuery(applied), { enabled: allowed });
  if (!allowed) return <NotFound />;
  return (
    <>
      <PageHeader
        title={t('processing.register.title')}
        lead={t('processing.register.lead')}
        breadcrumbs={[{ to: '/office', label: t('office.title') }]}
        actions={
          <a className="btn btn-secondary" href={registerXlsxUrl(applied)} download data-testid="register-xlsx">
            {t('processing.register.export')}
          </a>
        }
      />
      <FilterBar label={t('processing.register.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField
          label={t('processing.register.from')}
          type="date"
          field={field('from')}
          value={f.draft.from}
          onValue={(v) => f.setDraft('from', v)}
        />
        <TextField
          label={t('processing.register.to')}
          type="date"
          field={field('to')}
          value={f.draft.to}
          onValue={(v) => f.setDraft('to', v)}
        />
        <SelectField
          label={t('processing.register.status')}
          field={field('status')}
          value={f.draft.status}
          onValue={(v) => f.setDraft('status', v)}
          placeholder={t('common.all')}
          options={statusValues.map((s) => ({ value: s, label: t(`processing.publicStatuses.s${s}`) }))}
        />
        <SelectField
          label={t('reception.fields.channel')}
          field={field('channel')}
          value={f.draft.channel}
          onValue={(v) => f.setDraft('channel', v)}
          placeholder={t('common.all')}
          options={channelValues.map((c) => ({ value: c, label: channelLabel(t, c) }))}
        />
        <SelectField
          label={t('processing.register.timeliness')}
          field={field('timeliness')}
          value={f.draft.timeliness}
          onValue={(v) => f.setDraft('timeliness', v)}
          placeholder={t('common.all')}
          options={timelinessValues.map((x) => ({ value: x, label: t(`processing.timeliness.${x}`) }))}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('processing.register.empty')}>
        {(rows) => <RegisterTable rows={rows} />}
      </PagedList>
    </>
  );
}

function RegisterTable({ rows }: { rows: RegisterItem[] }) {
  const { t } = useTranslation();
  return (
    <table className="table table-stack table-dense">
      <caption className="visually-hidden">{t('processing.register.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reception.fields.code')}</th>
          <th scope="col">{t('reception.fields.procedure')}</th>
          <th scope="col">{t('reception.fields.applicant')}</th>
          <th scope="col">{t('reception.fields.receivedAt')}</th>
          <th scope="col">{t('reception.fields.dueAt')}</th>
          <th scope="col">{t('processing.register.completedAt')}</th>
          <th scope="col">{t('processing.register.status')}</th>
          <th scope="col">{t('processing.register.timeliness')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="cell-primary" data-label={t('reception.fields.code')}>
              <Link className="nowrap" to={officeDossierPath(r.id)}>
                {r.code}
              </Link>
            </td>
            <td data-label={t('reception.fields.procedure')}>
              {r.procedureName}
              <span className="cell-sub">{r.agencyName}</span>
            </td>
            <td data-label={t('reception.fields.applicant')}>{r.applicantName}</td>
            <td data-label={t('reception.fields.receivedAt')}>
              <DateTime value={r.receivedAt} />
            </td>
            <td data-label={t('reception.fields.dueAt')}>
              <DateTime value={r.dueAt} />
            </td>
            <td data-label={t('processing.register.completedAt')}>
              <DateTime value={r.returnedAt ?? r.completedAt} />
            </td>
            <td data-label={t('processing.register.status')}>{r.publicStatusName ?? '—'}</td>
            <td data-label={t('processing.register.timeliness')}>
              {r.timeliness ? (
                <Tag tone={timelinessTone[r.timeliness as keyof typeof timelinessTone] ?? 'neutral'}>
                  {t(`processing.timeliness.${r.timeliness}`, { defaultValue: r.timeliness })}
                </Tag>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
