/** On the desk's dossier page once the result is returned: the QR of the rating link, to show or print at the counter. */
import { useTranslation } from 'react-i18next';
import { Section } from '../ui';
import { ratingsApi } from './api';
import './ratings.css';

export function CounterRatingQr({ dossierId, code }: { dossierId: string; code: string | null }) {
  const { t } = useTranslation();
  return (
    <Section title={t('ratings.counter.title')} id="dossier-rating-qr">
      <p className="muted">{t('ratings.counter.help')}</p>
      <img className="rating-qr" src={ratingsApi.qrUrl(dossierId)} alt={t('ratings.dossier.qrAlt', { code: code ?? '' })} />
    </Section>
  );
}
