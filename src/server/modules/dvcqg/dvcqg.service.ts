/**
 * Use cases of the national portal sync that people call: the sync state of one dossier.
 */
import type { Config } from '../../config';
import { can, requireAccess, requireSignedIn } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import { problems } from '../../platform/http/problem';
import { dvcqgRepo } from './dvcqg.repo';
import type { SyncState } from './dvcqg.schemas';

export function dvcqgService(db: Database, config: Pick<Config, 'dvcqg'>) {
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
  };
}

export type DvcqgService = ReturnType<typeof dvcqgService>;
