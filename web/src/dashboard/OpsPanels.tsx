import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { formatDateTime, formatEnum, formatPrice } from '../format/format';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { useRefetchOn } from './dashboardEvents';

/** `pollInterval`: only while live updates are unavailable; `version`: grows when events call for a refresh. */
export interface PanelRefresh {
  pollInterval: number;
  version: number;
}
// One query per owning subgraph: a non-null root field that fails nulls its whole response, so a down
// subgraph must only blank its own panel.
const PaymentsQuery = graphql(`
  query DashboardPayments($first: Int!) {
    recentPaymentFailures(first: $first) { id amount method createdAt order { id } }
  }
`);

const NotificationsQuery = graphql(`
  query DashboardNotifications($first: Int!) {
    recentNotifications(first: $first) { id kind message createdAt user { id } }
  }
`);

export function PaymentFailures({ pollInterval, version }: PanelRefresh) {
  const { data, loading, error, refetch } = useQuery(PaymentsQuery, { variables: { first: 10 }, pollInterval });
  useRefetchOn(version, refetch);
  if (loading && !data) return <Loading what="payments" />;
  return (
    <div className="panel">
      <h2>Latest failed payments</h2>
      <p className="muted">The 10 most recent declines, whatever the time range.</p>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {data?.recentPaymentFailures?.length === 0 && <Empty>No failed payments.</Empty>}
      <ul data-testid="payment-failures">
        {data?.recentPaymentFailures?.map((p) => (
          <li key={p.id} data-payment-id={p.id}>
            <Link to={`/orders/${p.order.id}`}>Order {p.order.id}</Link> · {formatPrice(p.amount)} · {formatEnum(p.method)} · {formatDateTime(p.createdAt)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RecentNotifications({ pollInterval, version }: PanelRefresh) {
  const { data, loading, error, refetch } = useQuery(NotificationsQuery, { variables: { first: 10 }, pollInterval });
  useRefetchOn(version, refetch);
  if (loading && !data) return <Loading what="notifications" />;
  return (
    <div className="panel">
      <h2>Recent notifications</h2>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {data?.recentNotifications.length === 0 && <Empty>No notifications yet.</Empty>}
      <ul data-testid="recent-notifications">
        {data?.recentNotifications.map((n) => (
          <li key={n.id} data-notification-id={n.id}>
            {formatDateTime(n.createdAt)} · user {n.user.id} · {formatEnum(n.kind)} · {n.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
