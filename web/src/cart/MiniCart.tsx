import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { CART_STOCK_POLL_MS, CartLineStockQuery } from '../checkout/CartPage';
import { formatPrice } from '../format/format';
import { useFocusTrap } from '../ui/focusTrap';
import { cartCount, cartTotal, quantityLimit, removeFromCart, stepQuantity, stockProblem, type CartLine } from './cart';
import { useCart } from './CartContext';

/**
 * The cart as a drawer over the page, opened from the header: the lines with steppers capped by live stock (the cart
 * page's rules and query), the subtotal, and the way on to the cart page or checkout. A modal dialog: focus stays inside,
 * Escape or the backdrop closes it, and focus returns to the cart button.
 */
export function MiniCart({ onClose }: { onClose: () => void }) {
  const { cart } = useCart();
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [problems, setProblems] = useState<Record<string, string | null>>({});
  useFocusTrap(panel, true, onClose);
  const blocked = cart.lines.some((line) => problems[line.productId]);
  const locked = !!cart.placedOrderId;

  return (
    <div className="drawer-backdrop" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="drawer" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={panel} data-testid="mini-cart">
        <div className="drawer-head">
          <h2 id={titleId}>Your cart ({cartCount(cart)} {cartCount(cart) === 1 ? 'item' : 'items'})</h2>
          <button type="button" className="secondary" onClick={onClose} aria-label="Close cart">Close</button>
        </div>
        {cart.lines.length === 0
          ? <p className="state empty">Your cart is empty.</p>
          : (
            <ul className="mini-lines">
              {cart.lines.map((line) => (
                <MiniCartLine key={line.productId} line={line} locked={locked} onClose={onClose}
                  onProblem={(problem) => setProblems((p) => (p[line.productId] === problem ? p : { ...p, [line.productId]: problem }))} />
              ))}
            </ul>
          )}
        {locked && <p className="notice">This cart became <Link to={`/orders/${cart.placedOrderId}`} onClick={onClose}>order #{cart.placedOrderId}</Link>; it is kept until the order is confirmed.</p>}
        <p className="total">Subtotal <strong data-testid="mini-cart-subtotal">{formatPrice(cartTotal(cart))}</strong> <span className="muted">(shipping and tax at checkout)</span></p>
        {blocked && <p role="status" className="field-error">Fix the quantities above to check out.</p>}
        <div className="actions">
          <Link className="button secondary" to="/cart" onClick={onClose}>View cart</Link>
          {cart.lines.length > 0 && !locked && !blocked && <Link className="button" to="/checkout" onClick={onClose}>Check out</Link>}
        </div>
      </div>
    </div>
  );
}

function MiniCartLine({ line, locked, onClose, onProblem }: { line: CartLine; locked: boolean; onClose: () => void; onProblem: (problem: string | null) => void }) {
  const { update } = useCart();
  const { data } = useQuery(CartLineStockQuery, { variables: { id: line.productId }, pollInterval: CART_STOCK_POLL_MS, fetchPolicy: 'cache-and-network' });
  const available = data?.product?.stock?.available;
  const limit = quantityLimit(available);
  const problem = stockProblem(line, available);
  useEffect(() => onProblem(problem), [problem]);

  return (
    <li data-testid="mini-cart-line">
      <div className="mini-line-head">
        <Link to={`/products/${line.productId}`} onClick={onClose}>{line.name}</Link>
        <span>{formatPrice(line.unitPrice * line.quantity)}</span>
      </div>
      {problem && <p role="alert" className="field-error">{problem}</p>}
      <div className="mini-line-controls">
        <div className="stepper">
          <button type="button" aria-label={`One fewer ${line.name}`} disabled={locked || line.quantity <= 1}
            onClick={() => update((c) => stepQuantity(c, line.productId, -1, limit))}>−</button>
          <output aria-label={`Quantity of ${line.name}`} aria-live="polite" data-testid="mini-cart-quantity">{line.quantity}</output>
          <button type="button" aria-label={`One more ${line.name}`} disabled={locked || line.quantity >= limit}
            onClick={() => update((c) => stepQuantity(c, line.productId, 1, limit))}>+</button>
        </div>
        {available != null && !problem && <span className="muted">{available} in stock</span>}
        <button type="button" className="link" disabled={locked} onClick={() => update((c) => removeFromCart(c, line.productId))}>
          Remove<span className="sr-only"> {line.name}</span>
        </button>
      </div>
    </li>
  );
}
