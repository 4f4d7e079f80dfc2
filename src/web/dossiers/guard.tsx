/** Pages for signed-in people only: anyone else goes to the login page and comes back here after. */
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../app/auth';

export function SignedIn({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  const location = useLocation();
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}
