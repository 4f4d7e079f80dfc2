/** The signed-in person's own settings: password, two-factor sign-in, active sessions, connected apps (SSO). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router';
import { authApi, type Me, type SessionInfo, type TotpSetup } from '../api';
import { enrolment, homePath, meKey, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import EdataArea from '../edata/EdataArea';
import AuthorisationsPage from '../parties/AuthorisationsPage';
import BusinessesArea from '../parties/BusinessesPage';
import { ConnectedApps } from '../sso/ConnectedApps';
import {
  Button,
  check,
  DataTable,
  DateTime,
  EmptyState,
  ErrorState,
  FormView,
  Loading,
  Notice,
  PageHeader,
  problemText,
  rules,
  Section,
  Tag,
  TextField,
  useForm,
} from '../ui';

export default function AccountArea() {
  return (
    <Routes>
      <Route path="password" element={<PasswordPage />} />
      <Route path="2fa" element={<TotpPage />} />
      <Route path="sessions" element={<SessionsPage />} />
      <Route path="apps" element={<ConnectedApps />} />
      <Route path="edata/*" element={<EdataArea />} />
      <Route path="businesses/*" element={<BusinessesArea />} />
      <Route path="authorisations" element={<AuthorisationsPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

function PasswordPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [done, setDone] = useState(false);
  const form = useForm({
    initial: { currentPassword: '', newPassword: '', confirm: '' },
    validate: (v) => {
      const e = check(v, {
        currentPassword: [rules.required()],
        newPassword: [
          rules.required(),
          rules.minLength(10),
          rules.maxLength(128),
          rules.pattern(/^(?=.*[a-zA-Z\u00C0-\u1EF9])(?=.*\d)/s, 'validation.passwordMix'),
        ],
        confirm: [rules.required()],
      });
      if (!e.newPassword && me && v.newPassword.toLowerCase().includes(me.username.toLowerCase()))
        e.newPassword = t('validation.passwordGuessable');
      if (!e.newPassword && v.newPassword === v.currentPassword) e.newPassword = t('validation.passwordSame');
      if (!e.confirm && v.confirm !== v.newPassword) e.confirm = t('validation.passwordConfirm');
      return e;
    },
    onSubmit: async (v) => {
      setDone(false);
      await authApi.changePassword(v.currentPassword, v.newPassword);
      form.reset();
      setDone(true);
    },
  });
  return (
    <div className="narrow">
      <PageHeader title={t('account.password.title')} lead={t('account.password.lead')} />
      {done && <Notice tone="success" live title={t('account.password.done')} />}
      <FormView form={form}>
        <TextField
          type="password"
          label={t('account.password.current')}
          required
          autoComplete="current-password"
          field={form.field('currentPassword', t('account.password.current'))}
          value={form.values.currentPassword}
          onValue={(v) => form.set('currentPassword', v)}
        />
        <TextField
          type="password"
          label={t('account.password.new')}
          hint={t('account.password.policy')}
          required
          autoComplete="new-password"
          field={form.field('newPassword', t('account.password.new'))}
          value={form.values.newPassword}
          onValue={(v) => form.set('newPassword', v)}
        />
        <TextField
          type="password"
          label={t('account.password.confirm')}
          required
          autoComplete="new-password"
          field={form.field('confirm', t('account.password.confirm'))}
          value={form.values.confirm}
          onValue={(v) => form.set('confirm', v)}
        />
        <Button type="submit" busy={form.submitting}>
          {t('account.password.submit')}
        </Button>
      </FormView>
    </div>
  );
}

function TotpPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const mustEnrol = enrolment.required();

  const start = useMutation({ mutationFn: authApi.totpSetup, onSuccess: (s) => setSetup(s) });

  const refreshMe = async (totpEnabled: boolean) => {
    qc.setQueryData<Me | null>(meKey, (m) => (m ? { ...m, totpEnabled } : m));
    await qc.invalidateQueries({ queryKey: meKey });
  };

  const enable = useForm({
    initial: { code: '' },
    validate: (v) => check(v, { code: [rules.required(), rules.pattern(/^\d{6}$/, 'validation.totp')] }),
    onSubmit: async (v) => {
      await authApi.totpEnable(v.code.trim());
      const wasEnrolment = enrolment.required();
      enrolment.set(false);
      setSetup(null);
      enable.reset();
      await refreshMe(true);
      if (wasEnrolment) navigate(homePath(qc.getQueryData<Me | null>(meKey) ?? me), { replace: true });
      else setMessage(t('account.totp.enabled'));
    },
  });

  const disable = useForm({
    initial: { code: '' },
    validate: (v) => check(v, { code: [rules.required(), rules.pattern(/^\d{6}$/, 'validation.totp')] }),
    onSubmit: async (v) => {
      await authApi.totpDisable(v.code.trim());
      disable.reset();
      await refreshMe(false);
      setMessage(t('account.totp.disabled'));
    },
  });

  if (!me) return null;
  const qrSrc = setup ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}` : '';

  return (
    <div className="narrow">
      <PageHeader title={t('account.totp.title')} lead={t('account.totp.lead')} />
      {mustEnrol && (
        <Notice tone="warning" title={t('account.totp.requiredTitle')}>
          {t('account.totp.requiredText')}
        </Notice>
      )}
      {message && <Notice tone="success" live title={message} />}
      <p className="status-line">
        {t('account.totp.status')}{' '}
        {me.totpEnabled ? <Tag tone="success">{t('account.totp.on')}</Tag> : <Tag tone="neutral">{t('account.totp.off')}</Tag>}
      </p>

      {me.totpEnabled ? (
        <Section title={t('account.totp.disableTitle')}>
          <p>{t('account.totp.disableText')}</p>
          <FormView form={disable}>
            <TextField
              label={t('account.totp.code')}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              className="input-short"
              field={disable.field('code', t('account.totp.code'))}
              value={disable.values.code}
              onValue={(v) => disable.set('code', v.replace(/\s/g, ''))}
            />
            <Button type="submit" variant="danger" busy={disable.submitting}>
              {t('account.totp.disable')}
            </Button>
          </FormView>
        </Section>
      ) : !setup ? (
        <Section title={t('account.totp.setupTitle')}>
          <ol className="steps">
            <li>{t('account.totp.step1')}</li>
            <li>{t('account.totp.step2')}</li>
            <li>{t('account.totp.step3')}</li>
          </ol>
          {start.isError && <ErrorState error={start.error} />}
          <Button busy={start.isPending} onClick={() => start.mutate()}>
            {t('account.totp.start')}
          </Button>
        </Section>
      ) : (
        <Section title={t('account.totp.scanTitle')}>
          <div className="totp-setup">
            <img className="qr" src={qrSrc} width={200} height={200} alt={t('account.totp.qrAlt')} />
            <div>
              <p>{t('account.totp.manual')}</p>
              <p>
                <span className="visually-hidden">{t('account.totp.secretLabel')}: </span>
                <code className="secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
              </p>
            </div>
          </div>
          <FormView form={enable}>
            <TextField
              label={t('account.totp.code')}
              hint={t('account.totp.codeHint')}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              className="input-short"
              field={enable.field('code', t('account.totp.code'))}
              value={enable.values.code}
              onValue={(v) => enable.set('code', v.replace(/\s/g, ''))}
            />
            <Button type="submit" busy={enable.submitting}>
              {t('account.totp.enable')}
            </Button>
          </FormView>
        </Section>
      )}
    </div>
  );
}

function SessionsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: ['auth', 'sessions'], queryFn: authApi.sessions });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => authApi.revokeSession(id),
    onSuccess: async () => {
      setNotice({ tone: 'success', title: t('account.sessions.revoked') });
      await qc.invalidateQueries({ queryKey: ['auth', 'sessions'] });
    },
    onError: (e) => setNotice({ tone: 'error', ...problemText(e, t) }),
  });
  return (
    <>
      <PageHeader title={t('account.sessions.title')} lead={t('account.sessions.lead')} />
      {notice && (
        <Notice tone={notice.tone} live title={notice.title}>
          {notice.detail}
        </Notice>
      )}
      {sessions.isPending ? (
        <Loading />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.data.items.length === 0 ? (
        <EmptyState title={t('account.sessions.empty')} />
      ) : (
        <DataTable<SessionInfo>
          caption={t('account.sessions.title')}
          rows={sessions.data.items}
          rowKey={(s) => s.id}
          columns={[
            {
              key: 'device',
              header: t('account.sessions.device'),
              render: (s) => (
                <>
                  {describeAgent(s.userAgent, t)} {s.current && <Tag tone="info">{t('account.sessions.current')}</Tag>}
                </>
              ),
            },
            { key: 'ip', header: t('account.sessions.ip'), render: (s) => s.ip ?? '—' },
            { key: 'created', header: t('account.sessions.created'), render: (s) => <DateTime value={s.createdAt} /> },
            { key: 'seen', header: t('account.sessions.lastSeen'), render: (s) => <DateTime value={s.lastSeenAt} /> },
            {
              key: 'actions',
              header: t('common.actions'),
              align: 'end',
              render: (s) =>
                s.current ? (
                  '—'
                ) : (
                  <Button
                    variant="secondary"
                    busy={revoke.isPending && revoke.variables === s.id}
                    onClick={() => revoke.mutate(s.id)}
                    aria-label={t('account.sessions.revokeLabel', { device: describeAgent(s.userAgent, t) })}
                  >
                    {t('account.sessions.revoke')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </>
  );
}

/** A short, human name for a user-agent string ("Chrome trên Windows"). */
function describeAgent(ua: string | null, t: (k: string, o?: Record<string, string>) => string): string {
  if (!ua) return t('account.sessions.unknownDevice');
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /CocCoc/.test(ua)
        ? 'Cốc Cốc'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return t('account.sessions.agent', { browser, os });
  return browser ?? os ?? ua.slice(0, 40);
}
