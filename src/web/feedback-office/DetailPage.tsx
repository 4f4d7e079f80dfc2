/**
 * One field report as the unit sees it (/office/phan-anh/:id, GET /api/v1/field-reports/:id): the
 * description as sent and as published, photos, the place, the reporter's contact (staff only), due dates,
 * the result, the timeline with the officers' names, and the actions this officer may take now.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { canAny, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { DueCell, useIsWorkingDay, useNow } from '../reception/tags';
import { DateTime, Details, ErrorState, Loading, Notice, PageHeader, Section, Tag } from '../ui';
import { type ActionDone, ActionsPanel } from './ActionsPanel';
import { REPORTS, type ReportDetail, reportPhotoUrl, useReport } from './api';
import { LocationView } from './LocationView';
import { currentDue, FEEDBACK_OFFICE_PERMISSIONS } from './logic';
import { AgeText, PhotoGallery, ReportStateTag } from './parts';
import './feedback-office.css';

export function FieldReportPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { id = '' } = useParams();
  const allowed = canAny(me, FEEDBACK_OFFICE_PERMISSIONS);
  const report = useReport(allowed ? id : '');
  if (!allowed) return <NotFound />;
  if (report.isPending) return <Loading />;
  if (report.isError)
    return (
      <>
        <PageHeader
          title={t('feedbackOffice.detail.notFoundTitle')}
          breadcrumbs={[
            { to: '/office', label: t('office.title') },
            { to: '/office/phan-anh', label: t('feedbackOffice.queue.title') },
          ]}
        />
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      </>
    );
  return <ReportView report={report.data} />;
}

interface Outcome {
  tone: 'success' | 'error';
  title: string;
  detail?: string;
}

function ReportView({ report: r }: { report: ReportDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The result of an action is read out and takes focus.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: [REPORTS] });
  };

  const done = async ({ action, report }: ActionDone) => {
    // After a return or a reassignment the report may have left this officer's scope: back to the queue.
    if (report.timeline.length === 0) {
      await qc.invalidateQueries({ queryKey: [REPORTS], refetchType: 'none' });
      navigate('/office/phan-anh', { state: { moved: t(`feedbackOffice.done.${action}`, { code: report.code }) } });
      return;
    }
    qc.setQueryData([REPORTS, report.id], report);
    await refresh();
    setOutcome({ tone: 'success', title: t(`feedbackOffice.done.${action}`, { code: report.code }) });
  };

  const due = currentDue(r);
  const contact = r.contact ?? null;
  const published = r.publicDescription ?? null;
  return (
    <>
      <PageHeader
        title={t('feedbackOffice.detail.title', { code: r.code })}
        lead={
          <span className="status-line">
            <ReportStateTag state={r.state} name={r.stateName} />
            <span>{r.categoryName}</span>
            {r.reopened && <Tag tone="warning">{t('feedbackOffice.detail.reopened')}</Tag>}
            {r.extended && <Tag tone="info">{t('feedbackOffice.detail.extended')}</Tag>}
          </span>
        }
        breadcrumbs={[
          { to: '/office', label: t('office.title') },
          { to: '/office/phan-anh', label: t('feedbackOffice.queue.title') },
        ]}
      />
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="outcome">
          <Notice tone={outcome.tone} live title={outcome.title}>
            {outcome.detail}
          </Notice>
        </div>
      )}

      <ActionsPanel
        key={r.updatedAt}
        report={r}
        onDone={(d) => void done(d)}
        onConflict={() => {
          void refresh();
        }}
      />

      <Section title={t('feedbackOffice.detail.general')} id="pa-general">
        <Details
          items={[
            [t('feedbackOffice.fields.code'), <code key="c">{r.code}</code>],
            [t('feedbackOffice.fields.category'), r.categoryName],
            [t('feedbackOffice.fields.state'), <ReportStateTag key="s" state={r.state} name={r.stateName} />],
            [t('feedbackOffice.fields.agency'), r.agencyName],
            [t('feedbackOffice.fields.channel'), r.channel ? t(`feedbackOffice.channels.${r.channel}`, { defaultValue: r.channel }) : null],
            [
              t('feedbackOffice.fields.createdAt'),
              <span key="cr">
                <DateTime value={r.createdAt} /> (<AgeText createdAt={r.createdAt} now={now} />)
              </span>,
            ],
            [
              t('feedbackOffice.dueKind.accept'),
              r.acceptDueAt ? (
                due?.kind === 'accept' ? (
                  <DueCell key="a" dueAt={r.acceptDueAt} now={now} isWorking={isWorking} />
                ) : (
                  <DateTime key="a" value={r.acceptDueAt} />
                )
              ) : null,
            ],
            [
              t('feedbackOffice.dueKind.resolve'),
              r.resolveDueAt ? (
                due?.kind === 'resolve' ? (
                  <DueCell key="r" dueAt={r.resolveDueAt} now={now} isWorking={isWorking} />
                ) : (
                  <DateTime key="r" value={r.resolveDueAt} />
                )
              ) : null,
            ],
            [
              t('feedbackOffice.fields.public'),
              r.isPublic === undefined ? null : r.isPublic ? t('feedbackOffice.yes') : t('feedbackOffice.no'),
            ],
            [t('feedbackOffice.fields.anonymous'), r.anonymous ? t('feedbackOffice.yes') : t('feedbackOffice.no')],
          ]}
        />
      </Section>

      <Section title={t('feedbackOffice.detail.description')} id="pa-description">
        <h3>{t('feedbackOffice.detail.raw')}</h3>
        <p className="pre-line" data-testid="pa-raw-description">
          {r.description}
        </p>
        <h3>{t('feedbackOffice.detail.public')}</h3>
        {published !== null ? (
          <p className="pre-line" data-testid="pa-public-description">
            {published}
          </p>
        ) : (
          <p className="muted">{r.state === 'new' ? t('feedbackOffice.detail.notModerated') : t('feedbackOffice.detail.sameAsRaw')}</p>
        )}
      </Section>

      <Section title={t('feedbackOffice.detail.photos')} id="pa-photos">
        <PhotoGallery reportId={r.id} fileIds={r.photoIds} label={t('feedbackOffice.detail.photosBefore')} />
      </Section>

      <Section title={t('feedbackOffice.detail.location')} id="pa-location">
        <LocationView
          lon={r.lon}
          lat={r.lat}
          address={r.address}
          communeName={r.communeName}
          communeCode={r.communeCode}
          state={r.state}
          code={r.code}
        />
      </Section>

      <Section title={t('feedbackOffice.detail.reporter')} id="pa-reporter">
        <p className="muted">{t('feedbackOffice.detail.reporterNote')}</p>
        <Details
          items={[
            [t('feedbackOffice.contact.name'), contact?.name ?? r.reporterName],
            [
              t('feedbackOffice.contact.phone'),
              contact?.phone ? (
                <a key="ph" href={`tel:${contact.phone}`}>
                  {contact.phone}
                </a>
              ) : null,
            ],
            [
              t('feedbackOffice.contact.email'),
              contact?.email ? (
                <a key="em" href={`mailto:${contact.email}`}>
                  {contact.email}
                </a>
              ) : null,
            ],
            [t('feedbackOffice.contact.zalo'), contact?.zaloUserId ?? null],
          ]}
        />
      </Section>

      {(r.resultText || r.resultPhotoIds.length > 0) && (
        <Section title={t('feedbackOffice.detail.result')} id="pa-result">
          <p className="pre-line">{r.resultText}</p>
          <PhotoGallery reportId={r.id} fileIds={r.resultPhotoIds} label={t('feedbackOffice.detail.photosAfter')} />
          <Details
            items={[
              [t('feedbackOffice.fields.resolvedAt'), r.resolvedAt ? <DateTime key="ra" value={r.resolvedAt} /> : null],
              [
                t('feedbackOffice.fields.satisfied'),
                r.satisfied === null
                  ? t('feedbackOffice.detail.notRated')
                  : r.satisfied
                    ? t('feedbackOffice.detail.satisfied')
                    : t('feedbackOffice.detail.notSatisfied'),
              ],
            ]}
          />
        </Section>
      )}

      <Section title={t('feedbackOffice.detail.timeline')} id="pa-timeline">
        <Timeline report={r} />
      </Section>
    </>
  );
}

function Timeline({ report: r }: { report: ReportDetail }) {
  const { t } = useTranslation();
  if (r.timeline.length === 0) return <p className="muted">{t('feedbackOffice.detail.noTimeline')}</p>;
  return (
    <ol className="timeline">
      {[...r.timeline]
        .sort((a, b) => a.seq - b.seq)
        .map((e) => (
          <li key={e.seq}>
            <p className="timeline-title">{e.actionName}</p>
            <p className="timeline-meta">
              <DateTime value={e.at} /> · {t(`feedbackOffice.actors.${e.actor}`, { defaultValue: e.actor })}
              {e.fromState !== e.toState && (
                <>
                  {' '}
                  · {e.fromState ? `${t(`feedbackOffice.states.${e.fromState}`, { defaultValue: e.fromState })} → ` : ''}
                  {t(`feedbackOffice.states.${e.toState}`, { defaultValue: e.toState })}
                </>
              )}
            </p>
            {e.note && <p className="pre-line">{e.note}</p>}
            {e.fileIds.length > 0 && (
              <ul className="plain-list">
                {e.fileIds.map((id, i) => (
                  <li key={id}>
                    <a href={reportPhotoUrl(r.id, id, true)} target="_blank" rel="noopener">
                      {t('feedbackOffice.detail.photoN', { n: i + 1 })}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
    </ol>
  );
}
