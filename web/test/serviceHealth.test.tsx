import { ApolloClient, ApolloLink } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { renderToStringWithData } from '@apollo/client/react/ssr';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { of } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { createCache } from '../src/apollo/cache';
import { defaultOptions } from '../src/apollo/client';
import { ServiceHealthPanel } from '../src/dashboard/ServiceHealthPanel';
import { formatAge, serviceRows } from '../src/dashboard/serviceHealth';

type GraphQLError = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };

/** How the gateway reports a subgraph whose root fetch failed: no path, the subgraph in `serviceName`. */
const down = (service: string): GraphQLError => ({
  message: `Could not reach subgraph '${service}': Connection refused.`,
  extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: service },
});

const healthy = (service: string, messaging: Record<string, unknown> | null = null) => ({
  __typename: 'ServiceHealth', service, instance: `host/${service.length}`, startedAt: '2026-11-30T03:00:00Z', status: 'HEALTHY',
  checks: [{ __typename: 'HealthCheck', name: 'process', status: 'HEALTHY', description: null }],
  messaging: messaging && {
    __typename: 'MessagingHealth', consumerGroup: service, totalLag: 0,
    outbox: { __typename: 'OutboxBacklog', pending: 0, oldestAgeSeconds: 0, oldestLastError: null },
    consumerLag: [], deadLetters: [],
    ...messaging,
  },
});

const allHealthy = () => ({
  __typename: 'Platform',
  accounts: healthy('accounts'),
  catalog: healthy('catalog', {}),
  inventory: healthy('inventory', {}),
  orders: healthy('orders', {}),
  payments: healthy('payments', {}),
  reviews: healthy('reviews', {}),
  notifications: healthy('notifications', {}),
  alerting: healthy('alerting', {}),
});

async function render(result: { data: Record<string, unknown> | null; errors?: GraphQLError[] }) {
  const client = new ApolloClient({ link: new ApolloLink(() => of(result)), cache: createCache(), defaultOptions });
  const html = await renderToStringWithData(<ApolloProvider client={client}><ServiceHealthPanel pollInterval={0} /></ApolloProvider>);
  return html.replace(/<!-- -->/g, '');
}

/** The text of the row of `service`, tags stripped. */
function row(html: string, service: string): string {
  const match = new RegExp(`<tr[^>]*data-service="${service}"[^>]*>(.*?)</tr>`).exec(html);
  return (match?.[0] ?? '').replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ').trim();
}

describe('service health', () => {
  test('ServiceRows_Should_MarkOnlyTheSubgraphTheGatewayNamed_When_TwoFieldsAreNull', () => {
    // arrange
    const platform = { ...allHealthy(), reviews: null, catalog: null };
    const error = new CombinedGraphQLErrors({ data: { platform }, errors: [down('reviews')] });
    // act
    const rows = serviceRows(platform, error);
    // assert
    expect(rows.map((r) => [r.name, r.verdict])).toEqual([
      ['accounts', 'ok'], ['catalog', 'warning'], ['inventory', 'ok'], ['orders', 'ok'], ['payments', 'ok'], ['reviews', 'down'], ['notifications', 'ok'], ['alerting', 'ok'],
    ]);
    expect(rows.find((r) => r.name === 'reviews')?.unavailable).toBe("Could not reach subgraph 'reviews': Connection refused.");
  });

  test('ServiceHealthPanel_Should_ShowTheDownSubgraphAndTheLaggingConsumer_When_OneFailedAndOneIsBehind', async () => {
    // arrange
    const platform = {
      ...allHealthy(),
      payments: null,
      inventory: healthy('inventory', {
        totalLag: 250,
        consumerLag: [
          { __typename: 'PartitionLag', topic: 'orders.order.v1', partition: 0, lag: 250 },
          { __typename: 'PartitionLag', topic: 'payments.payment.v1', partition: 0, lag: 0 },
        ],
      }),
    };
    // act
    const html = await render({ data: { platform }, errors: [down('payments')] });
    // assert
    expect(html).toContain('data-service="payments" data-verdict="down"');
    expect(row(html, 'payments')).toContain("Down Could not reach subgraph 'payments': Connection refused.");
    expect(html).toContain('data-service="inventory" data-verdict="warning"');
    expect(row(html, 'inventory')).toContain('Consumer lag 250.');
    expect(row(html, 'inventory')).toContain('orders.order.v1[0]: 250');
    expect(row(html, 'inventory')).not.toContain('payments.payment.v1[0]');
    expect(html).toContain('data-service="orders" data-verdict="ok"');
    expect(row(html, 'accounts')).toContain('no events');
  });

  test('ServiceHealthPanel_Should_ShowDeadLettersAndAStaleOutbox_When_MessagingReportsThem', async () => {
    // arrange
    const platform = {
      ...allHealthy(),
      payments: healthy('payments', {
        outbox: { __typename: 'OutboxBacklog', pending: 3, oldestAgeSeconds: 125, oldestLastError: 'Broker: not available' },
        deadLetters: [{ __typename: 'DeadLetters', topic: 'inventory.stock.v1', deadLetterTopic: 'inventory.stock.v1.dlq.payments', count: 2, lastAt: '2026-11-30T04:00:00Z', lastError: 'P0001: refused' }],
      }),
    };
    // act
    const html = await render({ data: { platform } });
    // assert
    const payments = row(html, 'payments');
    expect(payments).toContain('Attention');
    expect(payments).toContain('Outbox: oldest unsent event is 2 min old.');
    expect(payments).toContain('2 dead-lettered events.');
    expect(payments).toContain('3 pending · oldest 2 min');
    expect(payments).toContain('2 from inventory.stock.v1 → inventory.stock.v1.dlq.payments, last 2026-11-30 04:00 UTC');
  });

  test('ServiceHealthPanel_Should_ShowTheError_When_TheCallerMayNotSeeThePlatform', async () => {
    // act
    const html = await render({ data: null, errors: [{ message: 'Unauthorized field or type', path: ['platform'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }] });
    // assert
    expect(html).toContain('This page could not be loaded.');
    expect(html).toContain('Your account is not allowed to see this.');
    expect(html).not.toContain('data-testid="service-health"');
  });

  test('FormatAge_Should_PickTheUnit_When_GivenSecondsMinutesOrHours', () => {
    // act
    const formatted = [formatAge(42.4), formatAge(125), formatAge(3 * 3600 + 7 * 60)];
    // assert
    expect(formatted).toEqual(['42 s', '2 min', '3 h 7 min']);
  });
});
