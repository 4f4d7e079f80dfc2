/** /phan-anh/cua-toi — the reports waiting on this device, then the signed-in user's reports and those they follow. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMe } from '../app/auth';
import { ButtonLink, EmptyState, ErrorState, Loading, Notice, PageHeader, Section } from '../ui';
import { feedbackApi, feedbackKeys } from './api';
import { OfflineBanner, OutboxList, ReportCard } from './shared';
import { useOnline } from './useOutbox';

export default function MinePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const online = useOnline();
  const q = useQuery({ queryKey: feedbackKeys.mine, queryFn: () => feedbackApi.mine(), enabled: !!me });
  return (
    <div className="narrow">
      <PageHeader
        title={t('feedback.mine.title')}
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: '/phan-anh', label: t('feedback.board.title') },
        ]}
        actions={
          <ButtonLink to="/phan-anh/gui" variant="primary">
            {t('feedback.board.submit')}
          </ButtonLink>
        }
      />
      <OfflineBanner />
      <OutboxList accountId={me?.id ?? null} />
      {!me ? (
        <Notice title={t('feedback.mine.signInTitle')}>
          <p>{t('feedback.mine.signInText')}</p>
          <ButtonLink to="/login?next=%2Fphan-anh%2Fcua-toi">{t('nav.login')}</ButtonLink>
        </Notice>
      ) : q.isPending && !online ? (
        <p className="fr-hint">{t('feedback.mine.offline')}</p>
      ) : q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <Section title={t('feedback.mine.sent')}>
            {q.data.items.length === 0 ? (
              <EmptyState
                title={t('feedback.mine.empty')}
                action={<ButtonLink to="/phan-anh/gui">{t('feedback.board.submit')}</ButtonLink>}
              />
            ) : (
              <ul className="fr-cards">
                {q.data.items.map((r) => (
                  <ReportCard key={r.id} r={r} />
                ))}
              </ul>
            )}
          </Section>
          {q.data.following && q.data.following.length > 0 && (
            <Section title={t('feedback.mine.following')}>
              <ul className="fr-cards">
                {q.data.following.map((r) => (
                  <ReportCard key={r.id} r={r} />
                ))}
              </ul>
            </Section>
          )}
        </>
      )}
    </div>
  );
}
