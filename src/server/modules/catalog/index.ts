/**
 * What other modules may use from the procedure catalogue.
 *
 * - currentProcedure(db, idOrCode): the version in force (by id, full or bare national code).
 * - procedureVersion(db, id, version): a procedure as published in one version — a dossier is pinned
 *   to (procedure_id, version) at reception and keeps reading that version.
 * - registerCatalogRoutes(app, platform), catalogService: the HTTP routes and use cases.
 * - seedDemoCatalog(db, config): the demo catalogue; procedureIdFor(code) gives its ids.
 */
import type { Platform } from '../../platform';
import { systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import type { App } from '../../platform/http/types';
import { registerCatalogRoutes as registerRoutes } from './catalog.routes';
import type { Procedure } from './catalog.schemas';
import { catalogService, orNull } from './catalog.service';

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

export async function registerCatalogRoutes(app: App, platform: Platform): Promise<void> {
  await registerRoutes(app, catalogService(platform.db, platform.files));
}
