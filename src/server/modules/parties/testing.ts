/**
 * Test helpers for parties: extra citizens, authorisations and businesses over HTTP.
 */
import type { Session, TestApp } from '../../../../test/app';
import { login } from '../../../../test/app';
import { createAccount } from '../identity';

/** A new citizen account (password `demo`), signed in; its account id. */
export async function newCitizen(t: TestApp, username: string, displayName: string): Promise<{ s: Session; id: string }> {
  const { id } = await t.db.orm.transaction((tx) =>
    createAccount(tx, { username, displayName, kind: 'citizen', password: 'demo' }, { skipPolicy: true }),
  );
  return { s: await login(t.app, username), id };
}

/** `YYYY-MM-DD` n days from today (UTC). */
export const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Grants an authorisation as `grantor` and returns it (throws unless 201). */
export async function authorise(grantor: Session, granteeUsername: string, procedureCodes: string[], validUntil = daysFromNow(30)) {
  const res = await grantor.request('POST', '/api/v1/parties/authorisations', { granteeUsername, procedureCodes, validUntil });
  if (res.statusCode !== 201) throw new Error(`authorise failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; status: string; validUntil: string; procedureCodes: string[] };
}

/** Registers a business as `s` (who becomes its legal representative). */
export async function registerBusiness(s: Session, taxCode: string, name: string) {
  const res = await s.request('POST', '/api/v1/parties/businesses', { taxCode, name, address: '1 Lê Duẩn, Buôn Ma Thuột' });
  if (res.statusCode !== 201) throw new Error(`register business failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; taxCode: string; name: string };
}
