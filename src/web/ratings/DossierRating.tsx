/**
 * "Đánh giá mức độ hài lòng" on the applicant's dossier page (/my-dossiers/:id): once the result is
 * returned, the rating form; after rating, the score; the QR of the signed link for another device.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Loading, Notice, Section } from '../ui';
import { ratingsApi, ratingsKeys } from './api';
import { RatingDone, RatingForm } from './RatingForm';

export function DossierRating({ dossierId }: { dossierId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ratingsKeys.dossier(dossierId), queryFn: () => ratingsApi.forDossier(dossierId), retry: false });
  if (q.isPending) return <Loading />;
  // Not the applicant's own dossier, or the ratings service is unavailable: the page works without it.
  if (q.isError || !q.data.returned) return null;
  const d = q.data;
  return (
    <Section title={t('ratings.dossier.title')} id="dossier-rating">
      {d.rating ? (
        <Notice tone="success" title={t('ratings.done.thanks')}>
          <RatingDone total={d.rating.total} maxTotal={d.rating.maxTotal} gradeName={d.rating.gradeName} />
        </Notice>
      ) : (
        <>
          <p>{t('ratings.dossier.invite')}</p>
          <RatingForm
            form={d.form}
            onSubmit={async (body) => {
              await ratingsApi.rateDossier(dossierId, body);
              await qc.invalidateQueries({ queryKey: ratingsKeys.dossier(dossierId) });
            }}
          />
          {d.ratingUrl && (
            <details className="section">
              <summary>{t('ratings.dossier.otherDevice')}</summary>
              <img className="rating-qr" src={ratingsApi.qrUrl(dossierId)} alt={t('ratings.dossier.qrAlt', { code: d.dossierCode })} />
              <p>
                <a href={d.ratingUrl}>{d.ratingUrl}</a>
              </p>
            </details>
          )}
        </>
      )}
    </Section>
  );
}
