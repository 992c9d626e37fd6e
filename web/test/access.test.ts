import { print } from 'graphql';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, test, vi } from 'vitest';
import { accessFor, loginPath, safeNext, scopesOf } from '../src/account/access';
import { RequireAccess } from '../src/account/RequireAccess';
import { SessionContext } from '../src/account/SessionContext';
import { LogoutDocument } from '../src/__generated__/graphql';
import { refreshedSession, revokeSession, sessionEvents, writeSession, type Session } from '../src/account/session';
import { sha256 } from '../src/apollo/persistedQueries';

const base64Url = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (payload: object) => `eyJhbGciOiJSUzI1NiJ9.${base64Url(JSON.stringify(payload))}.c2ln`;
const shopper: Session = { token: jwt({ sub: '7', scope: 'shopper' }), userId: '7', name: 'Sam', expiresAt: null };
const admin: Session = { token: jwt({ sub: '1', scope: 'admin' }), userId: '1', name: 'Ada', expiresAt: null };

function render(session: Session | null, requirement: 'signedIn' | 'admin') {
  const guarded = createElement(RequireAccess, { requirement, what: 'The operations dashboard', children: createElement('p', null, 'secret tiles') });
  const tree = createElement(SessionContext.Provider, { value: { session, signIn: () => {}, signOut: () => {}, renew: () => {} } },
    createElement(MemoryRouter, { initialEntries: ['/dashboard'] }, guarded));
  return renderToString(tree);
}

describe('access', () => {
  test('ScopesOf_Should_ReadScopes_When_PayloadIsBase64Url', () => {
    // arrange
    const token = jwt({ sub: '1', scope: 'admin shopper', name: '√ü?>' });
    // act
    const scopes = scopesOf(token);
    // assert
    expect(scopes).toEqual(['admin', 'shopper']);
  });

  test('ScopesOf_Should_ReturnNone_When_TokenIsNotAJwt', () => {
    // act
    const scopes = [scopesOf('opaque'), scopesOf('a.!!!.c'), scopesOf(jwt({ sub: '1' }))];
    // assert
    expect(scopes).toEqual([[], [], []]);
  });

  test('AccessFor_Should_SendToLoginOrRefuse_When_CallerLacksRequirement', () => {
    // act
    const table = [null, shopper, admin].map((s) => [accessFor(s, 'signedIn'), accessFor(s, 'admin')]);
    // assert
    expect(table).toEqual([['login', 'login'], ['allowed', 'forbidden'], ['allowed', 'allowed']]);
  });

  test('SafeNext_Should_StayInsideTheApp_When_NextIsForeignOrLoop', () => {
    // act
    const targets = ['/orders/42?x=1', '//evil.example', '/\\evil.example', 'https://evil.example', '/login?next=/x', null].map(safeNext);
    // assert
    expect(targets).toEqual(['/orders/42?x=1', '/', '/', '/', '/', '/']);
    expect(safeNext(new URLSearchParams(loginPath('/orders/42?x=1').split('?')[1]).get('next'))).toBe('/orders/42?x=1');
  });

  test('RequireAccess_Should_ShowNotAllowed_When_ShopperOpensAdminPage', () => {
    // act
    const html = render(shopper, 'admin');
    // assert
    expect(html).toContain('data-testid="not-allowed"');
    expect(html).toContain('Sam');
    expect(html).not.toContain('secret tiles');
  });

  test('RequireAccess_Should_RenderPage_When_CallerMeetsRequirement', () => {
    // act
    const pages = [render(admin, 'admin'), render(shopper, 'signedIn')];
    // assert
    for (const html of pages) {
      expect(html).toContain('secret tiles');
      expect(html).not.toContain('not-allowed');
    }
  });

  test('RequireAccess_Should_RenderNothingOfThePage_When_Anonymous', () => {
    // act
    const html = render(null, 'signedIn');
    // assert
    expect(html).not.toContain('secret tiles');
    expect(html).not.toContain('not-allowed');
  });

  test('RefreshedSession_Should_AnnounceEnd_When_RefreshTokenRejected', async () => {
    // arrange
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
    writeSession({ ...shopper, expiresAt: '2026-01-01T00:00:00Z', refreshToken: 'r1' }, storage);
    const ended = vi.fn();
    sessionEvents.addEventListener('ended', ended);
    const doFetch = vi.fn(async () => Response.json({ data: { refreshSession: { accessToken: null, errors: [{ code: 'REFRESH_TOKEN_EXPIRED' }] } } }));
    // act
    await refreshedSession('/graphql', doFetch, storage);
    sessionEvents.removeEventListener('ended', ended);
    // assert
    expect(ended).toHaveBeenCalledTimes(1);
  });

  test('RevokeSession_Should_SendLogoutWithRefreshToken_When_SigningOut', async () => {
    // arrange
    const doFetch = vi.fn(async (_uri: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { query?: string; variables: { refreshToken: string }; extensions: { persistedQuery: { sha256Hash: string } } };
      expect(body.query).toBeUndefined();
      expect(body.extensions.persistedQuery.sha256Hash).toBe(await sha256(print(LogoutDocument)));
      expect(body.variables.refreshToken).toBe('r9');
      return Response.json({ data: { logout: { revoked: true } } });
    });
    // act
    const revoked = await revokeSession('/graphql', 'r9', doFetch);
    const failed = await revokeSession('/graphql', 'r9', vi.fn(async () => { throw new TypeError('offline'); }));
    // assert
    expect(revoked).toBe(true);
    expect(failed).toBe(false);
    expect(doFetch).toHaveBeenCalledTimes(1);
  });
});
