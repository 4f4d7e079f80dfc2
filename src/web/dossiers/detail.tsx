/**
 * One of my dossiers (/my-dossiers/:id): status and due date, the receipt (Mẫu 01) when received, the
 * supplement request and its answer form when the office asked for more, the form, the files and the
 * whole timeline. A draft opens the wizard instead.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError } from '../api';
import { NotFound } from '../app/NotFound';
import { useProcedureVersion } from '../catalog/catalog';
import { CitizenProcessing } from '../processing/citizen';
import { DossierRating } from '../ratings/DossierRating';
import { ErrorState, Loading, Notice, PageHeader, Section } from '../ui';
import { dossierFileUrl, trackingPath, useDossier, wizardPath } from './api';
import { SignedIn } from './guard';
import { SupplementPanel } from './supplement';
import { ISSUED } from './types';
import { DossierFacts, FileGroups, FormAnswers, StatusStrip, Timeline } from './view';

export default function MyDossierPage() {
  return (
    <SignedIn>
      <Detail />
    </SignedIn>
  );
}

function Detail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useDossier(id);
  const procedure = useProcedureVersion(q.data?.procedureId ?? '', q.data?.procedureVersion ?? 0);
  const [supplemented, setSupplemented] = useState(false);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 400)) return <NotFound />;
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  }
  const d = q.data;
  if (d.state === 'draft') return <Navigate to={wizardPath(d.procedureCode, d.id)} replace />;
  const refusal = d.state === 'refused' ? [...d.timeline].reverse().find((e) => e.action === 'refuse') : undefined;
  const refusalPdf = refusal ? d.files.find((f) => f.componentKey === ISSUED && refusal.fileIds.includes(f.fileId)) : undefined;
  return (
    <>
      <PageHeader
        title={d.code ? t('dossier.detail.title', { code: d.code }) : t('dossier.states.draft')}
        lead={d.procedureName}
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: '/my-dossiers', label: t('nav.myDossiers') },
        ]}
      />
      {supplemented && <Notice tone="success" live title={t('dossier.supplement.sent')} />}
      <StatusStrip d={d} />
      {d.receiptFileId && (
        <p>
          <a className="btn btn-secondary" href={dossierFileUrl(d.id, d.receiptFileId)} download>
            {t('dossier.detail.receipt')}
          </a>
        </p>
      )}
      <CitizenProcessing d={d} />
      {d.state === 'completed' && <DossierRating dossierId={d.id} />}
      {d.state === 'supplement_requested' && <SupplementPanel d={d} procedure={procedure.data} onDone={() => setSupplemented(true)} />}
      {refusal && (
        <Notice tone="error" title={t('dossier.detail.refused')}>
          {refusalPdf && (
            <p>
              <a href={dossierFileUrl(d.id, refusalPdf.fileId)} download>
                {t('dossier.detail.refusalPdf')}
              </a>
            </p>
          )}
        </Notice>
      )}
      <Section title={t('dossier.detail.facts')} id="dossier-facts">
        <DossierFacts d={d} />
        {d.code && (
          <p>
            <Link to={trackingPath(d.code)}>{t('dossier.detail.publicLink')}</Link>
          </p>
        )}
      </Section>
      <Section title={t('dossier.detail.form')} id="dossier-form">
        {procedure.data ? <FormAnswers fields={procedure.data.form.fields} values={d.form} /> : <Loading />}
      </Section>
      <Section title={t('dossier.detail.files')} id="dossier-files">
        <FileGroups files={d.files} components={procedure.data?.components ?? []} dossierId={d.id} />
      </Section>
      <Section title={t('dossier.detail.timeline')} id="dossier-timeline">
        <Timeline entries={d.timeline} />
      </Section>
    </>
  );
}
