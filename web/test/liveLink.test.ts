import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { OrderUpdatedDocument } from '../src/__generated__/graphql';
import { createClient } from '../src/apollo/client';
import { createLiveConnection, reconnectDelayMs, webSocketUrl, type LiveConnection } from '../src/apollo/liveLink';
import { trustedDocuments } from '../src/apollo/trustedDocuments';

interface Sent { type: string; id?: string; payload?: { query?: string; authorization?: string; extensions?: { persistedQuery?: { sha256Hash: string } } } }

// A WebSocket the test drives: it opens, answers and drops when told to.
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: Sent[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string, readonly protocol: string) {
    FakeSocket.all.push(this);
  }

  send(data: string) {
    this.sent.push(JSON.parse(data) as Sent);
  }

  close(code = 1000, reason = '') {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.closedWith = code;
    this.drop(code, reason);
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.({});
  }

  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop(code = 1006, reason = '') {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason, wasClean: code !== 1006 });
  }

  /** Opens, waits for connection_init and acknowledges it. */
  async accept() {
    this.open();
    await vi.waitFor(() => expect(this.sent[0]?.type).toBe('connection_init'));
    this.receive({ type: 'connection_ack' });
  }
}

const confirmed = { __typename: 'Order', id: 'o1', status: 'CONFIRMED', total: 10, placedAt: '2026-11-30T17:00:00Z', lines: [], payment: null };

const latestSocket = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const subscribes = (socket: FakeSocket) => socket.sent.filter((message) => message.type === 'subscribe');

function signIn(token: string) {
  const session = { token, userId: 'u1', name: 'Shopper', expiresAt: null };
  vi.stubGlobal('localStorage', { getItem: () => JSON.stringify(session), setItem: () => {}, removeItem: () => {} });
}

describe('live connection', () => {
  let live: LiveConnection;
  let received: unknown[];
  let failures: unknown[];
  let unsubscribe: () => void;

  beforeEach(() => {
    FakeSocket.all = [];
    signIn('token-1');
    live = createLiveConnection('/graphql', { url: 'ws://gateway.test/graphql', graceMs: 20, retryWait: async () => {}, webSocketImpl: FakeSocket });
    const client = createClient('http://gateway.test/graphql', live);
    received = [];
    failures = [];
    const subscription = client.subscribe({ query: OrderUpdatedDocument, variables: { id: 'o1' } })
      .subscribe({
        next: (result) => (result.error ? failures.push(result.error) : received.push(result.data)),
        error: (error: unknown) => failures.push(error),
      });
    unsubscribe = () => subscription.unsubscribe();
  });

  afterEach(() => {
    unsubscribe();
    vi.unstubAllGlobals();
  });

  test('LiveConnection_Should_SendTheTokenOnConnectAndOnlyTheTrustedHash_When_Subscribing', async () => {
    // arrange
    const manifest = await trustedDocuments();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    // act
    await socket.accept();
    await vi.waitFor(() => expect(subscribes(socket)).toHaveLength(1));
    const [subscribe] = subscribes(socket);
    socket.receive({ id: subscribe!.id, type: 'next', payload: { data: { orderUpdated: confirmed } } });
    // assert
    expect(socket.protocol).toBe('graphql-transport-ws');
    expect(socket.sent[0]).toEqual({ type: 'connection_init', payload: { authorization: 'Bearer token-1' } });
    expect(subscribe!.payload!.query).toBe('');
    expect(Object.keys(manifest)).toContain(subscribe!.payload!.extensions!.persistedQuery!.sha256Hash);
    expect(live.status.get()).toBe('live');
    await vi.waitFor(() => expect(received).toEqual([{ orderUpdated: confirmed }]));
  });

  test('LiveConnection_Should_ResendTheListedText_When_GatewayDoesNotKnowTheHash', async () => {
    // arrange
    const manifest = await trustedDocuments();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    await socket.accept();
    await vi.waitFor(() => expect(subscribes(socket)).toHaveLength(1));
    // act
    socket.receive({ id: subscribes(socket)[0]!.id, type: 'error', payload: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    await vi.waitFor(() => expect(subscribes(socket)).toHaveLength(2));
    // assert
    const resent = subscribes(socket)[1]!.payload!;
    expect(resent.query).toBe(manifest[resent.extensions!.persistedQuery!.sha256Hash]);
    expect(failures).toEqual([]);
  });

  test('LiveConnection_Should_EndTheSubscriptionWithTheErrors_When_GatewayRefusesTheOperation', async () => {
    // arrange
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    await socket.accept();
    await vi.waitFor(() => expect(subscribes(socket)).toHaveLength(1));
    // act
    socket.receive({ id: subscribes(socket)[0]!.id, type: 'error', payload: [{ message: 'Not allowed', extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] });
    // assert
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect(subscribes(socket)).toHaveLength(1);
  });

  test('LiveConnection_Should_FallBackThenResubscribeWithARefreshedToken_When_SocketDropsAndComesBack', async () => {
    // arrange
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    await latestSocket().accept();
    await vi.waitFor(() => expect(subscribes(latestSocket())).toHaveLength(1));
    // act: the gateway goes away; reconnects fail for longer than the grace period
    latestSocket().drop();
    expect(live.status.get()).toBe('reconnecting');
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    latestSocket().drop();
    await vi.waitFor(() => expect(live.status.get()).toBe('down'));
    // the gateway is back, and the session has a new access token meanwhile
    signIn('token-2');
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(3));
    const socket = latestSocket();
    await socket.accept();
    // assert
    expect(socket.sent[0]).toEqual({ type: 'connection_init', payload: { authorization: 'Bearer token-2' } });
    await vi.waitFor(() => expect(subscribes(socket)).toHaveLength(1));
    expect(live.status.get()).toBe('live');
    expect(failures).toEqual([]);
  });

  test('LiveConnection_Should_ReconnectWithTheNewSession_When_Restarted', async () => {
    // arrange
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const first = latestSocket();
    await first.accept();
    await vi.waitFor(() => expect(live.status.get()).toBe('live'));
    signIn('token-of-another-user');
    // act
    live.restart();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    const second = latestSocket();
    await second.accept();
    // assert
    expect(first.closedWith).toBe(4205);
    expect(second.sent[0]).toEqual({ type: 'connection_init', payload: { authorization: 'Bearer token-of-another-user' } });
    await vi.waitFor(() => expect(subscribes(second)).toHaveLength(1));
    expect(live.status.get()).toBe('live');
  });
});

describe('live connection settings', () => {
  test('ReconnectDelay_Should_GrowAndStayBelowEleventhSecond_When_RetriesAccumulate', () => {
    // act
    const delays = [0, 1, 2, 3, 4, 5, 10, 50].map((retries) => reconnectDelayMs(retries, () => 0.999));
    // assert
    expect(delays.slice(0, 6)).toEqual([1499, 1999, 2999, 4999, 8999, 10_999]);
    expect(Math.max(...delays)).toBe(10_999);
  });

  test('WebSocketUrl_Should_UseTheSameOriginAndSecureScheme_When_PageIsHttps', () => {
    // act
    const secure = webSocketUrl('/graphql', 'https://shop.example/orders/1');
    const plain = webSocketUrl('/graphql', 'http://127.0.0.1:5173/');
    // assert
    expect(secure).toBe('wss://shop.example/graphql');
    expect(plain).toBe('ws://127.0.0.1:5173/graphql');
  });
});
