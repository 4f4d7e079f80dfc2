/** Who accessed the store's documents: officer and agency, what, when, through which dossier. */
import { useTranslation } from 'react-i18next';
import { DateTime, PagedList, usePagedList } from '../ui';
import type { AccessEntry } from './api';

export function AccessLogList({ documentId }: { documentId: string | null }) {
  const { t } = useTranslation();
  const path = documentId ? `/api/v1/edata/documents/${encodeURIComponent(documentId)}/access-log` : '/api/v1/edata/access-log';
  const list = usePagedList<AccessEntry>(path);
  return (
    <PagedList list={list} emptyTitle={t('edata.log.empty')}>
      {(items) => (
        <ul className="row-list">
          {items.map((e) => (
            <li key={e.id} className="row-card">
              <div className="row-card-head">
                <p className="row-card-title">
                  <strong>{t(`edata.log.actions.${e.action}`)}</strong>
                  {documentId === null && <> · {e.documentTitle}</>}
                </p>
                <span className="muted">
                  <DateTime value={e.at} />
                </span>
              </div>
              <p>
                {e.actorAgency ? t('edata.log.byOfficer', { name: e.actorLabel, agency: e.actorAgency }) : e.actorLabel}
                {e.dossierCode && <> · {t('edata.log.dossier', { code: e.dossierCode })}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}
