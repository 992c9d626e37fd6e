import { gql } from '@apollo/client';
import { describe, expect, test } from 'vitest';
import { createCache } from '../src/apollo/cache';

const PRODUCTS = gql`
  query TestProducts($first: Int!, $after: String, $filter: ProductFilter) {
    products(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id name price } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const PRODUCT = gql`
  query TestProduct($id: ID!) {
    product(id: $id) { id name price }
  }
`;

const ORDER = gql`
  query TestOrder($id: ID!) {
    order(id: $id) { id status lines { quantity unitPrice product { id name price } } }
  }
`;

const product = (id: number) => ({ __typename: 'Product', id: String(id), name: `P${id}`, price: id * 10 });
const page = (ids: number[], hasNextPage: boolean) => ({
  products: {
    __typename: 'ProductConnection',
    totalCount: 4,
    edges: ids.map((id) => ({ __typename: 'ProductEdge', cursor: `c${id}`, node: product(id) })),
    pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: `c${ids.at(-1)}` },
  },
});

describe('cache policies', () => {
  test('Products_Should_AppendPagesByCursor_When_FetchMoreWritesNextPage', () => {
    // arrange
    const cache = createCache();
    const filter = { categoryId: '1' };
    cache.writeQuery({ query: PRODUCTS, variables: { first: 2, filter }, data: page([1, 2], true) });
    // act
    cache.writeQuery({ query: PRODUCTS, variables: { first: 2, after: 'c2', filter }, data: page([3, 4], false) });
    // assert
    const merged = cache.readQuery<ReturnType<typeof page>>({ query: PRODUCTS, variables: { first: 2, filter } });
    expect(merged?.products.edges.map((e) => e.node.id)).toEqual(['1', '2', '3', '4']);
    expect(merged?.products.pageInfo).toMatchObject({ hasNextPage: false, endCursor: 'c4' });
    expect(merged?.products.totalCount).toBe(4);
  });

  test('Products_Should_KeepListsApart_When_FilterDiffers', () => {
    // arrange
    const cache = createCache();
    cache.writeQuery({ query: PRODUCTS, variables: { first: 2, filter: { categoryId: '1' } }, data: page([1, 2], true) });
    // act
    const other = cache.readQuery({ query: PRODUCTS, variables: { first: 2, filter: { categoryId: '2' } } });
    // assert
    expect(other).toBeNull();
  });

  test('Product_Should_ReadFromCache_When_ListAlreadyLoadedIt', () => {
    // arrange
    const cache = createCache();
    cache.writeQuery({ query: PRODUCTS, variables: { first: 2 }, data: page([1, 2], true) });
    // act
    const single = cache.readQuery({ query: PRODUCT, variables: { id: '2' } });
    // assert
    expect(single).toEqual({ product: product(2) });
  });

  test('Product_Should_UpdateEveryList_When_EntityWithSameIdIsWritten', () => {
    // arrange
    const cache = createCache();
    cache.writeQuery({ query: PRODUCTS, variables: { first: 2 }, data: page([1, 2], true) });
    // act
    cache.writeQuery({ query: PRODUCT, variables: { id: '1' }, data: { product: { ...product(1), price: 99 } } });
    // assert
    const list = cache.readQuery<ReturnType<typeof page>>({ query: PRODUCTS, variables: { first: 2 } });
    expect(list?.products.edges[0].node.price).toBe(99);
    expect(cache.identify({ __typename: 'Product', id: '1' })).toBe('Product:{"id":"1"}');
  });

  test('OrderLine_Should_StayInsideItsOrder_When_TwoOrdersShareAProduct', () => {
    // arrange
    const cache = createCache();
    const order = (id: string, quantity: number) => ({
      order: { __typename: 'Order', id, status: 'PLACED', lines: [{ __typename: 'OrderLine', quantity, unitPrice: 10, product: product(1) }] },
    });
    // act
    cache.writeQuery({ query: ORDER, variables: { id: 'a' }, data: order('a', 1) });
    cache.writeQuery({ query: ORDER, variables: { id: 'b' }, data: order('b', 5) });
    // assert
    const a = cache.readQuery<ReturnType<typeof order>>({ query: ORDER, variables: { id: 'a' } });
    expect(a?.order.lines[0].quantity).toBe(1);
    expect(Object.keys(cache.extract()).filter((k) => k.startsWith('OrderLine'))).toEqual([]);
  });
});

describe('cache policies for stock and notifications', () => {
  const NOTIFICATIONS = gql`
    query TestNotifications($id: ID!, $after: String, $unreadOnly: Boolean) {
      user(id: $id) {
        id
        notifications(first: 1, after: $after, unreadOnly: $unreadOnly) {
          edges { cursor node { id read } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  `;
  const notificationsPage = (ids: string[], hasNextPage: boolean) => ({
    user: {
      __typename: 'User',
      id: '1',
      notifications: {
        __typename: 'NotificationConnection',
        edges: ids.map((id) => ({ __typename: 'NotificationEdge', cursor: `n${id}`, node: { __typename: 'Notification', id, read: false } })),
        pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: `n${ids.at(-1)}` },
      },
    },
  });

  test('Notifications_Should_AppendPages_When_SameUserAndUnreadFilter', () => {
    // arrange
    const cache = createCache();
    cache.writeQuery({ query: NOTIFICATIONS, variables: { id: '1' }, data: notificationsPage(['9'], true) });
    // act
    cache.writeQuery({ query: NOTIFICATIONS, variables: { id: '1', after: 'n9' }, data: notificationsPage(['8'], false) });
    // assert
    const all = cache.readQuery<ReturnType<typeof notificationsPage>>({ query: NOTIFICATIONS, variables: { id: '1' } });
    expect(all?.user.notifications.edges.map((e) => e.node.id)).toEqual(['9', '8']);
    expect(cache.readQuery({ query: NOTIFICATIONS, variables: { id: '1', unreadOnly: true } })).toBeNull();
  });

  test('Notifications_Should_ReadBackNullThenTheNextPage_When_NotificationsFailedAndRecovered', () => {
    // arrange
    const cache = createCache();
    cache.writeQuery({ query: NOTIFICATIONS, variables: { id: '1' }, data: notificationsPage(['9'], true) });
    const failed = { user: { __typename: 'User', id: '1', notifications: null } };
    // act
    cache.writeQuery({ query: NOTIFICATIONS, variables: { id: '1' }, data: failed });
    const whileDown = cache.readQuery({ query: NOTIFICATIONS, variables: { id: '1' } });
    cache.writeQuery({ query: NOTIFICATIONS, variables: { id: '1' }, data: notificationsPage(['7'], false) });
    // assert
    expect(whileDown).toEqual(failed);
    const recovered = cache.readQuery<ReturnType<typeof notificationsPage>>({ query: NOTIFICATIONS, variables: { id: '1' } });
    expect(recovered?.user.notifications.edges.map((e) => e.node.id)).toEqual(['7']);
  });

  test('Stock_Should_StayInsideProduct_When_WrittenWithoutKey', () => {
    // arrange
    const STOCK = gql`query TestStock($id: ID!) { product(id: $id) { id stock { available onHand reserved } } }`;
    const cache = createCache();
    const data = (available: number) => ({ product: { __typename: 'Product', id: '3', stock: { __typename: 'Stock', available, onHand: 10, reserved: 10 - available } } });
    cache.writeQuery({ query: STOCK, variables: { id: '3' }, data: data(7) });
    // act
    cache.writeQuery({ query: STOCK, variables: { id: '3' }, data: data(2) });
    // assert
    expect(cache.readQuery({ query: STOCK, variables: { id: '3' } })).toEqual(data(2));
    expect(Object.keys(cache.extract())).toEqual(['Product:{"id":"3"}', 'ROOT_QUERY']);
  });

  test('ProductReviews_Should_KeepOneListPerSortAndMergePagesWithinIt_When_SortsAndPagesWritten', () => {
    // arrange
    const cache = createCache();
    const REVIEWS = gql`
      query TestReviews($id: ID!, $after: String, $orderBy: ReviewOrder!) {
        product(id: $id) { id reviews(first: 2, after: $after, orderBy: $orderBy) { edges { cursor node { id rating } } pageInfo { hasNextPage endCursor } } }
      }
    `;
    const reviews = (ids: number[], hasNextPage: boolean) => ({
      product: {
        __typename: 'Product', id: '1',
        reviews: {
          __typename: 'ReviewConnection',
          edges: ids.map((id) => ({ __typename: 'ReviewEdge', cursor: `r${id}`, node: { __typename: 'Review', id: String(id), rating: id } })),
          pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: `r${ids.at(-1)}` },
        },
      },
    });

    // act
    cache.writeQuery({ query: REVIEWS, variables: { id: '1', orderBy: 'NEWEST' }, data: reviews([4, 3], true) });
    cache.writeQuery({ query: REVIEWS, variables: { id: '1', after: 'r3', orderBy: 'NEWEST' }, data: reviews([2, 1], false) });
    cache.writeQuery({ query: REVIEWS, variables: { id: '1', orderBy: 'LOWEST_RATING' }, data: reviews([1, 2], true) });
    const newest = cache.readQuery<{ product: { reviews: { edges: { node: { id: string } }[] } } }>({ query: REVIEWS, variables: { id: '1', orderBy: 'NEWEST' } });
    const lowest = cache.readQuery<{ product: { reviews: { edges: { node: { id: string } }[] } } }>({ query: REVIEWS, variables: { id: '1', orderBy: 'LOWEST_RATING' } });

    // assert
    expect(newest?.product.reviews.edges.map((e) => e.node.id)).toEqual(['4', '3', '2', '1']);
    expect(lowest?.product.reviews.edges.map((e) => e.node.id)).toEqual(['1', '2']);
  });
});
