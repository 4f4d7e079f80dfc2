/**
 * Use cases of the national portal sync that people call: the sync state of one dossier, a pull now,
 * the records the pull could not take.
 */
import type { Config } from '../../config';
import { can, requireAccess, requireSignedIn } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import { decodeCursor, pageOf } from '../../platform/http/pagination';
import { Problem, problems } from '../../platform/http/problem';
import { PortalFailure } from './dvcqg.client';
import type { PullResult } from './dvcqg.pull';
import { dvcqgRepo } from './dvcqg.repo';
import type { RejectQuery, SyncState } from './dvcqg.schemas';

export function dvcqgService(db: Database, config: Pick<Config, 'dvcqg'>, runPull: () => Promise<PullResult>) {
  const repo = dvcqgRepo(db);

  return {
    /**
     * Staff who may read the dossier — its reception desk (dossiers.receive in the desk's scope) or
     * the agency resolving it (dossiers.process in its scope) — see its sync state; anyone else 404.
     */
    async syncState(ctx: RequestContext, dossierId: string): Promise<SyncState> {
      requireSignedIn(ctx.actor);
      const d = await repo.scopes(dossierId);
      if (!d || d.state === 'draft') throw problems.notFound('Không tìm thấy hồ sơ.');
      if (!can(ctx.actor, 'dossiers.process', { scope: d.agencyScope })) {
        requireAccess(ctx.actor, 'dossiers.receive', { scope: d.deskScope });
      }
      const s = await repo.syncState(dossierId);
      return {
        dossierId,
        code: d.code,
        target: config.dvcqg.url ? 'national' : 'local',
        currentVersion: d.version,
        currentStatus: d.publicStatus,
        lastSeqSent: s?.lastSeqSent ?? null,
        lastStatusSent: s?.lastStatusSent ?? null,
        lastAttemptAt: s?.lastAttemptAt ?? null,
        lastOkAt: s?.lastOkAt ?? null,
        lastError: s?.lastError ?? null,
        failures: s?.failures ?? 0,
        // Every action of a submitted dossier is pushed, so the last version sent should be the current one.
        upToDate: s?.lastSeqSent != null && s.lastSeqSent >= d.version,
      };
    },

    /** Admins: one pull now (the same run as the scheduled job); the portal's failure as 502. */
    async pullNow(ctx: RequestContext): Promise<PullResult> {
      requireAccess(ctx.actor, 'jobs.manage');
      try {
        return await runPull();
      } catch (e) {
        if (e instanceof PortalFailure) throw new Problem(502, 'dvcqg_unavailable', 'Không lấy được hồ sơ từ Cổng DVC quốc gia', e.message);
        throw e;
      }
    },

    /** Admins: records the pull could not turn into dossiers, most recently seen first. */
    async rejects(ctx: RequestContext, q: RejectQuery) {
      requireAccess(ctx.actor, 'jobs.manage');
      const limit = q.limit ?? 50;
      const key = decodeCursor(q.cursor);
      if (key && (key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string')) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const rows = await repo.listRejects(key as [string, string] | null, limit);
      return pageOf(rows, limit, (r) => [r.lastSeenAt, r.id]);
    },
  };
}

export type DvcqgService = ReturnType<typeof dvcqgService>;
