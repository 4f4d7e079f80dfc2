/**
 * Account "Ứng dụng đã kết nối": the applications this person let sign them in through the provincial
 * SSO and what each receives; revoking one withdraws the consent and its tokens (the application must
 * ask again next time).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton, DataTable, DateTime, EmptyState, ErrorState, Loading, Notice, PageHeader, problemText } from '../ui';
import { type SsoGrant, ssoApi } from './api';
import { consentScopes, scopeKey } from './logic';
import './sso.css';

const GRANTS = ['sso', 'grants'] as const;

export function ConnectedApps() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const grants = useQuery({ queryKey: GRANTS, queryFn: ssoApi.grants });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);
  return (
    <>
      <PageHeader title={t('sso.apps.title')} lead={t('sso.apps.lead')} />
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} title={notice.title}>
            {notice.detail}
          </Notice>
        )}
      </div>
      {grants.isPending ? (
        <Loading />
      ) : grants.isError ? (
        <ErrorState error={grants.error} onRetry={() => void grants.refetch()} />
      ) : grants.data.items.length === 0 ? (
        <EmptyState title={t('sso.apps.empty')}>{t('sso.apps.emptyText')}</EmptyState>
      ) : (
        <DataTable<SsoGrant>
          caption={t('sso.apps.title')}
          rows={grants.data.items}
          rowKey={(g) => g.id}
          columns={[
            { key: 'name', header: t('sso.apps.app'), primary: true, render: (g) => g.clientName },
            {
              key: 'scopes',
              header: t('sso.apps.receives'),
              render: (g) => {
                const shown = consentScopes(g.scopes);
                return shown.length === 0 ? (
                  t('sso.consent.identity')
                ) : (
                  <ul className="sso-scope-list">
                    {shown.map((s) => (
                      <li key={s}>{t(scopeKey(s))}</li>
                    ))}
                  </ul>
                );
              },
            },
            { key: 'since', header: t('sso.apps.since'), render: (g) => <DateTime value={g.createdAt} /> },
            {
              key: 'actions',
              header: t('common.actions'),
              align: 'end',
              render: (g) => (
                <ConfirmButton
                  variant="secondary"
                  label={t('sso.apps.revoke')}
                  ariaLabel={t('sso.apps.revokeLabel', { app: g.clientName })}
                  question={t('sso.apps.revokeConfirm', { app: g.clientName })}
                  confirmLabel={t('sso.apps.revokeYes')}
                  onConfirm={async () => {
                    setNotice(null);
                    try {
                      await ssoApi.revokeGrant(g.id);
                      setNotice({ tone: 'success', title: t('sso.apps.revoked', { app: g.clientName }) });
                      await qc.invalidateQueries({ queryKey: GRANTS });
                    } catch (e) {
                      setNotice({ tone: 'error', ...problemText(e, t) });
                    }
                  }}
                />
              ),
            },
          ]}
        />
      )}
    </>
  );
}
