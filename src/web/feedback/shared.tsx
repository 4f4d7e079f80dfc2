/** Pieces the field-report pages share: data hooks, the state tag, the offline and queue banners, a report card. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../format';
import { Button, Tag } from '../ui';
import { feedbackApi, feedbackKeys, type PublicReport, stateGroup } from './api';
import type { OutboxItem } from './outbox';
import { useOnline, useOutbox } from './useOutbox';
import './feedback.css';

const DAY = 24 * 3600 * 1000;

export function useCategories() {
  return useQuery({ queryKey: feedbackKeys.categories, queryFn: () => feedbackApi.categories(), staleTime: DAY });
}

/** The commune boundaries: large, rarely changing (the server sends an ETag; the service worker keeps a copy). */
export function useBoundaries() {
  return useQuery({ queryKey: feedbackKeys.boundaries, queryFn: () => feedbackApi.boundaries(), staleTime: DAY, gcTime: DAY });
}

const tones = { open: 'warning', progress: 'info', done: 'success', other: 'neutral' } as const;

export function StateTag({ state, name }: { state: string; name: string }) {
  return <Tag tone={tones[stateGroup(state)]}>{name}</Tag>;
}

/** "You are offline" while the browser says so. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const online = useOnline();
  if (online) return null;
  return (
    <div className="fr-offline" role="status">
      <strong>{t('feedback.offline.title')}</strong> {t('feedback.offline.text')}
    </div>
  );
}

/** The reports waiting on this device, with "Gửi lại" and, for rejected ones, the server's reason. */
export function OutboxList({ accountId }: { accountId?: string | null }) {
  const { t } = useTranslation();
  const online = useOnline();
  const { items, retry, remove, isSending, sent } = useOutbox();
  const mine = accountId === undefined ? items : items.filter((i) => i.accountId === null || i.accountId === accountId);
  if (mine.length === 0 && sent.length === 0) return null;
  return (
    <section className="fr-outbox" aria-labelledby="fr-outbox-title">
      <div aria-live="polite">
        {sent.map((s) => (
          <p key={s.key} className="notice notice-success fr-sent">
            {t('feedback.outbox.sent')} <Link to={`/phan-anh/${s.id}`}>{s.code}</Link>
          </p>
        ))}
      </div>
      {mine.length > 0 && <h2 id="fr-outbox-title">{t('feedback.outbox.title', { count: mine.length })}</h2>}
      <ul className="fr-cards">
        {mine.map((i) => (
          <OutboxCard
            key={i.key}
            item={i}
            sending={isSending(i.key)}
            online={online}
            onRetry={() => void retry(i.key)}
            onRemove={() => void remove(i.key)}
          />
        ))}
      </ul>
    </section>
  );
}

function OutboxCard({
  item,
  sending,
  online,
  onRetry,
  onRemove,
}: {
  item: OutboxItem;
  sending: boolean;
  online: boolean;
  onRetry: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const rejected = item.status === 'rejected';
  return (
    <li className="fr-card fr-card-queued" data-testid="outbox-item">
      <p className="fr-card-head">
        <span className="fr-card-title">{item.categoryName}</span>
        <Tag tone={rejected ? 'danger' : 'warning'}>{rejected ? t('feedback.outbox.rejected') : t('feedback.outbox.pending')}</Tag>
      </p>
      <p className="fr-card-text">{item.report.description}</p>
      <p className="fr-card-meta">
        {t('feedback.outbox.savedAt', { at: formatDateTime(item.createdAt) })}
        {item.photos.length > 0 && ` · ${t('feedback.outbox.photos', { count: item.photos.length })}`}
        {item.attempts > 0 && ` · ${t('feedback.outbox.attempts', { count: item.attempts })}`}
      </p>
      {rejected && item.error && (
        <div className="fr-card-error" role="alert">
          <p>{item.error.detail ?? item.error.title}</p>
          {item.error.errors && item.error.errors.length > 0 && (
            <ul>
              {item.error.errors.map((e) => (
                <li key={`${e.field}:${e.message}`}>{e.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="fr-card-actions">
        {!rejected && (
          <Button variant="secondary" busy={sending} disabled={!online} onClick={onRetry}>
            {t('feedback.outbox.retry')}
          </Button>
        )}
        <Button variant="link" onClick={onRemove}>
          {t('feedback.outbox.remove')}
        </Button>
      </div>
    </li>
  );
}

/** One report in a list (board, mine, nearby). */
export function ReportCard({ r, extra }: { r: PublicReport; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <li className="fr-card">
      <p className="fr-card-head">
        <Link className="fr-card-title" to={`/phan-anh/${r.id}`}>
          {r.categoryName} · {r.code}
        </Link>
        <StateTag state={r.state} name={r.stateName} />
      </p>
      <p className="fr-card-text">{r.description}</p>
      <p className="fr-card-meta">
        {[
          r.communeName ?? r.address,
          formatDateTime(r.createdAt),
          r.photoIds.length > 0 ? t('feedback.outbox.photos', { count: r.photoIds.length }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {extra}
    </li>
  );
}
