import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { needsRefresh, readSession, refreshedSession } from '../account/session';
import { createCache } from './cache';
import { persistedQueriesUnsupported, sha256, shouldResendFullQuery } from './persistedQueries';

// Render whatever the gateway returned: one subgraph down must not blank the page.
export const defaultOptions = {
  watchQuery: { errorPolicy: 'all', notifyOnNetworkStatusChange: true },
  query: { errorPolicy: 'all' },
  mutate: { errorPolicy: 'all' },
} as const;

export function createClient(uri = '/graphql'): ApolloClient {
  const auth = new SetContextLink(async (prevContext) => {
    let session = readSession();
    if (session && needsRefresh(session)) session = await refreshedSession(uri);
    return session ? { headers: { ...prevContext.headers, authorization: `Bearer ${session.token}` } } : {};
  });
  const persisted = new PersistedQueryLink({ sha256, disable: persistedQueriesUnsupported, retry: shouldResendFullQuery });
  return new ApolloClient({
    link: ApolloLink.from([auth, persisted, new HttpLink({ uri })]),
    cache: createCache(),
    defaultOptions,
  });
}
