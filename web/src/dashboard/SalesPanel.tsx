import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatPrice } from '../format/format';
import { ErrorBanner, Loading } from '../ui/States';
import { COLORS, DoughnutChart, MoneyLineChart, StackedBarChart } from './Charts';
import { useRefetchOn } from './dashboardEvents';
import type { PanelRefresh } from './OpsPanels';
import { formatBucket, formatPercent, RANGES, type RangeKey, type TimeRange } from './range';

// One query per owning subgraph: a non-null root field that fails nulls its whole response, so a down subgraph
// only blanks its own figures.
const SalesQuery = graphql(`
  query DashboardSales($minutes: Int!, $bucketMinutes: Int!) {
    salesStats(minutes: $minutes, bucketMinutes: $bucketMinutes) {
      minutes bucketMinutes placed pending confirmed rejected revenue averageOrderValue
      buckets { start placed confirmed rejected revenue }
    }
  }
`);

const PaymentRateQuery = graphql(`
  query DashboardPaymentRate($minutes: Int!) {
    paymentStats(minutes: $minutes) { minutes succeeded failed succeededAmount failedAmount failureRate }
  }
`);

/** Buttons that choose the range; the page keeps it in the URL, so a link or a reload shows the same window. */
export function RangePicker({ value, onChange }: { value: RangeKey; onChange: (key: RangeKey) => void }) {
  return (
    <div className="range-picker" role="group" aria-label="Time range" data-testid="range-picker">
      {RANGES.map((r) => (
        <button key={r.key} type="button" aria-pressed={r.key === value} data-range={r.key} onClick={() => onChange(r.key)}>{r.label}</button>
      ))}
    </div>
  );
}

export function SalesPanel({ range, pollInterval, version }: PanelRefresh & { range: TimeRange }) {
  const sales = useQuery(SalesQuery, { variables: { minutes: range.minutes, bucketMinutes: range.bucketMinutes }, pollInterval });
  const payments = useQuery(PaymentRateQuery, { variables: { minutes: range.minutes }, pollInterval });
  useRefetchOn(version, sales.refetch);
  useRefetchOn(version, payments.refetch);
  const stats = sales.data?.salesStats;
  const rate = payments.data?.paymentStats;
  // While a new range loads, the previous range's figures are not shown under the new range's name.
  const current = stats && stats.minutes === range.minutes ? stats : undefined;
  const currentRate = rate && rate.minutes === range.minutes ? rate : undefined;
  const labels = current?.buckets.map((b) => formatBucket(b.start, current.bucketMinutes)) ?? [];
  const per = `per ${range.bucketMinutes >= 1_440 ? 'day' : range.bucketMinutes >= 60 ? `${range.bucketMinutes / 60} h` : `${range.bucketMinutes} min`}`;
  return (
    <section className="panel sales" aria-labelledby="sales-heading" data-testid="sales" data-range={range.key}>
      <h2 id="sales-heading">Sales · {range.label.toLowerCase()}</h2>
      <ErrorBanner error={sales.error} onRetry={() => void sales.refetch()} />
      <ErrorBanner error={payments.error} onRetry={() => void payments.refetch()} />
      <div className="tiles">
        <div className="tile"><span>Orders placed</span><strong data-testid="orders-placed">{current?.placed ?? '–'}</strong></div>
        <div className="tile"><span>Revenue (confirmed)</span><strong data-testid="revenue">{current ? formatPrice(current.revenue) : '–'}</strong></div>
        <div className="tile"><span>Average order value</span><strong data-testid="average-order-value">{current?.averageOrderValue != null ? formatPrice(current.averageOrderValue) : '–'}</strong></div>
        <div className="tile">
          <span>Payment failure rate</span>
          <strong data-testid="payment-failure-rate">{currentRate ? formatPercent(currentRate.failureRate) : '–'}</strong>
          {currentRate && <small><span data-testid="payments-failed">{currentRate.failed}</span> failed of {currentRate.failed + currentRate.succeeded} · <span data-testid="payments-succeeded">{currentRate.succeeded}</span> succeeded</small>}
        </div>
      </div>
      {!current && sales.loading && <Loading what="sales" />}
      {current && (
        <>
          <p className="muted">
            Confirmed <span data-testid="orders-confirmed">{current.confirmed}</span> · pending <span data-testid="orders-pending">{current.pending}</span> ·
            rejected <span data-testid="orders-rejected">{current.rejected}</span>. Revenue counts confirmed orders only; times are UTC.
          </p>
          <div className="charts">
            <StackedBarChart
              testId="orders-chart"
              title={`Orders ${per}`}
              summary={`${current.placed} orders placed: ${current.confirmed} confirmed, ${current.pending} pending, ${current.rejected} rejected.`}
              axes={{ x: 'Time (UTC)', y: 'Orders placed' }}
              labels={labels}
              series={[
                { label: 'Confirmed', color: COLORS.confirmed, values: current.buckets.map((b) => b.confirmed) },
                { label: 'Pending', color: COLORS.pending, values: current.buckets.map((b) => b.placed - b.confirmed - b.rejected) },
                { label: 'Rejected', color: COLORS.rejected, values: current.buckets.map((b) => b.rejected) },
              ]}
            />
            <MoneyLineChart
              testId="revenue-chart"
              title={`Revenue ${per}`}
              summary={`${formatPrice(current.revenue)} from ${current.confirmed} confirmed orders.`}
              axes={{ x: 'Time (UTC)', y: 'Revenue (USD)' }}
              labels={labels}
              series={[{ label: 'Revenue', color: COLORS.revenue, values: current.buckets.map((b) => b.revenue) }]}
            />
            <DoughnutChart
              testId="status-chart"
              title="Orders by status"
              summary={`${current.confirmed} confirmed, ${current.pending} pending, ${current.rejected} rejected.`}
              parts={[
                { label: 'Confirmed', color: COLORS.confirmed, values: [current.confirmed] },
                { label: 'Pending', color: COLORS.pending, values: [current.pending] },
                { label: 'Rejected', color: COLORS.rejected, values: [current.rejected] },
              ]}
            />
          </div>
        </>
      )}
    </section>
  );
}
