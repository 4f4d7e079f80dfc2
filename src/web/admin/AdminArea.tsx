/**
 * Administration area: administrative units, agencies, staff, roles, the procedure catalogue, the
 * audit log and the notification outbox. Each entry shows only with the permission its API requires.
 */
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes } from 'react-router';
import type { Me } from '../api';
import { can, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { roleLabel } from '../app/roles';
import { FeedbackAdminPage } from '../feedback-office/AdminPage';
import { SsoClientDetail, SsoClientList, SsoClientNew } from '../sso/ClientsAdmin';
import { PageHeader } from '../ui';
import { AgencyDetail, AgencyEdit, AgencyImport, AgencyList, AgencyNew } from './agencies';
import { AuditPage } from './audit';
import { CalendarAdminPage } from './calendar';
import { OutboxDetail, OutboxList } from './outbox';
import { ProcedureEdit, ProcedureImport, ProcedureList, ProcedureNew, ProcedureVersionPage } from './procedures';
import { RoleEdit, RoleList, RoleNew } from './roles';
import { StaffDetail, StaffEdit, StaffList, StaffNew } from './staff';
import { UnitDetail, UnitEdit, UnitImport, UnitList, UnitNew } from './units';
import { WorkflowEditorPage, WorkflowList, WorkflowVersionPage } from './workflows';

export interface AdminSection {
  key: 'units' | 'agencies' | 'staff' | 'roles' | 'procedures' | 'workflows' | 'calendar' | 'audit' | 'outbox' | 'ssoClients' | 'feedback';
  to: string;
  permission: string;
  /** Where the section's title/text strings live, when not under admin.sections.<key>. */
  strings?: string;
}

export const adminSections: AdminSection[] = [
  { key: 'units', to: '/admin/units', permission: 'org.units.read' },
  { key: 'agencies', to: '/admin/agencies', permission: 'org.agencies.read' },
  { key: 'staff', to: '/admin/staff', permission: 'org.staff.read' },
  { key: 'roles', to: '/admin/roles', permission: 'org.roles.manage' },
  { key: 'procedures', to: '/admin/procedures', permission: 'catalog.manage' },
  { key: 'workflows', to: '/admin/workflows', permission: 'workflows.manage', strings: 'workflows.section' },
  { key: 'calendar', to: '/admin/calendar', permission: 'calendar.manage', strings: 'calendarAdmin.section' },
  { key: 'audit', to: '/admin/audit', permission: 'audit.read' },
  { key: 'outbox', to: '/admin/outbox', permission: 'notify.outbox.read' },
  { key: 'ssoClients', to: '/admin/sso-clients', permission: 'sso.clients.manage', strings: 'sso.admin.section' },
  { key: 'feedback', to: '/admin/phan-anh', permission: 'feedback.manage', strings: 'feedbackOffice.admin.section' },
];

export const visibleSections = (me: Me | null | undefined) => adminSections.filter((s) => can(me, s.permission));
const stringsOf = (s: AdminSection) => s.strings ?? `admin.sections.${s.key}`;

export default function AdminArea() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const gate = (perm: string, el: React.ReactNode) => (can(me, perm) ? el : <NotFound />);
  return (
    <div className="admin-layout">
      <nav className="side-nav" aria-label={t('admin.navLabel')}>
        <ul>
          <li>
            <NavLink to="/admin" end>
              {t('admin.overview')}
            </NavLink>
          </li>
          {visibleSections(me).map((s) => (
            <li key={s.key}>
              <NavLink to={s.to}>{t(`${stringsOf(s)}.title`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-content">
        <Routes>
          <Route index element={<AdminHome />} />
          <Route path="units" element={gate('org.units.read', <UnitList />)} />
          <Route path="units/new" element={gate('org.units.manage', <UnitNew />)} />
          <Route path="units/import" element={gate('org.units.manage', <UnitImport />)} />
          <Route path="units/:code" element={gate('org.units.read', <UnitDetail />)} />
          <Route path="units/:code/edit" element={gate('org.units.manage', <UnitEdit />)} />
          <Route path="agencies" element={gate('org.agencies.read', <AgencyList />)} />
          <Route path="agencies/new" element={gate('org.agencies.manage', <AgencyNew />)} />
          <Route path="agencies/import" element={gate('org.agencies.manage', <AgencyImport />)} />
          <Route path="agencies/:id" element={gate('org.agencies.read', <AgencyDetail />)} />
          <Route path="agencies/:id/edit" element={gate('org.agencies.manage', <AgencyEdit />)} />
          <Route path="staff" element={gate('org.staff.read', <StaffList />)} />
          <Route path="staff/new" element={gate('org.staff.manage', <StaffNew />)} />
          <Route path="staff/:id" element={gate('org.staff.read', <StaffDetail />)} />
          <Route path="staff/:id/edit" element={gate('org.staff.manage', <StaffEdit />)} />
          <Route path="roles" element={gate('org.roles.manage', <RoleList />)} />
          <Route path="roles/new" element={gate('org.roles.manage', <RoleNew />)} />
          <Route path="roles/:code" element={gate('org.roles.manage', <RoleEdit />)} />
          <Route path="procedures" element={gate('catalog.manage', <ProcedureList />)} />
          <Route path="procedures/new" element={gate('catalog.manage', <ProcedureNew />)} />
          <Route path="procedures/import" element={gate('catalog.manage', <ProcedureImport />)} />
          <Route path="procedures/:id" element={gate('catalog.manage', <ProcedureEdit />)} />
          <Route path="procedures/:id/versions/:version" element={gate('catalog.manage', <ProcedureVersionPage />)} />
          <Route path="workflows" element={gate('workflows.manage', <WorkflowList />)} />
          <Route path="workflows/:procedureId" element={gate('workflows.manage', <WorkflowEditorPage />)} />
          <Route path="workflows/:procedureId/versions/:version" element={gate('workflows.manage', <WorkflowVersionPage />)} />
          <Route path="calendar" element={gate('calendar.manage', <CalendarAdminPage />)} />
          <Route path="audit" element={gate('audit.read', <AuditPage />)} />
          <Route path="outbox" element={gate('notify.outbox.read', <OutboxList />)} />
          <Route path="outbox/:id" element={gate('notify.outbox.read', <OutboxDetail />)} />
          <Route path="sso-clients" element={gate('sso.clients.manage', <SsoClientList />)} />
          <Route path="sso-clients/new" element={gate('sso.clients.manage', <SsoClientNew />)} />
          <Route path="sso-clients/:clientId" element={gate('sso.clients.manage', <SsoClientDetail />)} />
          <Route path="phan-anh" element={gate('feedback.manage', <FeedbackAdminPage />)} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </div>
    </div>
  );
}

function AdminHome() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <>
      <PageHeader
        title={t('admin.title')}
        lead={
          <>
            {t('admin.lead', { name: me.displayName })}
            {me.roles.length > 0 && <> {t('admin.yourRoles', { roles: me.roles.map((r) => roleLabel(r, t)).join(', ') })}</>}
          </>
        }
      />
      <ul className="entry-grid entry-grid-compact">
        {visibleSections(me).map((s) => (
          <li key={s.key}>
            <Link to={s.to} className="entry-card">
              <span className="entry-title">{t(`${stringsOf(s)}.title`)}</span>
              <span className="entry-text">{t(`${stringsOf(s)}.text`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
