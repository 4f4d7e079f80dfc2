/**
 * Office workspace for one-stop officers, specialists, leaders and clerks. Work queues are shown
 * by permission; they are empty until the dossier and document modules open.
 */
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { can, canAny, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { roleLabel } from '../app/roles';
import { FieldReportPage } from '../feedback-office/DetailPage';
import { FEEDBACK_OFFICE_PERMISSIONS } from '../feedback-office/logic';
import { FieldReportQueue } from '../feedback-office/QueuePage';
import PetitionsOfficeArea from '../petitions/OfficeArea';
import { RegisterPage } from '../processing/register';
import { WorkQueue } from '../processing/work';
import RatingsStaffPage from '../ratings/StaffPage';
import { CounterPage } from '../reception/counter';
import { DossierPage } from '../reception/detail';
import { isReceptionCard, ReceptionQueueCard } from '../reception/QueueCards';
import { ReceptionQueue } from '../reception/queue';
import { ButtonLink, EmptyState, Notice, PageHeader, Section } from '../ui';

export default function OfficeArea() {
  return (
    <Routes>
      <Route index element={<OfficeHome />} />
      <Route path="reception" element={<ReceptionQueue />} />
      <Route path="dossiers/:id" element={<DossierPage />} />
      <Route path="counter" element={<CounterPage />} />
      <Route path="work" element={<WorkQueue />} />
      <Route path="register" element={<RegisterPage />} />
      <Route path="ratings" element={<RatingsStaffPage />} />
      <Route path="phan-anh" element={<FieldReportQueue />} />
      <Route path="phan-anh/:id" element={<FieldReportPage />} />
      <Route path="kien-nghi/*" element={<PetitionsOfficeArea />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

/** Queues per permission; one person may hold several roles, so several groups may show. */
const queueGroups = [
  { permission: 'dossiers.receive', key: 'receive', queues: ['toReceive', 'toReturn', 'supplement'] },
  { permission: 'dossiers.process', key: 'process', queues: ['assigned', 'dueSoon'] },
  { permission: 'dossiers.approve', key: 'approve', queues: ['toApprove', 'toSign'] },
  { permission: 'documents.register', key: 'register', queues: ['incoming', 'outgoing'] },
] as const;

function OfficeHome() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (!me) return null;
  const groups = queueGroups.filter((g) => can(me, g.permission));
  return (
    <>
      <PageHeader title={t('office.title')} lead={t('office.lead', { name: me.displayName })} />
      <div className="summary-strip">
        <div className="summary-item">
          <span className="summary-label">{t('office.agency')}</span>
          <span className="summary-value">{me.agency?.name ?? t('office.noAgency')}</span>
        </div>
        <div className="summary-item">
          <span className="summary-label">{t('office.roles')}</span>
          <span className="summary-value">{me.roles.length ? me.roles.map((r) => roleLabel(r, t)).join(', ') : t('office.noRoles')}</span>
        </div>
      </div>
      {groups.some((g) => g.key !== 'receive') && <Notice title={t('office.notOpenTitle')}>{t('office.notOpenText')}</Notice>}
      {can(me, 'ratings.read') && (
        <p>
          <ButtonLink to="/office/ratings" variant="secondary">
            {t('ratings.staff.title')}
          </ButtonLink>
        </p>
      )}
      {canAny(me, FEEDBACK_OFFICE_PERMISSIONS) && (
        <p>
          <ButtonLink to="/office/phan-anh" variant="secondary">
            {t('feedbackOffice.queue.title')}
          </ButtonLink>
        </p>
      )}
      {can(me, 'petitions.handle') && (
        <p>
          <ButtonLink to="/office/kien-nghi" variant="secondary">
            {t('petitions.office.title')}
          </ButtonLink>
        </p>
      )}
      {groups.length === 0 && !canAny(me, FEEDBACK_OFFICE_PERMISSIONS) && (
        <EmptyState title={t('office.noQueuesTitle')}>
          <p>{t('office.noQueuesText')}</p>
        </EmptyState>
      )}
      {groups.map((g) => (
        <Section
          key={g.key}
          id={`queue-${g.key}`}
          title={t(`office.groups.${g.key}`)}
          actions={
            g.key === 'receive' ? (
              <span className="button-row">
                <ButtonLink to="/office/counter" variant="secondary">
                  {t('reception.counter.title')}
                </ButtonLink>
                <ButtonLink to="/office/register" variant="secondary">
                  {t('processing.register.title')}
                </ButtonLink>
              </span>
            ) : (
              (g.key === 'process' || g.key === 'approve') && (
                <ButtonLink to="/office/work" variant="secondary">
                  {t('processing.work.title')}
                </ButtonLink>
              )
            )
          }
        >
          <div className="queue-grid">
            {g.queues.map((q) =>
              g.key === 'receive' && isReceptionCard(q) ? (
                <ReceptionQueueCard key={q} queue={q} title={t(`office.queues.${q}`)} />
              ) : (
                <section key={q} className="queue-card" aria-labelledby={`queue-${q}`}>
                  <h3 id={`queue-${q}`}>{t(`office.queues.${q}`)}</h3>
                  <p className="queue-empty">{t('office.queueEmpty')}</p>
                </section>
              ),
            )}
          </div>
        </Section>
      ))}
    </>
  );
}
