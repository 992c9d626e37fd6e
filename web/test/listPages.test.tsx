import { ApolloClient, ApolloLink } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { renderToStringWithData } from '@apollo/client/react/ssr';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { of } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { createCache } from '../src/apollo/cache';
import { defaultOptions } from '../src/apollo/client';
import { NotificationsFeedPage, PaymentFailuresPage } from '../src/dashboard/ListPages';
import { showMoreLabel } from '../src/dashboard/PagedList';

/** Renders a "view all" page over a link that answers its one query with `data`; returns the markup. */
async function render(page: ReactNode, data: Record<string, unknown>) {
  const client = new ApolloClient({ link: new ApolloLink(() => of({ data })), cache: createCache(), defaultOptions });
  const html = await renderToStringWithData(<ApolloProvider client={client}><MemoryRouter>{page}</MemoryRouter></ApolloProvider>);
  return html.replace(/<!-- -->/g, '');
}

const connection = (typename: string, totalCount: number, nodes: Record<string, unknown>[], hasNextPage: boolean) => ({
  __typename: `${typename}Connection`,
  totalCount,
  edges: nodes.map((node, i) => ({ __typename: `${typename}Edge`, cursor: `c${i}`, node: { __typename: typename, ...node } })),
  pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: nodes.length > 0 ? `c${nodes.length - 1}` : null },
});

const payment = (id: string, amount: number, extra: Record<string, unknown> = {}) => ({
  id, amount, method: 'CARD', cardBrand: null, cardLast4: null, declineReason: null, createdAt: '2026-11-30T17:00:00Z',
  order: { __typename: 'Order', id: `9${id}` }, ...extra,
});

const notification = (id: string, orderId: string | null) => ({
  id, kind: orderId ? 'ORDER_CONFIRMED' : 'WELCOME', message: `message ${id}`, read: false, orderId, createdAt: '2026-11-30T17:00:00Z',
  user: { __typename: 'User', id: '7' },
});

const rowsOf = (html: string, attribute: string) => [...html.matchAll(new RegExp(`<tr ${attribute}="([^"]+)"[^>]*>(.*?)</tr>`, 'g'))].map(([, id, body]) => ({ id, body: body! }));

describe('dashboard view-all pages', () => {
  test('PaymentFailuresPage_Should_ShowCountMoneyCardAndOrderLinks_When_MorePagesFollow', async () => {
    // arrange
    const page = connection('Payment', 30, [
      payment('2', 1234.5, { cardBrand: 'Visa', cardLast4: '4242', declineReason: 'Insufficient funds' }),
      payment('1', 7),
    ], true);
    // act
    const html = await render(<PaymentFailuresPage />, { paymentFailures: page });
    // assert
    const rows = rowsOf(html, 'data-payment-id');
    expect(rows.map((r) => r.id)).toEqual(['2', '1']);
    expect(rows[0]!.body).toContain('href="/orders/92"');
    expect(rows[0]!.body).toContain('$1,234.50');
    expect(rows[0]!.body).toContain('Visa ending 4242');
    expect(rows[0]!.body).toContain('Insufficient funds');
    expect(rows[1]!.body).toContain('$7.00');
    expect(rows[1]!.body).toContain('Card');
    expect(rows[1]!.body).toContain('Not recorded');
    expect(html).toContain('Showing 2 of 30 failed payments');
    expect(html).toContain('Show 25 more');
  });

  test('NotificationsFeedPage_Should_LinkTheOrder_When_NotificationHasOne', async () => {
    // arrange
    const page = connection('Notification', 2, [notification('5', '41'), notification('4', null)], false);
    // act
    const html = await render(<NotificationsFeedPage />, { notificationFeed: page });
    // assert
    const rows = rowsOf(html, 'data-notification-id');
    expect(rows.map((r) => r.id)).toEqual(['5', '4']);
    expect(rows[0]!.body).toContain('href="/orders/41"');
    expect(rows[1]!.body).not.toContain('href=');
    expect(html).toContain('Showing 2 of 2 notifications');
    expect(html).not.toContain('data-testid="show-more"');
  });

  test('NotificationsFeedPage_Should_SayNoNotifications_When_FeedIsEmpty', async () => {
    // act
    const html = await render(<NotificationsFeedPage />, { notificationFeed: connection('Notification', 0, [], false) });
    // assert
    expect(html).toContain('No notifications yet.');
    expect(html).not.toContain('<table');
  });

  test('ShowMoreLabel_Should_OfferOnlyTheRowsLeft_When_LastPageIsShort', () => {
    // act
    const labels = [showMoreLabel(25, 63), showMoreLabel(50, 63), showMoreLabel(63, 63)];
    // assert
    expect(labels).toEqual(['Show 25 more', 'Show 13 more', 'Show 0 more']);
  });
});
