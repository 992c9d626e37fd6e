import type { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { describe, expect, test } from 'vitest';
import { persistedQueriesUnsupported, sha256, shouldResendFullQuery } from '../src/apollo/persistedQueries';

type Options = PersistedQueryLink.RetryFunctionOptions;
const options = (result: Record<string, unknown>, meta = { persistedQueryNotSupported: false, persistedQueryNotFound: false }) =>
  ({ result, meta, error: new Error('x'), operation: {} }) as unknown as Options;

describe('persisted queries policy', () => {
  test('PersistedQueries_Should_BeDisabled_When_GatewayRejectsHashOnlyRequestAsBadRequest', () => {
    // arrange
    const rejected = options({ errors: [{ message: 'GraphQL operations must contain a non-empty `query`.', extensions: { code: 'BAD_REQUEST' } }] });
    // act
    const disabled = persistedQueriesUnsupported(rejected);
    // assert
    expect(disabled).toBe(true);
    expect(shouldResendFullQuery(rejected)).toBe(true);
  });

  test('PersistedQueries_Should_ResendWithoutDisabling_When_HashIsNotFound', () => {
    // arrange
    const notFound = options({ errors: [{ message: 'PersistedQueryNotFound' }] }, { persistedQueryNotSupported: false, persistedQueryNotFound: true });
    // act
    const resend = shouldResendFullQuery(notFound);
    // assert
    expect(resend).toBe(true);
    expect(persistedQueriesUnsupported(notFound)).toBe(false);
  });

  test('PersistedQueries_Should_NotResend_When_ResponseIsPartialDataWithErrors', () => {
    // arrange
    const partial = options({ data: { order: { id: '1', payment: null } }, errors: [{ message: 'payments is down', extensions: { code: 'BAD_REQUEST' } }] });
    // act
    const resend = shouldResendFullQuery(partial);
    // assert
    expect(resend).toBe(false);
  });

  test('Sha256_Should_MatchKnownDigest_When_HashingQueryText', async () => {
    // arrange
    const text = '{ __typename }';
    // act
    const digest = await sha256(text);
    // assert
    expect(digest).toBe('7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b');
  });
});
