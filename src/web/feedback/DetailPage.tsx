/**
 * /phan-anh/:id — a report: the public view (timeline, before/after photos, mini map) for everyone; for its
 * reporter (GET /api/v1/field-reports/:id succeeds) the full record, the rating ("not satisfied" reopens it
 * once) and "close".
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { ApiError, type Me } from '../api';
import { useMe } from '../app/auth';
import { Button, DateTime, Details, ErrorState, Loading, Notice, PageHeader, Section } from '../ui';
import { feedbackApi, feedbackKeys, type PublicReport, type Report, stateGroup, type TimelineEvent, type WithTimeline } from './api';
import { BoundaryMap } from './BoundaryMap';
import { OfflineBanner, StateTag, useBoundaries } from './shared';

export default function DetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const pub = useQuery({ queryKey: feedbackKeys.publicDetail(id), queryFn: () => feedbackApi.publicDetail(id), retry: false });
  // The full record, for the reporter (and unit staff); a 403/404 just means "not yours".
  const full = useQuery({
    queryKey: feedbackKeys.detail(id),
    queryFn: () => feedbackApi.detail(id),
    enabled: !!me,
    retry: false,
  });

  if (pub.isPending || (me && full.isPending)) return <Loading />;
  const report: WithTimeline<PublicReport | Report> | undefined = full.data ?? pub.data;
  if (!report) {
    const error = pub.error ?? full.error;
    if (error instanceof ApiError && (error.status === 404 || error.status === 403 || error.status === 400)) {
      return (
        <div className="narrow">
          <PageHeader title={t('feedback.detail.notFound')} breadcrumbs={[{ to: '/phan-anh', label: t('feedback.board.title') }]} />
          <Notice tone="warning">
            <p>{t('feedback.detail.notFoundText')}</p>
          </Notice>
        </div>
      );
    }
    return <ErrorState error={error} onRetry={() => void pub.refetch()} />;
  }
  // The reporter's view has no `reporterAccountId` (staff's view has it: a staff member may be the reporter too).
  const own = full.data && me && (full.data.reporterAccountId === undefined || full.data.reporterAccountId === me.id) ? full.data : null;
  return (
    <div className="narrow">
      <PageHeader
        title={`${report.categoryName} · ${report.code}`}
        lead={<StateTag state={report.state} name={report.stateName} />}
        breadcrumbs={[
          { to: '/phan-anh', label: t('feedback.board.title') },
          ...(me ? [{ to: '/phan-anh/cua-toi', label: t('feedback.mine.title') }] : []),
        ]}
      />
      <OfflineBanner />
      {created && (
        <Notice tone="success" title={t('feedback.detail.createdTitle', { code: created })} live>
          <p>{t('feedback.detail.createdText')}</p>
        </Notice>
      )}
      {own && <ReporterActions report={own} />}
      <Section title={t('feedback.detail.content')}>
        <p className="fr-description">{report.description}</p>
        <Details
          items={[
            [t('feedback.fields.category'), report.categoryName],
            [t('feedback.fields.state'), report.stateName],
            [t('feedback.detail.place'), [report.communeName, report.address].filter(Boolean).join(' — ')],
            [t('feedback.detail.agency'), report.agencyName],
            [t('feedback.detail.reporter'), report.reporterName ?? t('feedback.detail.anonymous')],
            [t('feedback.detail.createdAt'), <DateTime key="c" value={report.createdAt} />],
            ...(own?.isPublic !== undefined
              ? ([[t('feedback.detail.visibility'), own.isPublic ? t('feedback.form.public') : t('feedback.form.private')]] as [
                  string,
                  React.ReactNode,
                ][])
              : []),
            ...(own?.resolveDueAt
              ? ([[t('feedback.detail.resolveDue'), <DateTime key="d" value={own.resolveDueAt} />]] as [string, React.ReactNode][])
              : []),
          ]}
        />
        <Photos report={report} ids={report.photoIds} title={t('feedback.detail.photosBefore')} own={!!full.data} />
      </Section>
      {(report.resultText || report.resultPhotoIds.length > 0) && (
        <Section title={t('feedback.detail.result')}>
          {report.resultText && <p className="fr-description">{report.resultText}</p>}
          <Photos report={report} ids={report.resultPhotoIds} title={t('feedback.detail.photosAfter')} own={!!full.data} />
          {report.satisfied !== null && (
            <p>{report.satisfied ? t('feedback.detail.ratedSatisfied') : t('feedback.detail.ratedUnsatisfied')}</p>
          )}
        </Section>
      )}
      {report.lon !== null && report.lat !== null && (
        <MiniMap lon={report.lon} lat={report.lat} group={stateGroup(report.state)} label={report.code} />
      )}
      <Section title={t('feedback.detail.timeline')}>
        <Timeline events={report.timeline} />
      </Section>
      {me && !own && <FollowButton id={report.id} me={me} />}
    </div>
  );
}

function Photos({ report, ids, title, own }: { report: PublicReport; ids: string[]; title: string; own: boolean }) {
  const { t } = useTranslation();
  if (ids.length === 0) return null;
  const url = (fileId: string) => (own ? feedbackApi.photoUrl(report.id, fileId) : feedbackApi.publicPhotoUrl(report.id, fileId));
  return (
    <figure className="fr-photos">
      <figcaption>{title}</figcaption>
      <ul>
        {ids.map((fid, i) => (
          <li key={fid}>
            <a href={url(fid)} target="_blank" rel="noreferrer">
              <img src={url(fid)} alt={t('feedback.detail.photoAlt', { title, n: i + 1 })} loading="lazy" decoding="async" />
            </a>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function MiniMap({ lon, lat, group, label }: { lon: number; lat: number; group: ReturnType<typeof stateGroup>; label: string }) {
  const { t } = useTranslation();
  const boundaries = useBoundaries();
  if (!boundaries.data) return null;
  return (
    <Section title={t('feedback.detail.map')}>
      <BoundaryMap
        boundaries={boundaries.data}
        label={t('feedback.detail.mapLabel')}
        focus={{ lon, lat }}
        markers={[{ id: 'self', lon, lat, label, group }]}
        aspect={16 / 10}
      />
    </Section>
  );
}

function Timeline({ events }: { events: TimelineEvent[] }) {
  return (
    <ol className="fr-timeline">
      {events.map((e) => (
        <li key={e.seq}>
          <p className="fr-timeline-head">
            <strong>{e.actionName}</strong> · <DateTime value={e.at} />
          </p>
          {e.note && <p className="fr-timeline-note">{e.note}</p>}
        </li>
      ))}
    </ol>
  );
}

function ReporterActions({ report }: { report: WithTimeline<Report> }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const done = (r: WithTimeline<Report>) => {
    qc.setQueryData(feedbackKeys.detail(report.id), r);
    void qc.invalidateQueries({ queryKey: feedbackKeys.publicDetail(report.id) });
    void qc.invalidateQueries({ queryKey: feedbackKeys.mine });
  };
  const rate = useMutation({ mutationFn: (satisfied: boolean) => feedbackApi.rate(report.id, satisfied), onSuccess: done });
  const close = useMutation({ mutationFn: () => feedbackApi.close(report.id), onSuccess: done });
  const canRate = report.state === 'resolved';
  const canClose = report.state === 'resolved' || report.state === 'rated';
  if (!canRate && !canClose) return null;
  const error = rate.error ?? close.error;
  return (
    <section className="fr-rate panel" aria-labelledby="fr-rate-title">
      <h2 id="fr-rate-title">{canRate ? t('feedback.rate.title') : t('feedback.rate.closeTitle')}</h2>
      {canRate && <p>{report.reopened ? t('feedback.rate.textNoReopen') : t('feedback.rate.text')}</p>}
      <div className="fr-actions">
        {canRate && (
          <>
            <Button busy={rate.isPending && rate.variables === true} disabled={rate.isPending} onClick={() => rate.mutate(true)}>
              {t('feedback.rate.satisfied')}
            </Button>
            <Button
              variant="secondary"
              busy={rate.isPending && rate.variables === false}
              disabled={rate.isPending}
              onClick={() => rate.mutate(false)}
            >
              {t('feedback.rate.unsatisfied')}
            </Button>
          </>
        )}
        {canClose && (
          <Button variant="link" busy={close.isPending} onClick={() => close.mutate()}>
            {t('feedback.rate.close')}
          </Button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : t('errors.generic')}
        </p>
      )}
    </section>
  );
}

function FollowButton({ id }: { id: string; me: Me }) {
  const { t } = useTranslation();
  const follow = useMutation({ mutationFn: () => feedbackApi.follow(id) });
  return (
    <p className="fr-actions">
      {follow.isSuccess ? (
        <span role="status">{t('feedback.nearby.following')}</span>
      ) : (
        <Button variant="secondary" busy={follow.isPending} onClick={() => follow.mutate()}>
          {t('feedback.nearby.follow')}
        </Button>
      )}
    </p>
  );
}
