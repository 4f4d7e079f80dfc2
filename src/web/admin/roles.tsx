/** Roles: list, create, and edit a role's name, description and permissions (checkboxes). */
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api';
import { roleLabel } from '../app/roles';
import {
  Button,
  ButtonLink,
  CheckboxGroup,
  check,
  DataTable,
  EmptyState,
  ErrorState,
  FormView,
  Loading,
  Notice,
  PageHeader,
  rules,
  Tag,
  TextArea,
  TextField,
  useForm,
} from '../ui';
import { type Role, usePermissions, useRoles } from './org';

const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/roles', label: t('admin.sections.roles.title') },
];

export function RoleList() {
  const { t } = useTranslation();
  const roles = useRoles();
  return (
    <>
      <PageHeader
        title={t('admin.sections.roles.title')}
        lead={t('roles.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
        actions={
          <ButtonLink to="/admin/roles/new" variant="primary">
            {t('roles.create')}
          </ButtonLink>
        }
      />
      {roles.isPending ? (
        <Loading />
      ) : roles.isError ? (
        <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />
      ) : roles.data.items.length === 0 ? (
        <EmptyState title={t('roles.empty')} />
      ) : (
        <DataTable<Role>
          caption={t('admin.sections.roles.title')}
          rows={roles.data.items}
          rowKey={(r) => r.code}
          columns={[
            { key: 'name', header: t('roles.name'), primary: true, render: (r) => <Link to={`/admin/roles/${r.code}`}>{r.name}</Link> },
            { key: 'code', header: t('roles.code'), render: (r) => <code>{r.code}</code> },
            {
              key: 'perms',
              header: t('roles.permissions'),
              render: (r) =>
                r.grantsAll ? (
                  <Tag tone="warning">{t('roles.grantsAll')}</Tag>
                ) : (
                  t('roles.permissionCount', { count: r.permissions.length })
                ),
            },
            {
              key: 'builtin',
              header: t('roles.kind'),
              render: (r) => (r.builtin ? <Tag tone="info">{t('roles.builtin')}</Tag> : t('roles.custom')),
            },
          ]}
        />
      )}
    </>
  );
}

interface RoleValues extends Record<string, unknown> {
  code: string;
  name: string;
  description: string;
  permissions: string[];
}

function RoleForm({ role, onSubmit }: { role?: Role; onSubmit: (v: RoleValues) => Promise<void> }) {
  const { t } = useTranslation();
  const perms = usePermissions();
  const form = useForm<RoleValues>({
    initial: { code: role?.code ?? '', name: role?.name ?? '', description: role?.description ?? '', permissions: role?.permissions ?? [] },
    validate: (v) =>
      check(v, {
        code: role ? [] : [rules.required(), rules.pattern(/^[a-z][a-z0-9_]{1,39}$/, 'validation.roleCode')],
        name: [rules.required(), rules.maxLength(100)],
        description: [rules.maxLength(500)],
      }),
    onSubmit,
  });
  const v = form.values;
  return (
    <FormView form={form}>
      <div className="form-grid">
        <TextField
          label={t('roles.name')}
          required
          maxLength={100}
          field={form.field('name', t('roles.name'))}
          value={v.name}
          onValue={(x) => form.set('name', x)}
        />
        {!role && (
          <TextField
            label={t('roles.code')}
            hint={t('roles.codeHint')}
            required
            maxLength={40}
            autoCapitalize="none"
            spellCheck={false}
            field={form.field('code', t('roles.code'))}
            value={v.code}
            onValue={(x) => form.set('code', x.toLowerCase())}
          />
        )}
        <TextArea
          className="span-2"
          label={t('roles.description')}
          maxLength={500}
          rows={3}
          field={form.field('description', t('roles.description'))}
          value={v.description}
          onValue={(x) => form.set('description', x)}
        />
      </div>
      {role?.grantsAll ? (
        <Notice tone="warning" title={t('roles.grantsAll')}>
          {t('roles.grantsAllText')}
        </Notice>
      ) : perms.isPending ? (
        <Loading />
      ) : perms.isError ? (
        <ErrorState error={perms.error} onRetry={() => void perms.refetch()} />
      ) : (
        <CheckboxGroup
          legend={t('roles.permissions')}
          hint={t('roles.permissionsHint')}
          columns
          field={form.field('permissions', t('roles.permissions'))}
          value={v.permissions}
          onValue={(x) => form.set('permissions', x)}
          options={perms.data.items.map((p) => ({ value: p.code, label: p.label, hint: p.code }))}
        />
      )}
      <div className="button-row">
        <Button type="submit" busy={form.submitting}>
          {role ? t('common.save') : t('common.create')}
        </Button>
        <ButtonLink to="/admin/roles" variant="link">
          {t('common.cancel')}
        </ButtonLink>
      </div>
    </FormView>
  );
}

export function RoleNew() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  return (
    <>
      <PageHeader title={t('roles.create')} breadcrumbs={crumbs(t)} />
      <RoleForm
        onSubmit={async (v) => {
          await api.post('/api/v1/roles', {
            code: v.code.trim(),
            name: v.name.trim(),
            description: v.description.trim() || null,
            permissions: v.permissions,
          });
          await qc.invalidateQueries({ queryKey: ['/api/v1/roles'] });
          navigate('/admin/roles');
        }}
      />
    </>
  );
}

export function RoleEdit() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const roles = useRoles();
  const navigate = useNavigate();
  const qc = useQueryClient();
  if (roles.isPending) return <Loading />;
  if (roles.isError) return <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />;
  const role = roles.data.items.find((r) => r.code === code);
  if (!role) return <ErrorState error={new Error(t('roles.notFound'))} />;
  return (
    <>
      <PageHeader
        title={t('roles.editTitle', { name: roleLabelOf(role, t) })}
        lead={
          <>
            {t('roles.code')}: <code>{role.code}</code>
          </>
        }
        breadcrumbs={crumbs(t)}
      />
      <RoleForm
        key={role.code}
        role={role}
        onSubmit={async (v) => {
          const patch: Record<string, unknown> = {};
          if (v.name.trim() !== role.name) patch.name = v.name.trim();
          if (v.description.trim() !== (role.description ?? '')) patch.description = v.description.trim() || null;
          const same = v.permissions.length === role.permissions.length && v.permissions.every((p) => role.permissions.includes(p));
          if (!role.grantsAll && !same) patch.permissions = v.permissions;
          if (Object.keys(patch).length > 0) {
            await api.patch(`/api/v1/roles/${encodeURIComponent(role.code)}`, patch);
            await qc.invalidateQueries({ queryKey: ['/api/v1/roles'] });
          }
          navigate('/admin/roles');
        }}
      />
    </>
  );
}

const roleLabelOf = (r: Role, t: (k: string) => string) => r.name || roleLabel(r.code, t);
