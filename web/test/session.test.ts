import { describe, expect, test, vi } from 'vitest';
import { print } from 'graphql';
import { RefreshSessionDocument } from '../src/__generated__/graphql';
import { readSession, refreshedSession, writeSession, type Session } from '../src/account/session';
import { sha256 } from '../src/apollo/persistedQueries';

type Posted = { query?: string; variables: { refreshToken: string }; extensions: { persistedQuery: { version: number; sha256Hash: string } } };

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('session', () => {
  test('ReadSession_Should_ReturnNull_When_TokenHasExpired', () => {
    // arrange
    const storage = memoryStorage();
    writeSession({ token: 't', userId: '1', name: 'Ada', expiresAt: '2026-01-01T00:00:00Z' }, storage);
    // act
    const before = readSession(storage, Date.parse('2025-12-31T23:59:00Z'));
    const after = readSession(storage, Date.parse('2026-01-01T00:00:01Z'));
    // assert
    expect(before?.name).toBe('Ada');
    expect(after).toBeNull();
  });

  test('ReadSession_Should_ReturnNull_When_StorageHoldsGarbage', () => {
    // arrange
    const storage = memoryStorage();
    storage.setItem('federation.session', '{"token":');
    // act
    const session = readSession(storage);
    // assert
    expect(session).toBeNull();
  });

  test('ReadSession_Should_KeepSession_When_AccessTokenExpiredButRefreshTokenValid', () => {
    // arrange
    const storage = memoryStorage();
    writeSession({ ...expired(), refreshExpiresAt: '2026-02-01T00:00:00Z' }, storage);
    // act
    const session = readSession(storage, Date.parse('2026-01-02T00:00:00Z'));
    const afterRefreshExpiry = readSession(storage, Date.parse('2026-02-01T00:00:01Z'));
    // assert
    expect(session?.refreshToken).toBe('r1');
    expect(afterRefreshExpiry).toBeNull();
  });

  test('RefreshedSession_Should_StoreRotatedTokensWithOneRequest_When_CalledConcurrently', async () => {
    // arrange
    const storage = memoryStorage();
    writeSession(expired(), storage);
    const hash = await sha256(print(RefreshSessionDocument));
    const doFetch = vi.fn(async (_uri: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Posted;
      expect(body.variables.refreshToken).toBe('r1');
      expect(body.query).toBeUndefined();
      expect(body.extensions.persistedQuery).toEqual({ version: 1, sha256Hash: hash });
      return Response.json({ data: { refreshSession: { accessToken: 'a2', expiresAt: '2099-01-01T00:00:00Z', refreshToken: 'r2', refreshTokenExpiresAt: '2099-02-01T00:00:00Z', errors: [] } } });
    });
    // act
    const [first, second] = await Promise.all([refreshedSession('/graphql', doFetch, storage), refreshedSession('/graphql', doFetch, storage)]);
    // assert
    expect(doFetch).toHaveBeenCalledTimes(1);
    expect(first).toEqual(second);
    expect(readSession(storage)).toMatchObject({ token: 'a2', refreshToken: 'r2', expiresAt: '2099-01-01T00:00:00Z', name: 'Ada' });
  });

  test('RefreshedSession_Should_SendTheTextOnce_When_GatewayDoesNotKnowTheHash', async () => {
    // arrange
    const storage = memoryStorage();
    writeSession(expired(), storage);
    const posted: Posted[] = [];
    const doFetch = vi.fn(async (_uri: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Posted;
      posted.push(body);
      return body.query
        ? Response.json({ data: { refreshSession: { accessToken: 'a2', expiresAt: '2099-01-01T00:00:00Z', refreshToken: 'r2', refreshTokenExpiresAt: null, errors: [] } } })
        : Response.json({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    });
    // act
    const session = await refreshedSession('/graphql', doFetch, storage);
    // assert
    expect(posted.map((body) => body.query === undefined)).toEqual([true, false]);
    expect(posted[1].query).toContain('refreshSession(refreshToken: $refreshToken)');
    expect(posted[1].extensions.persistedQuery.sha256Hash).toBe(await sha256(posted[1].query!));
    expect(session?.token).toBe('a2');
  });

  test('RefreshedSession_Should_SignOut_When_RefreshTokenRejected', async () => {
    // arrange
    const storage = memoryStorage();
    writeSession(expired(), storage);
    const doFetch = vi.fn(async () => Response.json({ data: { refreshSession: { accessToken: null, errors: [{ code: 'REFRESH_TOKEN_REUSED' }] } } }));
    // act
    const session = await refreshedSession('/graphql', doFetch, storage);
    // assert
    expect(session).toBeNull();
    expect(readSession(storage)).toBeNull();
  });

  test('RefreshedSession_Should_KeepSession_When_GatewayUnavailable', async () => {
    // arrange
    const storage = memoryStorage();
    writeSession(expired(), storage);
    const doFetch = vi.fn(async () => new Response('unavailable', { status: 503 }));
    // act
    const session = await refreshedSession('/graphql', doFetch, storage);
    // assert
    expect(session?.refreshToken).toBe('r1');
    expect(readSession(storage)?.token).toBe('a1');
  });
});

function expired(): Session {
  return { token: 'a1', userId: '1', name: 'Ada', expiresAt: '2026-01-01T00:00:00Z', refreshToken: 'r1', refreshExpiresAt: null };
}
