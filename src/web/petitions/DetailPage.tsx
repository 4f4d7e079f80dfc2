/**
 * /kien-nghi/:id — a petition: the petitioner (signed in) sees his own with the full timeline; anyone sees a
 * published answer without personal data.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { ApiError } from '../api';
import { useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { DateTime, Details, ErrorState, Loading, Notice, PageHeader, Section } from '../ui';
import { answerFileUrl, fileUrl, type PetitionDetail, type PublicPetition, petitionsApi, petitionsKeys } from './api';
import { StateTag, Timeline } from './shared';
import './petitions.css';

type Loaded = { own: true; p: PetitionDetail } | { own: false; p: PublicPetition };

export default function DetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const { data: me, isPending: mePending } = useMe();
  const q = useQuery({
    queryKey: [...petitionsKeys.detail(id), me?.id ?? null],
    enabled: !mePending,
    queryFn: async (): Promise<Loaded> => {
      if (me) {
        try {
          return { own: true, p: await petitionsApi.get(id) };
        } catch (e) {
          if (!(e instanceof ApiError && (e.status === 404 || e.status === 401))) throw e;
        }
      }
      return { own: false, p: await petitionsApi.publicGet(id) };
    },
    retry: false,
  });
  if (mePending || q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  }
  const { p } = q.data;
  const own = q.data.own ? q.data.p : null;
  const items: [string, ReactNode][] = [
    [t('petitions.fields.registerNumber'), p.registerNumber],
    [t('petitions.fields.agency'), p.agencyName],
    [t('petitions.fields.category'), p.categoryName],
    [t('petitions.fields.channel'), p.channelName],
    [t('petitions.fields.receivedAt'), <DateTime key="r" value={p.receivedAt} />],
  ];
  if (own?.handleDueAt && (own.state === 'accepted' || own.state === 'in_progress')) {
    items.push([t('petitions.fields.handleDueAt'), <DateTime key="h" value={own.handleDueAt} />]);
  }
  if (own?.forwardAgencyName) items.push([t('petitions.fields.forwardedTo'), own.forwardAgencyName]);
  if (own?.rejectReason) items.push([t('petitions.fields.rejectReason'), own.rejectReason]);
  const submitted = (location.state as { submitted?: string } | null)?.submitted;
  return (
    <div className="narrow">
      <PageHeader
        title={p.regulation}
        lead={<StateTag state={p.state} />}
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: own ? '/kien-nghi/cua-toi' : '/kien-nghi', label: own ? t('petitions.mine.title') : t('petitions.list.title') },
        ]}
      />
      {submitted && <Notice tone="success" live title={t('petitions.form.doneRegister', { number: submitted, agency: p.agencyName })} />}
      <Details items={items} />
      <Section title={t('petitions.fields.content')}>
        <p className="pk-note">{own ? own.content : p.summary}</p>
        {own && own.attachmentIds.length > 0 && (
          <ul>
            {own.attachmentIds.map((f, i) => (
              <li key={f}>
                <a href={fileUrl(own.id, f)} target="_blank" rel="noreferrer">
                  {t('petitions.detail.attachment', { n: i + 1 })}
                </a>
              </li>
            ))}
          </ul>
        )}
        {own?.proposal && (
          <>
            <h3>{t('petitions.fields.proposal')}</h3>
            <p className="pk-note">{own.proposal}</p>
          </>
        )}
      </Section>
      {p.answerText && (
        <Section title={t('petitions.fields.answer')}>
          <div className="pk-answer">
            <p className="pk-note">{p.answerText}</p>
            <p className="pk-meta">
              {t('petitions.fields.answeredAt')}: <DateTime value={p.answeredAt} />
            </p>
            {p.hasAnswerFile && (
              <p>
                <a href={answerFileUrl(p.id)} target="_blank" rel="noreferrer">
                  {t('petitions.detail.answerFile')}
                </a>
              </p>
            )}
          </div>
        </Section>
      )}
      {own && (
        <Section title={t('petitions.detail.timeline')}>
          <Timeline events={own.timeline} />
        </Section>
      )}
    </div>
  );
}
