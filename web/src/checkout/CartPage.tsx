import { useMutation } from '@apollo/client/react';
import { Link, useNavigate } from 'react-router';
import { graphql } from '../__generated__';
import { loginPath } from '../account/access';
import { useSession } from '../account/SessionContext';
import { cartTotal, emptyCart, MAX_QUANTITY, removeFromCart, setQuantity, toPlaceOrderLines, withCheckoutKey } from '../cart/cart';
import { useCart } from '../cart/CartContext';
import { formatPrice } from '../format/format';
import { Empty, ErrorBanner, UserErrors } from '../ui/States';
import { usePageTitle } from '../ui/title';

const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String!) {
    placeOrder(input: $input, idempotencyKey: $idempotencyKey) {
      order { id status total placedAt }
      errors { code message field }
    }
  }
`);

export function CartPage() {
  const { cart, update } = useCart();
  const { session } = useSession();
  const navigate = useNavigate();
  const [placeOrder, { data, loading, error }] = useMutation(PlaceOrderMutation, { refetchQueries: ['MyOrders'] });

  usePageTitle('Cart');

  const checkout = async () => {
    if (!session) return;
    const keyed = withCheckoutKey(cart, () => crypto.randomUUID());
    update(() => keyed);
    const result = await placeOrder({
      variables: { input: { lines: toPlaceOrderLines(keyed) }, idempotencyKey: keyed.checkoutKey! },
    });
    const order = result.data?.placeOrder.order;
    if (order) {
      update(() => emptyCart);
      navigate(`/orders/${order.id}`);
    }
  };

  if (cart.lines.length === 0) return <section><h1>Cart</h1><Empty>Your cart is empty. <Link to="/">Browse products</Link></Empty></section>;
  return (
    <section>
      <h1>Cart</h1>
      <table className="cart">
        <thead><tr><th>Product</th><th>Price</th><th>Quantity</th><th /></tr></thead>
        <tbody>
          {cart.lines.map((line) => (
            <tr key={line.productId} data-testid="cart-line">
              <td><Link to={`/products/${line.productId}`}>{line.name}</Link></td>
              <td>{formatPrice(line.unitPrice)}</td>
              <td>
                <input type="number" min={1} max={MAX_QUANTITY} value={line.quantity} aria-label={`Quantity of ${line.name}`}
                  onChange={(e) => update((c) => setQuantity(c, line.productId, Number(e.target.value) || 1))} />
              </td>
              <td><button onClick={() => update((c) => removeFromCart(c, line.productId))}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total" data-testid="cart-total">Total: {formatPrice(cartTotal(cart))}</p>
      {session
        ? <button onClick={() => void checkout()} disabled={loading}>{loading ? 'Placing order…' : 'Place order'}</button>
        : <p data-testid="sign-in-to-checkout"><Link to={loginPath('/cart')}>Sign in</Link> to check out; your cart stays here.</p>}
      <UserErrors errors={data?.placeOrder.errors} />
      <ErrorBanner error={error} />
    </section>
  );
}
