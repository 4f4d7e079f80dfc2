/**
 * Office page "Đánh giá sự hài lòng" (/office/ratings, permission ratings.read): the quarter's figures per
 * agency or per officer within the leader's agencies (TT 01/2018 indicator averages, total, band), and the
 * ratings behind a line with the applicants' comments.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button, type Column, DataTable, DateTime, EmptyState, ErrorState, Loading, PageHeader, Section } from '../ui';
import { periodOf, type Rating, ratingsApi, ratingsKeys, type SummaryLine } from './api';
import { GradeTag, PeriodSelect, useScore } from './shared';
import './ratings.css';

const STAFF_INDICATORS = [1, 2, 3, 4, 7];
const ALL_INDICATORS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export default function RatingsStaffPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(periodOf(new Date()));
  const [by, setBy] = useState<'agency' | 'officer'>('agency');
  const [selected, setSelected] = useState<SummaryLine | null>(null);
  const score = useScore();
  const q = useQuery({ queryKey: ratingsKeys.summary(period, by), queryFn: () => ratingsApi.summary(period, by) });
  const indicators = by === 'officer' ? STAFF_INDICATORS : ALL_INDICATORS;
  const columns: Column<SummaryLine>[] = [
    {
      key: 'name',
      header: by === 'agency' ? t('ratings.fields.agency') : t('ratings.fields.officer'),
      primary: true,
      render: (r) => (
        <Button variant="link" onClick={() => setSelected(r)}>
          {r.name}
        </Button>
      ),
    },
    ...(by === 'officer'
      ? [{ key: 'agencyName', header: t('ratings.fields.agency'), render: (r: SummaryLine) => r.agencyName ?? '—' }]
      : []),
    { key: 'ratings', header: t('ratings.fields.count'), align: 'end', render: (r) => r.ratings },
    ...indicators.map(
      (i): Column<SummaryLine> => ({
        key: `i${i}`,
        header: t('ratings.indicatorShort', { number: i }),
        align: 'end',
        render: (r) => score(r.indicators[i - 1]),
      }),
    ),
    { key: 'total', header: t('ratings.fields.total'), align: 'end', render: (r) => `${score(r.total)} / ${r.maxTotal}` },
    { key: 'grade', header: t('ratings.fields.grade'), render: (r) => <GradeTag grade={r.grade} name={r.gradeName} /> },
  ];
  return (
    <>
      <PageHeader
        title={t('ratings.staff.title')}
        lead={t('ratings.staff.lead')}
        breadcrumbs={[{ to: '/office', label: t('office.title') }]}
      />
      <div className="rating-filters">
        <PeriodSelect
          id="ratings-period"
          value={period}
          onValue={(p) => {
            setPeriod(p);
            setSelected(null);
          }}
        />
        <fieldset className="fieldset">
          <legend className="field-label">{t('ratings.staff.by')}</legend>
          <div className="button-row">
            {(['agency', 'officer'] as const).map((b) => (
              <Button
                key={b}
                variant={by === b ? 'primary' : 'secondary'}
                aria-pressed={by === b}
                onClick={() => {
                  setBy(b);
                  setSelected(null);
                }}
              >
                {t(`ratings.staff.by_${b}`)}
              </Button>
            ))}
          </div>
        </fieldset>
      </div>
      <p className="muted">{by === 'agency' ? t('ratings.staff.agencyBands') : t('ratings.staff.officerBands')}</p>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState title={t('ratings.staff.empty')} />
      ) : (
        <div className="rating-table-wrap">
          <DataTable caption={t('ratings.staff.title')} columns={columns} rows={q.data.items} rowKey={(r) => r.id} />
        </div>
      )}
      {selected && <DrillDown period={period} line={selected} by={by} />}
    </>
  );
}

function DrillDown({ period, line, by }: { period: string; line: SummaryLine; by: 'agency' | 'officer' }) {
  const { t } = useTranslation();
  const score = useScore();
  const filter = by === 'agency' ? { agencyId: line.id } : { officerId: line.id };
  const q = useQuery({
    queryKey: ratingsKeys.list(period, `${by}:${line.id}`),
    queryFn: () => ratingsApi.list(period, filter),
  });
  const columns: Column<Rating>[] = [
    {
      key: 'code',
      header: t('ratings.fields.code'),
      primary: true,
      render: (r) => <Link to={`/office/dossiers/${r.dossierId}`}>{r.dossierCode}</Link>,
    },
    { key: 'procedure', header: t('ratings.fields.procedure'), render: (r) => r.procedureName },
    { key: 'at', header: t('ratings.fields.ratedAt'), render: (r) => <DateTime value={r.createdAt} /> },
    { key: 'channel', header: t('ratings.fields.channel'), render: (r) => t(`ratings.channels.${r.channel}`) },
    { key: 'total', header: t('ratings.fields.total'), align: 'end', render: (r) => `${score(r.total)} / ${r.maxTotal}` },
    { key: 'comment', header: t('ratings.fields.comment'), render: (r) => r.comment ?? '—' },
  ];
  return (
    <Section title={t('ratings.staff.drill', { name: line.name })} id="ratings-drill">
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <div className="rating-table-wrap">
          <DataTable caption={t('ratings.staff.drill', { name: line.name })} columns={columns} rows={q.data.items} rowKey={(r) => r.id} />
        </div>
      )}
    </Section>
  );
}
