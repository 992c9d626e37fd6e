const STORAGE_KEY = 'federation.session';

export interface Session {
  token: string;
  userId: string;
  name: string;
  expiresAt: string | null;
}

export function readSession(storage: Pick<Storage, 'getItem'> = localStorage, now = Date.now()): Session | null {
  try {
    const session = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    if (!session?.token || !session.userId) return null;
    if (session.expiresAt && Date.parse(session.expiresAt) <= now) return null;
    return session;
  } catch {
    return null;
  }
}

export function writeSession(session: Session | null, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage): void {
  if (session) storage.setItem(STORAGE_KEY, JSON.stringify(session));
  else storage.removeItem(STORAGE_KEY);
}
