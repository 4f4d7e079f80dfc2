/**
 * The dossier as the result of its action log. Each action is a fact with everything it changed in its
 * payload (times, due dates and clocks are computed by the service with the calendar before the action
 * is written), so applying the log in order is a pure fold: the stored row can always be rebuilt and
 * checked against it.
 */
import type { LegalClock } from '../../platform/calendar';
import type { DossierState, FormValues, SupplementItem } from './dossiers.schemas';

export interface Applicant {
  kind: 'citizen' | 'business' | 'other';
  name: string;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

/** The derived row (the columns of `dossiers` that actions change). */
export interface DossierRecord {
  id: string;
  code: string | null;
  procedureId: string;
  procedureVersion: number;
  agencyId: string;
  agencyScope: string;
  deskAgencyId: string;
  deskScope: string;
  state: DossierState;
  publicStatus: number | null;
  channel: 1 | 2 | 3;
  ownerAccountId: string | null;
  createdByAccountId: string | null;
  applicant: Applicant;
  form: FormValues;
  summary: string | null;
  resultDelivery: 'online' | 'counter' | 'post';
  notifyChannel: 'email' | 'sms' | 'zalo' | null;
  notifyTo: string | null;
  clock: LegalClock | null;
  dueAt: string | null;
  processingHours: number | null;
  currentStep: string;
  submittedAt: string | null;
  receivedAt: string | null;
  refusedAt: string | null;
  openSupplement: { items: SupplementItem[]; reason: string; requestedAt: string } | null;
  receiptFileId: string | null;
  /** Idempotency-Key of the request that created or submitted it (recognises a retry after a crash). */
  requestKey: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Draftable = Pick<DossierRecord, 'form' | 'applicant' | 'summary' | 'resultDelivery' | 'notifyChannel' | 'notifyTo'>;

/** The actions of the reception stage and what each carries. */
export type DossierEvent =
  | {
      action: 'create';
      payload: Pick<
        DossierRecord,
        | 'id'
        | 'procedureId'
        | 'procedureVersion'
        | 'agencyId'
        | 'agencyScope'
        | 'deskAgencyId'
        | 'deskScope'
        | 'channel'
        | 'ownerAccountId'
        | 'createdByAccountId'
        | 'processingHours'
        | 'requestKey'
      > &
        Draftable;
    }
  | { action: 'update_draft'; payload: Partial<Draftable & Pick<DossierRecord, 'agencyId' | 'agencyScope' | 'deskAgencyId' | 'deskScope'>> }
  | { action: 'submit'; payload: { code: string; requestKey?: string | null } }
  | { action: 'receive'; payload: { clock: LegalClock | null; dueAt: string | null; receiptFileId: string } }
  | {
      action: 'request_supplement';
      payload: { items: SupplementItem[]; reason: string; clock: LegalClock | null; fileId: string };
    }
  | {
      action: 'supplement';
      payload: Partial<Draftable> & { clock: LegalClock | null; dueAt: string | null };
    }
  | { action: 'refuse'; payload: { reasons: string[]; fileId: string } };

export interface LoggedAction {
  seq: number;
  at: string;
  event: DossierEvent;
}

export const actionNames: Record<DossierEvent['action'], string> = {
  create: 'Tạo hồ sơ',
  update_draft: 'Cập nhật bản nháp',
  submit: 'Nộp hồ sơ',
  receive: 'Tiếp nhận hồ sơ, hẹn trả kết quả',
  request_supplement: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  supplement: 'Bổ sung hồ sơ',
  refuse: 'Từ chối tiếp nhận hồ sơ',
};

/** National public status (spec §1.2) of each internal state; drafts have none. */
export const publicStatusOf: Record<DossierState, number | null> = {
  draft: null,
  submitted: 1,
  received: 2,
  refused: 3,
  supplement_requested: 5,
  withdrawn: 7,
};

const stepOf: Record<DossierState, string> = {
  draft: 'Nộp hồ sơ',
  submitted: 'Chờ tiếp nhận tại Bộ phận Một cửa',
  supplement_requested: 'Chờ người nộp bổ sung hồ sơ',
  received: 'Đã tiếp nhận, chờ chuyển xử lý',
  refused: 'Từ chối tiếp nhận',
  withdrawn: 'Đã rút hồ sơ',
};

/** Which action may follow which state. */
const allowedFrom: Record<Exclude<DossierEvent['action'], 'create'>, readonly DossierState[]> = {
  update_draft: ['draft'],
  submit: ['draft'],
  receive: ['submitted'],
  request_supplement: ['submitted', 'received'],
  supplement: ['supplement_requested'],
  refuse: ['submitted'],
};

export class TransitionError extends Error {
  constructor(
    readonly action: DossierEvent['action'],
    readonly state: DossierState,
  ) {
    super(`Hồ sơ ở trạng thái "${stepOf[state]}" không thể thực hiện "${actionNames[action]}".`);
  }
}

export function canApply(state: DossierState, action: DossierEvent['action']): boolean {
  return action !== 'create' && allowedFrom[action].includes(state);
}

function enter(d: DossierRecord, state: DossierState): DossierRecord {
  return { ...d, state, publicStatus: publicStatusOf[state], currentStep: stepOf[state] };
}

/** Applies one logged action to the record (null before the first action). */
export function applyAction(d: DossierRecord | null, a: LoggedAction): DossierRecord {
  const e = a.event;
  if (e.action === 'create') {
    if (d) throw new TransitionError('create', d.state);
    return enter(
      {
        ...e.payload,
        requestKey: e.payload.requestKey ?? null,
        code: null,
        state: 'draft',
        publicStatus: null,
        clock: null,
        dueAt: null,
        currentStep: '',
        submittedAt: null,
        receivedAt: null,
        refusedAt: null,
        openSupplement: null,
        receiptFileId: null,
        version: a.seq,
        createdAt: a.at,
        updatedAt: a.at,
      },
      'draft',
    );
  }
  if (!d) throw new Error('Hành động đầu tiên của hồ sơ phải là tạo hồ sơ');
  if (!canApply(d.state, e.action)) throw new TransitionError(e.action, d.state);
  const base = { ...d, version: a.seq, updatedAt: a.at };
  switch (e.action) {
    case 'update_draft':
      return { ...base, ...e.payload };
    case 'submit':
      return enter({ ...base, code: e.payload.code, submittedAt: a.at, requestKey: e.payload.requestKey ?? d.requestKey }, 'submitted');
    case 'receive':
      return enter(
        { ...base, receivedAt: a.at, clock: e.payload.clock, dueAt: e.payload.dueAt, receiptFileId: e.payload.receiptFileId },
        'received',
      );
    case 'request_supplement':
      return enter(
        { ...base, clock: e.payload.clock, openSupplement: { items: e.payload.items, reason: e.payload.reason, requestedAt: a.at } },
        'supplement_requested',
      );
    case 'supplement': {
      const { clock, dueAt, ...changes } = e.payload;
      // Back where it was: to the reception queue, or on with a clock counted again once it had been received.
      const next: DossierState = d.receivedAt ? 'received' : 'submitted';
      return enter({ ...base, ...changes, clock, dueAt, openSupplement: null }, next);
    }
    case 'refuse':
      return enter({ ...base, refusedAt: a.at }, 'refused');
  }
}

/** Rebuilds a dossier from its whole log. */
export function replay(log: readonly LoggedAction[]): DossierRecord | null {
  return log.reduce<DossierRecord | null>((d, a) => applyAction(d, a), null);
}
