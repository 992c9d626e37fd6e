import { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult, type Sink, type SubscribePayload } from 'graphql-ws';
import { Observable } from 'rxjs';
import { currentToken } from '../account/session';
import { LiveStatusStore } from './liveStatus';
import { sha256 } from './persistedQueries';

// How long a dropped socket may take to come back before the pages say so and poll.
export const RECONNECT_GRACE_MS = 3_000;
const MAX_RECONNECT_DELAY_MS = 10_000;
// An application close code (RFC 6455: 4000-4999): graphql-ws treats it as a drop, reconnects and resubscribes.
const SESSION_CHANGED = 4205;
const OPEN = 1;

/** Exponential backoff from 0.5 s, capped so a gateway that comes back is found within about 11 s, with jitter so tabs spread out. */
export function reconnectDelayMs(retries: number, random = Math.random): number {
  return Math.min(500 * 2 ** retries, MAX_RECONNECT_DELAY_MS) + Math.floor(random() * 1000);
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (isCloseEvent(error)) return new Error(`Socket closed with event ${error.code} ${error.reason}`);
  const errors = (Array.isArray(error) ? error : [error]) as GraphQLFormattedError[];
  return new CombinedGraphQLErrors({ errors });
}

function hashUnknown(error: unknown): boolean {
  return Array.isArray(error) && (error as GraphQLFormattedError[]).some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
}

/**
 * Terminating link for subscriptions over graphql-transport-ws that sends operations the way the HTTP link does:
 * the document's SHA-256 in `extensions.persistedQuery` and an empty `query` (graphql-ws requires the property), so a
 * gateway in allow-list mode runs the trusted document; the text goes only when the gateway answers
 * PERSISTED_QUERY_NOT_FOUND (open mode, hash not registered yet).
 */
export class PersistedWsLink extends ApolloLink {
  constructor(private readonly client: Pick<Client, 'subscribe'>) {
    super();
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) => {
      const query = print(operation.query);
      let dispose: (() => void) | undefined;
      let closed = false;
      const send = (hash: string, withText: boolean) => {
        dispose = this.client.subscribe(
          {
            operationName: operation.operationName,
            variables: operation.variables,
            extensions: { ...operation.extensions, persistedQuery: { version: 1, sha256Hash: hash } },
            query: withText ? query : '',
          },
          {
            next: (value) => observer.next(value as ApolloLink.Result),
            complete: () => observer.complete(),
            error: (error) => {
              if (!withText && !closed && hashUnknown(error)) send(hash, true);
              else observer.error(asError(error));
            },
          },
        );
      };
      sha256(query).then((hash) => { if (!closed) send(hash, false); }, (error: unknown) => observer.error(asError(error)));
      return () => {
        closed = true;
        dispose?.();
      };
    });
  }
}

export interface LiveConnection {
  link: ApolloLink;
  status: LiveStatusStore;
  /** Reconnects with the session as it is now (after sign-in or sign-out); running subscriptions are sent again. */
  restart(): void;
}

/** The WebSocket URL of the gateway endpoint the HTTP link posts to (same origin when it is a path). */
export function webSocketUrl(uri: string, base: string): string {
  const url = new URL(uri, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export interface LiveConnectionOptions {
  url?: string;
  graceMs?: number;
  retryWait?: (retries: number) => Promise<void>;
  webSocketImpl?: unknown;
}

export function createLiveConnection(uri: string, options: LiveConnectionOptions = {}): LiveConnection {
  const status = new LiveStatusStore({ graceMs: options.graceMs ?? RECONNECT_GRACE_MS });
  let subscriptions = 0;
  let socket: WebSocket | undefined;
  const client = createClient({
    url: options.url ?? webSocketUrl(uri, location.href),
    webSocketImpl: options.webSocketImpl,
    // Read on every (re)connect: a reconnect after the gateway closed an expired token's socket (4403) sends the
    // refreshed one.
    connectionParams: async () => {
      const token = await currentToken(uri);
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    // Kept open between pages, so navigating from one live page to the next does not reconnect.
    lazyCloseTimeout: 5_000,
    connectionAckWaitTimeout: 10_000,
    // Never give up: pages poll while the socket is down and go back to live when a retry succeeds.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: options.retryWait ?? ((retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries)))),
    on: {
      connecting: () => status.dispatch({ type: 'connecting' }),
      opened: (opened) => { socket = opened as WebSocket; },
      connected: () => status.dispatch({ type: 'connected' }),
      closed: (event) => {
        socket = undefined;
        status.dispatch({ type: 'closed', code: isCloseEvent(event) ? event.code : 0, subscribed: subscriptions > 0 });
      },
      error: () => status.dispatch({ type: 'error' }),
    },
  });
  const counted: Pick<Client, 'subscribe'> = {
    subscribe: <Data, Extensions>(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, Extensions>>) => {
      subscriptions++;
      let done = false;
      const finish = () => { if (!done) { done = true; subscriptions--; } };
      const dispose = client.subscribe<Data, Extensions>(payload, {
        next: (value) => sink.next(value),
        error: (error) => { finish(); sink.error(error); },
        complete: () => { finish(); sink.complete(); },
      });
      return () => { finish(); dispose(); };
    },
  };
  return {
    link: new PersistedWsLink(counted),
    status,
    restart: () => {
      if (socket?.readyState === OPEN) socket.close(SESSION_CHANGED, 'Session changed');
    },
  };
}
