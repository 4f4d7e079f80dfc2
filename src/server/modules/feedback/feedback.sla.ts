/**
 * SLA control of field reports: a periodic job reminds whoever handles a report (the assigned officer, else the
 * unit's desk and officers) when acceptance or resolution is due within DEADLINE_WARN_HOURS working hours, and
 * escalates to the unit's head (lãnh đạo) once it is overdue. Each warning (report, kind, due date) is sent once
 * — an extension or a reopening sets a new due date, which warns again — and is written on the staff timeline.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config';
import { systemContext } from '../../platform/auth/actor';
import { addWorkingHours, type CalendarService, formatVn } from '../../platform/calendar';
import { type Database, sql } from '../../platform/db/database';
import type { Jobs } from '../../platform/jobs';
import type { Notifier } from '../../platform/notify';
import { staffWithRoles } from '../org';

export const SLA_JOB = 'feedback.sla';
const HANDLERS = ['motcua', 'chuyenvien'];
const HEAD = 'lanhdao';

type Kind = 'accept_soon' | 'accept_overdue' | 'resolve_soon' | 'resolve_overdue';
const warningText: Record<Kind, string> = {
  accept_soon: 'Sắp đến hạn tiếp nhận phản ánh',
  accept_overdue: 'Quá hạn tiếp nhận phản ánh',
  resolve_soon: 'Sắp đến hạn xử lý phản ánh',
  resolve_overdue: 'Quá hạn xử lý phản ánh',
};
const isOverdue = (k: Kind) => k.endsWith('_overdue');

interface DueRow {
  id: string;
  code: string;
  state: string;
  category_name: string;
  agency_scope: string;
  handler_scope: string | null;
  handler_account_id: string | null;
  kind: Kind;
  due: string | Date;
}

export interface SlaDeps {
  db: Database;
  config: Config;
  calendar: CalendarService;
  notify: Notifier;
}

/** Sends the reminders and escalations due at `now`; returns how many messages were queued. */
export async function warnFieldReports(deps: SlaDeps, now = new Date()): Promise<number> {
  const { db, config, calendar, notify } = deps;
  const soon = addWorkingHours(await calendar.data(), now, config.deadlineWarnHours).toISOString();
  const at = now.toISOString();
  const rows = await db.rows<DueRow>(sql`
    with due as (
      select r.id, case when r.accept_due_at < ${at}::timestamptz then 'accept_overdue' else 'accept_soon' end as kind, r.accept_due_at as due
        from field_reports r where r.state in ('new', 'moderated', 'triage') and r.accept_due_at <= ${soon}::timestamptz
      union all
      select r.id, case when r.resolve_due_at < ${at}::timestamptz then 'resolve_overdue' else 'resolve_soon' end, r.resolve_due_at
        from field_reports r where r.state in ('accepted', 'assigned', 'in_progress') and r.resolve_due_at <= ${soon}::timestamptz
    )
    select due.kind, due.due, r.id, r.code, r.state, c.name as category_name, r.agency_scope, r.handler_scope, r.handler_account_id
      from due
      join field_reports r on r.id = due.id
      join field_report_categories c on c.code = r.category_code
     where not exists (select 1 from field_report_sla_warnings w where w.report_id = due.id and w.kind = due.kind and w.due_at = due.due)
     order by due.due
     limit 500`);
  const ctx = systemContext('feedback-sla');
  let sent = 0;
  // One staff lookup per unit, not per report: a unit with many reports due is asked once.
  const staffOf = new Map<string, ReturnType<typeof staffWithRoles>>();
  for (const r of rows) {
    if (!staffOf.has(r.agency_scope)) staffOf.set(r.agency_scope, staffWithRoles(db, { path: r.agency_scope }, [...HANDLERS, HEAD]));
    const staff = await (staffOf.get(r.agency_scope) as ReturnType<typeof staffWithRoles>);
    const inScope = (s: (typeof staff)[number]) => s.roles.some((x) => HANDLERS.includes(x));
    const holders = r.handler_account_id ? staff.filter((s) => s.accountId === r.handler_account_id) : staff.filter(inScope);
    const heads = isOverdue(r.kind) ? staff.filter((s) => s.roles.includes(HEAD)) : [];
    const recipients = [...new Map([...holders, ...heads].filter((s) => s.email).map((s) => [s.accountId, s])).values()];
    const due = new Date(r.due);
    await db.orm.transaction(async (tx) => {
      // The first writer of this warning sends it; another worker that got here too does nothing.
      const claimed = await db.rows(
        sql`insert into field_report_sla_warnings (report_id, kind, due_at) values (${r.id}, ${r.kind}, ${due.toISOString()})
            on conflict do nothing returning report_id`,
        tx,
      );
      if (!claimed.length) return;
      await db.rows(
        sql`insert into field_report_events (id, report_id, seq, action, from_state, to_state, actor_id, actor_kind, note, public, details)
            values (${randomUUID()}, ${r.id}, (select coalesce(max(seq), 0) + 1 from field_report_events where report_id = ${r.id}),
                    ${isOverdue(r.kind) ? 'escalate' : 'remind'}, ${r.state}, ${r.state}, null, 'system',
                    ${`${warningText[r.kind]} (hạn ${formatVn(due)})`}, false,
                    ${JSON.stringify({ kind: r.kind, dueAt: due.toISOString(), recipients: recipients.length })}::jsonb)`,
        tx,
      );
      for (const s of recipients) {
        await notify.send(
          ctx,
          {
            template: 'field_report.sla_warning',
            channel: 'email',
            to: s.email as string,
            vars: {
              fullName: s.name,
              reportCode: r.code,
              categoryName: r.category_name,
              warning: warningText[r.kind],
              dueDate: formatVn(due),
              officeUrl: `${config.publicUrl.replace(/\/$/, '')}/office/phan-anh/${r.id}`,
            },
            target: { type: 'field_report', id: r.id },
            scope: r.handler_scope ?? r.agency_scope,
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
export async function registerSlaJob(jobs: Jobs, deps: SlaDeps): Promise<void> {
  await jobs.register(SLA_JOB, async () => {
    await warnFieldReports(deps);
  });
  await jobs.schedule(SLA_JOB, '*/10 * * * *');
}
