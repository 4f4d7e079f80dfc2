/**
 * What the wizard edits, as plain data: built from a saved draft (or a new one pre-filled from the
 * account), turned into the body of POST/PATCH /api/v1/dossiers, and checked step by step with the
 * server's rules. Pure; the hook that saves it is useDraft.ts.
 */
import type { TFunction } from 'i18next';
import { checkFields, fromServer, type RawValues, toServer, validEmail, validPhone } from '../procedure-form/values';
import type { Errors } from '../ui';
import { fileErrorKey, missingComponents, type Step } from './steps';
import { type Delivery, type DossierDetail, type DraftFields, type FormField, ISSUED, type NotifyChannel, type Procedure } from './types';
import { recipientKind } from './wording';

export interface AttachedFile {
  componentKey: string;
  fileId: string;
  name: string;
  size: number;
  mediaType: string;
  /** Taken from the e-data store (not uploaded again): the store document, when known. */
  edataDocumentId?: string;
  /** The dossier recorded it as reused (a saved draft: the document id is found in the store again). */
  reused?: boolean;
}

export interface DraftState {
  agencyId: string;
  raw: RawValues;
  files: AttachedFile[];
  resultDelivery: Delivery | '';
  notifyChannel: NotifyChannel | '';
  notifyTo: string;
}

export interface AccountHints {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * Fills empty applicant fields from the account: the applicant's name (`ho_ten`, the key every
 * form's applicant block uses) and the first email and phone fields (the applicant's own, which come first).
 */
export function prefill(fields: readonly FormField[], raw: RawValues, hints: AccountHints): RawValues {
  const out = { ...raw };
  const empty = (key: string) => out[key] === undefined || out[key] === '';
  const fillFirst = (type: FormField['type'] | 'name', value: string | null | undefined) => {
    if (!value) return;
    const field = type === 'name' ? fields.find((f) => f.key === 'ho_ten' && f.type === 'text') : fields.find((f) => f.type === type);
    if (field && empty(field.key)) out[field.key] = value;
  };
  fillFirst('name', hints.name);
  fillFirst('email', hints.email);
  fillFirst('phone', hints.phone);
  return out;
}

/** The files still part of the dossier, without the papers the office issued. */
export function currentFiles(d: Pick<DossierDetail, 'files'>): AttachedFile[] {
  return d.files
    .filter((f) => f.componentKey !== ISSUED && !f.superseded)
    .map((f) => ({
      componentKey: f.componentKey,
      fileId: f.fileId,
      name: f.name,
      size: f.size,
      mediaType: f.mediaType,
      ...(f.reused ? { reused: true } : {}),
    }));
}

/** A new draft: the only agency chosen for the user, the account's details in the form, the only delivery option taken. */
export function newDraft(p: Pick<Procedure, 'agencies' | 'form' | 'resultDelivery'>, hints: AccountHints): DraftState {
  return {
    agencyId: p.agencies.length === 1 ? (p.agencies[0]?.id ?? '') : '',
    raw: prefill(p.form.fields, {}, hints),
    files: [],
    resultDelivery: p.resultDelivery.length === 1 ? (p.resultDelivery[0] ?? '') : '',
    notifyChannel: '',
    notifyTo: '',
  };
}

export function draftFromDetail(p: Pick<Procedure, 'form'>, d: DossierDetail): DraftState {
  return {
    agencyId: d.agencyId,
    raw: fromServer(p.form.fields, d.form),
    files: currentFiles(d),
    resultDelivery: d.resultDelivery,
    notifyChannel: d.notifyChannel ?? '',
    notifyTo: d.notifyTo ?? '',
  };
}

/** The body of a save: what has been given so far (empty choices left out). */
export function draftBody(p: Pick<Procedure, 'form'>, s: DraftState): DraftFields {
  const body: DraftFields = {
    form: toServer(p.form.fields, s.raw),
    files: s.files.map((f) => ({
      componentKey: f.componentKey,
      fileId: f.fileId,
      ...(f.edataDocumentId ? { edataDocumentId: f.edataDocumentId } : {}),
    })),
  };
  if (s.agencyId) body.agencyId = s.agencyId;
  if (s.resultDelivery) body.resultDelivery = s.resultDelivery;
  if (s.notifyChannel) body.notifyChannel = s.notifyChannel;
  const to = s.notifyTo.trim();
  if (to.length >= 3) body.notifyTo = to;
  return body;
}

/** The recipient proposed for a channel: the email or phone number typed in the form. */
export function suggestedRecipient(p: Pick<Procedure, 'form'>, s: DraftState, channel: NotifyChannel): string {
  const type = recipientKind(channel) === 'email' ? 'email' : 'phone';
  const field = p.form.fields.find((f) => f.type === type);
  const v = field ? s.raw[field.key] : undefined;
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * Errors of one step (keys as the server's after fieldName()). `complete` = everything this step asks
 * must be there (moving on, submitting); otherwise only typed values are checked (saving a draft).
 */
export function checkStep(step: Step, p: Procedure, s: DraftState, complete: boolean, t: TFunction): Errors {
  const values = toServer(p.form.fields, s.raw);
  switch (step.kind) {
    case 'agency':
      return complete && !s.agencyId ? { agencyId: t('dossier.check.agency') } : {};
    case 'form':
      return checkFields(step.fields, values, complete, t);
    case 'files': {
      if (!complete) return {};
      const errors: Errors = {};
      for (const key of missingComponents(p.components, s.files)) {
        errors[fileErrorKey(key)] = t('dossier.check.component');
      }
      return errors;
    }
    case 'delivery': {
      const errors: Errors = {};
      if (complete && p.resultDelivery.length > 0 && !s.resultDelivery) errors.resultDelivery = t('dossier.check.delivery');
      if (complete && !s.notifyChannel) errors.notifyChannel = t('dossier.check.notifyChannel');
      const to = s.notifyTo.trim();
      if (s.notifyChannel && (to !== '' || complete)) {
        const ok = recipientKind(s.notifyChannel) === 'email' ? validEmail(to) : validPhone(to);
        if (!ok) errors.notifyTo = t(recipientKind(s.notifyChannel) === 'email' ? 'dossier.check.email' : 'dossier.check.phone');
      }
      return errors;
    }
    default:
      return {};
  }
}

/** Errors of every step, and the first step (in order) that has any. */
export function checkAll(
  steps: readonly Step[],
  p: Procedure,
  s: DraftState,
  complete: boolean,
  t: TFunction,
): { byStep: Record<string, Errors>; first: string | null } {
  const byStep: Record<string, Errors> = {};
  for (const step of steps) {
    const e = checkStep(step, p, s, complete, t);
    if (Object.keys(e).length > 0) byStep[step.key] = e;
  }
  return { byStep, first: steps.find((x) => byStep[x.key])?.key ?? null };
}
