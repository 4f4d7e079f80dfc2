/**
 * The org module's use cases, grouped: administrative units, agencies and departments, staff with
 * positions, roles and assignments. Every write starts with requireAccess() and ends with its audit
 * record inside the same transaction.
 */
import type { Database } from '../../platform/db/database';
import { agenciesService } from './org.agencies.service';
import { orgRepo } from './org.repo';
import { staffService } from './org.staff.service';
import { unitsService } from './org.units.service';

export function orgService(db: Database) {
  const repo = orgRepo(db);
  return { ...unitsService(db, repo), ...agenciesService(db, repo), ...staffService(db, repo) };
}

export type OrgService = ReturnType<typeof orgService>;
