/**
 * Who is signed in (GET /api/v1/auth/me, cached by TanStack Query under ['me']) and what that
 * allows the UI to show. The UI only hides what the server would refuse anyway; the server decides.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError, authApi, type Me } from '../api';

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await authApi.me();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        // Opened without a connection (the app shell from the service worker): carry on as a visitor, so
        // that pages that work offline (a field report into the outbox) still open. Online, errors show.
        if (e instanceof ApiError && e.code === 'network_error' && !navigator.onLine) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });
}

export const can = (me: Me | null | undefined, perm: string): boolean => !!me?.permissions.includes(perm);
export const canAny = (me: Me | null | undefined, perms: readonly string[]): boolean => perms.some((p) => can(me, p));

/** Work in the one-stop back office and document office. */
export const WORK_PERMISSIONS = ['dossiers.receive', 'dossiers.process', 'dossiers.approve', 'documents.register'] as const;
/** Any of these opens the administration area. */
export const ADMIN_PERMISSIONS = [
  'org.units.manage',
  'org.agencies.manage',
  'org.staff.manage',
  'org.roles.manage',
  'catalog.manage',
  'calendar.manage',
  'audit.read',
  'notify.outbox.read',
  'sso.clients.manage',
] as const;

export const isAdmin = (me: Me | null | undefined) => canAny(me, ADMIN_PERMISSIONS);
export const isOfficeUser = (me: Me | null | undefined) => me?.kind === 'staff';

/** Where "home" is for this person. */
export function homePath(me: Me | null | undefined): string {
  if (!me || me.kind === 'citizen') return '/';
  if (me.roles.includes('admin')) return '/admin';
  if (canAny(me, WORK_PERMISSIONS)) return '/office';
  return isAdmin(me) ? '/admin' : '/office';
}

// Staff whose policy requires TOTP must finish enrolment before anything else; the login answer
// says so once, so the flag is kept for the tab's lifetime.
const ENROLL_KEY = 'tinhso.enroll';
export const enrolment = {
  required: (): boolean => {
    try {
      return sessionStorage.getItem(ENROLL_KEY) === '1';
    } catch {
      return false;
    }
  },
  set: (on: boolean): void => {
    try {
      if (on) sessionStorage.setItem(ENROLL_KEY, '1');
      else sessionStorage.removeItem(ENROLL_KEY);
    } catch {
      // ignore: storage unavailable
    }
  },
};
