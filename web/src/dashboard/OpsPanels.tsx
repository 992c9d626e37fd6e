import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { formatDateTime, formatEnum, formatPrice } from '../format/format';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { useRefetchOn } from './dashboardEvents';
import { barsFor, fillMinutes, formatMinute, ordersPerMinute } from './orderStats';

export const STATS_MINUTES = 60;

/** `pollInterval`: only while live updates are unavailable; `version`: grows when events call for a refresh. */
export interface PanelRefresh {
  pollInterval: number;
  version: number;
}
const CHART_WIDTH = 360;
const CHART_HEIGHT = 60;

// One query per owning subgraph: a non-null root field that fails nulls its whole response, so a down
// subgraph must only blank its own panel.
const OrderStatsQuery = graphql(`
  query DashboardOrderStats($minutes: Int!) {
    orderStats(minutes: $minutes) { minutes placed confirmed rejected buckets { minute placed confirmed rejected } }
  }
`);

const PaymentsQuery = graphql(`
  query DashboardPayments($minutes: Int!, $first: Int!) {
    paymentStats(minutes: $minutes) { minutes succeeded failed succeededAmount failedAmount }
    recentPaymentFailures(first: $first) { id amount method createdAt order { id } }
  }
`);

const NotificationsQuery = graphql(`
  query DashboardNotifications($first: Int!) {
    recentNotifications(first: $first) { id kind message createdAt user { id } }
  }
`);

export function OrdersPerMinute({ pollInterval, version }: PanelRefresh) {
  const { data, loading, error, refetch } = useQuery(OrderStatsQuery, { variables: { minutes: STATS_MINUTES }, pollInterval });
  useRefetchOn(version, refetch);
  if (loading && !data) return <Loading what="order stats" />;
  const stats = data?.orderStats;
  const buckets = stats ? fillMinutes(stats.buckets, stats.minutes) : [];
  return (
    <div className="panel">
      <h2>Orders per minute</h2>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {stats && (
        <>
          <p>
            <strong data-testid="orders-per-minute">{ordersPerMinute(stats.placed, stats.minutes)}</strong> / min over {stats.minutes} min ·
            placed <span data-testid="orders-placed">{stats.placed}</span> · confirmed <span data-testid="orders-confirmed">{stats.confirmed}</span> · rejected <span data-testid="orders-rejected">{stats.rejected}</span>
          </p>
          {stats.placed === 0 && <Empty>No orders in the last {stats.minutes} minutes.</Empty>}
          <svg data-testid="orders-chart" width={CHART_WIDTH} height={CHART_HEIGHT} viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} role="img" aria-label="Orders placed per minute">
            <line x1={0} y1={CHART_HEIGHT - 0.5} x2={CHART_WIDTH} y2={CHART_HEIGHT - 0.5} stroke="#ccc" />
            {barsFor(buckets, CHART_WIDTH, CHART_HEIGHT).map((bar) => (
              <rect key={bar.bucket.minute} x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.bucket.rejected > 0 ? '#c0392b' : '#2e86de'}>
                <title>{`${formatMinute(bar.bucket.minute)}: ${bar.bucket.placed} placed, ${bar.bucket.confirmed} confirmed, ${bar.bucket.rejected} rejected`}</title>
              </rect>
            ))}
          </svg>
        </>
      )}
    </div>
  );
}

export function PaymentFailures({ pollInterval, version }: PanelRefresh) {
  const { data, loading, error, refetch } = useQuery(PaymentsQuery, { variables: { minutes: STATS_MINUTES, first: 10 }, pollInterval });
  useRefetchOn(version, refetch);
  if (loading && !data) return <Loading what="payments" />;
  return (
    <div className="panel">
      <h2>Payment failures</h2>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {data?.paymentStats && (
        <p>
          Last {data.paymentStats.minutes} min: <span data-testid="payments-failed">{data.paymentStats.failed}</span> failed ({formatPrice(data.paymentStats.failedAmount)}),{' '}
          <span data-testid="payments-succeeded">{data.paymentStats.succeeded}</span> succeeded ({formatPrice(data.paymentStats.succeededAmount)})
        </p>
      )}
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
