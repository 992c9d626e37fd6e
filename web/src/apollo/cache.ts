import { InMemoryCache, type FieldMergeFunction, type FieldPolicy, type TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * relayStylePagination for a connection that another subgraph adds to an entity and that is null when that subgraph
 * failed: the null is stored and read back as null. The stock policy reads a null as an empty page (the page would
 * say "no reviews yet") and keeps the previous pages when null arrives.
 */
export function nullableRelayStylePagination(keyArgs?: FieldPolicy['keyArgs']): FieldPolicy {
  const policy = relayStylePagination(keyArgs);
  const merge = policy.merge as FieldMergeFunction;
  return {
    ...policy,
    read: (existing, options) => (existing === null ? null : policy.read!(existing, options)),
    merge: (existing, incoming, options) => (incoming === null ? null : merge(existing ?? undefined, incoming, options)),
  };
}

export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      // Each filter/sort combination is its own list; pages of one list merge by cursor.
      products: relayStylePagination(['filter', 'orderBy']),
      users: relayStylePagination(),
      lowStock: relayStylePagination(['threshold', 'minAvailable']),
      paymentFailures: relayStylePagination(),
      notificationFeed: relayStylePagination(),
      // Single-entity lookups read what a list already brought in before going to the network.
      product: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Product', id: args?.id }) },
      order: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Order', id: args?.id }) },
      user: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'User', id: args?.id }) },
    },
  },
  // Each review sort is its own list; pages of one sort merge by cursor.
  Product: { keyFields: ['id'], fields: { reviews: nullableRelayStylePagination(['orderBy']) } },
  Category: { keyFields: ['id'] },
  User: {
    keyFields: ['id'],
    fields: { orders: nullableRelayStylePagination(), reviews: nullableRelayStylePagination(['orderBy']), notifications: nullableRelayStylePagination(['unreadOnly']) },
  },
  Order: { keyFields: ['id'] },
  // Lines have no identity of their own: they live inside their order.
  OrderLine: { keyFields: false },
  Payment: { keyFields: ['id'] },
  Review: { keyFields: ['id'] },
  Notification: { keyFields: ['id'] },
  // Stock has no key of its own: it lives inside its product and is replaced as a whole.
  Stock: { keyFields: false, merge: true },
  PageInfo: { keyFields: false, merge: true },
  UserError: { keyFields: false },
  Alert: { keyFields: ['id'] },
};

export function createCache(): InMemoryCache {
  return new InMemoryCache({ typePolicies });
}
