import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { accessFor, loginPath, type Requirement } from './access';
import { useSession } from './SessionContext';
import { usePageTitle } from '../ui/title';

/** Renders `children` only for a caller who meets `requirement`; anonymous callers go to login and come back. */
export function RequireAccess({ requirement, what, children }: { requirement: Requirement; what: string; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  const access = accessFor(session, requirement);
  if (access === 'login') return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  if (access === 'forbidden') return <NotAllowed what={what} name={session?.name} />;
  return <>{children}</>;
}

function NotAllowed({ what, name }: { what: string; name: string | undefined }) {
  usePageTitle('Not allowed');
  return (
    <section className="not-allowed" data-testid="not-allowed">
      <h1>Not allowed</h1>
      <p>{what} is for administrators. You are signed in as <strong>{name}</strong>, a shopper account.</p>
    </section>
  );
}
