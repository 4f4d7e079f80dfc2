/**
 * Admin "Phản ánh hiện trường" (/admin/phan-anh, permission feedback.manage): the categories with their
 * SLA days and handling unit kind, the provincial triage desk, the import of commune boundaries (GeoJSON),
 * and the Open311 API clients (the key is shown once, at creation).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agencyKinds, kindLabel, useAgencyOptions } from '../admin/org';
import i18n from '../i18n';
import {
  Button,
  CheckboxField,
  ConfirmButton,
  DataTable,
  DateTime,
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
  TextField,
  useForm,
} from '../ui';
import {
  CATEGORIES_ADMIN,
  createCategory,
  createOpen311Client,
  disableOpen311Client,
  importBoundaries,
  OPEN311_CLIENTS,
  SETTINGS_ADMIN,
  saveFeedbackSettings,
  updateCategory,
  useAdminCategories,
  useFeedbackSettings,
  useOpen311Clients,
} from './api';
import {
  type Category,
  type CategoryValues,
  categoryBody,
  categoryValues,
  checkBoundaries,
  clientActive,
  clientBody,
  type Open311Client,
  validateCategory,
  validateClient,
} from './logic';
import './feedback-office.css';

interface Outcome {
  tone: 'success' | 'error';
  title: string;
  detail?: string;
}

const translate = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, key]) => [k, i18n.t(key)]));

function OutcomeNotice({ outcome }: { outcome: Outcome | null }) {
  return (
    <div aria-live="polite">
      {outcome && (
        <Notice tone={outcome.tone} title={outcome.title}>
          {outcome.detail}
        </Notice>
      )}
    </div>
  );
}

export function FeedbackAdminPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('feedbackOffice.admin.title')}
        lead={t('feedbackOffice.admin.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
      />
      <CategoriesSection />
      <SettingsSection />
      <BoundariesSection />
      <ClientsSection />
    </>
  );
}

// ---- Categories --------------------------------------------------------------------------------------

function CategoriesSection() {
  const { t } = useTranslation();
  const list = useAdminCategories();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const items = [...(list.data?.items ?? [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name, 'vi'));
  const open = (c: Category | 'new') => {
    setOutcome(null);
    setEditing(c);
    requestAnimationFrame(() => document.getElementById('pa-category-form')?.focus());
  };
  return (
    <Section
      title={t('feedbackOffice.admin.categories.title')}
      id="pa-admin-categories"
      actions={
        editing === null && (
          <Button variant="secondary" onClick={() => open('new')}>
            {t('feedbackOffice.admin.categories.add')}
          </Button>
        )
      }
    >
      <p className="muted">{t('feedbackOffice.admin.categories.text')}</p>
      <OutcomeNotice outcome={outcome} />
      {editing !== null && (
        <CategoryForm
          key={editing === 'new' ? 'new' : editing.code}
          category={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onSaved={(c, created) => {
            setEditing(null);
            setOutcome({
              tone: 'success',
              title: created
                ? t('feedbackOffice.admin.categories.created', { name: c.name })
                : t('feedbackOffice.admin.categories.saved', { name: c.name }),
            });
          }}
        />
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('feedbackOffice.admin.categories.empty')} />
      ) : (
        <DataTable<Category>
          caption={t('feedbackOffice.admin.categories.title')}
          rows={items}
          rowKey={(c) => c.code}
          columns={[
            { key: 'name', header: t('feedbackOffice.admin.categories.name'), primary: true, render: (c) => c.name },
            { key: 'code', header: t('feedbackOffice.admin.categories.code'), render: (c) => <code>{c.code}</code> },
            { key: 'accept', header: t('feedbackOffice.admin.categories.acceptDaysShort'), align: 'end', render: (c) => c.acceptDays },
            { key: 'resolve', header: t('feedbackOffice.admin.categories.resolveDaysShort'), align: 'end', render: (c) => c.resolveDays },
            { key: 'unit', header: t('feedbackOffice.admin.categories.unitKind'), render: (c) => kindLabel(t, c.unitKind) },
            { key: 'order', header: t('feedbackOffice.admin.categories.sortOrder'), align: 'end', render: (c) => c.sortOrder ?? 0 },
            {
              key: 'active',
              header: t('common.status'),
              render: (c) =>
                c.active ? (
                  <Tag tone="success">{t('feedbackOffice.admin.active')}</Tag>
                ) : (
                  <Tag tone="neutral">{t('feedbackOffice.admin.inactive')}</Tag>
                ),
            },
            {
              key: 'edit',
              header: t('feedbackOffice.admin.actions'),
              align: 'end',
              render: (c) => (
                <Button variant="link" aria-label={t('feedbackOffice.admin.categories.editOf', { name: c.name })} onClick={() => open(c)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Section>
  );
}

function CategoryForm({
  category,
  onCancel,
  onSaved,
}: {
  category?: Category;
  onCancel: () => void;
  onSaved: (c: Category, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const isNew = !category;
  const form = useForm<CategoryValues>({
    initial: categoryValues(category),
    validate: (v) => translate(validateCategory(v, isNew)),
    onSubmit: async (v) => {
      const body = categoryBody(v);
      const { code, ...patch } = body;
      const saved = isNew ? await createCategory(body) : await updateCategory(code, patch);
      await qc.invalidateQueries({ queryKey: [CATEGORIES_ADMIN] });
      await qc.invalidateQueries({ queryKey: ['/api/v1/field-reports/categories'] });
      onSaved(saved ?? body, isNew);
    },
  });
  const v = form.values;
  const title = isNew ? t('feedbackOffice.admin.categories.add') : t('feedbackOffice.admin.categories.editOf', { name: category.name });
  return (
    <div className="panel pa-admin-form" id="pa-category-form" tabIndex={-1}>
      <h3>{title}</h3>
      <FormView form={form} label={title}>
        <div className="form-grid">
          <TextField
            label={t('feedbackOffice.admin.categories.code')}
            hint={isNew ? t('feedbackOffice.admin.categories.codeHint') : undefined}
            required
            disabled={!isNew}
            maxLength={40}
            autoCapitalize="none"
            spellCheck={false}
            field={form.field('code', t('feedbackOffice.admin.categories.code'))}
            value={v.code}
            onValue={(x) => form.set('code', x)}
          />
          <TextField
            label={t('feedbackOffice.admin.categories.name')}
            required
            maxLength={200}
            field={form.field('name', t('feedbackOffice.admin.categories.name'))}
            value={v.name}
            onValue={(x) => form.set('name', x)}
          />
          <TextField
            label={t('feedbackOffice.admin.categories.acceptDays')}
            required
            type="number"
            inputMode="numeric"
            min={0}
            max={30}
            field={form.field('acceptDays', t('feedbackOffice.admin.categories.acceptDays'))}
            value={v.acceptDays}
            onValue={(x) => form.set('acceptDays', x)}
          />
          <TextField
            label={t('feedbackOffice.admin.categories.resolveDays')}
            required
            type="number"
            inputMode="numeric"
            min={1}
            max={120}
            field={form.field('resolveDays', t('feedbackOffice.admin.categories.resolveDays'))}
            value={v.resolveDays}
            onValue={(x) => form.set('resolveDays', x)}
          />
          <SelectField
            label={t('feedbackOffice.admin.categories.unitKind')}
            hint={t('feedbackOffice.admin.categories.unitKindHint')}
            required
            field={form.field('unitKind', t('feedbackOffice.admin.categories.unitKind'))}
            value={v.unitKind}
            onValue={(x) => form.set('unitKind', x)}
            options={agencyKinds.map((k) => ({ value: k, label: kindLabel(t, k) }))}
          />
          <TextField
            label={t('feedbackOffice.admin.categories.sortOrder')}
            type="number"
            inputMode="numeric"
            min={0}
            max={999}
            field={form.field('sortOrder', t('feedbackOffice.admin.categories.sortOrder'))}
            value={v.sortOrder}
            onValue={(x) => form.set('sortOrder', x)}
          />
        </div>
        <CheckboxField
          label={t('feedbackOffice.admin.categories.activeLabel')}
          field={form.field('active', t('feedbackOffice.admin.categories.activeLabel'))}
          checked={v.active}
          onChecked={(x) => form.set('active', x)}
        />
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {isNew ? t('feedbackOffice.admin.categories.create') : t('feedbackOffice.admin.categories.save')}
          </Button>
          <Button variant="link" disabled={form.submitting} onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </FormView>
    </div>
  );
}

// ---- Triage desk ----------------------------------------------------------------------------------------

function SettingsSection() {
  const { t } = useTranslation();
  const settings = useFeedbackSettings();
  const agencies = useAgencyOptions();
  return (
    <Section title={t('feedbackOffice.admin.settings.title')} id="pa-admin-settings">
      <p className="muted">{t('feedbackOffice.admin.settings.text')}</p>
      {settings.isPending || agencies.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <SettingsForm
          current={settings.data.triageAgencyCode}
          agencies={(agencies.data?.items ?? []).filter((a) => a.active !== false).map((a) => ({ code: a.code, name: a.name }))}
        />
      )}
    </Section>
  );
}

function SettingsForm({ current, agencies }: { current: string | null; agencies: { code: string; name: string }[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const form = useForm<{ triageAgencyCode: string }>({
    initial: { triageAgencyCode: current ?? '' },
    onSubmit: async (v) => {
      setOutcome(null);
      const saved = await saveFeedbackSettings({ triageAgencyCode: v.triageAgencyCode || null });
      qc.setQueryData([SETTINGS_ADMIN], saved ?? { triageAgencyCode: v.triageAgencyCode || null });
      setOutcome({ tone: 'success', title: t('feedbackOffice.admin.settings.saved') });
    },
  });
  const options = agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }));
  if (current && !options.some((o) => o.value === current)) options.unshift({ value: current, label: current });
  return (
    <>
      <OutcomeNotice outcome={outcome} />
      <FormView form={form} label={t('feedbackOffice.admin.settings.title')}>
        <SelectField
          label={t('feedbackOffice.admin.settings.agency')}
          hint={t('feedbackOffice.admin.settings.agencyHint')}
          field={form.field('triageAgencyCode', t('feedbackOffice.admin.settings.agency'))}
          value={form.values.triageAgencyCode}
          onValue={(x) => form.set('triageAgencyCode', x)}
          placeholder={t('feedbackOffice.admin.settings.default')}
          options={options}
        />
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('feedbackOffice.admin.settings.save')}
          </Button>
        </div>
      </FormView>
    </>
  );
}

// ---- Boundaries -----------------------------------------------------------------------------------------

function BoundariesSection() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const form = useForm<{ file: string }>({
    initial: { file: '' },
    validate: (): Record<string, string> => (file ? {} : { file: t('feedbackOffice.admin.boundaries.chooseFile') }),
    onSubmit: async () => {
      setOutcome(null);
      if (!file) return;
      const checked = checkBoundaries(await file.text());
      if (!checked.ok) {
        setOutcome({ tone: 'error', title: t(checked.error) });
        return;
      }
      const r = await importBoundaries(checked.json);
      setOutcome({ tone: 'success', title: t('feedbackOffice.admin.boundaries.imported', { count: r.imported }) });
    },
  });
  const field = form.field('file', t('feedbackOffice.admin.boundaries.file'));
  return (
    <Section title={t('feedbackOffice.admin.boundaries.title')} id="pa-admin-boundaries">
      <p className="muted">{t('feedbackOffice.admin.boundaries.text')}</p>
      <OutcomeNotice outcome={outcome} />
      <FormView form={form} label={t('feedbackOffice.admin.boundaries.title')}>
        <div className={['field', field.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
          <label className="field-label" htmlFor={field.id}>
            {t('feedbackOffice.admin.boundaries.file')}
          </label>
          <div className="field-hint" id={`${field.id}-hint`}>
            {t('feedbackOffice.admin.boundaries.fileHint')}
          </div>
          {field.error && (
            <p className="field-error" id={`${field.id}-error`}>
              <span className="visually-hidden">{t('form.errorPrefix')} </span>
              {field.error}
            </p>
          )}
          <input
            type="file"
            className="input input-file"
            id={field.id}
            name={field.name}
            accept=".geojson,.json,application/geo+json,application/json"
            aria-invalid={field.error ? true : undefined}
            aria-describedby={[`${field.id}-hint`, field.error ? `${field.id}-error` : ''].filter(Boolean).join(' ')}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('feedbackOffice.admin.boundaries.import')}
          </Button>
        </div>
      </FormView>
    </Section>
  );
}

// ---- Open311 clients ------------------------------------------------------------------------------------

function ClientsSection() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useOpen311Clients();
  const [created, setCreated] = useState<{ name: string; apiKey: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const keyRef = useRef<HTMLDivElement>(null);
  const form = useForm<{ name: string; contactEmail: string }>({
    initial: { name: '', contactEmail: '' },
    validate: (v) => translate(validateClient(v)),
    onSubmit: async (v) => {
      setOutcome(null);
      setCreated(null);
      const c = await createOpen311Client(clientBody(v));
      form.reset();
      setCreated({ name: c.name, apiKey: c.apiKey });
      await qc.invalidateQueries({ queryKey: [OPEN311_CLIENTS] });
      requestAnimationFrame(() => keyRef.current?.focus());
    },
  });
  const items = list.data?.items ?? [];
  return (
    <Section title={t('feedbackOffice.admin.clients.title')} id="pa-admin-clients">
      <p className="muted">{t('feedbackOffice.admin.clients.text')}</p>
      <OutcomeNotice outcome={outcome} />
      {created && (
        <div ref={keyRef} tabIndex={-1}>
          <ShownOnce
            level={3}
            title={t('feedbackOffice.admin.clients.keyTitle', { name: created.name })}
            warning={t('feedbackOffice.admin.clients.keyWarning')}
            label={t('feedbackOffice.admin.clients.keyLabel')}
            value={created.apiKey}
            testId="open311-api-key"
          />
          <Button variant="link" onClick={() => setCreated(null)}>
            {t('feedbackOffice.admin.clients.keySaved')}
          </Button>
        </div>
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('feedbackOffice.admin.clients.empty')}>{t('feedbackOffice.admin.clients.emptyText')}</EmptyState>
      ) : (
        <DataTable<Open311Client>
          caption={t('feedbackOffice.admin.clients.title')}
          rows={items}
          rowKey={(c) => c.id}
          columns={[
            { key: 'name', header: t('feedbackOffice.admin.clients.name'), primary: true, render: (c) => c.name },
            { key: 'email', header: t('feedbackOffice.admin.clients.contactEmail'), render: (c) => c.contactEmail ?? '—' },
            {
              key: 'key',
              header: t('feedbackOffice.admin.clients.keyPrefix'),
              render: (c) => (c.keyPrefix ? <code>{c.keyPrefix}…</code> : '—'),
            },
            { key: 'created', header: t('feedbackOffice.admin.clients.createdAt'), render: (c) => <DateTime value={c.createdAt} /> },
            { key: 'used', header: t('feedbackOffice.admin.clients.lastUsedAt'), render: (c) => <DateTime value={c.lastUsedAt} /> },
            {
              key: 'status',
              header: t('common.status'),
              render: (c) =>
                clientActive(c) ? (
                  <Tag tone="success">{t('feedbackOffice.admin.active')}</Tag>
                ) : (
                  <Tag tone="neutral">{t('feedbackOffice.admin.clients.disabled')}</Tag>
                ),
            },
            {
              key: 'actions',
              header: t('feedbackOffice.admin.actions'),
              align: 'end',
              render: (c) =>
                clientActive(c) ? (
                  <ConfirmButton
                    label={t('feedbackOffice.admin.clients.disable')}
                    ariaLabel={t('feedbackOffice.admin.clients.disableOf', { name: c.name })}
                    question={t('feedbackOffice.admin.clients.disableConfirm', { name: c.name })}
                    confirmLabel={t('feedbackOffice.admin.clients.disableYes')}
                    onConfirm={async () => {
                      setOutcome(null);
                      try {
                        await disableOpen311Client(c.id);
                        await qc.invalidateQueries({ queryKey: [OPEN311_CLIENTS] });
                        setOutcome({ tone: 'success', title: t('feedbackOffice.admin.clients.disabledDone', { name: c.name }) });
                      } catch (e) {
                        setOutcome({ tone: 'error', ...problemText(e, t) });
                      }
                    }}
                  />
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
      <div className="panel pa-admin-form">
        <h3>{t('feedbackOffice.admin.clients.create')}</h3>
        <FormView form={form} label={t('feedbackOffice.admin.clients.create')}>
          <div className="form-grid">
            <TextField
              label={t('feedbackOffice.admin.clients.name')}
              hint={t('feedbackOffice.admin.clients.nameHint')}
              required
              maxLength={200}
              field={form.field('name', t('feedbackOffice.admin.clients.name'))}
              value={form.values.name}
              onValue={(x) => form.set('name', x)}
            />
            <TextField
              label={t('feedbackOffice.admin.clients.contactEmail')}
              hint={t('feedbackOffice.admin.clients.contactEmailHint')}
              type="email"
              autoComplete="off"
              maxLength={254}
              field={form.field('contactEmail', t('feedbackOffice.admin.clients.contactEmail'))}
              value={form.values.contactEmail}
              onValue={(x) => form.set('contactEmail', x)}
            />
          </div>
          <div className="button-row">
            <Button type="submit" busy={form.submitting}>
              {t('feedbackOffice.admin.clients.submit')}
            </Button>
          </div>
        </FormView>
      </div>
    </Section>
  );
}
