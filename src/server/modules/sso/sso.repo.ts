/**
 * All SQL of the sso module except oidc-provider's own storage (sso.adapter.ts) and keys (sso.keys.ts).
 */
import type { Config } from '../../config';
import { type Database, type Orm, sql } from '../../platform/db/database';
import { decrypt } from './sso.crypto';

export const SECRET_PURPOSE = 'client-secret';

export type ClientKind = 'confidential' | 'public' | 'machine';

export interface SsoClientRow {
  client_id: string;
  name: string;
  kind: ClientKind;
  secret_enc: string | null;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scopes: string[];
  first_party: boolean;
  status: 'active' | 'disabled';
  created_at: Date;
  updated_at: Date;
}

export interface SsoClient {
  clientId: string;
  name: string;
  kind: ClientKind;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  firstParty: boolean;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
}

export function toClient(r: SsoClientRow): SsoClient {
  return {
    clientId: r.client_id,
    name: r.name,
    kind: r.kind,
    redirectUris: r.redirect_uris,
    postLogoutRedirectUris: r.post_logout_redirect_uris,
    scopes: r.scopes,
    firstParty: r.first_party,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The client as oidc-provider sees it (the secret decrypted only here, in memory). */
export function clientMetadata(c: SsoClientRow, config: Config): Record<string, unknown> {
  const machine = c.kind === 'machine';
  return {
    client_id: c.client_id,
    client_name: c.name,
    ...(c.secret_enc ? { client_secret: decrypt(c.secret_enc, config.dataEncryptionKey, SECRET_PURPOSE) } : {}),
    token_endpoint_auth_method: c.kind === 'public' ? 'none' : 'client_secret_basic',
    grant_types: machine ? ['client_credentials'] : ['authorization_code', 'refresh_token'],
    response_types: machine ? [] : ['code'],
    redirect_uris: machine ? [] : c.redirect_uris,
    post_logout_redirect_uris: machine ? [] : c.post_logout_redirect_uris,
    ...(c.scopes.length ? { scope: c.scopes.join(' ') } : {}),
    tinhso_first_party: c.first_party,
  };
}

export function ssoRepo(db: Database) {
  return {
    async list(): Promise<SsoClientRow[]> {
      return db.rows<SsoClientRow>(sql`select * from sso_clients order by status, name, client_id`);
    },
    async get(clientId: string, tx?: Orm): Promise<SsoClientRow | undefined> {
      const [r] = await db.rows<SsoClientRow>(sql`select * from sso_clients where client_id = ${clientId}`, tx);
      return r;
    },
    async insert(
      tx: Orm,
      c: Omit<SsoClientRow, 'created_at' | 'updated_at' | 'status'> & { status?: 'active' | 'disabled' },
    ): Promise<SsoClientRow | undefined> {
      const [r] = await db.rows<SsoClientRow>(
        sql`insert into sso_clients (client_id, name, kind, secret_enc, redirect_uris, post_logout_redirect_uris, scopes, first_party, status)
            values (${c.client_id}, ${c.name}, ${c.kind}, ${c.secret_enc}, ${pgArray(c.redirect_uris)}::text[],
                    ${pgArray(c.post_logout_redirect_uris)}::text[], ${pgArray(c.scopes)}::text[], ${c.first_party}, ${c.status ?? 'active'})
            on conflict (client_id) do nothing returning *`,
        tx,
      );
      return r;
    },
    async update(
      tx: Orm,
      clientId: string,
      c: Pick<SsoClientRow, 'name' | 'redirect_uris' | 'post_logout_redirect_uris' | 'scopes' | 'first_party' | 'status'>,
    ): Promise<SsoClientRow | undefined> {
      const [r] = await db.rows<SsoClientRow>(
        sql`update sso_clients set name = ${c.name}, redirect_uris = ${pgArray(c.redirect_uris)}::text[],
              post_logout_redirect_uris = ${pgArray(c.post_logout_redirect_uris)}::text[], scopes = ${pgArray(c.scopes)}::text[],
              first_party = ${c.first_party}, status = ${c.status}, updated_at = now()
            where client_id = ${clientId} returning *`,
        tx,
      );
      return r;
    },
    async setSecret(tx: Orm, clientId: string, secretEnc: string): Promise<void> {
      await db.rows(sql`update sso_clients set secret_enc = ${secretEnc}, updated_at = now() where client_id = ${clientId}`, tx);
    },
    /** Tokens, codes and grants of a client (when it is disabled or its secret is replaced). */
    async revokeClientArtifacts(tx: Orm, clientId: string): Promise<void> {
      await db.rows(sql`delete from sso_payloads where client_id = ${clientId} and model <> 'Session'`, tx);
    },

    async grantsOf(accountId: string) {
      return db.rows<{ id: string; client_id: string; client_name: string | null; payload: GrantPayload | string; created_at: Date }>(
        sql`select p.id, p.client_id, c.name as client_name, p.payload, p.created_at
            from sso_payloads p left join sso_clients c on c.client_id = p.client_id
            where p.model = 'Grant' and p.account_id = ${accountId} and (p.expires_at is null or p.expires_at > now())
            order by p.created_at desc`,
      );
    },
    async grantOwner(grantId: string, tx?: Orm): Promise<{ account_id: string; client_id: string } | undefined> {
      const [r] = await db.rows<{ account_id: string; client_id: string }>(
        sql`select account_id, client_id from sso_payloads where model = 'Grant' and id = ${grantId}`,
        tx,
      );
      return r;
    },
    /** Deletes a grant and everything issued under it (codes, access and refresh tokens). */
    async revokeGrant(tx: Orm, grantId: string): Promise<void> {
      await db.rows(sql`delete from sso_payloads where grant_id = ${grantId} or (model = 'Grant' and id = ${grantId})`, tx);
    },
    /** The newest live grant an account gave a client (a remembered consent). */
    async latestGrantId(accountId: string, clientId: string): Promise<string | null> {
      const [r] = await db.rows<{ id: string }>(
        sql`select id from sso_payloads where model = 'Grant' and account_id = ${accountId} and client_id = ${clientId}
              and (expires_at is null or expires_at > now()) order by created_at desc limit 1`,
      );
      return r?.id ?? null;
    },
    async destroyOpSession(id: string): Promise<void> {
      await db.rows(sql`delete from sso_payloads where model = 'Session' and id = ${id}`);
    },
    /** Ends an OP session of this account (the browser's `_session` cookie). */
    async destroySession(sessionCookie: string, accountId: string): Promise<boolean> {
      const rows = await db.rows(
        sql`delete from sso_payloads where model = 'Session' and id = ${sessionCookie} and account_id = ${accountId} returning id`,
      );
      return rows.length > 0;
    },
  };
}

export type SsoRepo = ReturnType<typeof ssoRepo>;

export interface GrantPayload {
  accountId: string;
  clientId: string;
  iat?: number;
  openid?: { scope?: string; claims?: string[] };
}

/** A PostgreSQL array literal (works the same on PGlite and node-postgres). */
export function pgArray(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
