/**
 * What other modules may use from the procedure catalogue.
 *
 * - currentProcedure(db, idOrCode): the version in force (by id, full or bare national code).
 * - procedureVersion(db, id, version): a procedure as published in one version — a dossier is pinned
 *   to (procedure_id, version) at reception and keeps reading that version.
 * - currentVersionRef(db, idOrCode): only which version is in force and the status (one query).
 * - registerCatalogRoutes(app, platform), catalogService: the HTTP routes and use cases.
 * - seedDemoCatalog(db, config): the demo catalogue; procedureIdFor(code) gives its ids.
 */
import type { Platform } from '../../platform';
import { systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import type { App } from '../../platform/http/types';
import { BARE_CODE_RE, PROCEDURE_CODE_RE } from './catalog.codes';
import { catalogRepo, type ProcedureRow } from './catalog.repo';
import { registerCatalogRoutes as registerRoutes } from './catalog.routes';
import type { Procedure } from './catalog.schemas';
import { catalogService, orNull } from './catalog.service';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type { Component, FormField, FormSchema, Procedure, ProcedureSummary } from './catalog.schemas';
export { demoCatalogInputs, procedureIdFor, seedDemoCatalog } from './catalog.seed';
export { type CatalogService, catalogService } from './catalog.service';

/** The current version of a procedure, or null (retired procedures are returned with status 'retired'). */
export function currentProcedure(db: Database, idOrCode: string): Promise<Procedure | null> {
  return orNull(catalogService(db).get(systemContext('catalog'), idOrCode));
}

/** One published version of a procedure, or null when the procedure or the version does not exist. */
export function procedureVersion(db: Database, id: string, version: number): Promise<Procedure | null> {
  return orNull(catalogService(db).getVersion(systemContext('catalog'), id, version));
}

/**
 * Which version of a procedure is in force, and its status, in one query (by id, full or bare national
 * code); null when there is no such procedure. Versions never change once published, so a caller may
 * keep the content of (id, version) and read only this on every use.
 */
export async function currentVersionRef(
  db: Database,
  idOrCode: string,
): Promise<{ id: string; status: 'active' | 'retired'; version: number } | null> {
  const repo = catalogRepo(db);
  const s = idOrCode.trim();
  let row: ProcedureRow | undefined;
  if (UUID_RE.test(s)) row = await repo.procedureByIdPrepared(s.toLowerCase());
  else if (PROCEDURE_CODE_RE.test(s.toUpperCase())) row = await repo.procedureByCode(s.toUpperCase());
  else if (BARE_CODE_RE.test(s.toUpperCase())) {
    const found = await repo.proceduresByBareCode(s.toUpperCase());
    row = found.length === 1 ? found[0] : undefined;
  }
  return row ? { id: row.id, status: row.status, version: row.current_version } : null;
}

export async function registerCatalogRoutes(app: App, platform: Platform): Promise<void> {
  await registerRoutes(app, catalogService(platform.db, platform.files));
}
