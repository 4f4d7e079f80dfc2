/**
 * What other modules may use from identity.
 *
 * createAccount(tx, { username, displayName, kind, password, email?, phone? }, { skipPolicy? })
 *   creates an account inside the caller's transaction; throws Problem 409 `username_taken` or 400 when
 *   the username or (unless skipPolicy — demo seed only) the password is not acceptable.
 */

export { registerIdentityRoutes } from './identity.routes';
export { seedDemoCitizens } from './identity.seed';
export type { IdentityService, Me, OrgLookup } from './identity.service';
export { createAccount, identityService } from './identity.service';
