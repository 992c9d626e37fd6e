import { useApolloClient } from '@apollo/client/react';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { readSession, revokeSession, sessionEvents, writeSession, type Session } from './session';

interface SessionState {
  session: Session | null;
  signIn: (session: Session) => void;
  signOut: () => void;
  /** Replaces the stored session of the same user (a new name, a new session after a password change); the cache stays. */
  renew: (session: Session) => void;
}

export const SessionContext = createContext<SessionState>({ session: null, signIn: () => {}, signOut: () => {}, renew: () => {} });

export function SessionProvider({ uri = '/graphql', children }: { uri?: string; children: ReactNode }) {
  const client = useApolloClient();
  const [session, setSession] = useState(readSession);
  const change = (next: Session | null) => {
    writeSession(next);
    setSession(next);
    // Another user's orders must not survive in the cache.
    void client.clearStore();
  };
  // A refused refresh ends the session; the guards then send the user to login (the cart has its own storage).
  useEffect(() => {
    const ended = () => change(null);
    sessionEvents.addEventListener('ended', ended);
    return () => sessionEvents.removeEventListener('ended', ended);
  });
  const signOut = () => {
    const refreshToken = readSession()?.refreshToken;
    if (refreshToken) void revokeSession(uri, refreshToken);
    change(null);
  };
  const renew = (next: Session) => {
    writeSession(next);
    setSession(next);
  };
  return <SessionContext.Provider value={{ session, signIn: change, signOut, renew }}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
