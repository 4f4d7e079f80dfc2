/**
 * After "Nộp hồ sơ" (/my-dossiers/:id/submitted): the dossier code in large type, its QR code (which
 * opens the public tracking page), the tracking link, and what happens next.
 */
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError } from '../api';
import { NotFound } from '../app/NotFound';
import { ButtonLink, ErrorState, Loading, PageHeader, Section } from '../ui';
import { myDossierPath, qrUrl, trackingPath, useDossier, wizardPath } from './api';
import { SignedIn } from './guard';

export default function SubmittedPage() {
  return (
    <SignedIn>
      <Submitted />
    </SignedIn>
  );
}

function Submitted() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useDossier(id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 400)) return <NotFound />;
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  }
  const d = q.data;
  if (!d.code) return <Navigate to={wizardPath(d.procedureCode, d.id)} replace />;
  const tracking = trackingPath(d.code);
  return (
    <>
      <PageHeader title={t('dossier.submitted.title')} lead={d.procedureName} />
      <div className="submitted-panel" role="status">
        <p className="submitted-label">{t('dossier.submitted.codeLabel')}</p>
        <p className="dossier-code">{d.code}</p>
        <img
          className="qr submitted-qr"
          src={qrUrl(d.code)}
          alt={t('dossier.submitted.qrAlt', { code: d.code })}
          width={176}
          height={176}
        />
        <p>
          {t('dossier.submitted.trackAt')}{' '}
          <Link to={tracking} className="break">
            {window.location.origin}
            {tracking}
          </Link>
        </p>
      </div>
      <Section title={t('dossier.submitted.nextTitle')} id="dossier-next">
        <ol className="steps">
          <li>{t('dossier.submitted.next1', { desk: d.deskAgencyName })}</li>
          <li>{t('dossier.submitted.next2')}</li>
          <li>{t('dossier.submitted.next3')}</li>
          <li>{t('dossier.submitted.next4')}</li>
        </ol>
      </Section>
      <div className="button-row">
        <ButtonLink to={myDossierPath(d.id)} variant="primary">
          {t('dossier.submitted.view')}
        </ButtonLink>
        <ButtonLink to="/my-dossiers">{t('nav.myDossiers')}</ButtonLink>
      </div>
    </>
  );
}
