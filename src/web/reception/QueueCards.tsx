/**
 * The desk's queue cards on the office home: how many dossiers wait for reception and how many wait
 * for the applicant's supplement, each linking to its tab of the reception queue.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQueueCount } from './api';
import { emptyFilters, type QueueView, queueApiQuery, queueFiltersToParams } from './filters';

const cardView = { toReceive: 'reception', supplement: 'supplement' } as const satisfies Record<string, QueueView>;
export type ReceptionCard = keyof typeof cardView;
export const isReceptionCard = (q: string): q is ReceptionCard => q in cardView;

export function ReceptionQueueCard({ queue, title }: { queue: ReceptionCard; title: string }) {
  const { t } = useTranslation();
  const filters = { ...emptyFilters, view: cardView[queue] };
  const count = useQueueCount(queueApiQuery(filters));
  const qs = queueFiltersToParams(filters).toString();
  const headingId = `queue-${queue}`;
  return (
    <section className="queue-card queue-card-live" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {count.isPending ? (
        <p className="queue-empty">{t('common.loading')}</p>
      ) : count.isError ? (
        <p className="queue-empty">{t('reception.home.countError')}</p>
      ) : (
        <p className="queue-count">
          <span className="queue-number">{count.data.more ? `${count.data.count}+` : count.data.count}</span>{' '}
          <span className="queue-unit">{t('reception.home.dossiers')}</span>
        </p>
      )}
      <Link to={`/office/reception${qs ? `?${qs}` : ''}`} aria-describedby={headingId}>
        {t('reception.home.open')}
      </Link>
    </section>
  );
}
