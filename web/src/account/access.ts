import type { Session } from './session';

export type Requirement = 'signedIn' | 'admin';
export type Access = 'allowed' | 'login' | 'forbidden';

/**
 * Scopes named in the access token's payload. For display only: the signature is not checked here, the gateway
 * checks it and enforces every scope again, so a forged token can at most show a page whose data is refused.
 */
export function scopesOf(token: string): string[] {
  const payload = token.split('.')[1];
  if (!payload) return [];
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const scope = (JSON.parse(json) as { scope?: unknown }).scope;
    if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
    return Array.isArray(scope) ? scope.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

export const isAdmin = (session: Session | null) => !!session && scopesOf(session.token).includes('admin');

export function accessFor(session: Session | null, requirement: Requirement): Access {
  if (!session) return 'login';
  return requirement === 'admin' && !isAdmin(session) ? 'forbidden' : 'allowed';
}

/** The login page's address that returns to `path` (pathname + search) after signing in. */
export const loginPath = (path: string) => `/login?next=${encodeURIComponent(path)}`;

/**
 * Where to go after signing in: only a path inside this app, so a crafted link (`?next=//evil.example`) cannot
 * send a freshly signed-in user elsewhere.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}
