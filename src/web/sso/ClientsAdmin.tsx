/**
 * Admin "Ứng dụng SSO" (permission sso.clients.manage): the applications registered with the provincial
 * OIDC provider. List, register (the secret is shown once), edit, rotate the secret (shown once),
 * disable; and rotate the provider's signing keys.
 */
import { type InfiniteData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import i18n from '../i18n';
import {
  Button,
  ButtonLink,
  CheckboxField,
  CheckboxGroup,
  ConfirmButton,
  DataTable,
  DateTime,
  Details,
  EmptyState,
  ErrorState,
  FormView,
  Loading,
  Notice,
  PageHeader,
  problemText,
  Section,
  SelectField,
  ShownOnce,
  Tag,
  TextArea,
  TextField,
  useForm,
} from '../ui';
import { type SsoClient, type SsoClientInput, ssoApi } from './api';
import { type ClientFormValues, clientInput, SSO_CLIENT_KINDS, SSO_SCOPES, scopeKey, validateClient } from './logic';
import './sso.css';

const CLIENTS = '/api/v1/sso/clients';
const base = '/admin/sso-clients';

const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: base, label: t('sso.admin.section.title') },
];

type ClientPage = { items: SsoClient[]; nextCursor?: string | null };

function useClients() {
  return useInfiniteQuery<ClientPage, Error, InfiniteData<ClientPage>, readonly unknown[], string | null>({
    queryKey: [CLIENTS],
    queryFn: ({ pageParam, signal }) => api.get<ClientPage>(CLIENTS, pageParam ? { cursor: pageParam } : undefined, { signal }),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

function useClient(id: string) {
  return useQuery({ queryKey: [CLIENTS, id], queryFn: () => ssoApi.client(id) });
}

function StatusTag({ status }: { status: SsoClient['status'] }) {
  const { t } = useTranslation();
  return status === 'active' ? (
    <Tag tone="success">{t('sso.admin.statuses.active')}</Tag>
  ) : (
    <Tag tone="neutral">{t('sso.admin.statuses.disabled')}</Tag>
  );
}

function UriList({ uris }: { uris: string[] }) {
  if (uris.length === 0) return <>—</>;
  return (
    <ul className="sso-uris">
      {uris.map((u) => (
        <li key={u}>{u}</li>
      ))}
    </ul>
  );
}

export function SsoClientList() {
  const { t } = useTranslation();
  const list = useClients();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title={t('sso.admin.section.title')}
        lead={t('sso.admin.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
        actions={
          <ButtonLink to={`${base}/new`} variant="primary">
            {t('sso.admin.create')}
          </ButtonLink>
        }
      />
      {list.isPending ? (
        <Loading />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={t('sso.admin.empty')}
          action={
            <ButtonLink to={`${base}/new`} variant="primary">
              {t('sso.admin.create')}
            </ButtonLink>
          }
        >
          {t('sso.admin.emptyText')}
        </EmptyState>
      ) : (
        <>
          <DataTable<SsoClient>
            caption={t('sso.admin.section.title')}
            rows={items}
            rowKey={(c) => c.clientId}
            columns={[
              {
                key: 'name',
                header: t('sso.admin.name'),
                primary: true,
                render: (c) => <Link to={`${base}/${encodeURIComponent(c.clientId)}`}>{c.name}</Link>,
              },
              { key: 'id', header: t('sso.admin.clientId'), render: (c) => <code>{c.clientId}</code> },
              {
                key: 'kind',
                header: t('sso.admin.kind'),
                render: (c) => (
                  <>
                    {t(`sso.admin.kinds.${c.kind}`)} {c.firstParty && <Tag tone="info">{t('sso.admin.firstPartyTag')}</Tag>}
                  </>
                ),
              },
              { key: 'status', header: t('common.status'), render: (c) => <StatusTag status={c.status} /> },
              { key: 'uris', header: t('sso.admin.redirectUris'), render: (c) => <UriList uris={c.redirectUris} /> },
            ]}
          />
          <div className="list-footer">
            <p className="list-count" aria-live="polite">
              {t('list.shown', { count: items.length })}
            </p>
            {list.isFetchNextPageError && <ErrorState error={list.error} />}
            {list.hasNextPage && (
              <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? t('common.loading') : t('list.loadMore')}
              </Button>
            )}
          </div>
        </>
      )}
      <KeyRotation />
    </>
  );
}

/** The provider's signing keys: a new key signs from now on; tokens signed earlier stay valid. */
function KeyRotation() {
  const { t } = useTranslation();
  const [result, setResult] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);
  return (
    <Section title={t('sso.admin.keysTitle')} id="sso-keys">
      <p>{t('sso.admin.keysText')}</p>
      <div aria-live="polite">
        {result && (
          <Notice tone={result.tone} title={result.title}>
            {result.detail}
          </Notice>
        )}
      </div>
      <ConfirmButton
        variant="secondary"
        label={t('sso.admin.rotateKeys')}
        question={t('sso.admin.rotateKeysConfirm')}
        confirmLabel={t('sso.admin.rotateKeysYes')}
        onConfirm={async () => {
          setResult(null);
          try {
            await ssoApi.rotateKeys();
            setResult({ tone: 'success', title: t('sso.admin.keysRotated') });
          } catch (e) {
            setResult({ tone: 'error', ...problemText(e, t) });
          }
        }}
      />
    </Section>
  );
}

const emptyValues: ClientFormValues = {
  name: '',
  kind: 'confidential',
  redirectUris: '',
  postLogoutRedirectUris: '',
  scopes: ['openid', 'profile'],
  firstParty: false,
};

const toValues = (c: SsoClient): ClientFormValues => ({
  name: c.name,
  kind: c.kind,
  redirectUris: c.redirectUris.join('\n'),
  postLogoutRedirectUris: c.postLogoutRedirectUris.join('\n'),
  scopes: c.scopes,
  firstParty: c.firstParty,
});

function ClientForm({ client, onSubmit }: { client?: SsoClient; onSubmit: (input: SsoClientInput) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<ClientFormValues>({
    initial: client ? toValues(client) : emptyValues,
    validate: (v) => {
      const out: Record<string, string> = {};
      for (const [field, e] of Object.entries(validateClient(v))) {
        out[field] = i18n.t(e.key, { uri: e.uri, count: e.count });
      }
      return out;
    },
    onSubmit: (v) => onSubmit(clientInput(v)),
  });
  const v = form.values;
  const machine = v.kind === 'machine';
  return (
    <FormView form={form}>
      <div className="form-grid">
        <TextField
          label={t('sso.admin.name')}
          hint={t('sso.admin.nameHint')}
          required
          maxLength={200}
          field={form.field('name', t('sso.admin.name'))}
          value={v.name}
          onValue={(x) => form.set('name', x)}
        />
        <SelectField
          label={t('sso.admin.kind')}
          hint={t(`sso.admin.kindHints.${v.kind}`)}
          required
          disabled={!!client}
          field={form.field('kind', t('sso.admin.kind'))}
          value={v.kind}
          onValue={(x) => form.set('kind', x as ClientFormValues['kind'])}
          options={SSO_CLIENT_KINDS.map((k) => ({ value: k, label: t(`sso.admin.kinds.${k}`) }))}
        />
        {!machine && (
          <>
            <TextArea
              className="span-2"
              label={t('sso.admin.redirectUris')}
              hint={t('sso.admin.redirectUrisHint')}
              required
              rows={3}
              spellCheck={false}
              autoCapitalize="none"
              field={form.field('redirectUris', t('sso.admin.redirectUris'))}
              value={v.redirectUris}
              onValue={(x) => form.set('redirectUris', x)}
            />
            <TextArea
              className="span-2"
              label={t('sso.admin.postLogoutUris')}
              hint={t('sso.admin.postLogoutUrisHint')}
              rows={2}
              spellCheck={false}
              autoCapitalize="none"
              field={form.field('postLogoutRedirectUris', t('sso.admin.postLogoutUris'))}
              value={v.postLogoutRedirectUris}
              onValue={(x) => form.set('postLogoutRedirectUris', x)}
            />
          </>
        )}
      </div>
      <CheckboxGroup
        legend={t('sso.admin.scopes')}
        hint={t('sso.admin.scopesHint')}
        columns
        field={form.field('scopes', t('sso.admin.scopes'))}
        value={v.scopes}
        onValue={(x) => form.set('scopes', x)}
        options={SSO_SCOPES.map((s) => ({ value: s, label: t(scopeKey(s)), hint: s }))}
      />
      <CheckboxField
        label={t('sso.admin.firstParty')}
        hint={t('sso.admin.firstPartyHint')}
        field={form.field('firstParty', t('sso.admin.firstParty'))}
        checked={v.firstParty}
        onChecked={(x) => form.set('firstParty', x)}
      />
      <div className="button-row">
        <Button type="submit" busy={form.submitting}>
          {client ? t('common.save') : t('sso.admin.register')}
        </Button>
        <ButtonLink to={client ? `${base}/${encodeURIComponent(client.clientId)}` : base} variant="link">
          {t('common.cancel')}
        </ButtonLink>
      </div>
    </FormView>
  );
}

export function SsoClientNew() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [created, setCreated] = useState<(SsoClient & { clientSecret?: string }) | null>(null);
  if (created) {
    return (
      <>
        <PageHeader title={t('sso.admin.createdTitle', { name: created.name })} breadcrumbs={crumbs(t)} />
        <Notice tone="success" live title={t('sso.admin.created')} />
        {created.clientSecret ? (
          <SecretShown clientId={created.clientId} secret={created.clientSecret} />
        ) : (
          <p>
            {t('sso.admin.clientId')}: <code>{created.clientId}</code>. {t('sso.admin.noSecret')}
          </p>
        )}
        <div className="button-row">
          <ButtonLink to={`${base}/${encodeURIComponent(created.clientId)}`} variant="primary">
            {t('sso.admin.openClient')}
          </ButtonLink>
          <ButtonLink to={base} variant="link">
            {t('sso.admin.backToList')}
          </ButtonLink>
        </div>
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('sso.admin.create')} lead={t('sso.admin.createLead')} breadcrumbs={crumbs(t)} />
      <ClientForm
        onSubmit={async (input) => {
          const c = await ssoApi.createClient(input);
          await qc.invalidateQueries({ queryKey: [CLIENTS] });
          setCreated(c);
        }}
      />
    </>
  );
}

export function SsoClientDetail() {
  const { t } = useTranslation();
  const { clientId = '' } = useParams();
  const qc = useQueryClient();
  const client = useClient(clientId);
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);

  if (client.isPending) return <Loading />;
  if (client.isError) return <ErrorState error={client.error} onRetry={() => void client.refetch()} />;
  const c = client.data;
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: [CLIENTS] });
  };

  if (editing) {
    return (
      <>
        <PageHeader title={t('sso.admin.editTitle', { name: c.name })} breadcrumbs={crumbs(t)} />
        <ClientForm
          key={c.updatedAt}
          client={c}
          onSubmit={async (input) => {
            const { kind: _kind, ...patch } = input;
            await ssoApi.updateClient(c.clientId, patch);
            await refresh();
            setEditing(false);
            setNotice({ tone: 'success', title: t('sso.admin.saved') });
          }}
        />
      </>
    );
  }

  const disabled = c.status === 'disabled';
  return (
    <>
      <PageHeader
        title={c.name}
        lead={
          <>
            {t('sso.admin.clientId')}: <code>{c.clientId}</code>
          </>
        }
        breadcrumbs={crumbs(t)}
        actions={
          !disabled && (
            <Button variant="secondary" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          )
        }
      />
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} title={notice.title}>
            {notice.detail}
          </Notice>
        )}
      </div>
      {secret && <SecretShown clientId={c.clientId} secret={secret} />}
      <Details
        items={[
          [t('sso.admin.kind'), t(`sso.admin.kinds.${c.kind}`)],
          [t('common.status'), <StatusTag key="s" status={c.status} />],
          [t('sso.admin.firstParty'), c.firstParty ? t('sso.admin.yes') : t('sso.admin.no')],
          [t('sso.admin.redirectUris'), <UriList key="r" uris={c.redirectUris} />],
          [t('sso.admin.postLogoutUris'), <UriList key="p" uris={c.postLogoutRedirectUris} />],
          [
            t('sso.admin.scopes'),
            <ul className="sso-uris" key="sc">
              {c.scopes.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>,
          ],
          [t('sso.admin.createdAt'), <DateTime key="c" value={c.createdAt} />],
          [t('sso.admin.updatedAt'), <DateTime key="u" value={c.updatedAt} />],
        ]}
      />
      {disabled && (
        <div className="sso-actions-panel">
          <Button
            variant="secondary"
            onClick={() => {
              setNotice(null);
              void ssoApi
                .updateClient(c.clientId, { status: 'active' })
                .then(async () => {
                  await refresh();
                  setNotice({ tone: 'success', title: t('sso.admin.enabled') });
                })
                .catch((e: unknown) => setNotice({ tone: 'error', ...problemText(e, t) }));
            }}
          >
            {t('sso.admin.enable')}
          </Button>
        </div>
      )}
      {!disabled && (
        <div className="sso-actions-panel">
          {c.kind !== 'public' && (
            <ConfirmButton
              variant="secondary"
              label={t('sso.admin.rotateSecret')}
              question={t('sso.admin.rotateSecretConfirm', { name: c.name })}
              confirmLabel={t('sso.admin.rotateSecretYes')}
              onConfirm={async () => {
                setNotice(null);
                try {
                  const r = await ssoApi.rotateSecret(c.clientId);
                  setSecret(r.clientSecret);
                  await refresh();
                } catch (e) {
                  setNotice({ tone: 'error', ...problemText(e, t) });
                }
              }}
            />
          )}
          <ConfirmButton
            label={t('sso.admin.disable')}
            question={t('sso.admin.disableConfirm', { name: c.name })}
            confirmLabel={t('sso.admin.disableYes')}
            onConfirm={async () => {
              setNotice(null);
              try {
                await ssoApi.disableClient(c.clientId);
                setSecret(null);
                await refresh();
                setNotice({ tone: 'success', title: t('sso.admin.disabled') });
              } catch (e) {
                setNotice({ tone: 'error', ...problemText(e, t) });
              }
            }}
          />
        </div>
      )}
    </>
  );
}

/** A client secret, shown once, with the client id it belongs to. */
function SecretShown({ clientId, secret }: { clientId: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <ShownOnce
      title={t('sso.admin.secretTitle')}
      warning={t('sso.admin.secretWarning')}
      label={t('sso.admin.secretLabel')}
      value={secret}
      testId="client-secret"
    >
      <p>
        {t('sso.admin.clientId')}: <code>{clientId}</code>
      </p>
    </ShownOnce>
  );
}
