/**
 * What the SSO provider may learn about an account: OIDC claims, and how a TinhSo session was
 * established (acr/amr). The provider decides which claims a client receives (scopes); this only reads.
 */
import type { Grant } from '../../platform/auth/actor';
import { type Database, sql } from '../../platform/db/database';

/** Org lookups the claims need (org provides them through its index; identity does not import org). */
export interface ClaimsOrgLookup {
  grantsForAccount(accountId: string): Promise<Grant[]>;
  agencyOfAccount(accountId: string): Promise<{ id: string; name: string } | null>;
  agencyCode(agencyId: string): Promise<string | null>;
}

export interface AccountClaims {
  sub: string;
  name: string;
  email: string | null;
  phone_number: string | null;
  'tinhso:id_number'?: string | null;
  'tinhso:assurance_level'?: number;
  'tinhso:agency'?: { id: string; code: string | null; name: string } | null;
  'tinhso:roles'?: string[];
}

export interface ClaimsSource {
  /** Claims of an active account (only the groups asked for are read), or null when it is unknown or disabled. */
  claims(
    accountId: string,
    want: { idNumber?: boolean; assurance?: boolean; agency?: boolean; roles?: boolean },
  ): Promise<AccountClaims | null>;
  /** How a live, fully signed-in session was established, or null. */
  sessionAssurance(sessionId: string): Promise<{ accountId: string; assuranceLevel: number; authMethods: string[] } | null>;
  displayName(accountId: string): Promise<string | null>;
}

export function accountClaimsSource(db: Database, org: ClaimsOrgLookup): ClaimsSource {
  return {
    async claims(accountId, want) {
      const [a] = await db.rows<{
        id: string;
        display_name: string;
        email: string | null;
        phone: string | null;
        kind: 'staff' | 'citizen';
        id_number: string | null;
        assurance_level: number;
      }>(
        sql`select id, display_name, email, phone, kind, id_number, assurance_level from accounts
            where id::text = ${accountId} and status = 'active'`,
      );
      if (!a) return null;
      const out: AccountClaims = { sub: a.id, name: a.display_name, email: a.email, phone_number: a.phone };
      if (want.idNumber) out['tinhso:id_number'] = a.id_number;
      if (want.assurance) out['tinhso:assurance_level'] = Number(a.assurance_level);
      if (a.kind === 'staff' && want.agency) {
        const ag = await org.agencyOfAccount(a.id);
        out['tinhso:agency'] = ag ? { id: ag.id, code: await org.agencyCode(ag.id), name: ag.name } : null;
      }
      if (a.kind === 'staff' && want.roles)
        out['tinhso:roles'] = [...new Set((await org.grantsForAccount(a.id)).map((g) => g.role))].sort();
      return out;
    },

    async sessionAssurance(sessionId) {
      const [s] = await db.rows<{ account_id: string; assurance_level: number; auth_methods: string[] }>(
        sql`select s.account_id, s.assurance_level, s.auth_methods from sessions s join accounts a on a.id = s.account_id
            where s.id = ${sessionId} and s.stage = 'full' and s.revoked_at is null and s.expires_at > now() and a.status = 'active'`,
      );
      return s ? { accountId: s.account_id, assuranceLevel: Number(s.assurance_level), authMethods: s.auth_methods } : null;
    },

    async displayName(accountId) {
      const [a] = await db.rows<{ display_name: string }>(sql`select display_name from accounts where id::text = ${accountId}`);
      return a?.display_name ?? null;
    },
  };
}
