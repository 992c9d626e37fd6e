import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { formatDateTime, formatEnum, formatPrice, formatRating } from '../format/format';
import { LOW_STOCK_THRESHOLD, MIN_REVIEWS_FOR_RATING, PAGE_SIZE } from './lists';
import { PagedList } from './PagedList';

const StockPageQuery = graphql(`
  query DashboardStockPage($threshold: Int!, $minAvailable: Int!, $first: Int!, $after: String) {
    lowStock(threshold: $threshold, minAvailable: $minAvailable, first: $first, after: $after) {
      totalCount
      edges { cursor node { available onHand reserved product { id name price category { id name } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const LowestRatedPageQuery = graphql(`
  query DashboardLowestRatedPage($minReviews: Int!, $first: Int!, $after: String) {
    products(first: $first, after: $after, filter: { minReviewCount: $minReviews }, orderBy: { field: RATING, direction: ASC }) {
      totalCount
      edges { cursor node { id name rating reviewCount category { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const PaymentFailuresPageQuery = graphql(`
  query DashboardPaymentFailuresPage($first: Int!, $after: String) {
    paymentFailures(first: $first, after: $after) {
      totalCount
      edges { cursor node { id amount method cardBrand cardLast4 declineReason createdAt order { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const NotificationsPageQuery = graphql(`
  query DashboardNotificationsPage($first: Int!, $after: String) {
    notificationFeed(first: $first, after: $after) {
      totalCount
      edges { cursor node { id kind message read orderId createdAt user { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export function StockListPage({ kind }: { kind: 'out' | 'low' }) {
  const variables = kind === 'out' ? { threshold: 0, minAvailable: 0 } : { threshold: LOW_STOCK_THRESHOLD, minAvailable: 1 };
  const { data, fetchMore, ...result } = useQuery(StockPageQuery, { variables: { ...variables, first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  return (
    <PagedList {...result} page={data?.lowStock} fetchMore={(after) => fetchMore({ variables: { after } })}
      title={kind === 'out' ? 'Out of stock' : 'Low stock'} what="products" testId="stock-table"
      intro={kind === 'out'
        ? 'Products with no unit left to sell (every unit on hand is reserved for placed orders, or none is left), by product id.'
        : `Products with 1 to ${LOW_STOCK_THRESHOLD} units left to sell, by product id; sold-out products are on the Out of stock page.`}
      empty={kind === 'out' ? 'Everything is in stock.' : 'No product is running low.'}
      columns={['Product', 'Category', 'Available', 'On hand', 'Reserved', <span className="sr-only">Actions</span>]}
      row={(node) => (
        <tr key={node.product.id} data-product-id={node.product.id}>
          <td><Link to={`/products/${node.product.id}`}>{node.product.name}</Link></td>
          <td>{node.product.category.name}</td>
          <td>{node.available}</td>
          <td>{node.onHand}</td>
          <td>{node.reserved}</td>
          <td><Link to={`/dashboard/products/${node.product.id}`} aria-label={`Adjust stock of ${node.product.name}`}>Adjust</Link></td>
        </tr>
      )} />
  );
}

export function LowestRatedPage() {
  const { data, fetchMore, ...result } = useQuery(LowestRatedPageQuery, { variables: { minReviews: MIN_REVIEWS_FOR_RATING, first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  return (
    <PagedList {...result} page={data?.products} fetchMore={(after) => fetchMore({ variables: { after } })}
      title="Lowest rated" what="products" testId="rated-table"
      intro={`Products with at least ${MIN_REVIEWS_FOR_RATING} reviews, lowest average rating first, so that a single review does not put a product at the top.`}
      empty={`No product has ${MIN_REVIEWS_FOR_RATING} reviews yet.`}
      columns={['Product', 'Category', 'Rating']}
      row={(node) => (
        <tr key={node.id} data-product-id={node.id}>
          <td><Link to={`/products/${node.id}`}>{node.name}</Link></td>
          <td>{node.category.name}</td>
          <td>{formatRating(node.rating, node.reviewCount)}</td>
        </tr>
      )} />
  );
}

export function PaymentFailuresPage() {
  const { data, fetchMore, ...result } = useQuery(PaymentFailuresPageQuery, { variables: { first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  return (
    <PagedList {...result} page={data?.paymentFailures} fetchMore={(after) => fetchMore({ variables: { after } })}
      title="Failed payments" what="failed payments" testId="payment-failures-table"
      intro="Every declined payment, newest first, whatever the time range."
      empty="No failed payments."
      columns={['Declined', 'Order', 'Amount', 'Method', 'Reason']}
      row={(node) => (
        <tr key={node.id} data-payment-id={node.id}>
          <td>{formatDateTime(node.createdAt)}</td>
          <td><Link to={`/orders/${node.order.id}`}>Order {node.order.id}</Link></td>
          <td>{formatPrice(node.amount)}</td>
          <td>{node.cardBrand && node.cardLast4 ? `${node.cardBrand} ending ${node.cardLast4}` : formatEnum(node.method)}</td>
          <td>{node.declineReason ?? <span className="muted">Not recorded</span>}</td>
        </tr>
      )} />
  );
}

export function NotificationsFeedPage() {
  const { data, fetchMore, ...result } = useQuery(NotificationsPageQuery, { variables: { first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  return (
    <PagedList {...result} page={data?.notificationFeed} fetchMore={(after) => fetchMore({ variables: { after } })}
      title="All notifications" what="notifications" testId="notifications-table"
      intro="What every user was told, newest first."
      empty="No notifications yet."
      columns={['Sent', 'User', 'Kind', 'Message', 'Order']}
      row={(node) => (
        <tr key={node.id} data-notification-id={node.id} data-read={node.read}>
          <td>{formatDateTime(node.createdAt)}</td>
          <td>User {node.user.id}</td>
          <td>{formatEnum(node.kind)}</td>
          <td>{node.message}</td>
          <td>{node.orderId && <Link to={`/orders/${node.orderId}`}>Order {node.orderId}</Link>}</td>
        </tr>
      )} />
  );
}
