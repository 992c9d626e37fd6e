import { describe, expect, test } from 'vitest';
import { readSession, writeSession } from '../src/account/session';

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
});
