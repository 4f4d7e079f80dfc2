/**
 * /office/kien-nghi — the agency's petitions (GET /api/v1/petitions): state and overdue filters kept in the
 * URL, the running deadline (forwarding within 05 working days, then handling) in colour and words.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DueCell, useIsWorkingDay, useNow } from '../reception/tags';
import {
  ButtonLink,
  CheckboxField,
  type Column,
  DataTable,
  DateTime,
  FilterBar,
  PagedList,
  PageHeader,
  SelectField,
  usePagedList,
  useUrlFilters,
} from '../ui';
import { type Petition, QUEUE } from './api';
import { currentDue, STATES } from './logic';
import { StateTag } from './shared';
import './petitions.css';

const f = (name: string) => ({ id: `pk-queue-${name}`, name });

export default function QueuePage() {
  const { t } = useTranslation();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const filters = useUrlFilters(['state', 'overdue'] as const);
  const list = usePagedList<Petition>(QUEUE, {
    state: filters.applied.state || undefined,
    overdue: filters.applied.overdue === 'true' ? true : undefined,
  });
  const columns: Column<Petition>[] = [
    { key: 'no', header: t('petitions.fields.registerNumber'), render: (p) => p.registerNumber },
    {
      key: 'regulation',
      header: t('petitions.fields.regulation'),
      primary: true,
      render: (p) => <Link to={`/office/kien-nghi/${p.id}`}>{p.regulation}</Link>,
    },
    { key: 'petitioner', header: t('petitions.fields.petitioner'), render: (p) => p.petitioner.name },
    { key: 'channel', header: t('petitions.fields.channel'), render: (p) => p.channelName },
    { key: 'received', header: t('petitions.fields.receivedAt'), render: (p) => <DateTime value={p.receivedAt} /> },
    { key: 'state', header: t('petitions.fields.state'), render: (p) => <StateTag state={p.state} /> },
    {
      key: 'due',
      header: t('petitions.fields.due'),
      render: (p) => {
        const due = currentDue(p);
        if (!due) return p.forwardedLate || p.answeredLate ? t('petitions.detail.late') : '—';
        return (
          <span>
            <span className="visually-hidden">{t(`petitions.due.${due.kind}`)} </span>
            <span className="pk-meta">{t(`petitions.due.${due.kind}`)}</span>
            <DueCell dueAt={due.at} now={now} isWorking={isWorking} />
          </span>
        );
      },
    },
  ];
  return (
    <>
      <PageHeader
        title={t('petitions.office.title')}
        lead={t('petitions.office.lead')}
        breadcrumbs={[{ to: '/office', label: t('office.title') }]}
        actions={
          <span className="button-row">
            <ButtonLink to="/office/kien-nghi/ghi-nhan" variant="primary">
              {t('petitions.counter.title')}
            </ButtonLink>
            <ButtonLink to="/office/kien-nghi/thong-ke">{t('petitions.stats.title')}</ButtonLink>
          </span>
        }
      />
      <FilterBar label={t('petitions.office.filters')} onApply={filters.apply} onClear={filters.clear} active={filters.active}>
        <SelectField
          label={t('petitions.fields.state')}
          field={f('state')}
          value={filters.draft.state}
          onValue={(v) => filters.setDraft('state', v)}
          placeholder={t('petitions.list.all')}
          options={STATES.map((s) => ({ value: s, label: t(`petitions.states.${s}`) }))}
        />
        <CheckboxField
          label={t('petitions.office.overdue')}
          field={f('overdue')}
          checked={filters.draft.overdue === 'true'}
          onChecked={(c) => filters.setDraft('overdue', c ? 'true' : '')}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={t('petitions.office.empty')}>
        {(items) => <DataTable caption={t('petitions.office.title')} columns={columns} rows={items} rowKey={(p) => p.id} />}
      </PagedList>
    </>
  );
}
