/**
 * Messages to the applicant at each step they care about, through the notification block, on the
 * channel they chose (or the e-mail/phone declared on the form). Queued inside the action's
 * transaction, so a message exists exactly when the action does.
 */
import type { RequestContext } from '../../platform/auth/actor';
import { formatVn } from '../../platform/calendar';
import type { Orm } from '../../platform/db/database';
import { type Notifier, normaliseRecipient, type TemplateVars } from '../../platform/notify';
import type { DossierRecord } from './dossiers.state';

/** "09 giờ 15 phút, ngày 27/11/2026" in Vietnam time. */
export const formatDueDate = (d: Date) => formatVn(d);

function recipientOf(d: DossierRecord): { channel: 'email' | 'sms' | 'zalo'; to: string } | null {
  const channel = d.notifyChannel ?? (d.applicant.email ? 'email' : d.applicant.phone ? 'sms' : null);
  if (!channel) return null;
  const to = d.notifyTo ?? (channel === 'email' ? d.applicant.email : channel === 'sms' ? d.applicant.phone : null);
  if (!to) return null;
  try {
    // A recipient that cannot be delivered to (checked when typed in) must not undo the office's action.
    normaliseRecipient(channel, to);
  } catch {
    return null;
  }
  return { channel, to };
}

export async function notifyApplicant(
  notify: Notifier,
  ctx: RequestContext,
  tx: Orm,
  d: DossierRecord,
  template: string,
  vars: TemplateVars,
): Promise<void> {
  const r = recipientOf(d);
  if (!r) return;
  await notify.send(
    ctx,
    {
      template,
      channel: r.channel,
      to: r.to,
      vars: { fullName: d.applicant.name || 'Ông/Bà', dossierCode: d.code ?? '', ...vars },
      target: { type: 'dossier', id: d.id },
      scope: d.deskScope,
    },
    tx,
  );
}
