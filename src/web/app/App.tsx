/**
 * Routes and the page frame. The three areas (citizen portal, office workspace, admin) and the
 * account pages are loaded on demand so the first load stays small.
 */
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, setUnauthorizedHandler } from '../api';
import { ErrorState, Loading, markNavigated } from '../ui';
import { enrolment, homePath, isAdmin, meKey, useMe } from './auth';
import { Header } from './Header';
import { LoginPage } from './Login';
import { NotFound } from './NotFound';

const Portal = lazy(() => import('../portal/PortalArea'));
const Office = lazy(() => import('../office/OfficeArea'));
const Admin = lazy(() => import('../admin/AdminArea'));
const Account = lazy(() => import('../account/AccountArea'));
const EdataShare = lazy(() => import('../edata/SharePage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not fix itself by retrying; a network blip might.
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Frame />
      </BrowserRouter>
    </QueryClientProvider>
  );
}

function Frame() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const first = useRef(true);

  // A 401 from any call means the session ended: forget who we were and go to the login page.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      qc.setQueryData(meKey, null);
      const here = window.location.pathname + window.location.search;
      if (!here.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, qc]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every route change by design
  useEffect(() => {
    if (first.current) first.current = false;
    else markNavigated();
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header me={me.data ?? null} />
      <main id="main" className="site-main" tabIndex={-1}>
        <div className="container">
          {me.isPending ? (
            <Loading />
          ) : me.isError ? (
            <ErrorState error={me.error} onRetry={() => void me.refetch()} />
          ) : (
            <Suspense fallback={<Loading />}>
              <AppRoutes />
            </Suspense>
          )}
        </div>
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t('footer.owner')}</p>
          <p>{t('footer.note')}</p>
          <p>
            <Link to="/xep-hang">{t('ratings.ranking.footerLink')}</Link>
          </p>
        </div>
      </footer>
    </>
  );
}

function AppRoutes() {
  const { data: me } = useMe();
  const location = useLocation();
  // Staff who must enrol a second factor see only the enrolment page until it is done.
  if (me && enrolment.required() && !location.pathname.startsWith('/account/2fa')) {
    return <Navigate to="/account/2fa" replace />;
  }
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/chia-se/:token" element={<EdataShare />} />
      <Route path="/account/*" element={<RequireLogin>{<Account />}</RequireLogin>} />
      <Route path="/office/*" element={<RequireStaff>{<Office />}</RequireStaff>} />
      <Route path="/admin/*" element={<RequireAdmin>{<Admin />}</RequireAdmin>} />
      <Route path="/*" element={me?.kind === 'staff' && location.pathname === '/' ? <Navigate to={homePath(me)} replace /> : <Portal />} />
    </Routes>
  );
}

function LoginRedirect() {
  const location = useLocation();
  return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}

function RequireLogin({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  return me ? children : <LoginRedirect />;
}

function RequireStaff({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  if (!me) return <LoginRedirect />;
  return me.kind === 'staff' ? children : <NotFound />;
}

function RequireAdmin({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  if (!me) return <LoginRedirect />;
  return isAdmin(me) ? children : <NotFound />;
}
