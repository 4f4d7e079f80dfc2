/**
 * What the reporter hears: acceptance with the due date, an extension, a removal with its reason, and the result
 * (followers hear the result too). Sent on the channel the report came with — the account's e-mail, else the
 * contact's e-mail, phone (SMS) or Zalo user — inside the action's transaction (the notification outbox).
 */
import type { RequestContext } from '../../platform/auth/actor';
import { formatVn } from '../../platform/calendar';
import { type Database, type Orm, sql } from '../../platform/db/database';
import type { Notifier } from '../../platform/notify';
import { type ReportState, stateNames } from './feedback.state';
import type { ReportRow } from './feedback.views';

export interface Notice {
  action: string;
  to: ReportState;
  resultText?: string | null;
  reason?: string | null;
  resolveDueAt?: string | null;
  removed?: boolean;
}

/** The message of an action for the reporter, or null when the action is internal (assignment, triage…). */
export function noticeText(n: Notice): string | null {
  const due = n.resolveDueAt ? formatVn(new Date(n.resolveDueAt)) : null;
  switch (n.action) {
    case 'accept':
      return `Cơ quan đã tiếp nhận phản ánh${due ? `; hạn xử lý ${due}` : ''}.`;
    case 'extend':
      return `Thời hạn xử lý được gia hạn${due ? ` đến ${due}` : ''}. Lý do: ${n.reason ?? ''}`;
    case 'resolve':
      return `Kết quả xử lý: ${n.resultText ?? ''} Mời Ông/Bà xem và đánh giá kết quả.`;
    case 'moderate':
      return n.removed ? `Phản ánh không được tiếp nhận để đăng. Lý do: ${n.reason ?? ''}` : null;
    default:
      return null;
  }
}

export function reporterNotices(db: Database, notify: Notifier, publicUrl: string) {
  const reportUrl = (id: string) => `${publicUrl.replace(/\/$/, '')}/phan-anh/${id}`;

  async function recipients(tx: Orm, r: ReportRow, withFollowers: boolean) {
    const out: { channel: 'email' | 'sms' | 'zalo'; to: string }[] = [];
    const accounts = await db.rows<{ email: string | null }>(
      sql`select email from accounts
           where id = ${r.reporter_account_id}
              or (${withFollowers} and id in (select account_id from field_report_followers where report_id = ${r.id}))`,
      tx,
    );
    for (const a of accounts) if (a.email) out.push({ channel: 'email', to: a.email });
    if (!r.reporter_account_id && r.contact) {
      if (r.contact.email) out.push({ channel: 'email', to: r.contact.email });
      else if (r.contact.zaloUserId) out.push({ channel: 'zalo', to: r.contact.zaloUserId });
      else if (r.contact.phone) out.push({ channel: 'sms', to: r.contact.phone });
    }
    return [...new Map(out.map((o) => [`${o.channel}:${o.to}`, o])).values()];
  }

  /** Queues the messages of one action (nothing for internal actions). */
  return async function tell(tx: Orm, ctx: RequestContext, r: ReportRow, n: Notice): Promise<number> {
    const message = noticeText(n);
    if (!message) return 0;
    const list = await recipients(tx, r, n.action === 'resolve');
    for (const to of list) {
      await notify.send(
        ctx,
        {
          template: 'field_report.update',
          channel: to.channel,
          to: to.to,
          vars: { reportCode: r.code, categoryName: r.category_name, stateName: stateNames[n.to], message, reportUrl: reportUrl(r.id) },
          target: { type: 'field_report', id: r.id },
          scope: r.agency_scope,
        },
        tx,
      );
    }
    return list.length;
  };
}
