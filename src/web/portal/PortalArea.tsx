/**
 * Citizen portal: the public procedure catalogue (open without signing in), online submission and
 * "my dossiers" (signed in, `dossiers/`), public tracking by dossier code, and field reports (`/phan-anh…`,
 * `feedback/`: the public board, the report form with its offline queue, my reports, a report's page).
 */
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { ButtonLink, PageHeader } from '../ui';
import { ProcedurePage, ProcedureSearch } from './procedures';

type Entry = { key: 'procedures' | 'myDossiers' | 'tracking' | 'fieldReports' | 'petitions'; to: string; icon: string; strings?: string };

const SubmitWizard = lazy(() => import('../dossiers/wizard'));
const SubmittedPage = lazy(() => import('../dossiers/submitted'));
const MyDossiersPage = lazy(() => import('../dossiers/mine'));
const MyDossierPage = lazy(() => import('../dossiers/detail'));
const TrackingSearch = lazy(() => import('../dossiers/tracking').then((m) => ({ default: m.TrackingSearchPage })));
const VerifyPage = lazy(() => import('../processing/verify'));
const TrackingPage = lazy(() => import('../dossiers/tracking').then((m) => ({ default: m.TrackingPage })));
const RatingLinkPage = lazy(() => import('../ratings/LinkPage'));
const RatingKioskPage = lazy(() => import('../ratings/KioskPage'));
const RatingRankingPage = lazy(() => import('../ratings/RankingPage'));
const FieldReports = lazy(() => import('../feedback/FeedbackArea'));
const Petitions = lazy(() => import('../petitions/PetitionsArea'));

const entries: Entry[] = [
  { key: 'procedures', to: '/procedures', icon: 'M5 3h10l4 4v14H5V3zm9 1.5V8h3.5M8 11h8M8 14h8M8 17h5' },
  { key: 'myDossiers', to: '/my-dossiers', icon: 'M3 6h7l2 2h9v11H3V6zm0 4h18' },
  { key: 'tracking', to: '/tra-cuu', icon: 'M10.5 4a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zm4.6 11.1L20 20', strings: 'dossier.home' },
  {
    key: 'fieldReports',
    to: '/phan-anh',
    icon: 'M12 21s-6-5.5-6-10a6 6 0 0 1 12 0c0 4.5-6 10-6 10zm0-8a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  },
  { key: 'petitions', to: '/kien-nghi', icon: 'M4 4h16v12H8l-4 4V4zm4 5h8M8 12h5', strings: 'petitions.entry' },
];

export default function PortalArea() {
  return (
    <Routes>
      <Route index element={<PortalHome />} />
      <Route path="procedures" element={<ProcedureSearch />} />
      <Route path="procedures/:code" element={<ProcedurePage />} />
      {/* Vietnamese addresses (printed on leaflets, read out on the phone) lead to the same pages. */}
      <Route path="thu-tuc/*" element={<VietnameseAlias />} />
      <Route path="procedures/:code/nop" element={<SubmitWizard />} />
      <Route path="my-dossiers" element={<MyDossiersPage />} />
      <Route path="my-dossiers/:id" element={<MyDossierPage />} />
      <Route path="my-dossiers/:id/submitted" element={<SubmittedPage />} />
      <Route path="tra-cuu" element={<TrackingSearch />} />
      <Route path="tra-cuu/:code" element={<TrackingPage />} />
      <Route path="xac-thuc" element={<VerifyPage />} />
      <Route path="xac-thuc/:code" element={<VerifyPage />} />
      {/* Field reports (phản ánh hiện trường); the old English address leads there. */}
      <Route path="phan-anh/*" element={<FieldReports />} />
      <Route path="field-reports" element={<Navigate to="/phan-anh" replace />} />
      {/* Satisfaction ratings: the kiosk at the desk, the signed link of the "result returned" message, the ranking. */}
      <Route path="danh-gia/quay" element={<RatingKioskPage />} />
      <Route path="danh-gia/:token" element={<RatingLinkPage />} />
      <Route path="xep-hang" element={<RatingRankingPage />} />
      {/* Petitions on administrative regulations (phản ánh, kiến nghị, NĐ 20/2008): published answers, the form, mine. */}
      <Route path="kien-nghi/*" element={<Petitions />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

function PortalHome() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  return (
    <>
      <PageHeader title={me ? t('portal.homeTitleUser', { name: me.displayName }) : t('portal.homeTitle')} lead={t('portal.homeLead')} />
      <ul className="entry-grid">
        {entries.map((e) => (
          <li key={e.key}>
            <Link to={e.to} className="entry-card">
              <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" focusable="false" className="entry-icon">
                <path d={e.icon} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
              </svg>
              <span className="entry-title">{t(`${e.strings ?? `portal.${e.key}`}.title`)}</span>
              <span className="entry-text">{t(`${e.strings ?? `portal.${e.key}`}.text`)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {!me && (
        <aside className="panel panel-muted" aria-labelledby="portal-signin">
          <h2 id="portal-signin">{t('portal.signinTitle')}</h2>
          <p>{t('portal.signinText')}</p>
          <ButtonLink to="/login" variant="primary">
            {t('nav.login')}
          </ButtonLink>
        </aside>
      )}
    </>
  );
}

/** /thu-tuc[/:code][?…] → /procedures[/:code][?…] */
function VietnameseAlias() {
  const location = useLocation();
  return <Navigate to={location.pathname.replace(/^\/thu-tuc/, '/procedures') + location.search} replace />;
}
