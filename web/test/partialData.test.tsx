import { ApolloClient, ApolloLink } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { renderToStringWithData } from '@apollo/client/react/ssr';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { of } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { SessionContext } from '../src/account/SessionContext';
import { createCache } from '../src/apollo/cache';
import { defaultOptions } from '../src/apollo/client';
import { ProductPage } from '../src/catalog/ProductPage';
import { NotificationsPage } from '../src/notifications/NotificationsPage';
import { OrderPage } from '../src/orders/OrderPage';
import { OrdersPage } from '../src/orders/OrdersPage';
import { failedAt } from '../src/ui/partialData';
import { CombinedGraphQLErrors } from '@apollo/client/errors';

type GraphQLError = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };

/** How the gateway reports a subgraph that failed for the entity at `path`. */
const downstream = (service: string, path: (string | number)[]): GraphQLError => ({
  message: `Subgraph "${service}" is unavailable.`,
  path,
  extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: service },
});

/** Renders `page` at `url` with the app's cache and default options over a link that answers every request with `result`. */
async function render(url: string, route: string, page: ReactNode, result: { data: Record<string, unknown>; errors?: GraphQLError[] }) {
  const client = new ApolloClient({ link: new ApolloLink(() => of(result)), cache: createCache(), defaultOptions });
  const session = { token: 't', userId: 'u1', name: 'Ada', expiresAt: null };
  const html = await renderToStringWithData(
    <ApolloProvider client={client}>
      <SessionContext.Provider value={{ session, signIn: () => {}, signOut: () => {}, renew: () => {} }}>
        <MemoryRouter initialEntries={[url]}>
          <Routes><Route path={route} element={page} /></Routes>
        </MemoryRouter>
      </SessionContext.Provider>
    </ApolloProvider>,
  );
  return html.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
}

const product = (overrides: Record<string, unknown>) => ({
  product: {
    __typename: 'Product', id: '1', name: 'Rugged Bamboo Charger', description: 'Charges.', price: 19.99, inStock: true,
    rating: 4.5, reviewCount: 2, viewerCanReview: false,
    stock: { __typename: 'Stock', available: 7, onHand: 9, reserved: 2 },
    category: { __typename: 'Category', id: 'c1', name: 'Chargers' },
    image: { __typename: 'ProductImage', url: '/images/products/1.svg?size=medium&v=0123456789ab', alt: 'Charger', width: 320, height: 320 },
    reviews: { __typename: 'ReviewConnection', totalCount: 0, edges: [], pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null } },
    ...overrides,
  },
});

const order = (payment: unknown, lineProduct: unknown = { __typename: 'Product', id: '1', name: 'Rugged Bamboo Charger' }) => ({
  order: {
    __typename: 'Order', id: 'o1', status: 'CONFIRMED', total: 39.98, placedAt: '2026-11-30T00:00:00Z',
    lines: [{ __typename: 'OrderLine', quantity: 2, unitPrice: 19.99, product: lineProduct }],
    payment,
  },
});

describe('partial data', () => {
  test('FailedAt_Should_MatchTheSubgraphsErrors_When_PathIsAboveAtOrBelowTheField', () => {
    // arrange
    const error = new CombinedGraphQLErrors({ data: null, errors: [downstream('reviews', ['product']), downstream('payments', ['order', 'payment', 'method'])] });
    // act
    const found = {
      entityFetch: failedAt(error, 'reviews', ['product', 'reviews']),
      otherService: failedAt(error, 'inventory', ['product', 'stock']),
      belowField: failedAt(error, 'payments', ['order', 'payment']),
      otherBranch: failedAt(error, 'reviews', ['products', 'nodes', 0]),
      noError: failedAt(undefined, 'reviews', ['product', 'reviews']),
    };
    // assert
    expect(found).toEqual({ entityFetch: true, otherService: false, belowField: true, otherBranch: false, noError: false });
  });

  test('ProductPage_Should_ShowProductPriceStockAndAReviewsNote_When_ReviewsFailed', async () => {
    // arrange
    const result = { data: product({ reviews: null, viewerCanReview: null }), errors: [downstream('reviews', ['product'])] };
    // act
    const text = await render('/products/1', '/products/:id', <ProductPage />, result);
    // assert
    expect(text).toContain('Rugged Bamboo Charger');
    expect(text).toContain('$19.99');
    expect(text).toContain('In stock · 7 available');
    expect(text).toContain('4.5 / 5 (2 reviews)');
    expect(text).toContain('Reviews unavailable right now.');
    expect(text).not.toContain('No reviews yet.');
  });

  test('ProductPage_Should_ShowAStockNote_When_InventoryFailed', async () => {
    // arrange
    const result = { data: product({ stock: null }), errors: [downstream('inventory', ['product'])] };
    // act
    const text = await render('/products/1', '/products/:id', <ProductPage />, result);
    // assert
    expect(text).toContain('In stock · Stock level unavailable right now.');
    expect(text).toContain('No reviews yet.');
  });

  test('ProductPage_Should_ShowNoNote_When_InventoryDoesNotTrackTheProduct', async () => {
    // arrange
    const result = { data: product({ stock: null }) };
    // act
    const text = await render('/products/1', '/products/:id', <ProductPage />, result);
    // assert
    expect(text).toContain('In stock');
    expect(text).not.toContain('unavailable');
  });

  test('OrderPage_Should_ShowTheOrderAndAPaymentNote_When_PaymentsFailed', async () => {
    // arrange
    const result = { data: order(null), errors: [downstream('payments', ['order'])] };
    // act
    const text = await render('/orders/o1', '/orders/:id', <OrderPage />, result);
    // assert
    expect(text).toContain('Confirmed');
    expect(text).toContain('Rugged Bamboo Charger');
    expect(text).toContain('Total: $39.98');
    expect(text).toContain('Payment: Payment details unavailable right now.');
  });

  test('OrderPage_Should_KeepItsLinesWithAProductNote_When_CatalogFailed', async () => {
    // arrange
    const payment = { __typename: 'Payment', id: 'p1', status: 'SUCCEEDED', method: 'CARD', amount: 39.98 };
    const result = { data: order(payment, null), errors: [downstream('catalog', ['order', 'lines', 0, 'product', 'name'])] };
    // act
    const text = await render('/orders/o1', '/orders/:id', <OrderPage />, result);
    // assert
    expect(text).toContain('Confirmed');
    expect(text).toContain('Product details unavailable right now. 2 $19.99');
    expect(text).toContain('Total: $39.98');
    expect(text).toContain('Payment: Succeeded');
  });

  test('ProductPage_Should_KeepEachReviewWithAnAuthorNote_When_AccountsFailed', async () => {
    // arrange
    const review = { __typename: 'Review', id: 'r1', rating: 4, body: 'Charges fast.', createdAt: '2026-11-30T00:00:00Z', user: null };
    const reviews = { __typename: 'ReviewConnection', totalCount: 1, edges: [{ __typename: 'ReviewEdge', cursor: 'c1', node: review }], pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'c1' } };
    const result = { data: product({ reviews }), errors: [downstream('accounts', ['product', 'reviews', 'edges', 0, 'node', 'user', 'name'])] };
    // act
    const text = await render('/products/1', '/products/:id', <ProductPage />, result);
    // assert
    expect(text).toContain('Charges fast.');
    expect(text).toContain('— Author unavailable right now.');
    expect(text).toContain('Rugged Bamboo Charger');
  });

  test('OrderPage_Should_SayNone_When_ASettledOrderHasNoPayment', async () => {
    // arrange
    const result = { data: order(null) };
    // act
    const text = await render('/orders/o1', '/orders/:id', <OrderPage />, result);
    // assert
    expect(text).toContain('Payment: none');
  });

  test('OrdersPage_Should_ShowAnOrderHistoryNote_When_OrdersFailed', async () => {
    // arrange
    const result = { data: { user: { __typename: 'User', id: 'u1', orders: null } }, errors: [downstream('orders', ['user'])] };
    // act
    const text = await render('/orders', '/orders', <OrdersPage />, result);
    // assert
    expect(text).toContain('Your orders');
    expect(text).toContain('Order history unavailable right now.');
  });

  test('NotificationsPage_Should_ShowANotificationsNote_When_NotificationsFailed', async () => {
    // arrange
    const user = { __typename: 'User', id: 'u1', unreadNotificationCount: null, notifications: null };
    const result = { data: { user }, errors: [downstream('notifications', ['user'])] };
    // act
    const text = await render('/notifications', '/notifications', <NotificationsPage />, result);
    // assert
    expect(text).toContain('Notifications unavailable right now.');
  });
});
