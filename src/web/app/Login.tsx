/**
 * Sign-in: username + password, then (when the account has it) the TOTP code. Staff whose policy
 * requires a second factor but have none yet are taken to the enrolment page.
 * Nothing secret is shown here: no demo accounts, no hints about which part was wrong.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, authApi, type LoginResult, type Me, resetCsrf } from '../api';
import { Button, check, FormView, Notice, PageHeader, rules, TextField, useForm } from '../ui';
import { enrolment, homePath, meKey, useMe } from './auth';

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

/** Only same-site paths are followed after login (no open redirect). */
function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [step, setStep] = useState<'password' | 'totp'>('password');

  const finish = (result: LoginResult) => {
    resetCsrf();
    if (result.stage === 'totp') {
      setStep('totp');
      return;
    }
    const who: Me = result.me;
    enrolment.set(result.stage === 'totp_enroll');
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
    qc.setQueryData(meKey, who);
    navigate(result.stage === 'totp_enroll' ? '/account/2fa' : (next ?? homePath(who)), { replace: true });
  };

  const password = useForm({
    initial: { username: '', password: '' },
    validate: (v) => check(v, { username: [rules.required()], password: [rules.required()] }),
    onSubmit: async (v) => {
      try {
        finish(await authApi.login(v.username.trim().toLowerCase(), v.password));
      } catch (e) {
        throw loginError(e, t);
      }
    },
  });

  const totp = useForm({
    initial: { code: '' },
    validate: (v) => check(v, { code: [rules.required(), rules.pattern(/^\d{6}$/, 'validation.totp')] }),
    onSubmit: async (v) => {
      try {
        finish(await authApi.loginTotp(v.code.trim()));
      } catch (e) {
        if (e instanceof ApiError && ((e.status === 401 && e.code !== 'invalid_totp') || e.code === 'no_pending_login')) {
          // The half-open session expired: start again from the password.
          setStep('password');
        }
        throw loginError(e, t);
      }
    },
  });

  if (me && step === 'password' && !password.submitting) return <Navigate to={next ?? homePath(me)} replace />;

  const loggedOut = (location.state as { loggedOut?: boolean } | null)?.loggedOut;

  return (
    <div className="login-layout">
      <div>
        <PageHeader title={t('login.title')} lead={step === 'password' ? t('login.lead') : t('login.totpLead')} />
        {loggedOut && step === 'password' && <Notice tone="success" live title={t('login.loggedOut')} />}
        {step === 'password' ? (
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
        ) : (
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
        )}
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
