/**
 * Who may act for whom: the answer other modules (dossiers, e-data) ask parties for.
 *
 * An actor may act for a principal when the actor IS the principal (a citizen), represents the business
 * now (not removed, business not inactive), or holds a live authorisation from the citizen (not revoked,
 * started, not expired) covering the procedure. Authorisations are not delegated further: a proxy of a
 * proxy, or a proxy for a business, has no power.
 */
import type { Database } from '../../platform/db/database';
import { partiesRepo } from './parties.repo';

/** Whose a dossier / an e-data document is. */
export type Principal = { kind: 'citizen'; accountId: string } | { kind: 'business'; businessId: string };

/** How the actor may act for the principal: as himself, as a representative, or through an authorisation. */
export type Authority =
  | { via: 'self'; authorisationId: null }
  | { via: 'representative'; authorisationId: null }
  | { via: 'authorisation'; authorisationId: string };

export interface PartiesAccess {
  /**
   * True when the actor is the principal, a representative of the business, or holds a live authorisation
   * from the principal covering that procedure (full procedure code; null = any procedure is enough).
   */
  canActFor(actorAccountId: string, principal: Principal, procedureCode: string | null, at?: Date): Promise<boolean>;
  /** As canActFor, saying how (the authorisation used, for the dossier's record); null = may not. */
  authority(actorAccountId: string, principal: Principal, procedureCode: string | null, at?: Date): Promise<Authority | null>;
  /** Himself, the businesses he represents, the citizens whose live authorisation he holds. */
  principalsOf(actorAccountId: string, at?: Date): Promise<Principal[]>;
  /**
   * The same, for list queries: the businesses represented and, per grantor, the procedure codes
   * authorised (empty = all procedures).
   */
  reach(actorAccountId: string, at?: Date): Promise<{ businessIds: string[]; grantors: { accountId: string; procedureCodes: string[] }[] }>;
  /** A principal's display name (a business's name, a person's display name); null when unknown. */
  nameOf(principal: Principal): Promise<string | null>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function partiesAccess(db: Database): PartiesAccess {
  const repo = partiesRepo(db);

  async function authority(actor: string, principal: Principal, procedureCode: string | null, at = new Date()): Promise<Authority | null> {
    if (!actor) return null;
    if (principal.kind === 'citizen') {
      if (principal.accountId === actor) return { via: 'self', authorisationId: null };
      if (!UUID_RE.test(principal.accountId)) return null;
      const z = await repo.liveAuthorisation(principal.accountId, actor, procedureCode, at);
      return z ? { via: 'authorisation', authorisationId: z.id } : null;
    }
    if (!UUID_RE.test(principal.businessId)) return null;
    return (await repo.represents(actor, principal.businessId)) ? { via: 'representative', authorisationId: null } : null;
  }

  async function reach(actor: string, at = new Date()) {
    const [businesses, grants] = await Promise.all([repo.activeBusinessesOf(actor), repo.liveGrantsTo(actor, at)]);
    const byGrantor = new Map<string, string[] | 'all'>();
    for (const g of grants) {
      const known = byGrantor.get(g.grantor_account_id);
      if (known === 'all') continue;
      byGrantor.set(g.grantor_account_id, g.procedure_codes.length === 0 ? 'all' : [...new Set([...(known ?? []), ...g.procedure_codes])]);
    }
    return {
      businessIds: businesses.map((b) => b.id),
      grantors: [...byGrantor].map(([accountId, codes]) => ({ accountId, procedureCodes: codes === 'all' ? [] : codes })),
    };
  }

  return {
    authority,
    reach,
    async canActFor(actor, principal, procedureCode, at) {
      return (await authority(actor, principal, procedureCode, at)) !== null;
    },
    async principalsOf(actor, at) {
      const r = await reach(actor, at);
      return [
        { kind: 'citizen', accountId: actor },
        ...r.businessIds.map((businessId): Principal => ({ kind: 'business', businessId })),
        ...r.grantors.map((g): Principal => ({ kind: 'citizen', accountId: g.accountId })),
      ];
    },
    async nameOf(principal) {
      if (principal.kind === 'citizen') {
        if (!UUID_RE.test(principal.accountId)) return null;
        return (await repo.accountById(principal.accountId))?.display_name ?? null;
      }
      if (!UUID_RE.test(principal.businessId)) return null;
      return (await repo.businessById(principal.businessId))?.name ?? null;
    },
  };
}
