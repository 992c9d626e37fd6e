import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { restoreFromOrder, settleCart } from '../cart/cart';
import { useCart } from '../cart/CartContext';
import { graphql } from '../__generated__';
import { formatDateTime, formatEnum, formatPrice, isFinalOrderStatus } from '../format/format';
import { LiveNotice, useFallbackPolling, useLiveSubscription } from '../ui/Live';
import { failedAt } from '../ui/partialData';
import { Empty, ErrorBanner, Loading, Unavailable } from '../ui/States';
import { usePageTitle } from '../ui/title';

export const ORDER_POLL_MS = 2000;

const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) { ...OrderFields }
  }

  fragment OrderFields on Order {
    id status subtotal shippingCost tax total placedAt shippingMethod rejectionReason
    shippingAddress { name line1 line2 city region postalCode country }
    paymentCard { brand last4 }
    lines { quantity unitPrice product { id name } }
    payment { id status method amount }
  }
`);

// The page's own selection: each event is written to the cached order, which re-renders the page.
const OrderUpdatedSubscription = graphql(`
  subscription OrderUpdated($id: ID!) {
    orderUpdated(id: $id) { ...OrderFields }
  }
`);

export function OrderPage() {
  const { id = '' } = useParams();
  const { data, loading, error, startPolling, stopPolling, refetch } = useQuery(OrderQuery, { variables: { id } });
  const order = data?.order;
  const final = order ? isFinalOrderStatus(order.status) : false;
  // The checkout saga settles the status asynchronously: follow it by subscription until it does, polling only
  // while the socket is down.
  const live = useLiveSubscription(OrderUpdatedSubscription, { variables: { id }, skip: !order || final });
  const fallbackPoll = useFallbackPolling(ORDER_POLL_MS, live.error);
  useEffect(() => {
    if (order && !final && fallbackPoll > 0) startPolling(fallbackPoll);
    else stopPolling();
    return stopPolling;
  }, [order != null, final, fallbackPoll, startPolling, stopPolling]);

  const { cart, update } = useCart();
  const navigate = useNavigate();
  // The cart that became this order is kept until the saga settles: emptied when Confirmed, unlocked when Rejected.
  useEffect(() => {
    if (order && final) update((c) => settleCart(c, order.id, order.status));
  }, [order?.id, order?.status, final, update]);
  const restoreCart = () => {
    if (!order) return;
    const cartHoldsOrder = cart.lines.length > 0 && cart.placedOrderId == null && cart.lines.every((l) => order.lines.some((o) => o.product?.id === l.productId));
    if (!cartHoldsOrder) update(() => restoreFromOrder(order.lines));
    navigate('/cart');
  };

  usePageTitle(order ? `Order #${order.id}` : loading ? null : error ? 'Order unavailable' : 'Order not found');
  if (loading && !data) return <Loading what="order" />;
  if (!order && error) return <section><h1>Order unavailable</h1><ErrorBanner error={error} onRetry={() => void refetch()} /><p><Link to="/orders">Your orders</Link></p></section>;
  if (!order) return <section><h1>Order not found</h1><Empty>Order not found. It may belong to another account. <Link to="/orders">Your orders</Link></Empty></section>;
  return (
    <article>
      <h1>Order #{order.id}</h1>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      <p>
        Status: <strong data-testid="order-status" className={`status ${order.status.toLowerCase()}`}>{formatEnum(order.status)}</strong>
        {!final && <span className="muted"> (updating…)</span>}
      </p>
      {!final && <LiveNotice intervalMs={ORDER_POLL_MS} error={live.error} />}
      <p className="muted">Placed {formatDateTime(order.placedAt)}</p>
      <table>
        <thead><tr><th>Product</th><th>Quantity</th><th>Unit price</th></tr></thead>
        <tbody>
          {order.lines.map((line, index) => (
            <tr key={line.product?.id ?? `line-${index}`} data-testid="order-line">
              {/* The product is null only when catalog failed; quantity and price come from orders and still show. */}
              <td>{line.product
                ? <Link to={`/products/${line.product.id}`}>{line.product.name ?? `Product ${line.product.id}`}</Link>
                : <Unavailable what="Product details" />}</td>
              <td>{line.quantity}</td>
              <td>{formatPrice(line.unitPrice)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {order.status === 'REJECTED' && (
        <div className="state error" role="alert" data-testid="rejection">
          <p><strong>This order was not placed.</strong> {order.rejectionReason ?? 'The order was rejected.'}</p>
          <button type="button" onClick={restoreCart} data-testid="restore-cart">Restore cart and try again</button>
        </div>
      )}
      <dl className="order-summary">
        {order.shippingAddress && (
          <>
            <dt>Ship to</dt>
            <dd data-testid="order-address">
              {order.shippingAddress.name}, {order.shippingAddress.line1}{order.shippingAddress.line2 ? `, ${order.shippingAddress.line2}` : ''},{' '}
              {order.shippingAddress.city} {order.shippingAddress.region ?? ''} {order.shippingAddress.postalCode}, {order.shippingAddress.country}
            </dd>
          </>
        )}
        {order.shippingMethod && <><dt>Shipping method</dt><dd>{formatEnum(order.shippingMethod)}</dd></>}
        {order.paymentCard && <><dt>Card</dt><dd>{order.paymentCard.brand} ending {order.paymentCard.last4}</dd></>}
        <dt>Subtotal</dt><dd data-testid="order-subtotal">{formatPrice(order.subtotal)}</dd>
        <dt>Shipping</dt><dd data-testid="order-shipping">{formatPrice(order.shippingCost)}</dd>
        <dt>Tax</dt><dd data-testid="order-tax">{formatPrice(order.tax)}</dd>
      </dl>
      <p className="total" data-testid="order-total">Total: {formatPrice(order.total)}</p>
      <p data-testid="payment">
        Payment:{' '}
        {order.payment
          ? `${formatEnum(order.payment.status)} (${formatEnum(order.payment.method)}, ${formatPrice(order.payment.amount)})`
          : failedAt(error, 'payments', ['order', 'payment']) ? <Unavailable what="Payment details" /> : final ? 'none' : 'pending'}
      </p>
    </article>
  );
}
