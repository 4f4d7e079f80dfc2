/**
 * Sign-in. Two modes:
 *  - `/login?interaction=<uid>`: the provincial OIDC provider (/oidc) asks us to sign the person in or to
 *    ask their consent for a client application. Signed-in people may continue with their account or
 *    switch; others use the password (then TOTP) form; the provider then takes the browser onwards.
 *  - bare `/login`: the web app itself signs in through the provider, so the page sends the browser to
 *    `/auth/sso/start` (after checking it answers with a redirect). If it does not, the person is told
 *    and the local form signs them in directly.
 * Staff whose policy requires a second factor but have none yet are taken to the enrolment page.
 * Nothing secret is shown here: no demo accounts, no hints about which part was wrong.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, authApi, type LoginResult, type Me, resetCsrf } from '../api';
import { ssoApi } from '../sso/api';
import { Consent } from '../sso/Consent';
import { checkSsoStart, safeNext, ssoStartUrl, startGuard, vneidErrorKey, vneidStartUrl } from '../sso/logic';
import { Button, check, ErrorState, FormView, Loading, Notice, PageHeader, problemText, rules, TextField, useForm } from '../ui';
import { enrolment, homePath, meKey, useMe } from './auth';
import '../sso/sso.css';

/** Login failures get our own wording (in the chosen language); others keep the server's. */
function loginError(e: unknown, t: (k: string) => string): unknown {
  if (!(e instanceof ApiError)) return e;
  const known: Record<string, string> = {
    invalid_credentials: 'login.errors.invalidCredentials',
    invalid_totp: 'login.errors.invalidTotp',
    too_many_requests: 'login.errors.tooMany',
    account_locked: 'login.errors.locked',
  };
  const key = known[e.code] ?? (e.status === 429 ? known.too_many_requests : undefined);
  if (!key) return e;
  // Keep the server's detail for a lock: it says until when.
  const detail = e.code === 'account_locked' ? e.problem.detail : undefined;
  return new ApiError({ ...e.problem, title: t(key), detail, errors: undefined });
}

const session = (): Storage | null => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
};

// "You have signed out" survives the trip through the provider to the interaction page. The header
// sets it (markLoggedOut) because clearing the session may re-route to /login?next=… without state.
const LOGGED_OUT_KEY = 'tinhso.loggedOut';

export function markLoggedOut(): void {
  setFlag(LOGGED_OUT_KEY, '1');
}
// The interaction the VNeID button left from: on return the page continues without another click.
const VNEID_KEY = 'tinhso.vneid.interaction';

function takeFlag(key: string): string | null {
  const s = session();
  try {
    const v = s?.getItem(key) ?? null;
    s?.removeItem(key);
    return v;
  } catch {
    return null;
  }
}

function peekFlag(key: string): string | null {
  try {
    return session()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function setFlag(key: string, value: string): void {
  try {
    session()?.setItem(key, value);
  } catch {
    // storage unavailable: only a convenience is lost
  }
}

export function LoginPage() {
  const [params] = useSearchParams();
  const uid = params.get('interaction');
  return uid ? <InteractionLogin key={uid} uid={uid} /> : <AppLogin />;
}

/** Bare /login: go through the provider; fall back to the local form when it cannot be reached. */
function AppLogin() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [flagged] = useState(() => peekFlag(LOGGED_OUT_KEY) === '1');
  const loggedOut = (location.state as { loggedOut?: boolean } | null)?.loggedOut || params.get('loggedOut') === '1' || flagged;
  // The callback sends failures back as ?sso_error=… (e.g. access_denied, invalid_response).
  const serverError = params.get('sso_error') ?? params.get('error');
  const [fallback, setFallback] = useState<{ title: string; detail?: string; retry?: boolean } | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (me || started.current) return;
    started.current = true;
    const s = session();
    if (serverError || startGuard.recent(s)) {
      // Came back without a session (or with an error): do not loop, let the person sign in here.
      startGuard.clear(s);
      takeFlag(LOGGED_OUT_KEY);
      const vneid = vneidErrorKey(serverError);
      setFallback(
        vneid
          ? { title: t('sso.vneid.failed'), detail: t(vneid), retry: true }
          : { title: t('sso.login.failed'), detail: t('sso.login.unavailableDetail'), retry: true },
      );
      return;
    }
    const url = ssoStartUrl(next);
    void checkSsoStart(url).then((r) => {
      if (r.ok) {
        startGuard.mark(s);
        if (loggedOut) setFlag(LOGGED_OUT_KEY, '1');
        window.location.assign(url);
      } else {
        takeFlag(LOGGED_OUT_KEY);
        setFallback({
          title: t('sso.login.unavailable'),
          detail: r.status === 0 ? t('errors.network.detail') : (r.detail ?? t('sso.login.unavailableDetail')),
        });
      }
    });
  }, [me, next, serverError, loggedOut, t]);

  if (me) return <Navigate to={next ?? homePath(me)} replace />;
  if (!fallback) return <Loading label={t('sso.login.redirecting')} />;

  const done = (who: Me, stage: LoginResult['stage']) => {
    enrolment.set(stage === 'totp_enroll');
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
    qc.setQueryData(meKey, who);
    navigate(stage === 'totp_enroll' ? '/account/2fa' : (next ?? homePath(who)), { replace: true });
  };

  return (
    <LoginFrame>
      {loggedOut && <Notice tone="success" live title={t('login.loggedOut')} />}
      <Notice tone="warning" live title={fallback.title}>
        <p>{fallback.detail}</p>
        {fallback.retry && (
          <p>
            <a href={ssoStartUrl(next)}>{t('sso.login.retry')}</a>
          </p>
        )}
      </Notice>
      <PasswordLogin onSignedIn={done} vneidHref={vneidStartUrl({ next })} />
    </LoginFrame>
  );
}

/** `/login?interaction=<uid>`: the provider's login or consent prompt. */
function InteractionLogin({ uid }: { uid: string }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [params] = useSearchParams();
  const vneidError = vneidErrorKey(params.get('error'));
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'continue' | 'switch' | null>(null);
  const [loggedOut] = useState(() => takeFlag(LOGGED_OUT_KEY) === '1');
  // Back from VNeID with an error: no automatic continuation later.
  const [vneidFlag] = useState(() => (vneidError ? null : peekFlag(VNEID_KEY)));
  const interaction = useQuery({
    queryKey: ['sso', 'interaction', uid],
    queryFn: () => ssoApi.interaction(uid),
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });

  useEffect(() => {
    // The trip through the provider worked: a later bare /login may start one again.
    startGuard.clear(session());
  }, []);

  const go = (redirectTo: string) => {
    setLeaving(true);
    window.location.assign(redirectTo);
  };

  const finishLogin = async () => {
    setError(null);
    try {
      go((await ssoApi.login(uid)).redirectTo);
    } catch (e) {
      setLeaving(false);
      setError(e);
    }
  };

  // Back from VNeID for this very interaction: continue without asking again.
  const data = interaction.data;
  const autoContinue = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: finishLogin only closes over uid
  useEffect(() => {
    if (data?.prompt !== 'login' || !me || autoContinue.current) return;
    if (vneidFlag === uid && takeFlag(VNEID_KEY) === uid) {
      autoContinue.current = true;
      setBusy('continue');
      void finishLogin().finally(() => setBusy(null));
    }
  }, [data, me, uid, vneidFlag]);

  if (leaving) return <Loading label={t('sso.login.redirecting')} />;
  if (interaction.isPending) return <Loading label={t('sso.interaction.loading')} />;
  if (interaction.isError) {
    const e = interaction.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 410 || e.code === 'interaction_not_found')) {
      return (
        <div className="narrow">
          <PageHeader title={t('sso.interaction.expiredTitle')} />
          <Notice tone="error" live title={t('sso.interaction.expiredText')}>
            <p>
              <a href="/login">{t('sso.interaction.startAgain')}</a>
            </p>
          </Notice>
        </div>
      );
    }
    return <ErrorState error={e} onRetry={() => void interaction.refetch()} />;
  }

  const it = interaction.data;
  const errorNotice = error !== null && <ProblemNotice error={error} />;

  if (it.prompt === 'consent') {
    return <Consent interaction={it} me={me ?? null} onRedirect={go} />;
  }

  const switchAccount = async () => {
    setBusy('switch');
    setError(null);
    try {
      await authApi.logout();
    } catch {
      // signed out already, or the server is unhappy: the form is what the person asked for anyway
    } finally {
      resetCsrf();
      enrolment.set(false);
      qc.setQueryData(meKey, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      setBusy(null);
    }
  };

  if (me) {
    const name = it.account?.displayName ?? me.displayName;
    return (
      <LoginFrame client={it.client.name} lead={t('sso.login.signedInLead', { client: it.client.name })}>
        {errorNotice}
        <div className="sso-choice">
          <Button busy={busy === 'continue'} disabled={busy !== null} onClick={() => void finishLogin()}>
            {t('sso.login.continueAs', { name })}
          </Button>
          <Button variant="secondary" busy={busy === 'switch'} disabled={busy !== null} onClick={() => void switchAccount()}>
            {t('sso.login.otherAccount')}
          </Button>
        </div>
      </LoginFrame>
    );
  }

  const signedIn = async (who: Me, stage: LoginResult['stage']) => {
    if (stage === 'totp_enroll') {
      // Unchanged: the second factor is set up first (the provider's request has to be started again).
      enrolment.set(true);
      qc.setQueryData(meKey, who);
      navigate('/account/2fa', { replace: true });
      return;
    }
    enrolment.set(false);
    setError(null);
    try {
      go((await ssoApi.login(uid)).redirectTo);
    } catch (e) {
      setLeaving(false);
      // Signed in here, but the provider did not take it: show the choice screen with the error.
      qc.setQueryData(meKey, who);
      setError(e);
    }
  };

  return (
    <LoginFrame client={it.client.firstParty ? undefined : it.client.name}>
      {loggedOut && <Notice tone="success" live title={t('login.loggedOut')} />}
      {vneidError && (
        <Notice tone="error" live title={t('sso.vneid.failed')}>
          {t(vneidError)}
        </Notice>
      )}
      {errorNotice}
      <PasswordLogin onSignedIn={signedIn} vneidHref={vneidStartUrl({ interaction: uid })} onVneid={() => setFlag(VNEID_KEY, uid)} />
    </LoginFrame>
  );
}

function ProblemNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { title, detail } = problemText(error, t);
  return (
    <Notice tone="error" live title={title}>
      {detail}
    </Notice>
  );
}

/** Heading, the page's content and the help panel. */
function LoginFrame({ children, client, lead }: { children: ReactNode; client?: string; lead?: string }) {
  const { t } = useTranslation();
  return (
    <div className="login-layout">
      <div>
        <PageHeader title={t('login.title')} lead={lead ?? (client ? t('sso.login.forClient', { client }) : undefined)} />
        {children}
      </div>
      <aside className="panel panel-muted login-help" aria-labelledby="login-help-title">
        <h2 id="login-help-title">{t('login.helpTitle')}</h2>
        <p>{t('login.helpStaff')}</p>
        <p>{t('login.helpCitizen')}</p>
        <p className="muted">{t('login.security')}</p>
      </aside>
    </div>
  );
}

/** Username + password, then the TOTP code when the account has one; and the VNeID way in. */
function PasswordLogin({
  onSignedIn,
  vneidHref,
  onVneid,
}: {
  onSignedIn: (who: Me, stage: LoginResult['stage']) => void | Promise<void>;
  vneidHref: string;
  onVneid?: () => void;
}) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'password' | 'totp'>('password');
  // Offered when the server says VNeID is on (or cannot say: the button then explains on failure).
  const vneid = useQuery({ queryKey: ['auth', 'vneid'], queryFn: ssoApi.vneid, staleTime: Number.POSITIVE_INFINITY, retry: false });
  const showVneid = vneid.isError || vneid.data?.enabled === true;

  const finish = async (result: LoginResult) => {
    resetCsrf();
    if (result.stage === 'totp') {
      setStep('totp');
      return;
    }
    await onSignedIn(result.me, result.stage);
  };

  const password = useForm({
    initial: { username: '', password: '' },
    validate: (v) => check(v, { username: [rules.required()], password: [rules.required()] }),
    onSubmit: async (v) => {
      let result: LoginResult;
      try {
        result = await authApi.login(v.username.trim().toLowerCase(), v.password);
      } catch (e) {
        throw loginError(e, t);
      }
      await finish(result);
    },
  });

  const totp = useForm({
    initial: { code: '' },
    validate: (v) => check(v, { code: [rules.required(), rules.pattern(/^\d{6}$/, 'validation.totp')] }),
    onSubmit: async (v) => {
      let result: LoginResult;
      try {
        result = await authApi.loginTotp(v.code.trim());
      } catch (e) {
        if (e instanceof ApiError && ((e.status === 401 && e.code !== 'invalid_totp') || e.code === 'no_pending_login')) {
          // The half-open session expired: start again from the password.
          setStep('password');
        }
        throw loginError(e, t);
      }
      await finish(result);
    },
  });

  if (step === 'totp') {
    return (
      <>
        <p className="lead">{t('login.totpLead')}</p>
        <FormView form={totp} label={t('login.totpTitle')}>
          <TextField
            label={t('login.totpCode')}
            hint={t('login.totpHint')}
            required
            field={totp.field('code', t('login.totpCode'))}
            value={totp.values.code}
            onValue={(v) => totp.set('code', v.replace(/\s/g, ''))}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            className="input-short"
            autoFocus
          />
          <div className="button-row">
            <Button type="submit" busy={totp.submitting}>
              {t('login.verify')}
            </Button>
            <Button variant="link" onClick={() => setStep('password')}>
              {t('login.back')}
            </Button>
          </div>
        </FormView>
      </>
    );
  }

  return (
    <>
      <p className="lead">{t('login.lead')}</p>
      <FormView form={password} label={t('login.title')}>
        <TextField
          label={t('login.username')}
          required
          field={password.field('username', t('login.username'))}
          value={password.values.username}
          onValue={(v) => password.set('username', v)}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
        />
        <TextField
          label={t('login.password')}
          required
          type="password"
          field={password.field('password', t('login.password'))}
          value={password.values.password}
          onValue={(v) => password.set('password', v)}
          autoComplete="current-password"
          maxLength={200}
        />
        <Button type="submit" busy={password.submitting}>
          {t('login.submit')}
        </Button>
      </FormView>
      {showVneid && (
        <div className="sso-alt">
          <p className="sso-or">
            <span>{t('sso.login.or')}</span>
          </p>
          <a className="btn btn-secondary sso-vneid" href={vneidHref} onClick={onVneid}>
            {t('sso.login.vneid')}
          </a>
          <p className="field-hint">{t('sso.login.vneidHint')}</p>
        </div>
      )}
    </>
  );
}
