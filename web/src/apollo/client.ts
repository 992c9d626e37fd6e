import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { getMainDefinition } from '@apollo/client/utilities';
import { currentToken } from '../account/session';
import { createCache } from './cache';
import type { LiveConnection } from './liveLink';
import { persistedQueriesUnsupported, sha256, shouldResendFullQuery } from './persistedQueries';

// Render whatever the gateway returned: one subgraph down must not blank the page.
export const defaultOptions = {
  watchQuery: { errorPolicy: 'all', notifyOnNetworkStatusChange: true },
  query: { errorPolicy: 'all' },
  mutate: { errorPolicy: 'all' },
} as const;

function isSubscription({ query }: ApolloLink.Operation): boolean {
  const definition = getMainDefinition(query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
}

/** Subscriptions go over the live connection's WebSocket when there is one; everything else over HTTP. */
export function createClient(uri = '/graphql', live?: LiveConnection): ApolloClient {
  const auth = new SetContextLink(async (prevContext) => {
    const token = await currentToken(uri);
    return token ? { headers: { ...prevContext.headers, authorization: `Bearer ${token}` } } : {};
  });
  const persisted = new PersistedQueryLink({ sha256, disable: persistedQueriesUnsupported, retry: shouldResendFullQuery });
  const http = ApolloLink.from([auth, persisted, new HttpLink({ uri })]);
  const client = new ApolloClient({
    link: live ? ApolloLink.split(isSubscription, live.link, http) : http,
    cache: createCache(),
    defaultOptions,
  });
  // The store is cleared when the user signs in or out (SessionProvider): the socket must carry the new identity.
  if (live) client.onClearStore(async () => live.restart());
  return client;
}
