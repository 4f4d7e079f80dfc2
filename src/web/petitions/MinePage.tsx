/** /kien-nghi/cua-toi — the signed-in person's petitions with their state and deadlines. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../app/auth';
import { ButtonLink, DateTime, EmptyState, ErrorState, Loading, Notice, PageHeader } from '../ui';
import { petitionsApi, petitionsKeys } from './api';
import { StateTag } from './shared';
import './petitions.css';

export default function MinePage() {
  const { t } = useTranslation();
  const { data: me, isPending: mePending } = useMe();
  const q = useQuery({ queryKey: petitionsKeys.mine, queryFn: () => petitionsApi.mine(), enabled: !!me });
  return (
    <div className="narrow">
      <PageHeader
        title={t('petitions.mine.title')}
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: '/kien-nghi', label: t('petitions.list.title') },
        ]}
        actions={
          <ButtonLink to="/kien-nghi/gui" variant="primary">
            {t('petitions.list.submit')}
          </ButtonLink>
        }
      />
      {mePending ? (
        <Loading />
      ) : !me ? (
        <Notice title={t('petitions.mine.signInTitle')}>
          <p>{t('petitions.mine.signInText')}</p>
          <ButtonLink to="/login?next=%2Fkien-nghi%2Fcua-toi">{t('nav.login')}</ButtonLink>
        </Notice>
      ) : q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState title={t('petitions.mine.empty')} action={<ButtonLink to="/kien-nghi/gui">{t('petitions.list.submit')}</ButtonLink>} />
      ) : (
        <ul className="pk-cards">
          {q.data.items.map((p) => (
            <li key={p.id} className="pk-card">
              <h2 className="pk-card-title">
                <Link to={`/kien-nghi/${p.id}`}>{p.regulation}</Link>
              </h2>
              <p className="pk-meta">
                {t('petitions.fields.registerNumber')}: {p.registerNumber} · {p.agencyName}
              </p>
              <p>
                <StateTag state={p.state} />
              </p>
              <p className="pk-meta">
                {t('petitions.fields.receivedAt')}: <DateTime value={p.receivedAt} />
                {p.handleDueAt && (p.state === 'accepted' || p.state === 'in_progress') && (
                  <>
                    {' '}
                    · {t('petitions.fields.handleDueAt')}: <DateTime value={p.handleDueAt} />
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
