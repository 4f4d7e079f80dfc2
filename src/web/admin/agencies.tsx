/**
 * Agencies (cơ quan, đơn vị): searchable list or the whole tree, detail with departments and
 * subordinate agencies, create/edit, add departments, CSV import.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, type Page } from '../api';
import { can, useMe } from '../app/auth';
import {
  Button,
  ButtonLink,
  CheckboxField,
  check,
  DataTable,
  Details,
  EmptyState,
  ErrorState,
  FilterBar,
  FormView,
  Loading,
  Notice,
  PagedList,
  PageHeader,
  rules,
  Section,
  SelectField,
  Tag,
  TextField,
  useForm,
  usePagedList,
  useUrlFilters,
} from '../ui';
import { CsvImport } from './import';
import {
  AGENCY_CODE,
  type Agency,
  type AgencyDetail as AgencyDetailT,
  agencyKinds,
  kindLabel,
  LEGACY_AGENCY_CODE,
  useAgency,
  useAgencyOptions,
} from './org';
import { filterField } from './shared';

const FILTERS = ['q', 'kind', 'includeInactive'] as const;
const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/agencies', label: t('admin.sections.agencies.title') },
];

export function AgencyList() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'tree' ? 'tree' : 'list';
  const manage = can(me, 'org.agencies.manage');
  const setView = (v: 'list' | 'tree') => {
    const next = new URLSearchParams(params);
    if (v === 'tree') next.set('view', 'tree');
    else next.delete('view');
    setParams(next);
  };
  return (
    <>
      <PageHeader
        title={t('admin.sections.agencies.title')}
        lead={t('agencies.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
        actions={
          manage && (
            <>
              <ButtonLink to="/admin/agencies/new" variant="primary">
                {t('agencies.create')}
              </ButtonLink>
              <ButtonLink to="/admin/agencies/import">{t('import.action')}</ButtonLink>
            </>
          )
        }
      />
      <fieldset className="view-switch">
        <legend className="visually-hidden">{t('agencies.view')}</legend>
        <Button variant={view === 'list' ? 'primary' : 'secondary'} aria-pressed={view === 'list'} onClick={() => setView('list')}>
          {t('agencies.viewList')}
        </Button>
        <Button variant={view === 'tree' ? 'primary' : 'secondary'} aria-pressed={view === 'tree'} onClick={() => setView('tree')}>
          {t('agencies.viewTree')}
        </Button>
      </fieldset>
      {view === 'list' ? <AgencyTable /> : <AgencyTree />}
    </>
  );
}

function AgencyTable() {
  const { t } = useTranslation();
  const f = useUrlFilters(FILTERS);
  const list = usePagedList<Agency>('/api/v1/agencies', {
    q: f.applied.q,
    kind: f.applied.kind,
    includeInactive: f.applied.includeInactive === 'true',
  });
  return (
    <>
      <FilterBar label={t('agencies.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField
          label={t('agencies.search')}
          hint={t('agencies.searchHint')}
          type="search"
          field={filterField('q')}
          value={f.draft.q}
          onValue={(v) => f.setDraft('q', v)}
        />
        <SelectField
          label={t('agencies.kind')}
          field={filterField('kind')}
          value={f.draft.kind}
          onValue={(v) => f.setDraft('kind', v)}
          placeholder={t('common.all')}
          options={agencyKinds.map((k) => ({ value: k, label: kindLabel(t, k) }))}
        />
        <CheckboxField
          label={t('agencies.includeInactive')}
          field={filterField('includeInactive')}
          checked={f.draft.includeInactive === 'true'}
          onChecked={(v) => f.setDraft('includeInactive', v ? 'true' : '')}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('agencies.empty')}>
        {(items) => (
          <DataTable<Agency>
            caption={t('admin.sections.agencies.title')}
            rows={items}
            rowKey={(a) => a.id}
            columns={[
              {
                key: 'name',
                header: t('agencies.name'),
                primary: true,
                render: (a) => <Link to={`/admin/agencies/${a.id}`}>{a.name}</Link>,
              },
              { key: 'code', header: t('agencies.code'), render: (a) => <code>{a.code}</code> },
              { key: 'kind', header: t('agencies.kind'), render: (a) => kindLabel(t, a.kind) },
              { key: 'status', header: t('common.status'), render: (a) => <ActiveTag active={a.active} /> },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}

function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag tone="success">{t('common.active')}</Tag> : <Tag tone="neutral">{t('common.inactive')}</Tag>;
}

/** Every agency, fetched page by page, arranged by parent. */
function useAllAgencies() {
  return useQuery({
    queryKey: ['/api/v1/agencies', 'all'],
    queryFn: async () => {
      const all: Agency[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const page: Page<Agency> = await api.get<Page<Agency>>('/api/v1/agencies', { limit: 200, cursor: cursor ?? undefined });
        all.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return all;
    },
  });
}

function AgencyTree() {
  const { t } = useTranslation();
  const all = useAllAgencies();
  const byParent = useMemo(() => {
    const m = new Map<string | null, Agency[]>();
    const ids = new Set((all.data ?? []).map((a) => a.id));
    for (const a of all.data ?? []) {
      // An agency whose parent is not in the list (inactive parent) is shown at the top level.
      const key = a.parentId && ids.has(a.parentId) ? a.parentId : null;
      m.set(key, [...(m.get(key) ?? []), a]);
    }
    for (const list of m.values()) list.sort((x, y) => x.name.localeCompare(y.name, 'vi'));
    return m;
  }, [all.data]);
  if (all.isPending) return <Loading />;
  if (all.isError) return <ErrorState error={all.error} onRetry={() => void all.refetch()} />;
  const roots = byParent.get(null) ?? [];
  if (roots.length === 0) return <EmptyState title={t('agencies.empty')} />;
  return (
    <div className="panel">
      <TreeLevel items={roots} byParent={byParent} depth={0} />
    </div>
  );
}

function TreeLevel({ items, byParent, depth }: { items: Agency[]; byParent: Map<string | null, Agency[]>; depth: number }) {
  return (
    <ul className="tree">
      {items.map((a) => (
        <TreeNode key={a.id} agency={a} byParent={byParent} depth={depth} />
      ))}
    </ul>
  );
}

function TreeNode({ agency, byParent, depth }: { agency: Agency; byParent: Map<string | null, Agency[]>; depth: number }) {
  const { t } = useTranslation();
  const children = byParent.get(agency.id) ?? [];
  const [open, setOpen] = useState(depth < 1);
  const groupId = `tree-${agency.id}`;
  return (
    <li className="tree-item">
      <div className="tree-row">
        {children.length > 0 ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={open}
            aria-controls={groupId}
            aria-label={t(open ? 'agencies.collapse' : 'agencies.expand', { name: agency.name })}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? '−' : '+'}
          </button>
        ) : (
          <span className="tree-spacer" aria-hidden="true" />
        )}
        <Link to={`/admin/agencies/${agency.id}`}>{agency.name}</Link>
        <code className="muted">{agency.code}</code>
        {children.length > 0 && <span className="muted">({t('agencies.childCount', { count: children.length })})</span>}
      </div>
      {children.length > 0 && (
        <div id={groupId} hidden={!open}>
          {open && <TreeLevel items={children} byParent={byParent} depth={depth + 1} />}
        </div>
      )}
    </li>
  );
}

export function AgencyDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const agency = useAgency(id);
  if (agency.isPending) return <Loading />;
  if (agency.isError) return <ErrorState error={agency.error} onRetry={() => void agency.refetch()} />;
  const a = agency.data;
  const manage = can(me, 'org.agencies.manage');
  return (
    <>
      <PageHeader
        title={a.name}
        lead={
          <>
            <code>{a.code}</code> · {kindLabel(t, a.kind)} · <ActiveTag active={a.active} />
          </>
        }
        breadcrumbs={crumbs(t)}
        actions={
          manage && (
            <ButtonLink to={`/admin/agencies/${a.id}/edit`} variant="secondary">
              {t('common.edit')}
            </ButtonLink>
          )
        }
      />
      <Details
        items={[
          [t('agencies.code'), <code key="c">{a.code}</code>],
          [t('agencies.legacyCode'), a.legacyCode ? <code key="lc">{a.legacyCode}</code> : null],
          [t('agencies.name'), a.name],
          [t('agencies.shortName'), a.shortName],
          [t('agencies.kind'), kindLabel(t, a.kind)],
          [
            t('agencies.parent'),
            a.parent ? (
              <Link key="p" to={`/admin/agencies/${a.parent.id}`}>
                {a.parent.name}
              </Link>
            ) : (
              t('agencies.root')
            ),
          ],
          [
            t('agencies.adminUnit'),
            a.adminUnit ? (
              <Link key="u" to={`/admin/units/${a.adminUnit.code}`}>
                {a.adminUnit.name} ({a.adminUnit.code})
              </Link>
            ) : null,
          ],
        ]}
      />
      <Section title={t('agencies.departments')} id="agency-departments">
        {a.departments.length === 0 ? (
          <EmptyState title={t('agencies.noDepartments')} />
        ) : (
          <DataTable
            caption={t('agencies.departments')}
            rows={a.departments}
            rowKey={(d) => d.id}
            columns={[
              { key: 'name', header: t('agencies.deptName'), primary: true, render: (d) => d.name },
              { key: 'code', header: t('agencies.deptCode'), render: (d) => <code>{d.code}</code> },
              { key: 'status', header: t('common.status'), render: (d) => <ActiveTag active={d.active} /> },
            ]}
          />
        )}
        {manage && <AddDepartment agencyId={a.id} />}
      </Section>
      <Section title={t('agencies.children')} id="agency-children">
        {a.children.length === 0 ? (
          <EmptyState title={t('agencies.noChildren')} />
        ) : (
          <DataTable<Agency>
            caption={t('agencies.children')}
            rows={a.children}
            rowKey={(c) => c.id}
            columns={[
              {
                key: 'name',
                header: t('agencies.name'),
                primary: true,
                render: (c) => <Link to={`/admin/agencies/${c.id}`}>{c.name}</Link>,
              },
              { key: 'code', header: t('agencies.code'), render: (c) => <code>{c.code}</code> },
              { key: 'kind', header: t('agencies.kind'), render: (c) => kindLabel(t, c.kind) },
              { key: 'status', header: t('common.status'), render: (c) => <ActiveTag active={c.active} /> },
            ]}
          />
        )}
      </Section>
    </>
  );
}

function AddDepartment({ agencyId }: { agencyId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [added, setAdded] = useState<string | null>(null);
  const form = useForm({
    initial: { code: '', name: '' },
    validate: (v) =>
      check(v, {
        code: [rules.required(), rules.pattern(/^[A-Za-z0-9._-]{1,30}$/, 'validation.deptCode')],
        name: [rules.required(), rules.maxLength(300)],
      }),
    onSubmit: async (v) => {
      setAdded(null);
      await api.post(`/api/v1/agencies/${encodeURIComponent(agencyId)}/departments`, { code: v.code.trim(), name: v.name.trim() });
      await qc.invalidateQueries({ queryKey: ['/api/v1/agencies', agencyId] });
      setAdded(v.name.trim());
      form.reset();
    },
  });
  return (
    <div className="panel">
      <h3>{t('agencies.addDepartment')}</h3>
      {added && <Notice tone="success" live title={t('agencies.departmentAdded', { name: added })} />}
      <FormView form={form}>
        <div className="form-grid">
          <TextField
            label={t('agencies.deptCode')}
            hint={t('agencies.deptCodeHint')}
            required
            maxLength={30}
            field={form.field('code', t('agencies.deptCode'))}
            value={form.values.code}
            onValue={(x) => form.set('code', x)}
          />
          <TextField
            label={t('agencies.deptName')}
            required
            maxLength={300}
            field={form.field('name', t('agencies.deptName'))}
            value={form.values.name}
            onValue={(x) => form.set('name', x)}
          />
        </div>
        <Button type="submit" busy={form.submitting}>
          {t('agencies.addDepartmentSubmit')}
        </Button>
      </FormView>
    </div>
  );
}

interface AgencyValues extends Record<string, unknown> {
  code: string;
  legacyCode: string;
  name: string;
  shortName: string;
  kind: string;
  parentId: string;
  adminUnitCode: string;
  active: boolean;
}

function validateAgency(v: AgencyValues, t: (k: string) => string, selfId?: string) {
  const e = check(v, {
    code: [rules.required(), rules.maxLength(35), rules.pattern(AGENCY_CODE, 'validation.agencyCode')],
    legacyCode: [rules.pattern(LEGACY_AGENCY_CODE, 'validation.legacyAgencyCode')],
    name: [rules.required(), rules.maxLength(300)],
    shortName: [rules.maxLength(60)],
    kind: [rules.required()],
    adminUnitCode: [rules.pattern(/^[0-9]{2,5}$/, 'validation.unitCode')],
  });
  if (selfId && v.parentId === selfId) e.parentId = t('agencies.errors.selfParent');
  return e;
}

function AgencyForm({
  initial,
  agency,
  onSubmit,
  submitLabel,
}: {
  initial: AgencyValues;
  agency?: AgencyDetailT;
  onSubmit: (v: AgencyValues) => Promise<void>;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const options = useAgencyOptions();
  const form = useForm<AgencyValues>({ initial, validate: (v) => validateAgency(v, t, agency?.id), onSubmit });
  const v = form.values;
  const parentOptions = (options.data?.items ?? [])
    .filter((a) => a.id !== agency?.id && !(agency && a.path.startsWith(`${agency.path}/`)))
    .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }));
  // Keep the current parent selectable even when it is beyond the first page of options.
  if (agency?.parent && !parentOptions.some((o) => o.value === agency.parent?.id)) {
    parentOptions.unshift({ value: agency.parent.id, label: `${agency.parent.name} (${agency.parent.code})` });
  }
  return (
    <FormView form={form}>
      <div className="form-grid">
        <TextField
          className="span-2"
          label={t('agencies.name')}
          required
          maxLength={300}
          field={form.field('name', t('agencies.name'))}
          value={v.name}
          onValue={(x) => form.set('name', x)}
        />
        <TextField
          label={t('agencies.code')}
          hint={t('agencies.codeHint')}
          required
          maxLength={35}
          autoCapitalize="characters"
          field={form.field('code', t('agencies.code'))}
          value={v.code}
          onValue={(x) => form.set('code', x.toUpperCase())}
        />
        <TextField
          label={t('agencies.legacyCode')}
          hint={t('agencies.legacyCodeHint')}
          maxLength={20}
          field={form.field('legacyCode', t('agencies.legacyCode'))}
          value={v.legacyCode}
          onValue={(x) => form.set('legacyCode', x.toUpperCase())}
        />
        <TextField
          label={t('agencies.shortName')}
          maxLength={60}
          field={form.field('shortName', t('agencies.shortName'))}
          value={v.shortName}
          onValue={(x) => form.set('shortName', x)}
        />
        <SelectField
          label={t('agencies.kind')}
          required
          field={form.field('kind', t('agencies.kind'))}
          value={v.kind}
          onValue={(x) => form.set('kind', x)}
          placeholder={t('common.choose')}
          options={agencyKinds.map((k) => ({ value: k, label: kindLabel(t, k) }))}
        />
        <SelectField
          label={t('agencies.parent')}
          hint={options.isError ? t('agencies.parentLoadError') : t('agencies.parentHint')}
          field={form.field('parentId', t('agencies.parent'))}
          value={v.parentId}
          onValue={(x) => form.set('parentId', x)}
          placeholder={t('agencies.root')}
          options={parentOptions}
        />
        <TextField
          label={t('agencies.adminUnitCode')}
          hint={t('agencies.adminUnitHint')}
          inputMode="numeric"
          maxLength={5}
          field={form.field('adminUnitCode', t('agencies.adminUnitCode'))}
          value={v.adminUnitCode}
          onValue={(x) => form.set('adminUnitCode', x)}
        />
        {agency && (
          <CheckboxField
            label={t('agencies.activeLabel')}
            hint={t('agencies.activeHint')}
            field={form.field('active', t('agencies.activeLabel'))}
            checked={v.active}
            onChecked={(x) => form.set('active', x)}
          />
        )}
      </div>
      <div className="button-row">
        <Button type="submit" busy={form.submitting}>
          {submitLabel}
        </Button>
        <ButtonLink to={agency ? `/admin/agencies/${agency.id}` : '/admin/agencies'} variant="link">
          {t('common.cancel')}
        </ButtonLink>
      </div>
    </FormView>
  );
}

const blank: AgencyValues = {
  code: 'H66.',
  legacyCode: '',
  name: '',
  shortName: '',
  kind: '',
  parentId: '',
  adminUnitCode: '',
  active: true,
};

export function AgencyNew() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader title={t('agencies.create')} breadcrumbs={crumbs(t)} />
      <AgencyForm
        initial={{ ...blank, parentId: params.get('parentId') ?? '' }}
        submitLabel={t('common.create')}
        onSubmit={async (v) => {
          const created = await api.post<Agency>('/api/v1/agencies', {
            code: v.code.trim(),
            legacyCode: v.legacyCode.trim() || null,
            name: v.name.trim(),
            shortName: v.shortName.trim() || null,
            kind: v.kind,
            parentId: v.parentId || null,
            adminUnitCode: v.adminUnitCode.trim() || null,
          });
          await qc.invalidateQueries({ queryKey: ['/api/v1/agencies'] });
          navigate(`/admin/agencies/${created.id}`);
        }}
      />
    </>
  );
}

export function AgencyEdit() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const agency = useAgency(id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  if (agency.isPending) return <Loading />;
  if (agency.isError) return <ErrorState error={agency.error} onRetry={() => void agency.refetch()} />;
  const a = agency.data;
  const initial: AgencyValues = {
    code: a.code,
    legacyCode: a.legacyCode ?? '',
    name: a.name,
    shortName: a.shortName ?? '',
    kind: a.kind,
    parentId: a.parentId ?? '',
    adminUnitCode: a.adminUnitCode ?? '',
    active: a.active,
  };
  return (
    <>
      <PageHeader
        title={t('agencies.editTitle', { name: a.name })}
        breadcrumbs={[...crumbs(t), { to: `/admin/agencies/${a.id}`, label: a.name }]}
      />
      <AgencyForm
        key={a.id}
        agency={a}
        initial={initial}
        submitLabel={t('common.save')}
        onSubmit={async (v) => {
          const patch: Record<string, unknown> = {};
          const str = (k: keyof AgencyValues) => String(v[k]).trim();
          if (str('code') !== initial.code) patch.code = str('code');
          if (str('legacyCode') !== initial.legacyCode) patch.legacyCode = str('legacyCode') || null;
          if (str('name') !== initial.name) patch.name = str('name');
          if (str('shortName') !== initial.shortName) patch.shortName = str('shortName') || null;
          if (v.kind !== initial.kind) patch.kind = v.kind;
          if (v.parentId !== initial.parentId) patch.parentId = v.parentId || null;
          if (str('adminUnitCode') !== initial.adminUnitCode) patch.adminUnitCode = str('adminUnitCode') || null;
          if (v.active !== initial.active) patch.active = v.active;
          if (Object.keys(patch).length > 0) {
            await api.patch(`/api/v1/agencies/${encodeURIComponent(a.id)}`, patch);
            await qc.invalidateQueries({ queryKey: ['/api/v1/agencies'] });
          }
          navigate(`/admin/agencies/${a.id}`);
        }}
      />
    </>
  );
}

export function AgencyImport() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('agencies.importTitle')} lead={t('agencies.importLead')} breadcrumbs={crumbs(t)} />
      <CsvImport endpoint="/api/v1/agencies/import" invalidate="/api/v1/agencies" columnsHint={t('agencies.importColumns')} />
    </>
  );
}
