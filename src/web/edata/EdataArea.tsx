/**
 * "Kho dữ liệu" (the e-data store) in the account pages: the list with type and validity badges and
 * filters, adding a paper (upload + details), one paper (view, download, edit, delete, share links,
 * who accessed it), and the whole store's access log.
 */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { uploadFile } from '../api';
import { NotFound } from '../app/NotFound';
import {
  Button,
  ButtonLink,
  check,
  DateTime,
  Day,
  Details,
  ErrorState,
  FileField,
  FormView,
  Loading,
  Notice,
  PagedList,
  PageHeader,
  problemText,
  rules,
  Section,
  SelectField,
  Tag,
  TextField,
  useForm,
  usePagedList,
} from '../ui';
import {
  type AccessEntry,
  type DocType,
  documentFileUrl,
  type EdataDocument,
  edataApi,
  edataKeys,
  SHARE_CHOICES,
  type Share,
  useDocTypes,
} from './api';
import { AccessLogList } from './log';
import { SourceTag, ValidityTag } from './tags';

const LIST = '/api/v1/edata/documents';
const BASE = '/account/edata';

/** Every cached read of the store (lists, one document, logs) is stale after a write. */
export function invalidateStore(qc: QueryClient) {
  return qc.invalidateQueries({
    predicate: (q) => {
      const k = q.queryKey[0];
      return k === 'edata' || (typeof k === 'string' && k.startsWith('/api/v1/edata'));
    },
  });
}

export default function EdataArea() {
  return (
    <Routes>
      <Route index element={<StorePage />} />
      <Route path="new" element={<AddPage />} />
      <Route path="log" element={<StoreLogPage />} />
      <Route path=":id" element={<DocumentPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

function StorePage() {
  const { t } = useTranslation();
  const types = useDocTypes();
  const [params, setParams] = useSearchParams();
  const filters = { type: params.get('type') ?? '', source: params.get('source') ?? '', validity: params.get('validity') ?? '' };
  const setFilter = (k: keyof typeof filters, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const list = usePagedList<EdataDocument>(LIST, query);
  const filtered = Object.keys(query).length > 0;
  return (
    <>
      <PageHeader
        title={t('edata.title')}
        lead={t('edata.lead')}
        actions={
          <>
            <ButtonLink to={`${BASE}/new`} variant="primary">
              {t('edata.add')}
            </ButtonLink>
            <ButtonLink to={`${BASE}/log`}>{t('edata.log.all')}</ButtonLink>
          </>
        }
      />
      <div className="filter-bar">
        <div className="filter-fields">
          <SelectField
            label={t('edata.fields.type')}
            field={{ id: 'edata-f-type', name: 'type' }}
            value={filters.type}
            onValue={(v) => setFilter('type', v)}
            placeholder={t('edata.filters.anyType')}
            options={(types.data ?? []).map((x) => ({ value: x.code, label: x.name }))}
          />
          <SelectField
            label={t('edata.fields.source')}
            field={{ id: 'edata-f-source', name: 'source' }}
            value={filters.source}
            onValue={(v) => setFilter('source', v)}
            placeholder={t('edata.filters.anySource')}
            options={(['upload', 'result', 'counter'] as const).map((s) => ({ value: s, label: t(`edata.source.${s}`) }))}
          />
          <SelectField
            label={t('edata.fields.validity')}
            field={{ id: 'edata-f-validity', name: 'validity' }}
            value={filters.validity}
            onValue={(v) => setFilter('validity', v)}
            placeholder={t('edata.filters.anyValidity')}
            options={[
              { value: 'valid', label: t('edata.validity.valid') },
              { value: 'expired', label: t('edata.validity.expired') },
            ]}
          />
        </div>
      </div>
      <PagedList
        list={list}
        emptyTitle={filtered ? t('edata.empty.filtered') : t('edata.empty.title')}
        emptyText={
          filtered ? undefined : (
            <>
              <p>{t('edata.empty.text')}</p>
              <ButtonLink to={`${BASE}/new`} variant="primary">
                {t('edata.add')}
              </ButtonLink>
            </>
          )
        }
      >
        {(items) => (
          <ul className="result-list">
            {items.map((d) => (
              <DocumentCard key={d.id} doc={d} />
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}

function DocumentCard({ doc }: { doc: EdataDocument }) {
  const { t } = useTranslation();
  return (
    <li className="result-card">
      <h2 className="result-title">
        <Link to={`${BASE}/${doc.id}`}>{doc.title}</Link>
      </h2>
      <p className="result-meta">
        <span>{doc.typeName}</span>
        {doc.number && <span>{t('edata.numberShort', { number: doc.number })}</span>}
        {doc.dossierCode && <code>{doc.dossierCode}</code>}
      </p>
      <p>
        <ValidityTag doc={doc} /> <SourceTag source={doc.source} />
      </p>
      <div className="button-row">
        <a href={documentFileUrl(doc.id)} target="_blank" rel="noopener">
          {t('edata.actions.view')}
          <span className="visually-hidden">: {doc.title}</span>
        </a>
        <a href={documentFileUrl(doc.id, true)} download>
          {t('edata.actions.download')}
          <span className="visually-hidden">: {doc.title}</span>
        </a>
      </div>
    </li>
  );
}

interface MetaValues extends Record<string, unknown> {
  type: string;
  title: string;
  number: string;
  issuer: string;
  issuedOn: string;
  validUntil: string;
}

function metaErrors(v: MetaValues, t: (k: string) => string) {
  const e = check(v, { type: [rules.required()], title: [rules.required(), rules.maxLength(300)] });
  if (v.issuedOn && v.validUntil && v.validUntil < v.issuedOn) e.validUntil = t('edata.errors.validBeforeIssued');
  return e;
}

const nullable = (s: string) => (s.trim() ? s.trim() : null);

function MetaFields({ form, types }: { form: ReturnType<typeof useForm<MetaValues>>; types: DocType[] }) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        label={t('edata.fields.type')}
        required
        field={form.field('type', t('edata.fields.type'))}
        value={form.values.type}
        onValue={(v) => {
          form.set('type', v);
          if (!form.values.title) form.set('title', types.find((x) => x.code === v)?.name ?? '');
        }}
        placeholder={t('edata.fields.typeChoose')}
        options={types.map((x) => ({ value: x.code, label: x.name }))}
      />
      <TextField
        label={t('edata.fields.title')}
        required
        field={form.field('title', t('edata.fields.title'))}
        value={form.values.title}
        onValue={(v) => form.set('title', v)}
      />
      <TextField
        label={t('edata.fields.number')}
        field={form.field('number', t('edata.fields.number'))}
        value={form.values.number}
        onValue={(v) => form.set('number', v)}
      />
      <TextField
        label={t('edata.fields.issuer')}
        field={form.field('issuer', t('edata.fields.issuer'))}
        value={form.values.issuer}
        onValue={(v) => form.set('issuer', v)}
      />
      <TextField
        type="date"
        label={t('edata.fields.issuedOn')}
        field={form.field('issuedOn', t('edata.fields.issuedOn'))}
        value={form.values.issuedOn}
        onValue={(v) => form.set('issuedOn', v)}
      />
      <TextField
        type="date"
        label={t('edata.fields.validUntil')}
        hint={t('edata.fields.validUntilHint')}
        field={form.field('validUntil', t('edata.fields.validUntil'))}
        value={form.values.validUntil}
        onValue={(v) => form.set('validUntil', v)}
      />
    </>
  );
}

function AddPage() {
  const { t } = useTranslation();
  const types = useDocTypes();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const form = useForm<MetaValues>({
    initial: { type: '', title: '', number: '', issuer: '', issuedOn: '', validUntil: '' },
    validate: (v) => {
      const e = metaErrors(v, t);
      if (!file) e.file = t('edata.errors.noFile');
      setFileError(e.file);
      return e;
    },
    onSubmit: async (v) => {
      if (!file) return;
      const meta = await uploadFile(file);
      const doc = await edataApi.add({
        fileId: meta.id,
        type: v.type as never,
        title: v.title.trim(),
        number: nullable(v.number),
        issuer: nullable(v.issuer),
        issuedOn: v.issuedOn || null,
        validUntil: v.validUntil || null,
      });
      await invalidateStore(qc);
      navigate(`${BASE}/${doc.id}`);
    },
  });
  return (
    <div className="narrow">
      <PageHeader title={t('edata.addTitle')} lead={t('edata.addLead')} breadcrumbs={[{ to: BASE, label: t('edata.title') }]} />
      {types.isPending ? (
        <Loading />
      ) : types.isError ? (
        <ErrorState error={types.error} onRetry={() => void types.refetch()} />
      ) : (
        <FormView form={form}>
          <FileField
            label={t('edata.fields.file')}
            hint={t('edata.fields.fileHint')}
            required
            field={{ ...form.field('file', t('edata.fields.file')), error: fileError ?? form.field('file', t('edata.fields.file')).error }}
            accept=".pdf,.jpg,.jpeg,.png,.webp,.tif,.tiff,application/pdf,image/*"
            onFile={setFile}
          />
          <MetaFields form={form} types={types.data} />
          <div className="button-row">
            <Button type="submit" busy={form.submitting}>
              {t('edata.save')}
            </Button>
            <ButtonLink to={BASE}>{t('common.cancel')}</ButtonLink>
          </div>
        </FormView>
      )}
    </div>
  );
}

function DocumentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const doc = useQuery({ queryKey: edataKeys.doc(id), queryFn: () => edataApi.get(id) });
  if (doc.isPending) return <Loading />;
  if (doc.isError) return <ErrorState error={doc.error} onRetry={() => void doc.refetch()} />;
  const d = doc.data;
  return (
    <>
      <PageHeader
        title={d.title}
        lead={d.typeName}
        breadcrumbs={[{ to: BASE, label: t('edata.title') }]}
        actions={
          <>
            <a className="btn btn-primary" href={documentFileUrl(d.id)} target="_blank" rel="noopener">
              {t('edata.actions.view')}
            </a>
            <a className="btn btn-secondary" href={documentFileUrl(d.id, true)} download>
              {t('edata.actions.download')}
            </a>
          </>
        }
      />
      <DocumentDetails doc={d} />
      <SharesSection doc={d} />
      <Section title={t('edata.log.title')} id="edata-doc-log">
        <AccessLogList documentId={d.id} />
      </Section>
    </>
  );
}

function DocumentDetails({ doc }: { doc: EdataDocument }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: () => edataApi.remove(doc.id),
    onSuccess: async () => {
      await invalidateStore(qc);
      navigate(BASE);
    },
  });
  if (editing) return <EditForm doc={doc} onDone={() => setEditing(false)} />;
  return (
    <Section
      title={t('edata.details')}
      id="edata-doc-details"
      actions={
        doc.editable ? (
          <Button variant="secondary" onClick={() => setEditing(true)}>
            {t('edata.actions.edit')}
          </Button>
        ) : undefined
      }
    >
      <p>
        <ValidityTag doc={doc} /> <SourceTag source={doc.source} />
      </p>
      <Details
        items={[
          [t('edata.fields.type'), doc.typeName],
          [t('edata.fields.number'), doc.number],
          [t('edata.fields.issuer'), doc.issuer],
          [t('edata.fields.issuedOn'), <Day key="i" value={doc.issuedOn} />],
          [t('edata.fields.validUntil'), doc.validUntil ? <Day key="v" value={doc.validUntil} /> : t('edata.validity.noLimit')],
          [t('edata.fields.dossier'), doc.dossierCode],
          [t('edata.fields.file'), `${doc.file.name}`],
        ]}
      />
      {doc.source === 'result' && <Notice tone="info">{t('edata.resultNote')}</Notice>}
      {doc.deletable &&
        (confirming ? (
          <div className="confirm-box" aria-live="polite">
            <p className="confirm-question" id="edata-del-q">
              {t('edata.confirmDelete', { title: doc.title })}
            </p>
            {remove.isError && <Notice tone="error" live title={problemText(remove.error, t).title} />}
            <div className="button-row">
              <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>
                {t('edata.actions.deleteConfirm')}
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
            </div>
          </div>
        ) : (
          <div className="button-row">
            <Button variant="danger" onClick={() => setConfirming(true)}>
              {t('edata.actions.delete')}
            </Button>
          </div>
        ))}
    </Section>
  );
}

function EditForm({ doc, onDone }: { doc: EdataDocument; onDone: () => void }) {
  const { t } = useTranslation();
  const types = useDocTypes();
  const qc = useQueryClient();
  const form = useForm<MetaValues>({
    initial: {
      type: doc.type,
      title: doc.title,
      number: doc.number ?? '',
      issuer: doc.issuer ?? '',
      issuedOn: doc.issuedOn ?? '',
      validUntil: doc.validUntil ?? '',
    },
    validate: (v) => metaErrors(v, t),
    onSubmit: async (v) => {
      await edataApi.edit(doc.id, {
        type: v.type as never,
        title: v.title.trim(),
        number: nullable(v.number),
        issuer: nullable(v.issuer),
        issuedOn: v.issuedOn || null,
        validUntil: v.validUntil || null,
      });
      await invalidateStore(qc);
      onDone();
    },
  });
  return (
    <Section title={t('edata.editTitle')} id="edata-doc-edit">
      <FormView form={form}>
        <MetaFields form={form} types={types.data ?? []} />
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('edata.save')}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </div>
      </FormView>
    </Section>
  );
}

function SharesSection({ doc }: { doc: EdataDocument }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [hours, setHours] = useState<string>('24');
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const shares = useQuery({ queryKey: edataKeys.shares(doc.id), queryFn: async () => (await edataApi.shares(doc.id)).items });
  const create = useMutation({
    mutationFn: () => edataApi.createShare(doc.id, Number(hours)),
    onSuccess: async (s) => {
      setCreated({ url: s.url, expiresAt: s.expiresAt });
      setCopied(false);
      await invalidateStore(qc);
    },
  });
  const revoke = useMutation({
    mutationFn: (s: Share) => edataApi.revokeShare(doc.id, s.id),
    onSuccess: () => invalidateStore(qc),
  });
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <Section title={t('edata.share.title')} id="edata-doc-shares">
      <p className="muted">{t('edata.share.lead')}</p>
      <div className="inline-add">
        <SelectField
          label={t('edata.share.expiry')}
          field={{ id: 'edata-share-hours', name: 'hours' }}
          value={hours}
          onValue={setHours}
          options={SHARE_CHOICES.map((h) => ({ value: String(h), label: t(`edata.share.hours.${h}`) }))}
        />
        <Button busy={create.isPending} onClick={() => create.mutate()}>
          {t('edata.share.create')}
        </Button>
      </div>
      {create.isError && <Notice tone="error" live title={problemText(create.error, t).title} />}
      {created && (
        <Notice tone="success" live title={t('edata.share.created')}>
          <p>
            <input className="input" readOnly value={created.url} aria-label={t('edata.share.link')} onFocus={(e) => e.target.select()} />
          </p>
          <div className="button-row">
            <Button variant="secondary" onClick={() => void copy()}>
              {copied ? t('edata.share.copied') : t('edata.share.copy')}
            </Button>
          </div>
          <p className="muted">{t('edata.share.onlyOnce')}</p>
        </Notice>
      )}
      {shares.isPending ? (
        <Loading />
      ) : shares.isError ? (
        <ErrorState error={shares.error} onRetry={() => void shares.refetch()} />
      ) : shares.data.length === 0 ? (
        <p className="muted">{t('edata.share.none')}</p>
      ) : (
        <ul className="row-list">
          {shares.data.map((s) => (
            <li key={s.id} className="row-card">
              <div className="row-card-head">
                <p className="row-card-title">
                  {s.active ? (
                    <Tag tone="success">{t('edata.share.active')}</Tag>
                  ) : s.revokedAt ? (
                    <Tag>{t('edata.share.revoked')}</Tag>
                  ) : (
                    <Tag tone="warning">{t('edata.share.expired')}</Tag>
                  )}{' '}
                  {t('edata.share.until')} <DateTime value={s.expiresAt} />
                </p>
                {s.active && (
                  <Button variant="link" busy={revoke.isPending && revoke.variables?.id === s.id} onClick={() => revoke.mutate(s)}>
                    {t('edata.share.revoke')}
                  </Button>
                )}
              </div>
              <p className="muted">{t('edata.share.opened', { count: s.openedCount })}</p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function StoreLogPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('edata.log.allTitle')} lead={t('edata.log.lead')} breadcrumbs={[{ to: BASE, label: t('edata.title') }]} />
      <AccessLogList documentId={null} />
    </>
  );
}

export type { AccessEntry };
