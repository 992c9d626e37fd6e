import { ApolloClient, ApolloLink } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { renderToStringWithData } from '@apollo/client/react/ssr';
import { EMPTY, of } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { createCache } from '../src/apollo/cache';
import { defaultOptions } from '../src/apollo/client';
import { AlertsPanel } from '../src/dashboard/AlertsPanel';
import { withAlert } from '../src/dashboard/alerts';

const alert = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  __typename: 'Alert', id, ruleId: 'payment-failure-rate', subject: 'payments', severity: 'CRITICAL', status,
  summary: `Payment failure rate 60% over the last 5 minutes (threshold 30%) #${id}`, value: 0.6, threshold: 0.3,
  raisedAt: '2026-11-30T17:00:00Z', acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, ...extra,
});

// Answers the panel's query; the subscription gets no events (server rendering does not wait for them).
async function render(alerts: unknown[]) {
  const link = new ApolloLink((operation) => (operation.operationName === 'DashboardAlerts' ? of({ data: { alerts } }) : EMPTY));
  const client = new ApolloClient({ link, cache: createCache(), defaultOptions });
  const html = await renderToStringWithData(<ApolloProvider client={client}><AlertsPanel refreshMs={10_000} /></ApolloProvider>);
  return html.replace(/<!-- -->/g, '');
}

const rows = (html: string) => [...html.matchAll(/<tr data-testid="alert" data-alert-id="([^"]+)"[^>]*data-status="([^"]+)"[^>]*>(.*?)<\/tr>/g)]
  .map(([, id, status, body]) => ({ id, status, acknowledge: body!.includes('>Acknowledge</button>') }));

describe('alerts panel', () => {
  test('AlertsPanel_Should_OfferAcknowledgeOnlyForOpenAlerts_When_AlertsAreListed', async () => {
    // arrange
    const alerts = [
      alert('3', 'OPEN'),
      alert('2', 'ACKNOWLEDGED', { acknowledgedAt: '2026-11-30T17:01:00Z', acknowledgedBy: '7' }),
      alert('1', 'RESOLVED', { resolvedAt: '2026-11-30T17:02:00Z' }),
    ];
    // act
    const html = await render(alerts);
    // assert
    expect(rows(html)).toEqual([
      { id: '3', status: 'OPEN', acknowledge: true },
      { id: '2', status: 'ACKNOWLEDGED', acknowledge: false },
      { id: '1', status: 'RESOLVED', acknowledge: false },
    ]);
    expect(html).toContain('2 unresolved');
    expect(html).toContain('by user 7');
  });

  test('AlertsPanel_Should_SayNoAlerts_When_ListIsEmpty', async () => {
    // act
    const html = await render([]);
    // assert
    expect(html).toContain('No alerts.');
    expect(rows(html)).toEqual([]);
  });
});

describe('alert list updates', () => {
  test('WithAlert_Should_PutANewAlertOnTopAndKeepTheLimit_When_AlertIsRaised', () => {
    // act
    const list = withAlert([{ id: '2' }, { id: '1' }], { id: '3' }, 2);
    // assert
    expect(list).toEqual([{ id: '3' }, { id: '2' }]);
  });

  test('WithAlert_Should_KeepTheOrder_When_AKnownAlertChanges', () => {
    // act
    const list = withAlert([{ id: '2', status: 'OPEN' }, { id: '1', status: 'OPEN' }], { id: '1', status: 'ACKNOWLEDGED' }, 20);
    // assert
    expect(list.map((a) => a.id)).toEqual(['2', '1']);
  });
});
