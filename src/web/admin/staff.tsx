/**
 * Staff (cán bộ): list with search and agency filter, create (with the sign-in account), edit the
 * placement, and role assignments scoped to the whole province, an agency or one department.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api';
import { can, useMe } from '../app/auth';
import {
  Button,
  ButtonLink,
  CheckboxField,
  check,
  DataTable,
  DateTime,
  Details,
  EmptyState,
  ErrorState,
  FilterBar,
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
  useUrlFilters,
} from '../ui';
import { type Assignment, type Staff, type StaffDetail as StaffDetailT, useAgency, useAgencyOptions, usePositions, useRoles } from './org';
import { filterField } from './shared';

const FILTERS = ['q', 'agencyId', 'inactive'] as const;
const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/staff', label: t('admin.sections.staff.title') },
];

function useAgencySelect() {
  const agencies = useAgencyOptions();
  return (agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }));
}

export function StaffList() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const f = useUrlFilters(FILTERS);
  const agencyOptions = useAgencySelect();
  const list = usePagedList<Staff>('/api/v1/staff', {
    q: f.applied.q,
    agencyId: f.applied.agencyId,
    active: f.applied.inactive === 'true' ? undefined : true,
  });
  return (
    <>
      <PageHeader
        title={t('admin.sections.staff.title')}
        lead={t('staff.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
        actions={
          can(me, 'org.staff.manage') && (
            <ButtonLink to="/admin/staff/new" variant="primary">
              {t('staff.create')}
            </ButtonLink>
          )
        }
      />
      <FilterBar label={t('staff.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField label={t('staff.search')} type="search" field={filterField('q')} value={f.draft.q} onValue={(v) => f.setDraft('q', v)} />
        <SelectField
          label={t('staff.agency')}
          field={filterField('agencyId')}
          value={f.draft.agencyId}
          onValue={(v) => f.setDraft('agencyId', v)}
          placeholder={t('common.all')}
          options={agencyOptions}
        />
        <CheckboxField
          label={t('staff.includeInactive')}
          field={filterField('inactive')}
          checked={f.draft.inactive === 'true'}
          onChecked={(v) => f.setDraft('inactive', v ? 'true' : '')}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('staff.empty')}>
        {(items) => (
          <DataTable<Staff>
            caption={t('admin.sections.staff.title')}
            rows={items}
            rowKey={(s) => s.id}
            columns={[
              {
                key: 'name',
                header: t('staff.fullName'),
                primary: true,
                render: (s) => <Link to={`/admin/staff/${s.id}`}>{s.fullName}</Link>,
              },
              { key: 'position', header: t('staff.position'), render: (s) => s.positionName },
              { key: 'agency', header: t('staff.agency'), render: (s) => s.agencyName },
              { key: 'dept', header: t('staff.department'), render: (s) => s.departmentName ?? '—' },
              { key: 'status', header: t('common.status'), render: (s) => <StaffStatus active={s.active} /> },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}

function StaffStatus({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag tone="success">{t('staff.working')}</Tag> : <Tag tone="neutral">{t('staff.left')}</Tag>;
}

function useStaff(id: string) {
  return useQuery({ queryKey: ['/api/v1/staff', id], queryFn: () => api.get<StaffDetailT>(`/api/v1/staff/${encodeURIComponent(id)}`) });
}

/** Positions and departments of the chosen agency as select options. */
function usePlacementOptions(agencyId: string) {
  const positions = usePositions();
  const agency = useAgency(agencyId || null);
  return {
    positions: (positions.data?.items ?? []).map((p) => ({ value: p.code, label: p.name })),
    departments: (agency.data?.departments ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name })),
  };
}

const PASSWORD_MIX = /^(?=.*[a-zA-Z\u00C0-\u1EF9])(?=.*\d)/s;

export function StaffNew() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const agencyOptions = useAgencySelect();
  const form = useForm({
    initial: { username: '', displayName: '', email: '', phone: '', agencyId: '', departmentId: '', positionCode: '', password: '' },
    validate: (v) => {
      const e = check(v, {
        username: [rules.required(), rules.pattern(/^[a-z0-9._-]{3,64}$/, 'validation.username')],
        displayName: [rules.required(), rules.maxLength(200)],
        email: [rules.maxLength(200), rules.email()],
        phone: [rules.pattern(/^[0-9+ .-]{8,20}$/, 'validation.phone')],
        agencyId: [rules.required()],
        positionCode: [rules.required()],
        password: [rules.required(), rules.minLength(10), rules.maxLength(128), rules.pattern(PASSWORD_MIX, 'validation.passwordMix')],
      });
      if (!e.password && v.username && v.password.toLowerCase().includes(v.username.toLowerCase()))
        e.password = t('validation.passwordGuessable');
      return e;
    },
    onSubmit: async (v) => {
      const created = await api.post<Staff>('/api/v1/staff', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        email: v.email.trim() || null,
        phone: v.phone.trim() || null,
        agencyId: v.agencyId,
        departmentId: v.departmentId || null,
        positionCode: v.positionCode,
        password: v.password,
      });
      await qc.invalidateQueries({ queryKey: ['/api/v1/staff'] });
      navigate(`/admin/staff/${created.id}`);
    },
  });
  const v = form.values;
  const opts = usePlacementOptions(v.agencyId);
  return (
    <>
      <PageHeader title={t('staff.create')} lead={t('staff.createLead')} breadcrumbs={crumbs(t)} />
      <FormView form={form}>
        <div className="form-grid">
          <TextField
            className="span-2"
            label={t('staff.fullName')}
            required
            maxLength={200}
            autoComplete="off"
            field={form.field('displayName', t('staff.fullName'))}
            value={v.displayName}
            onValue={(x) => form.set('displayName', x)}
          />
          <TextField
            label={t('staff.username')}
            hint={t('staff.usernameHint')}
            required
            maxLength={64}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            field={form.field('username', t('staff.username'))}
            value={v.username}
            onValue={(x) => form.set('username', x.toLowerCase())}
          />
          <TextField
            type="password"
            label={t('staff.initialPassword')}
            hint={t('account.password.policy')}
            required
            autoComplete="new-password"
            field={form.field('password', t('staff.initialPassword'))}
            value={v.password}
            onValue={(x) => form.set('password', x)}
          />
          <TextField
            type="email"
            label={t('staff.email')}
            maxLength={200}
            autoComplete="off"
            field={form.field('email', t('staff.email'))}
            value={v.email}
            onValue={(x) => form.set('email', x)}
          />
          <TextField
            type="tel"
            label={t('staff.phone')}
            maxLength={20}
            autoComplete="off"
            field={form.field('phone', t('staff.phone'))}
            value={v.phone}
            onValue={(x) => form.set('phone', x)}
          />
          <SelectField
            label={t('staff.agency')}
            required
            field={form.field('agencyId', t('staff.agency'))}
            value={v.agencyId}
            onValue={(x) => {
              form.set('agencyId', x);
              form.set('departmentId', '');
            }}
            placeholder={t('common.choose')}
            options={agencyOptions}
          />
          <SelectField
            label={t('staff.department')}
            field={form.field('departmentId', t('staff.department'))}
            value={v.departmentId}
            onValue={(x) => form.set('departmentId', x)}
            placeholder={t('staff.noDepartment')}
            options={opts.departments}
            disabled={!v.agencyId}
          />
          <SelectField
            label={t('staff.position')}
            required
            field={form.field('positionCode', t('staff.position'))}
            value={v.positionCode}
            onValue={(x) => form.set('positionCode', x)}
            placeholder={t('common.choose')}
            options={opts.positions}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('common.create')}
          </Button>
          <ButtonLink to="/admin/staff" variant="link">
            {t('common.cancel')}
          </ButtonLink>
        </div>
      </FormView>
    </>
  );
}

export function StaffDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const staff = useStaff(id);
  if (staff.isPending) return <Loading />;
  if (staff.isError) return <ErrorState error={staff.error} onRetry={() => void staff.refetch()} />;
  const s = staff.data;
  const manage = can(me, 'org.staff.manage');
  return (
    <>
      <PageHeader
        title={s.fullName}
        lead={
          <>
            {s.positionName} · {s.agencyName} · <StaffStatus active={s.active} />
          </>
        }
        breadcrumbs={crumbs(t)}
        actions={
          manage && (
            <ButtonLink to={`/admin/staff/${s.id}/edit`} variant="secondary">
              {t('common.edit')}
            </ButtonLink>
          )
        }
      />
      <Details
        items={[
          [t('staff.fullName'), s.fullName],
          [t('staff.position'), s.positionName],
          [
            t('staff.agency'),
            can(me, 'org.agencies.read') ? (
              <Link key="a" to={`/admin/agencies/${s.agencyId}`}>
                {s.agencyName}
              </Link>
            ) : (
              s.agencyName
            ),
          ],
          [t('staff.department'), s.departmentName],
          [t('common.status'), <StaffStatus key="s" active={s.active} />],
          [t('staff.since'), <DateTime key="d" value={s.createdAt} />],
        ]}
      />
      <Assignments staff={s} manage={manage} />
    </>
  );
}

function scopeText(a: Assignment, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (a.wholeProvince) return t('staff.scopeProvince');
  if (a.scopeDepartmentName) return t('staff.scopeDepartmentOf', { dept: a.scopeDepartmentName, agency: a.scopeAgencyName ?? '' });
  return a.scopeAgencyName ?? '—';
}

function Assignments({ staff, manage }: { staff: StaffDetailT; manage: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);
  const remove = useMutation({
    mutationFn: (a: Assignment) => api.delete(`/api/v1/staff/${encodeURIComponent(staff.id)}/assignments/${encodeURIComponent(a.id)}`),
    onSuccess: async (_r, a) => {
      setNotice({ tone: 'success', title: t('staff.assignmentRemoved', { role: a.roleName }) });
      await qc.invalidateQueries({ queryKey: ['/api/v1/staff'] });
    },
    onError: (e) => setNotice({ tone: 'error', ...problemText(e, t) }),
  });
  return (
    <Section title={t('staff.assignments')} id="staff-assignments">
      <p className="muted">{t('staff.assignmentsHelp')}</p>
      {notice && (
        <Notice tone={notice.tone} live title={notice.title}>
          {notice.detail}
        </Notice>
      )}
      {staff.assignments.length === 0 ? (
        <EmptyState title={t('staff.noAssignments')} />
      ) : (
        <DataTable<Assignment>
          caption={t('staff.assignments')}
          rows={staff.assignments}
          rowKey={(a) => a.id}
          columns={[
            { key: 'role', header: t('staff.role'), render: (a) => a.roleName },
            { key: 'scope', header: t('staff.scope'), render: (a) => scopeText(a, t) },
            { key: 'since', header: t('staff.assignedAt'), render: (a) => <DateTime value={a.createdAt} /> },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    header: t('common.actions'),
                    align: 'end' as const,
                    render: (a: Assignment) => (
                      <Button
                        variant="secondary"
                        busy={remove.isPending && remove.variables?.id === a.id}
                        onClick={() => remove.mutate(a)}
                        aria-label={t('staff.removeAssignmentLabel', { role: a.roleName, scope: scopeText(a, t) })}
                      >
                        {t('staff.removeAssignment')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {manage && staff.active && (
        <AddAssignment staff={staff} onAdded={(role) => setNotice({ tone: 'success', title: t('staff.assignmentAdded', { role }) })} />
      )}
    </Section>
  );
}

function AddAssignment({ staff, onAdded }: { staff: StaffDetailT; onAdded: (role: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const roles = useRoles();
  const agencyOptions = useAgencySelect();
  const form = useForm({
    initial: { roleCode: '', scope: 'agency', scopeAgencyId: staff.agencyId, scopeDepartmentId: '' },
    validate: (v) => {
      const e = check(v, { roleCode: [rules.required()], scope: [rules.required()] });
      if (v.scope !== 'province' && !v.scopeAgencyId) e.scopeAgencyId = t('validation.required');
      if (v.scope === 'department' && !v.scopeDepartmentId) e.scopeDepartmentId = t('validation.required');
      return e;
    },
    onSubmit: async (v) => {
      await api.post(`/api/v1/staff/${encodeURIComponent(staff.id)}/assignments`, {
        roleCode: v.roleCode,
        scopeAgencyId: v.scope === 'province' ? null : v.scopeAgencyId,
        scopeDepartmentId: v.scope === 'department' ? v.scopeDepartmentId : null,
      });
      await qc.invalidateQueries({ queryKey: ['/api/v1/staff'] });
      const role = (roles.data?.items ?? []).find((r) => r.code === v.roleCode)?.name ?? v.roleCode;
      form.reset();
      onAdded(role);
    },
  });
  const v = form.values;
  const scopeAgency = useAgency(v.scope === 'department' ? v.scopeAgencyId : null);
  const departments = (scopeAgency.data?.departments ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }));
  return (
    <div className="panel">
      <h3>{t('staff.addAssignment')}</h3>
      <FormView form={form}>
        <div className="form-grid">
          <SelectField
            label={t('staff.role')}
            required
            field={form.field('roleCode', t('staff.role'))}
            value={v.roleCode}
            onValue={(x) => form.set('roleCode', x)}
            placeholder={roles.isPending ? t('common.loading') : t('common.choose')}
            options={(roles.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          />
          <SelectField
            label={t('staff.scope')}
            hint={t('staff.scopeHint')}
            required
            field={form.field('scope', t('staff.scope'))}
            value={v.scope}
            onValue={(x) => form.set('scope', x)}
            options={[
              { value: 'agency', label: t('staff.scopeAgency') },
              { value: 'department', label: t('staff.scopeDepartment') },
              { value: 'province', label: t('staff.scopeProvince') },
            ]}
          />
          {v.scope !== 'province' && (
            <SelectField
              label={t('staff.scopeAgencyLabel')}
              required
              field={form.field('scopeAgencyId', t('staff.scopeAgencyLabel'))}
              value={v.scopeAgencyId}
              onValue={(x) => {
                form.set('scopeAgencyId', x);
                form.set('scopeDepartmentId', '');
              }}
              placeholder={t('common.choose')}
              options={agencyOptions}
            />
          )}
          {v.scope === 'department' && (
            <SelectField
              label={t('staff.scopeDepartmentLabel')}
              required
              field={form.field('scopeDepartmentId', t('staff.scopeDepartmentLabel'))}
              value={v.scopeDepartmentId}
              onValue={(x) => form.set('scopeDepartmentId', x)}
              placeholder={scopeAgency.isFetching ? t('common.loading') : t('common.choose')}
              options={departments}
            />
          )}
        </div>
        <Button type="submit" busy={form.submitting}>
          {t('staff.addAssignmentSubmit')}
        </Button>
      </FormView>
    </div>
  );
}

export function StaffEdit() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const staff = useStaff(id);
  if (staff.isPending) return <Loading />;
  if (staff.isError) return <ErrorState error={staff.error} onRetry={() => void staff.refetch()} />;
  return <StaffEditForm key={staff.data.id} staff={staff.data} t={t} />;
}

function StaffEditForm({ staff, t }: { staff: StaffDetailT; t: (k: string, o?: Record<string, unknown>) => string }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const agencyOptions = useAgencySelect();
  const initial = {
    fullName: staff.fullName,
    agencyId: staff.agencyId,
    departmentId: staff.departmentId ?? '',
    positionCode: staff.positionCode,
    active: staff.active,
  };
  const form = useForm({
    initial,
    validate: (v) =>
      check(v, { fullName: [rules.required(), rules.maxLength(200)], agencyId: [rules.required()], positionCode: [rules.required()] }),
    onSubmit: async (v) => {
      const patch: Record<string, unknown> = {};
      if (v.fullName.trim() !== initial.fullName) patch.fullName = v.fullName.trim();
      if (v.agencyId !== initial.agencyId) patch.agencyId = v.agencyId;
      if (v.departmentId !== initial.departmentId || v.agencyId !== initial.agencyId) patch.departmentId = v.departmentId || null;
      if (v.positionCode !== initial.positionCode) patch.positionCode = v.positionCode;
      if (v.active !== initial.active) patch.active = v.active;
      if (Object.keys(patch).length > 0) {
        await api.patch(`/api/v1/staff/${encodeURIComponent(staff.id)}`, patch);
        await qc.invalidateQueries({ queryKey: ['/api/v1/staff'] });
      }
      navigate(`/admin/staff/${staff.id}`);
    },
  });
  const v = form.values;
  const opts = usePlacementOptions(v.agencyId);
  if (!agencyOptions.some((o) => o.value === staff.agencyId)) agencyOptions.unshift({ value: staff.agencyId, label: staff.agencyName });
  return (
    <>
      <PageHeader
        title={t('staff.editTitle', { name: staff.fullName })}
        breadcrumbs={[...crumbs(t), { to: `/admin/staff/${staff.id}`, label: staff.fullName }]}
      />
      <FormView form={form}>
        <div className="form-grid">
          <TextField
            className="span-2"
            label={t('staff.fullName')}
            required
            maxLength={200}
            field={form.field('fullName', t('staff.fullName'))}
            value={v.fullName}
            onValue={(x) => form.set('fullName', x)}
          />
          <SelectField
            label={t('staff.agency')}
            required
            field={form.field('agencyId', t('staff.agency'))}
            value={v.agencyId}
            onValue={(x) => {
              form.set('agencyId', x);
              form.set('departmentId', '');
            }}
            options={agencyOptions}
          />
          <SelectField
            label={t('staff.department')}
            field={form.field('departmentId', t('staff.department'))}
            value={v.departmentId}
            onValue={(x) => form.set('departmentId', x)}
            placeholder={t('staff.noDepartment')}
            options={opts.departments}
          />
          <SelectField
            label={t('staff.position')}
            required
            field={form.field('positionCode', t('staff.position'))}
            value={v.positionCode}
            onValue={(x) => form.set('positionCode', x)}
            options={opts.positions.length ? opts.positions : [{ value: staff.positionCode, label: staff.positionName }]}
          />
          <CheckboxField
            label={t('staff.activeLabel')}
            hint={t('staff.activeHint')}
            field={form.field('active', t('staff.activeLabel'))}
            checked={v.active}
            onChecked={(x) => form.set('active', x)}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('common.save')}
          </Button>
          <ButtonLink to={`/admin/staff/${staff.id}`} variant="link">
            {t('common.cancel')}
          </ButtonLink>
        </div>
      </FormView>
    </>
  );
}
