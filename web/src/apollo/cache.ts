import { InMemoryCache, type TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      // Each filter/sort combination is its own list; pages of one list merge by cursor.
      products: relayStylePagination(['filter', 'orderBy']),
      users: relayStylePagination(),
      lowStock: relayStylePagination(['threshold']),
      // Single-entity lookups read what a list already brought in before going to the network.
      product: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Product', id: args?.id }) },
      order: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Order', id: args?.id }) },
      user: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'User', id: args?.id }) },
    },
  },
  Product: { keyFields: ['id'], fields: { reviews: relayStylePagination() } },
  Category: { keyFields: ['id'] },
  User: { keyFields: ['id'], fields: { orders: relayStylePagination(), reviews: relayStylePagination(), notifications: relayStylePagination(['unreadOnly']) } },
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
};

export function createCache(): InMemoryCache {
  return new InMemoryCache({ typePolicies });
}
