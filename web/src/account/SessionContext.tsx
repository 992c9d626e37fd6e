import { useApolloClient } from '@apollo/client/react';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { graphql } from '../__generated__';
import { readSession, writeSession, type Session } from './session';

const LogoutMutation = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken) { revoked }
  }
`);

interface SessionState {
  session: Session | null;
  signIn: (session: Session) => void;
  signOut: () => void;
}

const SessionContext = createContext<SessionState>({ session: null, signIn: () => {}, signOut: () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useApolloClient();
  const [session, setSession] = useState(readSession);
  const change = (next: Session | null) => {
    writeSession(next);
    setSession(next);
    // Another user's orders must not survive in the cache.
    void client.clearStore();
  };
  return (
    <SessionContext.Provider value={{ session, signIn: change, signOut: () => {
      // Revoke the session on the server too; signing out locally does not wait for it.
      const refreshToken = readSession()?.refreshToken;
      if (refreshToken) client.mutate({ mutation: LogoutMutation, variables: { refreshToken } }).catch(() => undefined);
      change(null);
    } }}>{children}</SessionContext.Provider>
  );
}

export const useSession = () => useContext(SessionContext);
