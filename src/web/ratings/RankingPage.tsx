/** /xep-hang — public ranking of agencies by the quarter's satisfaction score (agencies only: no officer, no comment). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable, EmptyState, ErrorState, Loading, PageHeader } from '../ui';
import { periodOf, type RankingLine, ratingsApi, ratingsKeys } from './api';
import { GradeTag, PeriodSelect, useScore } from './shared';
import './ratings.css';

export default function RankingPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(periodOf(new Date()));
  const score = useScore();
  const q = useQuery({ queryKey: ratingsKeys.ranking(period), queryFn: () => ratingsApi.ranking(period) });
  const columns: Column<RankingLine>[] = [
    { key: 'rank', header: t('ratings.fields.rank'), align: 'end', render: (r) => r.rank },
    { key: 'agency', header: t('ratings.fields.agency'), primary: true, render: (r) => r.agencyName },
    { key: 'ratings', header: t('ratings.fields.count'), align: 'end', render: (r) => r.ratings },
    { key: 'total', header: t('ratings.fields.total'), align: 'end', render: (r) => `${score(r.total)} / ${r.maxTotal}` },
    { key: 'grade', header: t('ratings.fields.grade'), render: (r) => <GradeTag grade={r.grade} name={r.gradeName} /> },
  ];
  return (
    <>
      <PageHeader title={t('ratings.ranking.title')} lead={t('ratings.ranking.lead')} breadcrumbs={[{ to: '/', label: t('nav.home') }]} />
      <PeriodSelect id="ranking-period" value={period} onValue={setPeriod} />
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState title={t('ratings.ranking.empty')} />
      ) : (
        <div className="rating-table-wrap">
          <DataTable caption={t('ratings.ranking.title')} columns={columns} rows={q.data.items} rowKey={(r) => r.agencyId} />
        </div>
      )}
      <p className="muted">{t('ratings.ranking.how')}</p>
    </>
  );
}
