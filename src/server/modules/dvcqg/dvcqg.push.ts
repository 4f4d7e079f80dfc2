/**
 * Pushing dossiers to the national portal: a dossier listener enqueues one `dvcqg.push` job per action
 * (in the action's transaction), and the job's worker sends the dossier as it is now.
 *
 * Order per dossier: the sync state remembers the version last accepted; a job for an action at or
 * below it has nothing new to say and is skipped. A job that runs late sends the current state (which
 * already includes the later actions), so the later jobs then find it sent and skip.
 */
import type { Database } from '../../platform/db/database';
import type { JobContext, JobHandler, Jobs, RegisterOptions } from '../../platform/jobs';
import { type DossierActionListener, type DossierRecord, replay } from '../dossiers';
import { callPortal, type PortalConfig, PortalFailure, portalUrls } from './dvcqg.client';
import { buildHoSo, type DossierSource, SYNC_SERVICE, type SyncEnvelope } from './dvcqg.payload';
import { type ActionRow, dvcqgRepo } from './dvcqg.repo';

export const PUSH_JOB = 'dvcqg.push';

export interface PushData {
  dossierId: string;
  /** The action that caused the push (the dossier's version right after it). */
  seq: number;
}

/** Retries with exponential backoff (≈ 30 s, 1 min, 2 min, … ≈ 4 h in all), then the dead-letter queue `dvcqg.push.dead`. */
export const PUSH_RETRY: RegisterOptions = { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 };

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
    const log = actions.map((a) => ({ seq: a.seq, at: a.at, event: { action: a.action, payload: a.payload } }));
    return log.map((_, i) => replay(log.slice(0, i + 1) as Parameters<typeof replay>[0])?.publicStatus ?? null);
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

/** Builds the message of a dossier as it is now; null when it has nothing to sync (draft, gone). */
export async function buildEnvelope(
  db: Database,
  dossierId: string,
  isUpdating: boolean,
): Promise<{ envelope: SyncEnvelope; version: number; status: number } | null> {
  const repo = dvcqgRepo(db);
  const d = await repo.dossier(dossierId);
  if (!d || d.code === null || d.publicStatus === null || d.submittedAt === null) return null;
  // The row, the log and the files are read one after the other: keep what belongs to the row's version.
  const actions = (await repo.actions(dossierId)).filter((a) => a.seq <= d.version);
  const files = (await repo.files(dossierId)).filter((f) => f.addedSeq <= d.version);
  const statuses = statusesAfter(actions);
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
    files,
    actions: actions.map((a, i) => ({ ...a, actionName: actionNameOf(a), statusAfter: statuses[i] ?? null })),
  };
  return {
    envelope: { service: SYNC_SERVICE, isUpdating, data: [buildHoSo(source)] },
    version: d.version,
    status: d.publicStatus,
  };
}

/** POSTs the message (with a session); throws a PortalFailure on a transport error, an HTTP error or a non-zero error_code. */
async function post(deps: PushDeps, envelope: SyncEnvelope): Promise<void> {
  await callPortal(deps.config, pushTarget(deps.config), envelope);
}

export type PushOutcome = 'sent' | 'skipped';

/** One push: skip what was already sent, send the dossier as it is now, record the outcome. */
export async function pushDossier(deps: PushDeps, data: PushData): Promise<PushOutcome> {
  const repo = dvcqgRepo(deps.db);
  const state = await repo.syncState(data.dossierId);
  const sent = state?.lastSeqSent ?? 0;
  if (sent >= data.seq) return 'skipped';
  const built = await buildEnvelope(deps.db, data.dossierId, state?.lastSeqSent != null);
  if (!built || sent >= built.version) return 'skipped';
  const at = new Date();
  try {
    await post(deps, built.envelope);
  } catch (e) {
    const message = e instanceof PortalFailure ? e.message : `Lỗi khi gửi: ${(e as Error).message}`;
    await repo.recordFailure(data.dossierId, message.slice(0, 1000), at);
    throw e;
  }
  await repo.recordSuccess(data.dossierId, built.version, built.status, at);
  return 'sent';
}

/** The `dvcqg.push` job handler (throwing makes pg-boss retry, then dead-letter). */
export function pushHandler(deps: PushDeps): JobHandler<PushData> {
  return async (job: JobContext<PushData>) => {
    await pushDossier(deps, job.data);
  };
}
