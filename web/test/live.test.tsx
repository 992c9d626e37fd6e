import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { LiveStatusStore, type LiveEvent } from '../src/apollo/liveStatus';
import { LiveNotice, LiveStatusContext, useFallbackPolling } from '../src/ui/Live';

function storeAfter(...events: LiveEvent[]): LiveStatusStore {
  const store = new LiveStatusStore({ graceMs: 3000, setTimer: () => 0 as unknown as ReturnType<typeof setTimeout>, clearTimer: () => {} });
  for (const event of events) store.dispatch(event);
  return store;
}

function PollInterval({ error }: { error?: unknown }) {
  return <span>{useFallbackPolling(10_000, error)}</span>;
}

const render = (store: LiveStatusStore, error?: unknown) =>
  renderToStaticMarkup(<LiveStatusContext.Provider value={store}><LiveNotice intervalMs={10_000} error={error} /><PollInterval error={error} /></LiveStatusContext.Provider>);

describe('live notice', () => {
  test('LiveNotice_Should_SayItRefreshesEvery10Seconds_When_SocketIsDown', () => {
    // act
    const html = render(storeAfter({ type: 'connecting' }, { type: 'closed', code: 1013, subscribed: true }));
    // assert
    expect(html).toContain('data-status="down"');
    expect(html).toContain('Live updates unavailable — refreshing every 10 s');
    expect(html).toContain('<span>10000</span>');
  });

  test('LiveNotice_Should_SayLiveAndNotPoll_When_GatewayAcknowledged', () => {
    // act
    const html = render(storeAfter({ type: 'connecting' }, { type: 'connected' }));
    // assert
    expect(html).toContain('data-status="live"');
    expect(html).not.toContain('unavailable');
    expect(html).toContain('<span>0</span>');
  });

  test('LiveNotice_Should_FallBack_When_ThePagesSubscriptionFailedOnALiveSocket', () => {
    // act
    const html = render(storeAfter({ type: 'connecting' }, { type: 'connected' }), new Error('SERVICE_UNAVAILABLE'));
    // assert
    expect(html).toContain('Live updates unavailable — refreshing every 10 s');
    expect(html).toContain('<span>10000</span>');
  });

  test('LiveNotice_Should_NotPollYet_When_FirstSocketIsStillConnecting', () => {
    // act
    const html = render(storeAfter({ type: 'connecting' }));
    // assert
    expect(html).toContain('Connecting for live updates…');
    expect(html).toContain('<span>0</span>');
  });
});
