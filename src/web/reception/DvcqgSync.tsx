/**
 * Where a dossier stands with the national portal (Cổng DVC quốc gia): the status last sent, the last
 * successful sync, the last error, and whether the portal has its current state. Read from
 * GET /api/v1/dossiers/:id/dvcqg (desk and resolving agency only).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SyncState } from '../../server/modules/dvcqg/dvcqg.schemas';
import { api } from '../api';
import { DateTime, Details, ErrorState, Loading, Section, Tag } from '../ui';
import { dossierPath } from './api';

export function useDvcqgSync(dossierId: string) {
  return useQuery({
    queryKey: [dossierPath(dossierId), 'dvcqg'],
    queryFn: ({ signal }) => api.get<SyncState>(`${dossierPath(dossierId)}/dvcqg`, undefined, { signal }),
    enabled: dossierId !== '',
    // A push runs in the background right after each action: look again shortly while it is pending.
    refetchInterval: (q) => (q.state.data && !q.state.data.upToDate ? 15_000 : false),
  });
}

export function DvcqgSync({ dossierId }: { dossierId: string }) {
  const { t } = useTranslation();
  const q = useDvcqgSync(dossierId);
  const title = t('reception.dvcqg.title');
  if (q.isPending) {
    return (
      <Section title={title}>
        <Loading />
      </Section>
    );
  }
  if (q.isError) {
    return (
      <Section title={title}>
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      </Section>
    );
  }
  const s = q.data;
  const status = (n: number | null) => (n === null ? null : t(`reception.dvcqg.statuses.${n}`, { defaultValue: String(n) }));
  const state = s.upToDate ? (
    <Tag key="state" tone="success">
      {t('reception.dvcqg.upToDate')}
    </Tag>
  ) : s.lastError ? (
    <Tag key="state" tone="danger">
      {t('reception.dvcqg.failing')}
    </Tag>
  ) : (
    <Tag key="state" tone="warning">
      {t('reception.dvcqg.pending')}
    </Tag>
  );
  return (
    <Section title={title}>
      <Details
        items={[
          [t('reception.dvcqg.state'), state],
          [t('reception.dvcqg.target'), t(`reception.dvcqg.targets.${s.target}`)],
          [t('reception.dvcqg.lastStatusSent'), status(s.lastStatusSent) ?? t('reception.dvcqg.never')],
          [t('reception.dvcqg.currentStatus'), status(s.currentStatus)],
          [t('reception.dvcqg.lastOkAt'), s.lastOkAt ? <DateTime key="ok" value={s.lastOkAt} /> : t('reception.dvcqg.never')],
          [t('reception.dvcqg.lastAttemptAt'), <DateTime key="attempt" value={s.lastAttemptAt} />],
          [
            t('reception.dvcqg.lastError'),
            s.lastError ? (
              <span key="error">
                {s.lastError}
                {s.failures > 1 ? ` ${t('reception.dvcqg.failures', { n: s.failures })}` : ''}
              </span>
            ) : null,
          ],
        ]}
      />
    </Section>
  );
}
