import { describe, expect, test, vi } from 'vitest';
import { CategoriesDocument, ProductDocument, PlaceOrderDocument } from '../src/__generated__/graphql';
import { createClient } from '../src/apollo/client';
import { trustedDocuments } from '../src/apollo/trustedDocuments';

// What the app puts on the wire, captured at fetch: the hash the persisted query link sends first.
async function sentHashes(run: (client: ReturnType<typeof createClient>) => Promise<unknown>): Promise<string[]> {
  const hashes: string[] = [];
  // The answers are empty on purpose; Apollo's warnings about the missing fields are not what this test is about.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} });
  vi.stubGlobal('fetch', async (_uri: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { extensions?: { persistedQuery?: { sha256Hash?: string } } };
    hashes.push(body.extensions?.persistedQuery?.sha256Hash ?? 'no hash');
    return new Response(JSON.stringify({ data: null }), { headers: { 'content-type': 'application/json' } });
  });
  try {
    await run(createClient('http://gateway.test/graphql'));
  } finally {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  }
  return hashes;
}

describe('trusted documents', () => {
  test('Manifest_Should_ListTheHashTheClientSends_When_AppRunsAQueryAndAMutation', async () => {
    // arrange
    const manifest = await trustedDocuments();
    // act
    const hashes = await sentHashes(async (client) => {
      await client.query({ query: CategoriesDocument });
      await client.query({ query: ProductDocument, variables: { id: 'p1', reviewsFirst: 5 } });
      await client.mutate({ mutation: PlaceOrderDocument, variables: { input: { lines: [] } } as never });
    });
    // assert
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) expect(Object.keys(manifest)).toContain(hash);
  });

  test('Manifest_Should_HoldEveryOperationWithAndWithoutTypename_When_Built', async () => {
    // act
    const texts = Object.values(await trustedDocuments());
    // assert
    expect(texts.some((text) => text.startsWith('mutation RefreshSession') && !text.includes('__typename'))).toBe(true);
    expect(texts.some((text) => text.startsWith('query Product(') && text.includes('__typename'))).toBe(true);
    expect(texts.every((text) => /^(query|mutation|subscription) /.test(text))).toBe(true);
  });
});
