import { print, type DocumentNode } from 'graphql';
import { graphql } from '../__generated__';
import { sha256 } from '../apollo/persistedQueries';

const STORAGE_KEY = 'federation.session';
// Refresh a little before the access token expires, so a request in flight does not carry an expired one.
const REFRESH_MARGIN_MS = 30_000;

export interface Session {
  token: string;
  userId: string;
  name: string;
  expiresAt: string | null;
  refreshToken?: string | null;
  refreshExpiresAt?: string | null;
}

type SessionStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const RefreshSessionMutation = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken expiresAt refreshToken refreshTokenExpiresAt
      errors { code }
    }
  }
`);

function canRefresh(session: Session, now: number): boolean {
  return !!session.refreshToken && (!session.refreshExpiresAt || Date.parse(session.refreshExpiresAt) > now);
}

export function readSession(storage: Pick<Storage, 'getItem'> = localStorage, now = Date.now()): Session | null {
  try {
    const session = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    if (!session?.token || !session.userId) return null;
    if (session.expiresAt && Date.parse(session.expiresAt) <= now && !canRefresh(session, now)) return null;
    return session;
  } catch {
    return null;
  }
}

export function writeSession(session: Session | null, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage): void {
  if (session) storage.setItem(STORAGE_KEY, JSON.stringify(session));
  else storage.removeItem(STORAGE_KEY);
}

export function needsRefresh(session: Session, now = Date.now()): boolean {
  return !!session.expiresAt && Date.parse(session.expiresAt) - REFRESH_MARGIN_MS <= now && canRefresh(session, now);
}

/** Fires `ended` when the server refuses the refresh token, so the app can send the user back to login. */
export const sessionEvents = new EventTarget();

// Session calls bypass Apollo: they run inside its auth link (refresh) or while its store is being cleared (logout).
// Like Apollo's persisted query link they send the document's hash first and its text only when the gateway does not
// know the hash, so a gateway in allow-list mode receives hashes only.
async function post(uri: string, doFetch: typeof fetch, document: DocumentNode, variables: Record<string, unknown>): Promise<Response> {
  const query = print(document);
  const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256(query) } };
  const send = (body: object) =>
    doFetch(uri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const hashed = await send({ variables, extensions });
  return (await hashUnknown(hashed.clone())) ? send({ query, variables, extensions }) : hashed;
}

// PERSISTED_QUERY_NOT_FOUND, or a gateway without persisted queries (see persistedQueriesUnsupported).
async function hashUnknown(response: Response): Promise<boolean> {
  const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } | null;
  const codes = (body?.errors ?? []).map((error) => error.extensions?.code);
  return codes.includes('PERSISTED_QUERY_NOT_FOUND') || codes.includes('PERSISTED_QUERY_NOT_SUPPORTED') || (body?.data == null && codes.includes('BAD_REQUEST'));
}

let inFlight: Promise<Session | null> | null = null;

/**
 * The stored session with a fresh access token: trades the refresh token when the access token is (nearly)
 * expired. Refresh tokens work once and reusing one revokes the session, so one refresh runs at a time: one
 * promise per tab, and a Web Lock across tabs (each re-reads storage, so the second finds the work done).
 */
export function refreshedSession(uri: string, doFetch: typeof fetch = fetch, storage: SessionStorage = localStorage): Promise<Session | null> {
  inFlight ??= withLock(() => refreshOnce(uri, doFetch, storage)).finally(() => { inFlight = null; });
  return inFlight;
}

/** The access token to send now, refreshed first when it is (nearly) expired; null for an anonymous caller. */
export async function currentToken(uri: string): Promise<string | null> {
  let session = readSession();
  if (session && needsRefresh(session)) session = await refreshedSession(uri);
  return session?.token ?? null;
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? await locks.request('federation.session.refresh', work) : await work();
}

async function refreshOnce(uri: string, doFetch: typeof fetch, storage: SessionStorage): Promise<Session | null> {
  const session = readSession(storage);
  if (!session || !needsRefresh(session)) return session;
  const response = await post(uri, doFetch, RefreshSessionMutation, { refreshToken: session.refreshToken });
  // Gateway or network trouble: keep the session; the next request tries again.
  if (!response.ok) return session;
  const body = (await response.json()) as { data?: { refreshSession?: { accessToken?: string | null; expiresAt?: string | null; refreshToken?: string | null; refreshTokenExpiresAt?: string | null } } };
  const payload = body.data?.refreshSession;
  if (!payload) return session;
  if (!payload.accessToken) {
    // Unknown, expired, revoked or reused refresh token: the session is over.
    writeSession(null, storage);
    sessionEvents.dispatchEvent(new Event('ended'));
    return null;
  }
  const next: Session = {
    ...session,
    token: payload.accessToken,
    expiresAt: payload.expiresAt ?? null,
    refreshToken: payload.refreshToken ?? null,
    refreshExpiresAt: payload.refreshTokenExpiresAt ?? null,
  };
  writeSession(next, storage);
  return next;
}

const LogoutMutation = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken) { revoked }
  }
`);

/** Revokes the refresh token on the server. A failure leaves only a token that expires on its own, so sign-out does not wait for it. */
export async function revokeSession(uri: string, refreshToken: string, doFetch: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await post(uri, doFetch, LogoutMutation, { refreshToken });
    const body = (await response.json()) as { data?: { logout?: { revoked?: boolean } } };
    return body.data?.logout?.revoked === true;
  } catch {
    return false;
  }
}
