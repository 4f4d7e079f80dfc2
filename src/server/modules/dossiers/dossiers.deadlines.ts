/**
 * Deadline control: a periodic job warns whoever holds a step (the assignee, or the staff of the agency
 * with the step's roles when nobody is assigned) and the agency's leaders, by e-mail, when the step or the
 * dossier is due within `DEADLINE_WARN_HOURS` working hours, and again once it is overdue. Each warning
 * (dossier, kind, due date) is sent once: a new due date (an apology, a new step) warns again.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { systemContext } from '../../platform/auth/actor';
import { addWorkingHours, type CalendarService, formatVn } from '../../platform/calendar';
import type { Database } from '../../platform/db/database';
import type { Jobs } from '../../platform/jobs';
import type { Notifier } from '../../platform/notify';
import { staffWithRoles } from '../org';

export const DEADLINE_JOB = 'dossiers.deadlines';
const LEADER = 'lanhdao';

type Kind = 'step_soon' | 'step_overdue' | 'dossier_soon' | 'dossier_overdue';
const warningText: Record<Kind, string> = {
  step_soon: 'Sắp đến hạn bước xử lý',
  step_overdue: 'Quá hạn bước xử lý',
  dossier_soon: 'Hồ sơ sắp đến hạn trả kết quả',
  dossier_overdue: 'Hồ sơ đã quá hạn trả kết quả',
};

interface DueRow {
  dossier_id: string;
  code: string;
  procedure_name: string;
  step_name: string;
  agency_scope: string;
  roles: string[];
  assignee_account_id: string | null;
  kind: Kind;
  due: string;
}

export interface DeadlineDeps {
  db: Database;
  config: Config;
  calendar: CalendarService;
  notify: Notifier;
}

/** Sends the warnings due at `now`; returns how many messages were queued. */
export async function warnDeadlines(deps: DeadlineDeps, now = new Date()): Promise<number> {
  const { db, config, calendar, notify } = deps;
  const soon = addWorkingHours(await calendar.data(), now, config.deadlineWarnHours).toISOString();
  const at = now.toISOString();
  const rows = await db.rows<DueRow>(sql`
    with due as (
      select q.dossier_id, q.step_name, q.agency_scope, q.roles, q.assignee_account_id,
             case when q.step_due_at < ${at}::timestamptz then 'step_overdue' else 'step_soon' end as kind, q.step_due_at as due
        from dossier_queue q where q.step_due_at is not null and q.step_due_at <= ${soon}::timestamptz
      union all
      select q.dossier_id, q.step_name, q.agency_scope, q.roles, q.assignee_account_id,
             case when q.due_at < ${at}::timestamptz then 'dossier_overdue' else 'dossier_soon' end, q.due_at
        from dossier_queue q where q.due_at is not null and q.due_at <= ${soon}::timestamptz
    )
    select due.*, d.code, v.name as procedure_name
      from due
      join dossiers d on d.id = due.dossier_id and d.state = 'received'
      join procedure_versions v on v.procedure_id = d.procedure_id and v.version = d.procedure_version
     where not exists (select 1 from dossier_deadline_warnings w
                        where w.dossier_id = due.dossier_id and w.kind = due.kind and w.due_at = due.due)
     order by due.due
     limit 500`);
  let sent = 0;
  const ctx = systemContext('deadlines');
  // The staff of each agency once per run, with every role its due rows name (and the leaders).
  const rolesAt = new Map<string, Set<string>>();
  for (const r of rows) {
    const roles = rolesAt.get(r.agency_scope) ?? new Set([LEADER]);
    for (const role of r.roles) roles.add(role);
    rolesAt.set(r.agency_scope, roles);
  }
  const staffAt = new Map<string, Promise<Awaited<ReturnType<typeof staffWithRoles>>>>();
  const staffOf = (scope: string) => {
    let staff = staffAt.get(scope);
    if (!staff) {
      staff = staffWithRoles(db, { path: scope }, [...(rolesAt.get(scope) ?? [LEADER])]);
      staffAt.set(scope, staff);
    }
    return staff;
  };
  for (const r of rows) {
    const staff = await staffOf(r.agency_scope);
    const holders = r.assignee_account_id
      ? staff.filter((s) => s.accountId === r.assignee_account_id && s.roles.some((x) => x === LEADER || r.roles.includes(x)))
      : staff.filter((s) => s.roles.some((x) => r.roles.includes(x)));
    const leaders = staff.filter((s) => s.roles.includes(LEADER));
    const recipients = [...new Map([...holders, ...leaders].filter((s) => s.email).map((s) => [s.accountId, s])).values()];
    await db.orm.transaction(async (tx) => {
      // The first writer of this warning sends it; another process that got here too does nothing.
      const claimed = await db.rows(
        sql`insert into dossier_deadline_warnings (dossier_id, kind, due_at) values (${r.dossier_id}, ${r.kind}, ${r.due})
            on conflict do nothing returning dossier_id`,
        tx,
      );
      if (!claimed.length) return;
      for (const s of recipients) {
        await notify.send(
          ctx,
          {
            template: 'dossier.deadline_warning',
            channel: 'email',
            to: s.email as string,
            vars: {
              fullName: s.name,
              dossierCode: r.code,
              procedureName: r.procedure_name,
              stepName: r.step_name,
              dueDate: formatVn(new Date(r.due)),
              warning: warningText[r.kind],
              officeUrl: `${config.publicUrl.replace(/\/$/, '')}/office/dossiers/${r.dossier_id}`,
            },
            target: { type: 'dossier', id: r.dossier_id },
            scope: r.agency_scope,
          },
          tx,
        );
        sent++;
      }
    });
  }
  return sent;
}

/** Registers the job and runs it every 10 minutes where workers run. */
export async function registerDeadlineJob(jobs: Jobs, deps: DeadlineDeps): Promise<void> {
  await jobs.register(DEADLINE_JOB, async () => {
    await warnDeadlines(deps);
  });
  await jobs.schedule(DEADLINE_JOB, '*/10 * * * *');
}
