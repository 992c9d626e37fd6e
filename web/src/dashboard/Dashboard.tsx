import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { formatDateTime, formatPrice, formatRating } from '../format/format';
import { LiveNotice, useFallbackPolling } from '../ui/Live';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { AlertsPanel } from './AlertsPanel';
import { useDashboardEvents, useRefetchOn } from './dashboardEvents';
import { OrdersPerMinute, PaymentFailures, RecentNotifications } from './OpsPanels';
import { ServiceHealthPanel } from './ServiceHealthPanel';
import { usePageTitle } from '../ui/title';

export const DASHBOARD_REFRESH_MS = 10_000;
export const LOW_STOCK_THRESHOLD = 5;

const DashboardQuery = graphql(`
  query Dashboard($threshold: Int!) {
    catalog: products(first: 0) { totalCount }
    outOfStock: products(first: 10, filter: { inStock: false }, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges { cursor node { id name price category { id name } } }
      pageInfo { hasNextPage endCursor }
    }
    lowestRated: products(first: 5, filter: { minRating: 0 }, orderBy: { field: RATING, direction: ASC }) {
      edges { cursor node { id name rating reviewCount } }
      pageInfo { hasNextPage endCursor }
    }
    categories { id name }
    lowStock(first: 10, threshold: $threshold) {
      totalCount
      edges { cursor node { available onHand reserved product { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export function Dashboard() {
  const events = useDashboardEvents();
  const pollInterval = useFallbackPolling(DASHBOARD_REFRESH_MS, events.error);
  const refresh = { pollInterval, version: events.version };
  const { data, loading, error, refetch } = useQuery(DashboardQuery, { variables: { threshold: LOW_STOCK_THRESHOLD }, pollInterval });
  useRefetchOn(events.version, refetch);
  usePageTitle('Operations dashboard');
  if (loading && !data) return <Loading what="dashboard" />;
  return (
    <section className="dashboard">
      <h1>Operations</h1>
      <LiveNotice intervalMs={DASHBOARD_REFRESH_MS} error={events.error} />
      <p className="muted" data-testid="refreshed">Last update {formatDateTime(new Date().toISOString())}</p>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      <div className="tiles">
        <div className="tile"><span>Products</span><strong data-testid="tile-products">{data?.catalog.totalCount ?? '–'}</strong></div>
        <div className="tile"><span>Out of stock</span><strong data-testid="tile-out-of-stock">{data?.outOfStock.totalCount ?? '–'}</strong></div>
        <div className="tile"><span>Low stock (≤ {LOW_STOCK_THRESHOLD})</span><strong data-testid="tile-low-stock">{data?.lowStock.totalCount ?? '–'}</strong></div>
        <div className="tile"><span>Categories</span><strong data-testid="tile-categories">{data?.categories.length ?? '–'}</strong></div>
      </div>
      <AlertsPanel refreshMs={DASHBOARD_REFRESH_MS} />
      {/* Health checks and consumer lag are sampled, not published as events: this panel always polls. */}
      <ServiceHealthPanel pollInterval={DASHBOARD_REFRESH_MS} />
      <OrdersPerMinute {...refresh} />
      <PaymentFailures {...refresh} />
      <RecentNotifications {...refresh} />
      <h2>Low stock</h2>
      {data?.lowStock.edges.length === 0 && <Empty>No product is running low.</Empty>}
      <ul data-testid="low-stock">
        {data?.lowStock.edges.map(({ node }) => (
          <li key={node.product.id}><Link to={`/products/${node.product.id}`}>{node.product.name}</Link> · {node.available} available ({node.onHand} on hand, {node.reserved} reserved)</li>
        ))}
      </ul>
      <h2>Out of stock</h2>
      {data?.outOfStock.edges.length === 0 && <Empty>Everything is in stock.</Empty>}
      <ul data-testid="out-of-stock">
        {data?.outOfStock.edges.map(({ node }) => (
          <li key={node.id}><Link to={`/products/${node.id}`}>{node.name}</Link> · {node.category.name} · {formatPrice(node.price)}</li>
        ))}
      </ul>
      <h2>Lowest rated</h2>
      {data?.lowestRated.edges.length === 0 && <Empty>No rated products yet.</Empty>}
      <ul data-testid="lowest-rated">
        {data?.lowestRated.edges.map(({ node }) => (
          <li key={node.id}><Link to={`/products/${node.id}`}>{node.name}</Link> · {formatRating(node.rating, node.reviewCount)}</li>
        ))}
      </ul>
    </section>
  );
}
