import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { graphql } from '../__generated__';
import { formatDateTime, formatRating } from '../format/format';
import { LiveNotice, useFallbackPolling } from '../ui/Live';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { AlertsPanel } from './AlertsPanel';
import { DashboardNav } from './DashboardNav';
import { useDashboardEvents, useRefetchOn } from './dashboardEvents';
import { PaymentFailures, RecentNotifications } from './OpsPanels';
import { ViewAll } from './ViewAll';
import { parseRange } from './range';
import { RangePicker, SalesPanel } from './SalesPanel';
import { ServiceHealthPanel } from './ServiceHealthPanel';
import { LOW_STOCK_THRESHOLD, MIN_REVIEWS_FOR_RATING, PREVIEW_ROWS } from './lists';

export const DASHBOARD_REFRESH_MS = 10_000;

const DashboardQuery = graphql(`
  query Dashboard($threshold: Int!, $preview: Int!, $minReviews: Int!) {
    catalog: products(first: 0) { totalCount }
    categories { id name }
    outOfStock: lowStock(first: $preview, threshold: 0) {
      totalCount
      edges { cursor node { available onHand reserved product { id name } } }
      pageInfo { hasNextPage endCursor }
    }
    lowStock(first: $preview, threshold: $threshold, minAvailable: 1) {
      totalCount
      edges { cursor node { available onHand reserved product { id name } } }
      pageInfo { hasNextPage endCursor }
    }
    lowestRated: products(first: $preview, filter: { minReviewCount: $minReviews }, orderBy: { field: RATING, direction: ASC }) {
      totalCount
      edges { cursor node { id name rating reviewCount } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export function Dashboard() {
  const events = useDashboardEvents();
  const pollInterval = useFallbackPolling(DASHBOARD_REFRESH_MS, events.error);
  const refresh = { pollInterval, version: events.version };
  const [params, setParams] = useSearchParams();
  const range = parseRange(params.get('range'));
  const { data, loading, error, refetch } = useQuery(DashboardQuery, {
    variables: { threshold: LOW_STOCK_THRESHOLD, preview: PREVIEW_ROWS, minReviews: MIN_REVIEWS_FOR_RATING },
    pollInterval,
  });
  useRefetchOn(events.version, refetch);
  usePageTitle('Operations dashboard');
  if (loading && !data) return <Loading what="dashboard" />;
  // The lists share their cache entries with the "view all" pages, which may have loaded more rows.
  const outOfStock = data?.outOfStock.edges.slice(0, PREVIEW_ROWS) ?? [];
  const lowStock = data?.lowStock.edges.slice(0, PREVIEW_ROWS) ?? [];
  const lowestRated = data?.lowestRated.edges.slice(0, PREVIEW_ROWS) ?? [];
  return (
    <section className="dashboard">
      <h1>Operations</h1>
      <DashboardNav />
      <LiveNotice intervalMs={DASHBOARD_REFRESH_MS} error={events.error} />
      <p className="muted" data-testid="refreshed">Last update {formatDateTime(new Date().toISOString())}</p>
      <RangePicker value={range.key} onChange={(key) => setParams((p) => { p.set('range', key); return p; }, { replace: true })} />
      <SalesPanel range={range} {...refresh} />
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      <h2>Catalog and stock</h2>
      <div className="tiles">
        <div className="tile"><span>Products</span><strong data-testid="tile-products">{data?.catalog.totalCount ?? '–'}</strong></div>
        <div className="tile"><span>Out of stock</span><strong data-testid="tile-out-of-stock">{data?.outOfStock.totalCount ?? '–'}</strong></div>
        <div className="tile"><span>Low stock (1–{LOW_STOCK_THRESHOLD} left)</span><strong data-testid="tile-low-stock">{data?.lowStock.totalCount ?? '–'}</strong></div>
        <div className="tile"><span>Categories</span><strong data-testid="tile-categories">{data?.categories.length ?? '–'}</strong></div>
      </div>
      <div className="lists">
        <div className="panel">
          <h3>Out of stock</h3>
          {outOfStock.length === 0 && <Empty>Everything is in stock.</Empty>}
          <ul data-testid="out-of-stock">
            {outOfStock.map(({ node }) => (
              <li key={node.product.id}><Link to={`/dashboard/products/${node.product.id}`}>{node.product.name}</Link> · {node.reserved} reserved</li>
            ))}
          </ul>
          {data && <ViewAll to="/dashboard/out-of-stock" total={data.outOfStock.totalCount} shown={outOfStock.length} what="out-of-stock products" />}
        </div>
        <div className="panel">
          <h3>Low stock</h3>
          <p className="muted">1 to {LOW_STOCK_THRESHOLD} units available; sold-out products are listed apart.</p>
          {lowStock.length === 0 && <Empty>No product is running low.</Empty>}
          <ul data-testid="low-stock">
            {lowStock.map(({ node }) => (
              <li key={node.product.id}><Link to={`/dashboard/products/${node.product.id}`}>{node.product.name}</Link> · {node.available} available ({node.onHand} on hand, {node.reserved} reserved)</li>
            ))}
          </ul>
          {data && <ViewAll to="/dashboard/low-stock" total={data.lowStock.totalCount} shown={lowStock.length} what="low-stock products" />}
        </div>
        <div className="panel">
          <h3>Lowest rated</h3>
          <p className="muted">Products with at least {MIN_REVIEWS_FOR_RATING} reviews, so that one review does not decide.</p>
          {lowestRated.length === 0 && <Empty>No product has {MIN_REVIEWS_FOR_RATING} reviews yet.</Empty>}
          <ul data-testid="lowest-rated">
            {lowestRated.map(({ node }) => (
              <li key={node.id}><Link to={`/products/${node.id}`}>{node.name}</Link> · {formatRating(node.rating, node.reviewCount)}</li>
            ))}
          </ul>
          {data && <ViewAll to="/dashboard/lowest-rated" total={data.lowestRated.totalCount} shown={lowestRated.length} what="rated products" />}
        </div>
      </div>
      <AlertsPanel refreshMs={DASHBOARD_REFRESH_MS} />
      {/* Health checks and consumer lag are sampled, not published as events: this panel always polls. */}
      <ServiceHealthPanel pollInterval={DASHBOARD_REFRESH_MS} />
      <div className="lists">
        <PaymentFailures {...refresh} />
        <RecentNotifications {...refresh} />
      </div>
    </section>
  );
}
