import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAppSelector } from '../hooks';

/** Its children when someone is signed in; otherwise the login page, which comes back here. */
export function RequireSession({ children }: { children: ReactNode }) {
  const signedIn = useAppSelector((state) => state.session.current !== null);
  const location = useLocation();
  if (!signedIn) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}
