/** Site header: name, language switch, account menu (or sign-in link), and the role-aware navigation. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useNavigate } from 'react-router';
import { authApi, type Me, resetCsrf } from '../api';
import { setLanguage } from '../i18n';
import { canAny, enrolment, isAdmin, meKey, WORK_PERMISSIONS } from './auth';
import { markLoggedOut } from './Login';
import { Logo } from './Logo';

export function Header({ me }: { me: Me | null }) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="masthead">
        <div className="container masthead-inner">
          <Link to="/" className="brand">
            <Logo />
            <span className="brand-text">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </span>
          </Link>
          <div className="masthead-tools">
            <LanguageSwitch />
            {me ? (
              <AccountMenu me={me} />
            ) : (
              <Link className="masthead-link" to="/login">
                {t('nav.login')}
              </Link>
            )}
          </div>
        </div>
      </div>
      <MainNav me={me} />
    </header>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'en' ? 'vi' : 'en';
  return (
    <button
      type="button"
      className="masthead-link lang-switch"
      onClick={() => void setLanguage(other)}
      lang={other}
      title={t('lang.switchTo', { lng: t(`lang.${other}`) })}
    >
      {t(`lang.${other}`)}
    </button>
  );
}

function AccountMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const navigate = useNavigate();
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const close = () => setOpen(false);
  const logout = async () => {
    try {
      // Ends the TinhSo session and the browser's SSO (provider) session; the local call is the fallback.
      await authApi.ssoLogout().catch(() => authApi.logout());
    } catch {
      // Already signed out, or offline: the local state is cleared below either way.
    } finally {
      resetCsrf();
      enrolment.set(false);
      markLoggedOut();
      qc.setQueryData(meKey, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      navigate('/login', { replace: true, state: { loggedOut: true } });
    }
  };

  return (
    <div className="account-menu" ref={ref}>
      <button
        ref={buttonRef}
        type="button"
        className="masthead-link account-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="account-name">{me.displayName}</span>
        <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
          <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
      </button>
      <div className="account-panel" id={menuId} hidden={!open}>
        <p className="account-who">
          <span className="account-who-name">{me.displayName}</span>
          <span className="account-who-user">{me.username}</span>
          {me.agency && <span className="account-who-agency">{me.agency.name}</span>}
        </p>
        <ul>
          <li>
            <Link to="/account/password" onClick={close}>
              {t('account.password.title')}
            </Link>
          </li>
          <li>
            <Link to="/account/2fa" onClick={close}>
              {t('account.totp.title')}
            </Link>
          </li>
          <li>
            <Link to="/account/sessions" onClick={close}>
              {t('account.sessions.title')}
            </Link>
          </li>
          {me.kind === 'citizen' && (
            <>
              <li>
                <Link to="/account/edata" onClick={close}>
                  {t('edata.title')}
                </Link>
              </li>
              <li>
                <Link to="/account/businesses" onClick={close}>
                  {t('parties.menuBusinesses')}
                </Link>
              </li>
              <li>
                <Link to="/account/authorisations" onClick={close}>
                  {t('parties.menuAuthorisations')}
                </Link>
              </li>
            </>
          )}
          <li>
            <Link to="/account/apps" onClick={close}>
              {t('sso.account.menu')}
            </Link>
          </li>
          <li>
            <button type="button" className="link-button" onClick={() => void logout()}>
              {t('nav.logout')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}

function MainNav({ me }: { me: Me | null }) {
  const { t } = useTranslation();
  const staff = me?.kind === 'staff';
  const items: { to: string; label: string; end?: boolean }[] = [];
  if (me && enrolment.required()) {
    // Nothing else opens until the second factor is set up.
  } else if (!staff) {
    items.push({ to: '/', label: t('nav.home'), end: true });
    items.push({ to: '/procedures', label: t('nav.procedures') });
    if (me) items.push({ to: '/my-dossiers', label: t('nav.myDossiers') });
    items.push({ to: '/phan-anh', label: t('nav.fieldReports') });
  } else {
    if (canAny(me, WORK_PERMISSIONS) || !isAdmin(me)) items.push({ to: '/office', label: t('nav.office') });
    if (isAdmin(me)) items.push({ to: '/admin', label: t('nav.admin') });
  }
  return (
    <nav className="main-nav" aria-label={t('nav.main')}>
      <div className="container">
        <ul>
          {items.map((i) => (
            <li key={i.to}>
              <NavLink to={i.to} end={i.end}>
                {i.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}
