/**
 * "Doanh nghiệp" in the account pages: the businesses I represent, registering one by tax code (the
 * registering citizen becomes its legal representative; in the demo the business is declared, not
 * verified), and one business with its representatives (the legal representative adds and removes them).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { NotFound } from '../app/NotFound';
import {
  Button,
  check,
  DataTable,
  DateTime,
  Details,
  ErrorState,
  FormView,
  Loading,
  Notice,
  PagedList,
  PageHeader,
  problemText,
  rules,
  Section,
  Tag,
  TextField,
  useForm,
  usePagedList,
} from '../ui';
import {
  BUSINESSES,
  BUSINESSES_PAGE,
  type BusinessDetail,
  type BusinessSummary,
  businessPage,
  businessPath,
  PARTIES,
  partiesApi,
} from './api';

export default function BusinessesArea() {
  return (
    <Routes>
      <Route index element={<BusinessesPage />} />
      <Route path=":id" element={<BusinessPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

/** Every cached parties read is stale after a write (lists, one business, the wizard's principals). */
const invalidate = (qc: ReturnType<typeof useQueryClient>) =>
  qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith(PARTIES) });

function StatusTag({ status }: { status: BusinessSummary['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag tone={status === 'verified' ? 'success' : status === 'inactive' ? 'danger' : 'warning'}>
      {t(`parties.business.status.${status}`)}
    </Tag>
  );
}

function BusinessesPage() {
  const { t } = useTranslation();
  const list = usePagedList<BusinessSummary>(BUSINESSES, {}, { limit: 20 });
  return (
    <>
      <PageHeader title={t('parties.business.title')} lead={t('parties.business.lead')} />
      <PagedList list={list} emptyTitle={t('parties.business.empty')} emptyText={<p>{t('parties.business.emptyText')}</p>}>
        {(items) => (
          <ul className="result-list">
            {items.map((b) => (
              <li className="result-card" key={b.id}>
                <h2 className="result-title">
                  <Link to={businessPage(b.id)}>{b.name}</Link>
                </h2>
                <p className="result-meta">
                  <span>{t('parties.business.taxCodeShort', { taxCode: b.taxCode })}</span>
                  <span>{t(`parties.business.roles.${b.myRole}`)}</span>
                </p>
                <p className="chip-list">
                  <StatusTag status={b.status} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
      <RegisterForm />
    </>
  );
}

interface RegisterValues extends Record<string, unknown> {
  taxCode: string;
  name: string;
  address: string;
}

function RegisterForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<RegisterValues>({
    initial: { taxCode: '', name: '', address: '' },
    validate: (v) => {
      const e = check(v, { taxCode: [rules.required()], name: [rules.required(), rules.maxLength(300)], address: [rules.maxLength(500)] });
      if (!e.taxCode && !/^\d{10}(-?\d{3})?$/.test(v.taxCode.replace(/[\s.]/g, ''))) e.taxCode = t('parties.business.taxCodeFormat');
      return e;
    },
    onSubmit: async (v) => {
      const b = await partiesApi.registerBusiness({
        taxCode: v.taxCode.trim(),
        name: v.name.trim(),
        address: v.address.trim() || undefined,
      });
      await invalidate(qc);
      navigate(businessPage(b.id));
    },
  });
  return (
    <Section title={t('parties.business.register')}>
      <p>{t('parties.business.registerLead')}</p>
      <Notice tone="info" title={t('parties.business.declaredNotice')} />
      <FormView form={form}>
        <TextField
          label={t('parties.business.taxCode')}
          hint={t('parties.business.taxCodeHint')}
          required
          inputMode="numeric"
          autoComplete="off"
          field={form.field('taxCode', t('parties.business.taxCode'))}
          value={form.values.taxCode}
          onValue={(v) => form.set('taxCode', v)}
        />
        <TextField
          label={t('parties.business.name')}
          required
          field={form.field('name', t('parties.business.name'))}
          value={form.values.name}
          onValue={(v) => form.set('name', v)}
        />
        <TextField
          label={t('parties.business.address')}
          field={form.field('address', t('parties.business.address'))}
          value={form.values.address}
          onValue={(v) => form.set('address', v)}
        />
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('parties.business.registerButton')}
          </Button>
        </div>
      </FormView>
    </Section>
  );
}

function BusinessPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const business = useQuery({ queryKey: [businessPath(id)], queryFn: () => partiesApi.business(id) });
  if (business.isPending) return <Loading />;
  if (business.isError) return <ErrorState error={business.error} onRetry={() => void business.refetch()} />;
  const b = business.data;
  return (
    <>
      <PageHeader title={b.name} breadcrumbs={[{ to: BUSINESSES_PAGE, label: t('parties.business.title') }]} />
      <Details
        items={[
          [t('parties.business.taxCode'), <code key="tax">{b.taxCode}</code>],
          [t('parties.business.address'), b.address ?? '—'],
          [t('parties.business.statusLabel'), <StatusTag key="status" status={b.status} />],
          [t('parties.business.myRole'), t(`parties.business.roles.${b.myRole}`)],
          [t('parties.business.registeredAt'), <DateTime key="at" value={b.createdAt} />],
        ]}
      />
      <Representatives business={b} />
    </>
  );
}

function Representatives({ business: b }: { business: BusinessDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const legal = b.myRole === 'legal_representative';
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);
  const remove = useMutation({
    mutationFn: (accountId: string) => partiesApi.removeRepresentative(b.id, accountId),
    onSuccess: async () => {
      setNotice({ tone: 'success', title: t('parties.representatives.removed') });
      await invalidate(qc);
    },
    onError: (e) => setNotice({ tone: 'error', ...problemText(e, t) }),
  });
  const form = useForm<{ username: string }>({
    initial: { username: '' },
    validate: (v) => check(v, { username: [rules.required()] }),
    onSubmit: async (v) => {
      await partiesApi.addRepresentative(b.id, v.username.trim().toLowerCase());
      form.reset();
      setNotice({ tone: 'success', title: t('parties.representatives.added') });
      await invalidate(qc);
    },
  });
  return (
    <Section title={t('parties.representatives.title')}>
      {notice && (
        <Notice tone={notice.tone} live title={notice.title}>
          {notice.detail}
        </Notice>
      )}
      <DataTable<BusinessDetail['representatives'][number]>
        caption={t('parties.representatives.title')}
        rows={b.representatives}
        rowKey={(r) => r.accountId}
        columns={[
          { key: 'name', header: t('parties.representatives.name'), primary: true, render: (r) => r.displayName },
          { key: 'username', header: t('parties.representatives.username'), render: (r) => <code>{r.username}</code> },
          { key: 'role', header: t('parties.representatives.role'), render: (r) => t(`parties.business.roles.${r.role}`) },
          { key: 'added', header: t('parties.representatives.addedAt'), render: (r) => <DateTime value={r.addedAt} /> },
          {
            key: 'actions',
            header: t('common.actions'),
            align: 'end',
            render: (r) =>
              legal && r.role !== 'legal_representative' ? (
                <Button
                  variant="secondary"
                  busy={remove.isPending && remove.variables === r.accountId}
                  onClick={() => remove.mutate(r.accountId)}
                  aria-label={t('parties.representatives.removeLabel', { name: r.displayName })}
                >
                  {t('parties.representatives.remove')}
                </Button>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {legal ? (
        <FormView form={form}>
          <TextField
            label={t('parties.representatives.addUsername')}
            hint={t('parties.representatives.addHint')}
            required
            autoComplete="off"
            field={form.field('username', t('parties.representatives.addUsername'))}
            value={form.values.username}
            onValue={(v) => form.set('username', v)}
          />
          <div className="button-row">
            <Button type="submit" busy={form.submitting}>
              {t('parties.representatives.add')}
            </Button>
          </div>
        </FormView>
      ) : (
        <p>{t('parties.representatives.onlyLegal')}</p>
      )}
    </Section>
  );
}
