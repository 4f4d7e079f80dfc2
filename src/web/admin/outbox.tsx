/** Notification outbox (permission notify.outbox.read): what was sent, to whom, with what outcome. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { OutboxDetail as OutboxDetailT, OutboxItem } from '../../server/platform/notify/notify.schemas';
import { api } from '../api';
import {
  DataTable,
  DateTime,
  Details,
  ErrorState,
  FilterBar,
  Loading,
  PagedList,
  PageHeader,
  Section,
  SelectField,
  Tag,
  usePagedList,
  useUrlFilters,
} from '../ui';
import { filterField } from './shared';

const FILTERS = ['channel', 'status'] as const;
const channels = ['email', 'sms', 'zalo'] as const;
const statuses = ['queued', 'sent', 'failed'] as const;
const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/outbox', label: t('admin.sections.outbox.title') },
];

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const tone = status === 'sent' ? 'success' : status === 'failed' ? 'danger' : 'warning';
  return <Tag tone={tone}>{t(`outbox.statuses.${status}`, { defaultValue: status })}</Tag>;
}

export function OutboxList() {
  const { t } = useTranslation();
  const f = useUrlFilters(FILTERS);
  const list = usePagedList<OutboxItem>('/api/v1/notifications/outbox', f.applied);
  return (
    <>
      <PageHeader
        title={t('admin.sections.outbox.title')}
        lead={t('admin.sections.outbox.text')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
      />
      <FilterBar label={t('outbox.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <SelectField
          label={t('outbox.channel')}
          field={filterField('channel')}
          value={f.draft.channel}
          onValue={(v) => f.setDraft('channel', v)}
          placeholder={t('common.all')}
          options={channels.map((c) => ({ value: c, label: t(`outbox.channels.${c}`) }))}
        />
        <SelectField
          label={t('outbox.status')}
          field={filterField('status')}
          value={f.draft.status}
          onValue={(v) => f.setDraft('status', v)}
          placeholder={t('common.all')}
          options={statuses.map((s) => ({ value: s, label: t(`outbox.statuses.${s}`) }))}
        />
      </FilterBar>
      <PagedList
        list={list}
        emptyTitle={f.active ? t('list.noMatch') : t('outbox.empty')}
        emptyText={f.active ? undefined : t('outbox.emptyText')}
      >
        {(items) => (
          <DataTable<OutboxItem>
            caption={t('admin.sections.outbox.title')}
            rows={items}
            rowKey={(m) => m.id}
            columns={[
              {
                key: 'subject',
                header: t('outbox.subject'),
                primary: true,
                render: (m) => <Link to={`/admin/outbox/${m.id}`}>{m.subject ?? m.templateCode}</Link>,
              },
              { key: 'created', header: t('outbox.createdAt'), render: (m) => <DateTime value={m.createdAt} /> },
              { key: 'channel', header: t('outbox.channel'), render: (m) => t(`outbox.channels.${m.channel}`) },
              { key: 'recipient', header: t('outbox.recipient'), render: (m) => <span className="break">{m.recipient}</span> },
              { key: 'status', header: t('outbox.status'), render: (m) => <StatusTag status={m.status} /> },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}

export function OutboxDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const msg = useQuery({
    queryKey: ['/api/v1/notifications/outbox', id],
    queryFn: () => api.get<OutboxDetailT>(`/api/v1/notifications/outbox/${encodeURIComponent(id)}`),
  });
  if (msg.isPending) return <Loading />;
  if (msg.isError) return <ErrorState error={msg.error} onRetry={() => void msg.refetch()} />;
  const m = msg.data;
  return (
    <>
      <PageHeader
        title={m.subject ?? t('outbox.messageTitle', { template: m.templateCode })}
        breadcrumbs={crumbs(t)}
        lead={<StatusTag status={m.status} />}
      />
      <Details
        items={[
          [t('outbox.channel'), t(`outbox.channels.${m.channel}`)],
          [
            t('outbox.recipient'),
            <span key="r" className="break">
              {m.recipient}
            </span>,
          ],
          [t('outbox.template'), <code key="t">{m.templateCode}</code>],
          [t('outbox.status'), <StatusTag key="s" status={m.status} />],
          [t('outbox.attempts'), String(m.attempts)],
          [t('outbox.createdAt'), <DateTime key="c" value={m.createdAt} />],
          [t('outbox.sentAt'), m.sentAt ? <DateTime key="sa" value={m.sentAt} /> : null],
          [t('outbox.target'), m.target ? `${m.target.type} · ${m.target.id}` : null],
          [
            t('outbox.providerId'),
            m.providerId ? (
              <code key="pi" className="break">
                {m.providerId}
              </code>
            ) : null,
          ],
          [t('outbox.lastError'), m.lastError],
        ]}
      />
      <Section title={t('outbox.body')} id="outbox-body">
        <pre>{m.body}</pre>
        {m.bodyHtml && (
          <details className="json-details">
            <summary>{t('outbox.htmlSource')}</summary>
            <pre>{m.bodyHtml}</pre>
          </details>
        )}
      </Section>
    </>
  );
}
