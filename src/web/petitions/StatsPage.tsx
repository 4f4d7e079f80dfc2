/** /office/kien-nghi/thong-ke — on-time figures per agency and the TT 01/2018 indicator-8 points. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayVn } from '../format';
import { type Column, DataTable, EmptyState, ErrorState, Loading, PageHeader, Tag, TextField } from '../ui';
import { petitionsApi, petitionsKeys, type StatsLine } from './api';
import './petitions.css';

const pct = (v: number | null) => (v === null ? '—' : `${v.toLocaleString('vi-VN')} %`);

export default function StatsPage() {
  const { t } = useTranslation();
  const today = todayVn();
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const query = { from, to };
  const q = useQuery({ queryKey: petitionsKeys.stats(query), queryFn: () => petitionsApi.stats(query), enabled: !!from && !!to });
  const columns: Column<StatsLine>[] = [
    { key: 'agency', header: t('petitions.fields.agency'), primary: true, render: (s) => s.agencyName },
    { key: 'received', header: t('petitions.stats.received'), align: 'end', render: (s) => s.received },
    { key: 'rejected', header: t('petitions.stats.rejected'), align: 'end', render: (s) => s.rejected },
    {
      key: 'forwarded',
      header: t('petitions.stats.forwarded'),
      align: 'end',
      render: (s) => `${s.forwardedOnTime}/${s.forwarded} (${pct(s.forwardedOnTimePercent)})`,
    },
    {
      key: 'answered',
      header: t('petitions.stats.answered'),
      align: 'end',
      render: (s) => `${s.answeredOnTime}/${s.answered} (${pct(s.onTimePercent)})`,
    },
    { key: 'protracted', header: t('petitions.stats.protracted'), align: 'end', render: (s) => s.protracted },
    { key: 'open', header: t('petitions.stats.open'), align: 'end', render: (s) => s.open },
    {
      key: 'points',
      header: t('petitions.stats.indicator8'),
      align: 'end',
      render: (s) => <Tag tone={s.indicator8 === 2 ? 'success' : s.indicator8 === 1 ? 'warning' : 'danger'}>{s.indicator8}</Tag>,
    },
  ];
  return (
    <>
      <PageHeader
        title={t('petitions.stats.title')}
        lead={t('petitions.stats.lead')}
        breadcrumbs={[
          { to: '/office', label: t('office.title') },
          { to: '/office/kien-nghi', label: t('petitions.office.title') },
        ]}
      />
      <div className="filter-fields">
        <TextField
          label={t('petitions.stats.from')}
          field={{ id: 'pk-stats-from', name: 'from' }}
          type="date"
          value={from}
          onValue={setFrom}
        />
        <TextField label={t('petitions.stats.to')} field={{ id: 'pk-stats-to', name: 'to' }} type="date" value={to} onValue={setTo} />
      </div>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState title={t('petitions.stats.empty')} />
      ) : (
        <div className="pk-stats-wrap">
          <DataTable caption={t('petitions.stats.title')} columns={columns} rows={q.data.items} rowKey={(s) => s.agencyId} />
        </div>
      )}
      <p className="muted">{t('petitions.stats.how')}</p>
    </>
  );
}
