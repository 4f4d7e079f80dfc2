/**
 * What other modules may use from identity.
 *
 * createAccount(tx, { username, displayName, kind, password, email?, phone? }, { skipPolicy? })
 *   creates an account inside the caller's transaction; throws Problem 409 `username_taken` or 400 when
 *   the username or (unless skipPolicy — demo seed only) the password is not acceptable.
 *
 * checkIdNumber(s, { birthDate?, gender? }) — 12-digit personal identification number (CCCD): province,
 *   century/gender digit, birth year; { ok: true, value, … } or { ok: false, code, message (Vietnamese) }.
 * checkTaxCode(s) — enterprise tax code, 10 digits with check digit or 13 (branch); value normalised to
 *   `0101234567` / `0101234567-001`.
 * maskIdNumber(s) — `********1234` for display (never log ID numbers).
 */

export { type AccountClaims, accountClaimsSource, type ClaimsOrgLookup, type ClaimsSource } from './identity.claims';
export type { Gender, IdNumberCheck, TaxCodeCheck } from './identity.numbers';
export { checkIdNumber, checkTaxCode, maskIdNumber } from './identity.numbers';
export { registerIdentityRoutes } from './identity.routes';
export { seedDemoCitizens } from './identity.seed';
export type { IdentityService, Me, OrgLookup } from './identity.service';
export { createAccount, identityService } from './identity.service';
export { registerVneid, VNEID_ERRORS } from './identity.vneid';
export { SANDBOX_IDENTITIES } from './identity.vneid.sandbox';
