/** /danh-gia/:token — rating through the signed link of the "result returned" message (or its QR); no login, once. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../api';
import { Details, ErrorState, Loading, Notice, PageHeader } from '../ui';
import { type Rating, ratingsApi, ratingsKeys } from './api';
import { RatingDone, RatingForm } from './RatingForm';

export default function RatingLinkPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const [done, setDone] = useState<Rating | null>(null);
  const q = useQuery({ queryKey: ratingsKeys.token(token), queryFn: () => ratingsApi.byToken(token), retry: false });
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return (
        <div className="narrow">
          <PageHeader title={t('ratings.link.title')} />
          <Notice tone="warning" title={t('ratings.link.invalid')}>
            <p>{t('ratings.link.invalidText')}</p>
          </Notice>
        </div>
      );
    }
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  }
  const d = q.data;
  return (
    <div className="narrow">
      <PageHeader title={t('ratings.link.title')} lead={t('ratings.link.lead')} />
      <Details
        items={[
          [t('ratings.fields.code'), d.dossierCode],
          [t('ratings.fields.procedure'), d.procedureName],
          [t('ratings.fields.agency'), d.agencyName],
        ]}
      />
      <RatingBody info={d} done={done} onRate={async (body) => setDone(await ratingsApi.rateByToken(token, body))} />
    </div>
  );
}

/** Shared by the link page and the kiosk: not returned yet / already rated / the form / thanks. */
export function RatingBody({
  info,
  done,
  onRate,
}: {
  info: { returned: boolean; rated: boolean; form: Parameters<typeof RatingForm>[0]['form'] };
  done: Rating | null;
  onRate: Parameters<typeof RatingForm>[0]['onSubmit'];
}) {
  const { t } = useTranslation();
  if (done) {
    return (
      <Notice tone="success" live title={t('ratings.done.thanks')}>
        <RatingDone total={done.total} maxTotal={done.maxTotal} gradeName={done.gradeName} />
      </Notice>
    );
  }
  if (info.rated) return <Notice title={t('ratings.link.already')}>{t('ratings.link.alreadyText')}</Notice>;
  if (!info.returned)
    return (
      <Notice tone="warning" title={t('ratings.link.notReturned')}>
        {t('ratings.link.notReturnedText')}
      </Notice>
    );
  return <RatingForm form={info.form} onSubmit={onRate} />;
}
