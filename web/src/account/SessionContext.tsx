import { useApolloClient } from '@apollo/client/react';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { readSession, writeSession, type Session } from './session';

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
    <SessionContext.Provider value={{ session, signIn: change, signOut: () => change(null) }}>{children}</SessionContext.Provider>
  );
}

export const useSession = () => useContext(SessionContext);
