// Subscribes through the gateway with the real client libraries browsers use (graphql-ws, as Apollo Client's
// GraphQLWsLink and Banana Cake Pop do; graphql-sse), prints each result as a JSON line as it arrives, and after the
// wanted number of results prints {"results":[...]} and disposes the subscription.
// Usage: node subscriptions.mjs <ws|sse> <http url of /graphql> <count> <query> [bearer token]
import { createClient as createWsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';

const [mode, url, count, query, token] = process.argv.slice(2);
const authorization = token ? `Bearer ${token}` : undefined;
const client = mode === 'ws'
  ? createWsClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : undefined,
      retryAttempts: 0,
    })
  : createSseClient({ url, headers: authorization ? { Authorization: authorization } : {}, retryAttempts: 0 });

const results = [];
const subscription = client.iterate({ query });
const timer = setTimeout(() => { console.error(`timed out after ${results.length} results`); process.exit(2); }, 20000);
for await (const result of subscription) {
  results.push(result);
  console.log(JSON.stringify({ received: results.length }));
  if (results.length >= Number(count)) {
    break;
  }
}

clearTimeout(timer);
await subscription.return?.();
client.dispose();
console.log(JSON.stringify({ results }));
