import { useMutation, useQuery } from '@apollo/client/react';
import { useReducer, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { graphql } from '../__generated__';
import { markPlaced, toPlaceOrderLines, withCheckoutKey } from '../cart/cart';
import { useCart } from '../cart/CartContext';
import { formatPrice } from '../format/format';
import { Empty, ErrorBanner, Loading, UserErrors } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { canGoTo, checkoutReducer, initialCheckout, STEPS, toAddressInput, type AddressFields, type CheckoutStep } from './checkoutMachine';

const CheckoutOptionsQuery = graphql(`
  query CheckoutOptions {
    viewer { id addresses { id name line1 line2 city region postalCode country } }
    shippingMethods { method name cost minDays maxDays }
  }
`);

const CheckoutQuoteQuery = graphql(`
  query CheckoutQuote($input: CheckoutQuoteInput!) {
    checkoutQuote(input: $input) {
      quote { subtotal shipping taxRate tax total lines { quantity unitPrice product { id name } } }
      errors { code message field }
    }
  }
`);

const AddAddressMutation = graphql(`
  mutation AddAddress($input: AddressInput!) {
    addAddress(input: $input) { address { id name line1 line2 city region postalCode country } errors { code message field } }
  }
`);

const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String!) {
    placeOrder(input: $input, idempotencyKey: $idempotencyKey) {
      order { id status total placedAt }
      errors { code message field }
    }
  }
`);

const STEP_LABELS: Record<CheckoutStep, string> = { address: 'Address', shipping: 'Shipping', payment: 'Payment', review: 'Review' };

export const COUNTRIES: [string, string][] = [['US', 'United States'], ['CA', 'Canada'], ['GB', 'United Kingdom'], ['DE', 'Germany'], ['FR', 'France'], ['NL', 'Netherlands']];

export const ADDRESS_FIELDS: [keyof AddressFields, string, string][] = [
  ['name', 'Full name', 'name'],
  ['line1', 'Street address', 'address-line1'],
  ['line2', 'Apartment, suite (optional)', 'address-line2'],
  ['city', 'City', 'address-level2'],
  ['region', 'State / region', 'address-level1'],
  ['postalCode', 'Postal code', 'postal-code'],
];

const fromSaved = (a: { name: string; line1: string; line2?: string | null; city: string; region?: string | null; postalCode: string; country: string }): AddressFields =>
  ({ name: a.name, line1: a.line1, line2: a.line2 ?? '', city: a.city, region: a.region ?? '', postalCode: a.postalCode, country: a.country });

export function CheckoutPage() {
  const { cart, update } = useCart();
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(checkoutReducer, initialCheckout);
  const options = useQuery(CheckoutOptionsQuery, { fetchPolicy: 'cache-and-network' });
  const [addAddress, added] = useMutation(AddAddressMutation, { refetchQueries: ['CheckoutOptions'] });
  const [placeOrder, placed] = useMutation(PlaceOrderMutation, { refetchQueries: ['MyOrders'] });
  const [saveError, setSaveError] = useState<string | null>(null);
  const lines = toPlaceOrderLines(cart);
  const address = toAddressInput(state.address);
  const quote = useQuery(CheckoutQuoteQuery, {
    variables: { input: { lines, shippingAddress: address, shippingMethod: (state.shippingMethod ?? 'STANDARD') as never } },
    skip: state.step !== 'review',
    fetchPolicy: 'network-only',
  });

  usePageTitle('Checkout');

  if (cart.lines.length === 0) return <section><h1>Checkout</h1><Empty>Your cart is empty. <Link to="/">Browse products</Link></Empty></section>;
  if (cart.placedOrderId) {
    return <section><h1>Checkout</h1><p>This cart is already <Link to={`/orders/${cart.placedOrderId}`}>order #{cart.placedOrderId}</Link>; it empties when the order is confirmed.</p></section>;
  }

  const continueFromAddress = async () => {
    const next = checkoutReducer(state, { type: 'next' });
    if (next.step === 'address' || !state.saveAddress || state.savedAddressId) return dispatch({ type: 'next' });
    setSaveError(null);
    const result = await addAddress({ variables: { input: address } });
    const errors = result.data?.addAddress.errors ?? [];
    if (errors.length > 0) return setSaveError(errors.map((e) => e.message).join(' '));
    dispatch({ type: 'next' });
  };

  const place = async () => {
    const keyed = withCheckoutKey(cart, () => crypto.randomUUID());
    update(() => keyed);
    const result = await placeOrder({
      variables: {
        input: { lines, shippingAddress: address, shippingMethod: state.shippingMethod as never, payment: { cardNumber: state.cardNumber } },
        idempotencyKey: keyed.checkoutKey!,
      },
    });
    const order = result.data?.placeOrder.order;
    if (order) {
      // The cart stays until the saga confirms the order; a rejected order can be retried from it.
      update((c) => markPlaced(c, order.id));
      navigate(`/orders/${order.id}`);
    }
  };

  const saved = options.data?.viewer?.addresses ?? [];
  const methods = options.data?.shippingMethods ?? [];
  const q = quote.data?.checkoutQuote.quote;
  const chosen = methods.find((m) => m.method === state.shippingMethod);

  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <ol className="checkout-steps" aria-label="Checkout steps">
        {STEPS.map((step, index) => (
          <li key={step} aria-current={state.step === step ? 'step' : undefined} className={state.step === step ? 'current' : undefined}>
            <button type="button" className="link" disabled={!canGoTo(state, step)} onClick={() => dispatch({ type: 'goTo', step })}>
              {index + 1}. {STEP_LABELS[step]}
            </button>
          </li>
        ))}
      </ol>
      <ErrorBanner error={options.error} onRetry={() => void options.refetch()} />

      {state.step === 'address' && (
        <form onSubmit={(e) => { e.preventDefault(); void continueFromAddress(); }} aria-labelledby="address-heading" noValidate>
          <h2 id="address-heading">Shipping address</h2>
          {options.loading && !options.data && <Loading what="saved addresses" />}
          {saved.length > 0 && (
            <fieldset>
              <legend>Saved addresses</legend>
              {saved.map((a) => (
                <label key={a.id} className="choice">
                  <input type="radio" name="address" checked={state.savedAddressId === a.id} onChange={() => dispatch({ type: 'pickSaved', id: a.id, address: fromSaved(a) })} />
                  {a.name}, {a.line1}, {a.city} {a.region ?? ''} {a.postalCode}, {a.country}
                </label>
              ))}
              <label className="choice">
                <input type="radio" name="address" checked={state.savedAddressId === null} onChange={() => dispatch({ type: 'newAddress' })} />
                A new address
              </label>
            </fieldset>
          )}
          {state.savedAddressId === null && (
            <div className="address-fields">
              {ADDRESS_FIELDS.map(([field, label, autoComplete]) => (
                <label key={field}>
                  {label}
                  <input value={state.address[field]} autoComplete={autoComplete} aria-invalid={state.errors[field] ? true : undefined}
                    aria-describedby={state.errors[field] ? `${field}-error` : undefined}
                    onChange={(e) => dispatch({ type: 'editAddress', field, value: e.target.value })} />
                  {state.errors[field] && <span id={`${field}-error`} className="field-error">{state.errors[field]}</span>}
                </label>
              ))}
              <label>
                Country
                <select value={state.address.country} autoComplete="country" onChange={(e) => dispatch({ type: 'editAddress', field: 'country', value: e.target.value })}>
                  {COUNTRIES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={state.saveAddress} onChange={(e) => dispatch({ type: 'toggleSave', save: e.target.checked })} />
                Save this address for next time
              </label>
            </div>
          )}
          {saveError && <p role="alert" className="field-error">{saveError}</p>}
          <button type="submit" disabled={added.loading}>{added.loading ? 'Saving…' : 'Continue to shipping'}</button>
        </form>
      )}

      {state.step === 'shipping' && (
        <form onSubmit={(e) => { e.preventDefault(); dispatch({ type: 'next' }); }} aria-labelledby="shipping-heading">
          <h2 id="shipping-heading">Shipping method</h2>
          <fieldset>
            <legend>How should we ship?</legend>
            {methods.map((m) => (
              <label key={m.method} className="choice">
                <input type="radio" name="shipping" value={m.method} checked={state.shippingMethod === m.method}
                  onChange={() => dispatch({ type: 'chooseShipping', method: m.method })} />
                {m.name}: {formatPrice(m.cost)} ({m.minDays}–{m.maxDays} business days)
              </label>
            ))}
          </fieldset>
          {state.errors.shippingMethod && <p role="alert" className="field-error">{state.errors.shippingMethod}</p>}
          <button type="submit">Continue to payment</button>
        </form>
      )}

      {state.step === 'payment' && (
        <form onSubmit={(e) => { e.preventDefault(); dispatch({ type: 'next' }); }} aria-labelledby="payment-heading" noValidate>
          <h2 id="payment-heading">Payment</h2>
          <label>
            Card number
            <input value={state.cardNumber} inputMode="numeric" autoComplete="cc-number" aria-invalid={state.errors.cardNumber ? true : undefined}
              aria-describedby="card-hint" onChange={(e) => dispatch({ type: 'editCard', value: e.target.value })} />
          </label>
          {state.errors.cardNumber && <p role="alert" className="field-error">{state.errors.cardNumber}</p>}
          <p id="card-hint" className="muted">
            Test cards: 4242 4242 4242 4242 is approved; 4000 0000 0000 0002 is declined. Only the brand and last four digits are kept.
          </p>
          <button type="submit">Review order</button>
        </form>
      )}

      {state.step === 'review' && (
        <div aria-labelledby="review-heading">
          <h2 id="review-heading">Review</h2>
          <p>Ship to {address.name}, {address.line1}{address.line2 ? `, ${address.line2}` : ''}, {address.city} {address.region ?? ''} {address.postalCode}, {address.country}</p>
          <p>{chosen ? `${chosen.name} shipping` : ''} · Card ending {state.cardNumber.replace(/\D/g, '').slice(-4)}</p>
          {quote.loading && <Loading what="prices" />}
          <ErrorBanner error={quote.error} onRetry={() => void quote.refetch()} />
          <UserErrors errors={quote.data?.checkoutQuote.errors} />
          {q && (
            <table className="quote" data-testid="quote">
              <tbody>
                {q.lines.map((l, i) => (
                  <tr key={l.product?.id ?? i}><td>{l.product?.name ?? `Product ${l.product?.id ?? ''}`} × {l.quantity}</td><td>{formatPrice(l.unitPrice * l.quantity)}</td></tr>
                ))}
                <tr><th scope="row">Subtotal</th><td data-testid="quote-subtotal">{formatPrice(q.subtotal)}</td></tr>
                <tr><th scope="row">Shipping</th><td data-testid="quote-shipping">{formatPrice(q.shipping)}</td></tr>
                <tr><th scope="row">Tax ({(q.taxRate * 100).toFixed(2).replace(/\.?0+$/, '')}%)</th><td data-testid="quote-tax">{formatPrice(q.tax)}</td></tr>
                <tr className="total"><th scope="row">Total</th><td data-testid="quote-total">{formatPrice(q.total)}</td></tr>
              </tbody>
            </table>
          )}
          <button type="button" onClick={() => void place()} disabled={!q || placed.loading}>{placed.loading ? 'Placing order…' : 'Place order'}</button>
          <UserErrors errors={placed.data?.placeOrder.errors} />
          <ErrorBanner error={placed.error} />
        </div>
      )}
    </section>
  );
}

