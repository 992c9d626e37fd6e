import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { formatDateTime, formatEnum, formatPrice } from '../format/format';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { useRefetchOn } from './dashboardEvents';
import { PREVIEW_ROWS } from './lists';
import { ViewAll } from './ViewAll';

/** `pollInterval`: only while live updates are unavailable; `version`: grows when events call for a refresh. */
export interface PanelRefresh {
  pollInterval: number;
  version: number;
}
// One query per owning subgraph: a non-null root field that fails nulls its whole response, so a down
// subgraph must only blank its own panel.
const PaymentsQuery = graphql(`
  query DashboardPayments($first: Int!) {
    paymentFailures(first: $first) { totalCount edges { cursor node { id amount method createdAt order { id } } } pageInfo { hasNextPage endCursor } }
  }
`);

const NotificationsQuery = graphql(`
  query DashboardNotifications($first: Int!) {
    notificationFeed(first: $first) { totalCount edges { cursor node { id kind message createdAt user { id } } } pageInfo { hasNextPage endCursor } }
  }
`);

export function PaymentFailures({ pollInterval, version }: PanelRefresh) {
  const { data, loading, error, refetch } = useQuery(PaymentsQuery, { variables: { first: PREVIEW_ROWS }, pollInterval });
  useRefetchOn(version, refetch);
  if (loading && !data) return <Loading what="payments" />;
  // The list shares its cache entry with the "view all" page, which may have loaded more rows.
  const failures = data?.paymentFailures.edges.slice(0, PREVIEW_ROWS).map((e) => e.node);
  return (
    <div className="panel">
      <h2>Latest failed payments</h2>
      <p className="muted">The {PREVIEW_ROWS} most recent declines, whatever the time range.</p>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {failures?.length === 0 && <Empty>No failed payments.</Empty>}
      <ul data-testid="payment-failures">
        {failures?.map((p) => (
          <li key={p.id} data-payment-id={p.id}>
            <Link to={`/orders/${p.order.id}`}>Order {p.order.id}</Link> · {formatPrice(p.amount)} · {formatEnum(p.method)} · {formatDateTime(p.createdAt)}
          </li>
        ))}
      </ul>
      {data && failures && <ViewAll to="/dashboard/payment-failures" total={data.paymentFailures.totalCount} shown={failures.length} what="failed payments" />}
    </div>
  );
}

export function RecentNotifications({ pollInterval, version }: PanelRefresh) {
  const { data, loading, error, refetch } = useQuery(NotificationsQuery, { variables: { first: PREVIEW_ROWS }, pollInterval });
  useRefetchOn(version, refetch);
  if (loading && !data) return <Loading what="notifications" />;
  const notifications = data?.notificationFeed.edges.slice(0, PREVIEW_ROWS).map((e) => e.node);
  return (
    <div className="panel">
      <h2>Recent notifications</h2>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {notifications?.length === 0 && <Empty>No notifications yet.</Empty>}
      <ul data-testid="recent-notifications">
        {notifications?.map((n) => (
          <li key={n.id} data-notification-id={n.id}>
            {formatDateTime(n.createdAt)} · user {n.user.id} · {formatEnum(n.kind)} · {n.message}
          </li>
        ))}
      </ul>
      {data && notifications && <ViewAll to="/dashboard/notifications" total={data.notificationFeed.totalCount} shown={notifications.length} what="notifications" />}
    </div>
  );
}
