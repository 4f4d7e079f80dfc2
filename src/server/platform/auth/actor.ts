/**
 * Who is acting. Every use case receives a RequestContext and starts with requireAccess().
 */
import type { Permission } from './permissions';

export interface Grant {
  role: string;
  permissions: ReadonlySet<Permission>;
  /**
   * Jurisdiction: the agency path this grant covers (itself and everything below it).
   * '' means the whole province.
   */
  scope: string;
}

export type ActorKind = 'staff' | 'citizen' | 'anonymous' | 'system';

export interface Actor {
  kind: ActorKind;
  accountId: string | null;
  /** Display label kept in the audit log (username, never an ID number). */
  label: string;
  grants: readonly Grant[];
  /** Session the actor is acting through, when any. */
  sessionId?: string;
  /**
   * Set while the session is not fully signed in: 'totp' = password checked, second factor pending
   * (the actor is still anonymous); 'enroll' = staff must set up TOTP before any grant applies.
   */
  pending?: 'totp' | 'enroll';
}

export interface RequestContext {
  actor: Actor;
  ip: string | null;
  requestId: string | null;
}

export const anonymous: Actor = { kind: 'anonymous', accountId: null, label: 'anonymous', grants: [] };

/** The platform itself (jobs, seeds, CLI): full rights, recorded as 'system' in the audit log. */
export function systemContext(label = 'system'): RequestContext {
  return { actor: { kind: 'system', accountId: null, label, grants: [] }, ip: null, requestId: null };
}
