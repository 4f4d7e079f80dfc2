/**
 * Pushing dossiers to the national portal: a dossier listener enqueues one `dvcqg.push` job per action
 * (in the action's transaction), and the worker sends the dossier as it is now.
 *
 * Order per dossier: the sync state remembers the version last accepted; a job for an action at or
 * below it has nothing new to say and is skipped. A job that runs late sends the current state (which
 * already includes the later actions), so the later jobs then find it sent and skip.
 *
 * The worker takes the waiting jobs in batches: each dossier of a batch is read once (all of them in
 * one statement) and sent once, as it is now, and the dossiers go to the portal together — the sync
 * message carries up to 100 records — so a storm of submissions costs a few messages, not one each.
 */
import type { Database } from '../../platform/db/database';
import type { BatchJobHandler, BatchRegisterOptions, Jobs } from '../../platform/jobs';
import { applyAction, type DossierActionListener, type DossierEvent, type DossierRecord } from '../dossiers';
import { callPortal, type PortalConfig, PortalFailure, portalUrls } from './dvcqg.client';
import { buildHoSo, type DossierSource, type HoSoDongBoDVC, SYNC_SERVICE, type SyncEnvelope } from './dvcqg.payload';
import { type ActionRow, type DossierRow, dvcqgRepo, type FileRow } from './dvcqg.repo';

export const PUSH_JOB = 'dvcqg.push';

export interface PushData {
  dossierId: string;
  /** The action that caused the push (the dossier's version right after it). */
  seq: number;
}

/** Records per sync message: the portal's limit (validateEnvelope). */
export const MAX_RECORDS_PER_MESSAGE = 100;

/**
 * Retries with exponential backoff (≈ 30 s, 1 min, 2 min, … ≈ 4 h in all), then the dead-letter queue
 * `dvcqg.push.dead`; up to 100 jobs a run (one message of up to 100 records for each kind: first push, update).
 */
export const PUSH_RETRY: BatchRegisterOptions = {
  retryLimit: 8,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 120,
  batchSize: MAX_RECORDS_PER_MESSAGE,
};

/** Where pushes go: DVCQG_URL, or the app's own local portal reached over HTTP at PUBLIC_URL. */
export function pushTarget(config: PortalConfig): string {
  return portalUrls(config).sync;
}

/** Enqueues a push for every action after which the dossier has a national status (drafts have none). */
export function pushListener(jobs: Jobs): DossierActionListener {
  return async (tx, dossier: DossierRecord, action) => {
    if (dossier.publicStatus === null || dossier.code === null) return;
    const data: PushData = { dossierId: dossier.id, seq: action.seq };
    await jobs.sendInTx(tx, PUSH_JOB, data, { singletonKey: `${dossier.id}:${action.seq}` });
  };
}

export interface PushDeps {
  db: Database;
  config: PortalConfig;
}

/** National status right after each action, from the dossier's own fold of its log. */
function statusesAfter(actions: ActionRow[]): (number | null)[] {
  try {
    // One fold, noting the status after each action (not a replay of every prefix: n actions, not n²/2).
    let d: DossierRecord | null = null;
    return actions.map((a) => {
      d = applyAction(d, { seq: a.seq, at: a.at, event: { action: a.action, payload: a.payload } as DossierEvent });
      return d.publicStatus ?? null;
    });
  } catch {
    // An action this build does not know: the trail goes without per-step statuses.
    return actions.map(() => null);
  }
}

const actionNameOf = (a: ActionRow): string => {
  const names: Record<string, string> = {
    submit: 'Nộp hồ sơ',
    receive: 'Tiếp nhận hồ sơ, hẹn trả kết quả',
    request_supplement: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
    supplement: 'Bổ sung hồ sơ',
    refuse: 'Từ chối tiếp nhận hồ sơ',
    withdraw: 'Rút hồ sơ',
  };
  return names[a.action] ?? a.action;
};

type Source = DossierRow & { actions: ActionRow[]; files: FileRow[] };

/** The HoSoDongBoDVC record of a dossier as read; null when it has nothing to sync (draft). */
function recordOf(d: Source): { record: HoSoDongBoDVC; version: number; status: number } | null {
  if (d.code === null || d.publicStatus === null || d.submittedAt === null) return null;
  const statuses = statusesAfter(d.actions);
  const source: DossierSource = {
    code: d.code,
    procedureCode: d.procedureCode,
    procedureName: d.procedureName,
    procedureField: d.procedureField,
    agencyName: d.agencyName,
    channel: d.channel,
    publicStatus: d.publicStatus,
    applicant: d.applicant as DossierSource['applicant'],
    summary: d.summary,
    submittedAt: d.submittedAt,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    refusedAt: d.refusedAt,
    files: d.files,
    actions: d.actions.map((a, i) => ({ ...a, actionName: actionNameOf(a), statusAfter: statuses[i] ?? null })),
  };
  return { record: buildHoSo(source), version: d.version, status: d.publicStatus };
}

/** Builds the message of a dossier as it is now; null when it has nothing to sync (draft, gone). */
export async function buildEnvelope(
  db: Database,
  dossierId: string,
  isUpdating: boolean,
): Promise<{ envelope: SyncEnvelope; version: number; status: number } | null> {
  const [d] = await dvcqgRepo(db).sources([dossierId]);
  const built = d ? recordOf(d) : null;
  if (!built) return null;
  return { envelope: { service: SYNC_SERVICE, isUpdating, data: [built.record] }, version: built.version, status: built.status };
}

/** POSTs the message (with a session); throws a PortalFailure on a transport error, an HTTP error or a non-zero error_code. */
async function post(deps: PushDeps, envelope: SyncEnvelope): Promise<void> {
  await callPortal(deps.config, pushTarget(deps.config), envelope);
}

export type PushOutcome = 'sent' | 'skipped';

/** What a run of pushes did, by dossier id. */
export interface PushResult {
  sent: Set<string>;
  skipped: Set<string>;
  failed: Map<string, Error>;
}

interface Due {
  dossierId: string;
  record: HoSoDongBoDVC;
  version: number;
  status: number;
}

const failureText = (e: unknown) => (e instanceof PortalFailure ? e.message : `Lỗi khi gửi: ${(e as Error).message}`).slice(0, 1000);

/**
 * Pushes several dossiers: each at most once, as it is now, unless what it asks for was already sent.
 * Dossiers never pushed go in first-push messages (`isUpdating` false), the others in update messages.
 * The portal answers a message as a whole: when it refuses one of several records (an `error_code`),
 * each of them is sent again on its own, so one bad record does not hold the others back; a failure
 * of the transport or of HTTP fails the whole message.
 */
export async function pushDossiers(deps: PushDeps, pushes: PushData[]): Promise<PushResult> {
  const repo = dvcqgRepo(deps.db);
  const result: PushResult = { sent: new Set(), skipped: new Set(), failed: new Map() };
  const wanted = new Map<string, number>();
  for (const p of pushes) wanted.set(p.dossierId, Math.max(wanted.get(p.dossierId) ?? 0, p.seq));
  const states = await repo.syncStates([...wanted.keys()]);
  const sentSeq = (id: string) => states.get(id)?.lastSeqSent ?? 0;
  const ask = [...wanted].filter(([id, seq]) => sentSeq(id) < seq).map(([id]) => id);
  for (const id of wanted.keys()) if (!ask.includes(id)) result.skipped.add(id);
  const first: Due[] = [];
  const updates: Due[] = [];
  const sources = new Map((await repo.sources(ask)).map((d) => [d.id, d]));
  for (const id of ask) {
    const d = sources.get(id);
    const built = d ? recordOf(d) : null;
    if (!built || sentSeq(id) >= built.version) {
      result.skipped.add(id);
      continue;
    }
    (states.get(id)?.lastSeqSent != null ? updates : first).push({ dossierId: id, ...built });
  }
  const at = new Date();
  const send = async (isUpdating: boolean, due: Due[]): Promise<void> => {
    try {
      await post(deps, { service: SYNC_SERVICE, isUpdating, data: due.map((x) => x.record) });
      for (const x of due) result.sent.add(x.dossierId);
    } catch (e) {
      if (due.length > 1 && e instanceof PortalFailure && e.code !== null) {
        for (const x of due) await send(isUpdating, [x]);
        return;
      }
      for (const x of due) result.failed.set(x.dossierId, e as Error);
    }
  };
  for (const [isUpdating, due] of [
    [false, first],
    [true, updates],
  ] as const) {
    for (let i = 0; i < due.length; i += MAX_RECORDS_PER_MESSAGE) await send(isUpdating, due.slice(i, i + MAX_RECORDS_PER_MESSAGE));
  }
  const all = [...first, ...updates];
  await repo.recordSuccesses(
    all.filter((x) => result.sent.has(x.dossierId)).map((x) => ({ dossierId: x.dossierId, seq: x.version, status: x.status })),
    at,
  );
  await repo.recordFailures(
    [...result.failed].map(([dossierId, e]) => ({ dossierId, error: failureText(e) })),
    at,
  );
  return result;
}

/** One push: skip what was already sent, send the dossier as it is now, record the outcome; throws what failed it. */
export async function pushDossier(deps: PushDeps, data: PushData): Promise<PushOutcome> {
  const r = await pushDossiers(deps, [data]);
  const failure = r.failed.get(data.dossierId);
  if (failure) throw failure;
  return r.sent.has(data.dossierId) ? 'sent' : 'skipped';
}

/** The `dvcqg.push` batch handler: the jobs of the dossiers that could not be sent fail (pg-boss retries, then dead-letters them). */
export function pushHandler(deps: PushDeps): BatchJobHandler<PushData> {
  return async (jobs) => {
    const r = await pushDossiers(
      deps,
      jobs.map((j) => j.data),
    );
    const failed = new Map<string, Error>();
    for (const j of jobs) {
      const e = r.failed.get(j.data.dossierId);
      if (e) failed.set(j.id, e);
    }
    return failed;
  };
}
