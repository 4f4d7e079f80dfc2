/**
 * Token signing keys: generated on first boot (RS256 + ES256), stored encrypted in `sso_keys`.
 * The newest key of each algorithm signs; retired keys stay published (JWKS) for KEEP_PREVIOUS
 * rotations so that tokens signed before a rotation still verify.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Config } from '../../config';
import { type Database, type Orm, sql } from '../../platform/db/database';
import { decrypt, encrypt } from './sso.crypto';

const ALGS = ['RS256', 'ES256'] as const;
/** How many previous keys per algorithm stay in the JWKS after rotations. */
const KEEP_PREVIOUS = 1;
const PURPOSE = 'signing-key';

interface KeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  created_at: Date;
  retired_at: Date | null;
}

async function newKey(alg: (typeof ALGS)[number]) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = `${alg.toLowerCase()}-${new Date().toISOString().slice(0, 10)}-${randomBytes(6).toString('base64url')}`;
  return { ...jwk, kid, alg, use: 'sig' } as JWK & { kid: string; alg: string };
}

async function insertKey(db: Database, config: Config, alg: (typeof ALGS)[number], tx?: Orm) {
  const jwk = await newKey(alg);
  await db.rows(
    sql`insert into sso_keys (kid, alg, private_jwk) values (${jwk.kid}, ${alg}, ${encrypt(JSON.stringify(jwk), config.dataEncryptionKey, PURPOSE)})`,
    tx,
  );
  return jwk.kid;
}

/** Creates the first keys when there are none (idempotent; concurrent first boots are serialised by a lock). */
export async function ensureKeys(db: Database, config: Config): Promise<void> {
  const have = await db.rows<{ alg: string }>(sql`select distinct alg from sso_keys where retired_at is null`);
  const missing = ALGS.filter((a) => !have.some((h) => h.alg === a));
  if (!missing.length) return;
  await db.orm.transaction(async (tx) => {
    await db.rows(sql`select pg_advisory_xact_lock(727301)`, tx);
    const again = await db.rows<{ alg: string }>(sql`select distinct alg from sso_keys where retired_at is null`, tx);
    for (const alg of ALGS) if (!again.some((h) => h.alg === alg)) await insertKey(db, config, alg, tx);
  });
}

/** The private JWKS handed to oidc-provider: per algorithm the current key first, then the previous ones. */
export async function loadJwks(db: Database, config: Config): Promise<{ keys: JWK[]; current: string[] }> {
  const rows = await db.rows<KeyRow>(sql`select * from sso_keys order by created_at desc, kid`);
  const keys: JWK[] = [];
  const current: string[] = [];
  for (const alg of ALGS) {
    const ofAlg = rows.filter((r) => r.alg === alg);
    const live = ofAlg.filter((r) => !r.retired_at);
    const retired = ofAlg.filter((r) => r.retired_at).slice(0, KEEP_PREVIOUS);
    if (live[0]) current.push(live[0].kid);
    for (const r of [...live, ...retired]) keys.push(JSON.parse(decrypt(r.private_jwk, config.dataEncryptionKey, PURPOSE)) as JWK);
  }
  // The RS256 key first: it signs ID tokens by default.
  return { keys, current };
}

/** Adds a new signing key per algorithm and retires the current ones (they stay published for verification). */
export async function rotateSigningKeys(db: Database, config: Config, tx: Orm): Promise<string[]> {
  const kids: string[] = [];
  for (const alg of ALGS) {
    await db.rows(sql`update sso_keys set retired_at = now() where alg = ${alg} and retired_at is null`, tx);
    kids.push(await insertKey(db, config, alg, tx));
  }
  return kids;
}

/** A fingerprint of the key set: another process rebuilds its provider when it changes. */
export async function keysFingerprint(db: Database): Promise<string> {
  const [r] = await db.rows<{ f: string | null }>(
    sql`select string_agg(kid || ':' || coalesce(retired_at::text, ''), ',' order by kid) as f from sso_keys`,
  );
  return r?.f ?? '';
}
