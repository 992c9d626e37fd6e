import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { useSession } from '../account/SessionContext';
import { formatDateTime, formatEnum, formatPrice } from '../format/format';
import { Empty, ErrorBanner, Loading, Unavailable } from '../ui/States';
import { usePageTitle } from '../ui/title';

const MyOrdersQuery = graphql(`
  query MyOrders($userId: ID!, $after: String) {
    user(id: $userId) {
      id
      orders(first: 10, after: $after) {
        totalCount
        edges { cursor node { id status total placedAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export function OrdersPage() {
  const { session } = useSession();
  const { data, loading, error, fetchMore, refetch } = useQuery(MyOrdersQuery, {
    variables: { userId: session?.userId ?? '' },
    skip: !session,
  });
  const orders = data?.user?.orders;
  usePageTitle('Your orders');
  return (
    <section>
      <h1>Your orders</h1>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !orders && <Loading what="orders" />}
      {data?.user && !orders && <p><Unavailable what="Order history" /></p>}
      {orders?.edges.length === 0 && <Empty>No orders yet.</Empty>}
      <ul className="orders">
        {orders?.edges.map(({ node }) => (
          <li key={node.id} data-testid="order-row">
            <Link to={`/orders/${node.id}`}>Order #{node.id}</Link> · {formatDateTime(node.placedAt)} · {formatPrice(node.total)} ·{' '}
            <span className={`status ${node.status.toLowerCase()}`}>{formatEnum(node.status)}</span>
          </li>
        ))}
      </ul>
      {orders?.pageInfo.hasNextPage && (
        <button disabled={loading} onClick={() => void fetchMore({ variables: { after: orders.pageInfo.endCursor } })}>Load more</button>
      )}
    </section>
  );
}
