/**
 * The provider's consent prompt: which application asks, what it will receive (each scope in plain
 * words), as whom; "Đồng ý" grants it (recorded, revocable under "Ứng dụng đã kết nối"), "Từ chối"
 * sends the application an access_denied. Either way the browser then goes where the server says.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api';
import { Button, Notice, PageHeader, problemText } from '../ui';
import type { SsoInteraction } from './api';
import { ssoApi } from './api';
import { consentScopes, scopeKey } from './logic';
import './sso.css';

export function Consent({ interaction, me, onRedirect }: { interaction: SsoInteraction; me: Me | null; onRedirect: (to: string) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'consent' | 'abort' | null>(null);
  const [error, setError] = useState<{ title: string; detail?: string } | null>(null);
  const scopes = consentScopes(interaction.scopes);
  const who = interaction.account?.displayName ?? me?.displayName;
  const client = interaction.client.name;

  const answer = async (kind: 'consent' | 'abort') => {
    setBusy(kind);
    setError(null);
    try {
      const { redirectTo } = kind === 'consent' ? await ssoApi.consent(interaction.uid) : await ssoApi.abort(interaction.uid);
      onRedirect(redirectTo);
    } catch (e) {
      setError(problemText(e, t));
      setBusy(null);
    }
  };

  return (
    <div className="narrow sso-consent">
      <PageHeader title={t('sso.consent.title', { client })} lead={t('sso.consent.lead', { client })} />
      <div aria-live="assertive">
        {error && (
          <Notice tone="error" title={error.title}>
            {error.detail}
          </Notice>
        )}
      </div>
      <section className="panel sso-consent-panel" aria-labelledby="sso-consent-what">
        <h2 id="sso-consent-what">{t('sso.consent.willReceive', { client })}</h2>
        <ul className="sso-scope-list">
          <li>{t('sso.consent.identity')}</li>
          {scopes.map((s) => (
            <li key={s}>{t(scopeKey(s))}</li>
          ))}
        </ul>
        {who && <p className="sso-consent-who">{t('sso.consent.as', { name: who })}</p>}
        <p className="muted">{t('sso.consent.revokeLater')}</p>
      </section>
      <div className="sso-consent-actions">
        <Button busy={busy === 'consent'} disabled={busy !== null} onClick={() => void answer('consent')}>
          {t('sso.consent.allow')}
        </Button>
        <Button variant="secondary" busy={busy === 'abort'} disabled={busy !== null} onClick={() => void answer('abort')}>
          {t('sso.consent.deny')}
        </Button>
      </div>
    </div>
  );
}
