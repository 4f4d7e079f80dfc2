/**
 * requireAccess(actor, permission, resource) — the one gate at the top of every use case.
 *
 * - No actor (anonymous) → 401.
 * - A resource the actor may not see → 404, so the API never confirms that a record exists.
 * - A collection action (no resource) without the permission → 403.
 */

import { problems } from '../http/problem';
import type { Actor } from './actor';
import type { Permission } from './permissions';

export interface Resource {
  /** Agency path of the record's owner ('' = province-wide record). */
  scope?: string;
  /** Account that owns the record (citizens see their own records). */
  ownerAccountId?: string | null;
}

/** True when `path` is `scope` itself or lies below it in the agency tree. */
export function withinScope(scope: string, path: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}

export function can(actor: Actor, permission: Permission, resource?: Resource): boolean {
  if (actor.kind === 'system') return true;
  if (resource?.ownerAccountId && actor.accountId === resource.ownerAccountId) return true;
  return actor.grants.some(
    (g) =>
      g.permissions.has(permission) && (resource === undefined || resource.scope === undefined || withinScope(g.scope, resource.scope)),
  );
}

export function requireAccess(actor: Actor, permission: Permission, resource?: Resource): void {
  if (actor.kind === 'anonymous') throw problems.unauthorized();
  if (can(actor, permission, resource)) return;
  throw resource ? problems.notFound() : problems.forbidden();
}

/** Agency-path prefixes in which the actor holds `permission` ('' = all). Use to filter list queries. */
export function scopesFor(actor: Actor, permission: Permission): string[] | 'all' {
  if (actor.kind === 'system') return 'all';
  const scopes = actor.grants.filter((g) => g.permissions.has(permission)).map((g) => g.scope);
  return scopes.includes('') ? 'all' : scopes;
}

/** Self-service use cases (own password, own sessions): any signed-in actor, nobody else. */
export function requireSignedIn(actor: Actor): asserts actor is Actor & { accountId: string } {
  if (actor.kind === 'anonymous' || !actor.accountId) throw problems.unauthorized();
}
