/** Audit log viewer (GET /api/v1/audit, permission audit.read): filter by target, actor, action. */
import { useTranslation } from 'react-i18next';
import { DataTable, DateTime, FilterBar, PagedList, PageHeader, TextField, usePagedList, useUrlFilters } from '../ui';
import { filterField } from './shared';

export interface AuditItem {
  seq: string;
  at: string;
  actorId?: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  sourceIp: string | null;
  requestId: string | null;
  details: unknown;
}

const FILTERS = ['action', 'targetType', 'targetId', 'actorId'] as const;

export function AuditPage() {
  const { t } = useTranslation();
  const f = useUrlFilters(FILTERS);
  const list = usePagedList<AuditItem>('/api/v1/audit', f.applied);
  return (
    <>
      <PageHeader title={t('admin.sections.audit.title')} lead={t('admin.sections.audit.text')} />
      <FilterBar label={t('audit.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField
          label={t('audit.action')}
          hint={t('audit.actionHint')}
          field={filterField('action')}
          value={f.draft.action}
          onValue={(v) => f.setDraft('action', v)}
        />
        <TextField
          label={t('audit.targetType')}
          field={filterField('targetType')}
          value={f.draft.targetType}
          onValue={(v) => f.setDraft('targetType', v)}
        />
        <TextField
          label={t('audit.targetId')}
          field={filterField('targetId')}
          value={f.draft.targetId}
          onValue={(v) => f.setDraft('targetId', v)}
        />
        <TextField
          label={t('audit.actorId')}
          field={filterField('actorId')}
          value={f.draft.actorId}
          onValue={(v) => f.setDraft('actorId', v)}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('audit.empty')}>
        {(items) => (
          <DataTable<AuditItem>
            caption={t('admin.sections.audit.title')}
            rows={items}
            rowKey={(r) => r.seq}
            columns={[
              { key: 'seq', header: '#', render: (r) => r.seq },
              { key: 'at', header: t('audit.at'), render: (r) => <DateTime value={r.at} /> },
              { key: 'actor', header: t('audit.actor'), render: (r) => r.actorLabel },
              { key: 'action', header: t('audit.action'), render: (r) => <code className="break">{r.action}</code> },
              {
                key: 'target',
                header: t('audit.target'),
                render: (r) => (
                  <span className="break">
                    {r.targetType}
                    {r.targetId ? ` · ${r.targetId}` : ''}
                  </span>
                ),
              },
              { key: 'ip', header: t('audit.ip'), render: (r) => r.sourceIp ?? '—' },
              {
                key: 'details',
                header: t('audit.details'),
                render: (r) =>
                  r.details && typeof r.details === 'object' && Object.keys(r.details).length > 0 ? (
                    <details className="json-details">
                      <summary>{t('audit.showDetails')}</summary>
                      <pre>{JSON.stringify(r.details, null, 2)}</pre>
                      {r.requestId && (
                        <p className="muted">
                          {t('audit.requestId')}: <code className="break">{r.requestId}</code>
                        </p>
                      )}
                    </details>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}
