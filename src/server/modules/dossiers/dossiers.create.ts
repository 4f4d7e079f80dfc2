/**
 * The payload of a dossier's first action ('create'), the same for every way a dossier comes in (online,
 * counter or post, the national portal): who and what from the procedure version, the agencies and the
 * form; the applicant and summary are read off the form.
 */
import type { Procedure } from '../catalog';
import { applicantOf, summaryOf } from './dossiers.form-values';
import type { FormValues } from './dossiers.schemas';
import type { DossierEvent, DossierRecord } from './dossiers.state';

type CreatePayload = Extract<DossierEvent, { action: 'create' }>['payload'];

export interface NewDossier {
  id: string;
  procedure: Pick<Procedure, 'id' | 'version' | 'processingHours'>;
  agency: { id: string; path: string };
  desk: { id: string; path: string };
  channel: 1 | 2 | 3;
  ownerAccountId: string | null;
  createdByAccountId: string | null;
  /** Filed for a business (owner_account_id is then null) or by a proxy under an authorisation. */
  ownerBusinessId?: string | null;
  actingAuthorisationId?: string | null;
  form: FormValues;
  resultDelivery: DossierRecord['resultDelivery'];
  /** Absent: e-mail when the form has one, else SMS to its phone. */
  notifyChannel?: DossierRecord['notifyChannel'];
  notifyTo?: string | null;
  requestKey: string | null;
  /** With requestKey, from an Idempotency-Key: the SHA-256 of that request. */
  requestHash?: string | null;
}

/** Where to tell the applicant by default: e-mail if the form has one, else SMS to the declared phone. */
export function defaultNotifyChannel(form: FormValues): 'email' | 'sms' | null {
  const a = applicantOf(form);
  return a.email ? 'email' : a.phone ? 'sms' : null;
}

export function createPayload(n: NewDossier): CreatePayload {
  return {
    id: n.id,
    procedureId: n.procedure.id,
    procedureVersion: n.procedure.version,
    agencyId: n.agency.id,
    agencyScope: n.agency.path,
    deskAgencyId: n.desk.id,
    deskScope: n.desk.path,
    channel: n.channel,
    ownerAccountId: n.ownerAccountId,
    createdByAccountId: n.createdByAccountId,
    // Only on dossiers filed on someone else's behalf: the log of every other dossier stays as it was.
    ...(n.ownerBusinessId ? { ownerBusinessId: n.ownerBusinessId } : {}),
    ...(n.actingAuthorisationId ? { actingAuthorisationId: n.actingAuthorisationId } : {}),
    processingHours: n.procedure.processingHours,
    form: n.form,
    applicant: applicantOf(n.form),
    summary: summaryOf(n.form),
    resultDelivery: n.resultDelivery,
    notifyChannel: n.notifyChannel ?? defaultNotifyChannel(n.form),
    notifyTo: n.notifyTo ?? null,
    requestKey: n.requestKey,
    // Only on dossiers created with an Idempotency-Key: other logs stay as they were.
    ...(n.requestHash ? { requestHash: n.requestHash } : {}),
  };
}
