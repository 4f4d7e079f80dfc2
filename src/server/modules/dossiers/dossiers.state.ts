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
  /** The business the dossier is filed for (parties); its representatives are the applicant side. */
  ownerBusinessId?: string | null;
  /** The authorisation (ủy quyền) a proxy filed it under; created_by is the proxy, owner the grantor. */
  actingAuthorisationId?: string | null;
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
  /** The workflow version pinned at reception, and where the dossier stands in it. */
  workflowId: string | null;
  workflowVersion: number | null;
  steps: OpenStep[];
  consultations: Consultation[];
  /** The due date given at reception, kept when the apology letter sets a new one (only once). */
  originalDueAt: string | null;
  apologizedAt: string | null;
  resultDraftFileId: string | null;
  resultFileId: string | null;
  resultSha256: string | null;
  resultSignedAt: string | null;
  completedAt: string | null;
  returnedAt: string | null;
  returnMethod: 'online' | 'counter' | 'post' | null;
  stoppedAt: string | null;
  withdrawnAt: string | null;
  /** Idempotency-Key of the request that created or submitted it (recognises a retry after a crash). */
  requestKey: string | null;
  /** SHA-256 of the request that carried requestKey on creation: the same key with another request is refused. */
  requestHash: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Staff of an agency who may act on an open step (from the workflow actions that leave it). */
export interface StepHolder {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  agencyScope: string;
  roles: string[];
}

/** A step the dossier is at: the main flow's state, or a parallel branch's (liên thông). */
export interface OpenStep {
  /** Branch key; null for the main flow. */
  branch: string | null;
  /** Workflow state key and name. */
  state: string;
  name: string;
  /** National status (1–10) the dossier shows while the main flow is at this state. */
  publicStatus: number;
  holders: StepHolder[];
  assigneeId: string | null;
  assigneeLabel: string | null;
  /** Who held each earlier state of this flow, so a send-back returns the dossier to that person. */
  heldBy?: Record<string, { id: string; label: string }>;
  enteredAt: string;
  /** The step's own due date from its time budget (null = no budget). */
  dueAt: string | null;
}

/** A consultation of another agency (lấy ý kiến), with its due date and answer. */
export interface Consultation {
  id: string;
  agencyId: string;
  agencyName: string;
  agencyScope: string;
  question: string;
  dueAt: string | null;
  askedAt: string;
  answer: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
}

/** Who handed the dossier to whom, when, and whether the step was done in time (control slip, Mẫu 05). */
export interface Handover {
  fromAgencyName: string;
  toAgencyName: string;
  stepDueAt: string | null;
  status: 'early' | 'on_time' | 'late' | null;
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
        | 'ownerBusinessId'
        | 'actingAuthorisationId'
        | 'processingHours'
        | 'requestKey'
      > &
        Partial<Pick<DossierRecord, 'requestHash'>> &
        Draftable;
    }
  | { action: 'update_draft'; payload: Partial<Draftable & Pick<DossierRecord, 'agencyId' | 'agencyScope' | 'deskAgencyId' | 'deskScope'>> }
  | { action: 'submit'; payload: { code: string; requestKey?: string | null } }
  | {
      action: 'receive';
      payload: {
        clock: LegalClock | null;
        dueAt: string | null;
        receiptFileId: string;
        /** The pinned workflow and the steps it opens (absent on dossiers received before workflows existed). */
        workflowId?: string | null;
        workflowVersion?: number | null;
        steps?: OpenStep[];
      };
    }
  | {
      action: 'advance';
      payload: {
        /** The workflow action taken, its branch (null = main flow) and the state it left and entered. */
        key: string;
        name: string;
        branch: string | null;
        from: string;
        to: string;
        /** Every open step after the action (computed by the service from the workflow). */
        steps: OpenStep[];
        handover: Handover;
        result?: { fileId: string; sha256: string; signedAt: string };
        returnMethod?: 'online' | 'counter' | 'post';
        /** The main flow reached a terminal state. */
        completed?: boolean;
      };
    }
  | { action: 'reassign'; payload: { branch: string | null; steps: OpenStep[] } }
  | {
      action: 'opinion';
      payload: {
        kind: 'opinion' | 'site_visit';
        text: string;
        visitAt?: string | null;
        place?: string | null;
        participants?: string | null;
      };
    }
  | { action: 'attach_result'; payload: { fileId: string; title: string } }
  | {
      action: 'apologize';
      payload: { reason: string; previousDueAt: string; newDueAt: string; clock: LegalClock | null; fileId: string };
    }
  | { action: 'stop'; payload: { reason: string; fileId: string } }
  | { action: 'withdraw'; payload: { reason: string } }
  | { action: 'consult'; payload: { consultation: Consultation } }
  | { action: 'answer_consultation'; payload: { id: string; answer: string; answeredBy: string } }
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
  advance: 'Chuyển bước xử lý',
  reassign: 'Phân công lại người xử lý',
  opinion: 'Ghi ý kiến, kết quả thẩm định',
  attach_result: 'Dự thảo kết quả giải quyết',
  apologize: 'Xin lỗi và hẹn lại ngày trả kết quả',
  stop: 'Dừng giải quyết hồ sơ',
  withdraw: 'Người nộp rút hồ sơ',
  consult: 'Lấy ý kiến cơ quan khác',
  answer_consultation: 'Trả lời xin ý kiến',
};

/** National public status (spec §1.2) of each internal state; drafts have none. */
export const publicStatusOf: Record<DossierState, number | null> = {
  draft: null,
  submitted: 1,
  received: 2,
  refused: 3,
  supplement_requested: 5,
  withdrawn: 7,
  stopped: 8,
  completed: 10,
};

const stepOf: Record<DossierState, string> = {
  draft: 'Nộp hồ sơ',
  submitted: 'Chờ tiếp nhận tại Bộ phận Một cửa',
  supplement_requested: 'Chờ người nộp bổ sung hồ sơ',
  received: 'Đã tiếp nhận, chờ chuyển xử lý',
  refused: 'Từ chối tiếp nhận',
  withdrawn: 'Đã rút hồ sơ',
  stopped: 'Đã dừng giải quyết',
  completed: 'Đã trả kết quả',
};

/** Which action may follow which state. */
const allowedFrom: Record<Exclude<DossierEvent['action'], 'create'>, readonly DossierState[]> = {
  update_draft: ['draft'],
  submit: ['draft'],
  receive: ['submitted'],
  request_supplement: ['submitted', 'received'],
  supplement: ['supplement_requested'],
  refuse: ['submitted'],
  advance: ['received'],
  reassign: ['received'],
  opinion: ['received'],
  attach_result: ['received'],
  apologize: ['received'],
  stop: ['received', 'supplement_requested'],
  withdraw: ['submitted', 'supplement_requested', 'received'],
  consult: ['received'],
  answer_consultation: ['received', 'supplement_requested'],
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

/** The main flow's open step gives the public status and step name while the dossier is in processing. */
function staged(d: DossierRecord): DossierRecord {
  if (d.state !== 'received' && d.state !== 'completed') return d;
  const main = d.steps.find((s) => s.branch === null);
  return main ? { ...d, publicStatus: main.publicStatus, currentStep: main.name } : d;
}

/** Applies one logged action to the record (null before the first action). */
export function applyAction(d: DossierRecord | null, a: LoggedAction): DossierRecord {
  const e = a.event;
  if (e.action === 'create') {
    if (d) throw new TransitionError('create', d.state);
    return enter(
      {
        ...e.payload,
        ownerBusinessId: e.payload.ownerBusinessId ?? null,
        actingAuthorisationId: e.payload.actingAuthorisationId ?? null,
        requestKey: e.payload.requestKey ?? null,
        requestHash: e.payload.requestHash ?? null,
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
        workflowId: null,
        workflowVersion: null,
        steps: [],
        consultations: [],
        originalDueAt: null,
        apologizedAt: null,
        resultDraftFileId: null,
        resultFileId: null,
        resultSha256: null,
        resultSignedAt: null,
        completedAt: null,
        returnedAt: null,
        returnMethod: null,
        stoppedAt: null,
        withdrawnAt: null,
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
    case 'receive': {
      const p = e.payload;
      const received = enter(
        {
          ...base,
          receivedAt: a.at,
          clock: p.clock,
          dueAt: p.dueAt,
          originalDueAt: p.dueAt,
          receiptFileId: p.receiptFileId,
          workflowId: p.workflowId ?? null,
          workflowVersion: p.workflowVersion ?? null,
          steps: p.steps ?? [],
        },
        'received',
      );
      return staged(received);
    }
    case 'advance': {
      const p = e.payload;
      let next: DossierRecord = { ...base, steps: p.steps };
      if (p.result) next = { ...next, resultFileId: p.result.fileId, resultSha256: p.result.sha256, resultSignedAt: p.result.signedAt };
      if (p.returnMethod) next = { ...next, returnedAt: a.at, returnMethod: p.returnMethod };
      if (p.completed) next = { ...next, state: 'completed' };
      next = staged(next);
      // Processing ends when the result is ready (status 9) or handed over (10): the on-time check uses this time.
      if ((next.publicStatus ?? 0) >= 9 && !next.completedAt) next = { ...next, completedAt: a.at };
      return next;
    }
    case 'reassign':
      return { ...base, steps: e.payload.steps };
    case 'opinion':
      return base;
    case 'attach_result':
      return { ...base, resultDraftFileId: e.payload.fileId };
    case 'apologize':
      return { ...base, dueAt: e.payload.newDueAt, clock: e.payload.clock, apologizedAt: a.at };
    case 'stop':
      return enter({ ...base, stoppedAt: a.at, steps: [] }, 'stopped');
    case 'withdraw':
      return enter({ ...base, withdrawnAt: a.at, steps: [] }, 'withdrawn');
    case 'consult':
      return { ...base, consultations: [...d.consultations, e.payload.consultation] };
    case 'answer_consultation': {
      const { id, answer, answeredBy } = e.payload;
      return {
        ...base,
        consultations: d.consultations.map((c) => (c.id === id ? { ...c, answer, answeredBy, answeredAt: a.at } : c)),
      };
    }
    case 'request_supplement':
      return enter(
        { ...base, clock: e.payload.clock, openSupplement: { items: e.payload.items, reason: e.payload.reason, requestedAt: a.at } },
        'supplement_requested',
      );
    case 'supplement': {
      const { clock, dueAt, ...changes } = e.payload;
      // Back where it was: to the reception queue, or on with a clock counted again once it had been received.
      const next: DossierState = d.receivedAt ? 'received' : 'submitted';
      const back = enter(
        { ...base, ...changes, clock, dueAt, originalDueAt: d.receivedAt ? dueAt : d.originalDueAt, openSupplement: null },
        next,
      );
      // In processing, the dossier shows the step it was at again.
      return staged(back);
    }
    case 'refuse':
      return enter({ ...base, refusedAt: a.at }, 'refused');
  }
}

/** Rebuilds a dossier from its whole log. */
export function replay(log: readonly LoggedAction[]): DossierRecord | null {
  return log.reduce<DossierRecord | null>((d, a) => applyAction(d, a), null);
}
