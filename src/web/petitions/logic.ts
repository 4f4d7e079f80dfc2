/**
 * Pure helpers of the petition pages: which deadline is running, the colour of a state, which actions the
 * office may take in a state, the checks of the citizen's form (mirroring NĐ 20/2008's name, address, contact).
 */
import type { Petition, PetitionAction, PetitionState, SubmitBody } from './api';

export const STATES: readonly PetitionState[] = ['received', 'rejected', 'forwarded', 'accepted', 'in_progress', 'answered', 'closed'];
export const PETITIONS_PERMISSION = 'petitions.handle';

/** The deadline that matters now: forwarding (05 working days) while waiting for classification, then handling. */
export function currentDue(p: Pick<Petition, 'state' | 'forwardDueAt' | 'handleDueAt'>): { kind: 'forward' | 'handle'; at: string } | null {
  if (p.state === 'received') return { kind: 'forward', at: p.forwardDueAt };
  if ((p.state === 'accepted' || p.state === 'in_progress') && p.handleDueAt) return { kind: 'handle', at: p.handleDueAt };
  return null;
}

export function stateTone(s: PetitionState): 'neutral' | 'success' | 'warning' | 'danger' | 'info' {
  switch (s) {
    case 'received':
      return 'info';
    case 'accepted':
    case 'in_progress':
      return 'warning';
    case 'answered':
      return 'success';
    case 'rejected':
      return 'danger';
    default:
      return 'neutral';
  }
}

const allowedFrom: Record<PetitionAction, readonly PetitionState[]> = {
  classify: ['received'],
  forward: ['received', 'accepted'],
  assign: ['accepted', 'in_progress'],
  note: ['accepted', 'in_progress'],
  extend: ['accepted', 'in_progress'],
  answer: ['accepted', 'in_progress'],
  close: ['answered'],
};

/** Actions shown in a state (the server decides who may; `extended` hides a second extension). */
export function actionsFor(p: Pick<Petition, 'state' | 'extended'>): PetitionAction[] {
  return (Object.keys(allowedFrom) as PetitionAction[]).filter((a) => allowedFrom[a].includes(p.state) && !(a === 'extend' && p.extended));
}

export interface FormValues {
  [k: string]: unknown;
  agencyId: string;
  category: string;
  regulation: string;
  content: string;
  proposal: string;
  name: string;
  organization: string;
  address: string;
  phone: string;
  email: string;
}

export const emptyForm: FormValues = {
  agencyId: '',
  category: '',
  regulation: '',
  content: '',
  proposal: '',
  name: '',
  organization: '',
  address: '',
  phone: '',
  email: '',
};

const PHONE = /^\+?[0-9 .-]{8,20}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/** Message keys (under petitions.form.errors) per invalid field; signed-in users need no name/address/contact. */
export function validateForm(v: FormValues, signedIn: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.agencyId) e.agencyId = 'agency';
  if (!v.category) e.category = 'category';
  if (!v.regulation.trim()) e.regulation = 'regulation';
  if (!v.content.trim()) e.content = 'content';
  if (v.content.length > 5000) e.content = 'contentLong';
  if (v.phone.trim() && !PHONE.test(v.phone.trim())) e['petitioner.phone'] = 'phoneFormat';
  if (v.email.trim() && !EMAIL.test(v.email.trim())) e['petitioner.email'] = 'emailFormat';
  if (!signedIn) {
    if (!v.name.trim()) e['petitioner.name'] = 'name';
    if (!v.address.trim()) e['petitioner.address'] = 'address';
    if (!v.phone.trim() && !v.email.trim() && !e['petitioner.phone']) e['petitioner.phone'] = 'contact';
  }
  return e;
}

/** The request body: trimmed, empty optional fields left out. */
export function toBody(v: FormValues, attachmentIds: string[] = []): SubmitBody {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const petitioner = Object.fromEntries(
    (['name', 'organization', 'address', 'phone', 'email'] as const).map((k) => [k, opt(v[k])]).filter(([, x]) => x !== undefined),
  );
  return {
    agencyId: v.agencyId,
    category: Number(v.category),
    regulation: v.regulation.trim(),
    content: v.content.trim(),
    ...(opt(v.proposal) ? { proposal: opt(v.proposal) } : {}),
    ...(attachmentIds.length ? { attachmentIds } : {}),
    ...(Object.keys(petitioner).length ? { petitioner } : {}),
  };
}
