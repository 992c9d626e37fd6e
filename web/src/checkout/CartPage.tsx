import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { loginPath } from '../account/access';
import { useSession } from '../account/SessionContext';
import { cartTotal, parseQuantityInput, quantityLimit, removeFromCart, setQuantity, stepQuantity, stockProblem, type CartLine } from '../cart/cart';
import { useCart } from '../cart/CartContext';
import { formatPrice } from '../format/format';
import { Empty } from '../ui/States';
import { usePageTitle } from '../ui/title';

/** How often the cart re-reads availability, so a drop below the cart's quantity shows before checkout. */
export const CART_STOCK_POLL_MS = 10_000;

export const CartLineStockQuery = graphql(`
  query CartLineStock($id: ID!) {
    product(id: $id) { id stock { available } }
  }
`);

export function CartPage() {
  const { cart } = useCart();
  const { session } = useSession();
  const [problems, setProblems] = useState<Record<string, string | null>>({});

  usePageTitle('Cart');

  if (cart.lines.length === 0) return <section><h1>Cart</h1><Empty>Your cart is empty. <Link to="/">Browse products</Link></Empty></section>;
  const blocked = cart.lines.some((line) => problems[line.productId]);
  return (
    <section>
      <h1>Cart</h1>
      {cart.placedOrderId && (
        <p className="notice" data-testid="cart-pending">
          This cart became <Link to={`/orders/${cart.placedOrderId}`}>order #{cart.placedOrderId}</Link>. It is kept until the order is confirmed.
        </p>
      )}
      <table className="cart">
        <thead><tr><th>Product</th><th>Price</th><th>Quantity</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {cart.lines.map((line) => (
            <CartLineRow key={line.productId} line={line} locked={!!cart.placedOrderId}
              onProblem={(problem) => setProblems((p) => (p[line.productId] === problem ? p : { ...p, [line.productId]: problem }))} />
          ))}
        </tbody>
      </table>
      <p className="total" data-testid="cart-total">Items: {formatPrice(cartTotal(cart))} <span className="muted">(shipping and tax at checkout)</span></p>
      {cart.placedOrderId ? null : session
        ? blocked
          ? <p role="status" data-testid="cart-blocked">Fix the quantities above to check out.</p>
          : <Link className="button" to="/checkout">Check out</Link>
        : <p data-testid="sign-in-to-checkout"><Link to={loginPath('/cart')}>Sign in</Link> to check out; your cart stays here.</p>}
    </section>
  );
}

function CartLineRow({ line, locked, onProblem }: { line: CartLine; locked: boolean; onProblem: (problem: string | null) => void }) {
  const { update } = useCart();
  const { data } = useQuery(CartLineStockQuery, { variables: { id: line.productId }, pollInterval: CART_STOCK_POLL_MS, fetchPolicy: 'cache-and-network' });
  const available = data?.product?.stock?.available;
  const limit = quantityLimit(available);
  const problem = stockProblem(line, available);
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => onProblem(problem), [problem]);

  const commit = () => {
    if (draft == null) return;
    const quantity = parseQuantityInput(draft, limit);
    // Anything that is not a number leaves the line as it was; only Remove removes it.
    if (quantity != null) update((c) => setQuantity(c, line.productId, quantity, limit));
    setDraft(null);
  };

  return (
    <tr data-testid="cart-line">
      <td>
        <Link to={`/products/${line.productId}`}>{line.name}</Link>
        {problem && <p role="alert" className="field-error" data-testid="stock-problem">{problem}</p>}
        {!problem && available != null && <p className="muted">{available} in stock</p>}
      </td>
      <td>{formatPrice(line.unitPrice)}</td>
      <td>
        <div className="stepper">
          <button type="button" aria-label={`One fewer ${line.name}`} disabled={locked || line.quantity <= 1}
            onClick={() => update((c) => stepQuantity(c, line.productId, -1, limit))}>−</button>
          <input type="text" inputMode="numeric" value={draft ?? String(line.quantity)} aria-label={`Quantity of ${line.name}`} disabled={locked}
            onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
          <button type="button" aria-label={`One more ${line.name}`} disabled={locked || line.quantity >= limit}
            onClick={() => update((c) => stepQuantity(c, line.productId, 1, limit))}>+</button>
        </div>
      </td>
      <td><button type="button" disabled={locked} onClick={() => update((c) => removeFromCart(c, line.productId))}>Remove</button></td>
    </tr>
  );
}
