import { type DocumentNode, print } from 'graphql';
import * as generated from '../__generated__/graphql';
import { createCache } from './cache';
import { sha256 } from './persistedQueries';

function isOperation(value: unknown): value is DocumentNode {
  const document = value as DocumentNode | undefined;
  return document?.kind === 'Document' && document.definitions.some((definition) => definition.kind === 'OperationDefinition');
}

/**
 * The trusted documents manifest (hash -> text) of every operation this app can send: printed as the persisted query
 * link prints it (after the cache adds __typename), so the hashes the app sends are exactly the manifest's ids, and as
 * plain print() for the session calls that post outside Apollo Client (account/session.ts).
 */
export async function trustedDocuments(): Promise<Record<string, string>> {
  const cache = createCache();
  const manifest: Record<string, string> = {};
  for (const value of Object.values(generated)) {
    if (isOperation(value)) {
      for (const text of new Set([print(cache.transformDocument(value)), print(value)])) manifest[await sha256(text)] = text;
    }
  }
  return manifest;
}
