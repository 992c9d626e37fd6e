export const MAX_QUANTITY = 100;

export interface CartLine {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
  /**
   * Idempotency key of the order this cart is about to become. It survives retries of the same
   * checkout (double clicks, lost responses) and is replaced whenever the contents change,
   * because a different cart is a different intended order.
   */
  checkoutKey: string | null;
  /**
   * The order this cart became, until the checkout saga settles it: the cart is kept (and locked) meanwhile, emptied
   * when that order is Confirmed and unlocked again when it is Rejected.
   */
  placedOrderId?: string | null;
}

export const emptyCart: Cart = { lines: [], checkoutKey: null, placedOrderId: null };

const clamp = (quantity: number) => Math.max(0, Math.min(MAX_QUANTITY, Math.trunc(quantity)));

/** The most of one product a shopper may pick: what is available (when known), and never above MAX_QUANTITY. */
export function quantityLimit(available: number | null | undefined): number {
  return available == null ? MAX_QUANTITY : Math.max(1, Math.min(MAX_QUANTITY, Math.trunc(available)));
}

/** A quantity typed into a selector, as a whole number from 1 to `limit` (empty or invalid input counts as 1). */
export function clampQuantity(quantity: number, limit: number = MAX_QUANTITY): number {
  return Number.isFinite(quantity) ? Math.max(1, Math.min(limit, Math.trunc(quantity))) : 1;
}

export function addToCart(cart: Cart, product: Omit<CartLine, 'quantity'>, quantity = 1): Cart {
  const existing = cart.lines.find((line) => line.productId === product.productId);
  const lines = existing
    ? cart.lines.map((line) => (line === existing ? { ...line, quantity: clamp(line.quantity + quantity) } : line))
    : [...cart.lines, { ...product, quantity: clamp(quantity) }];
  return { lines: lines.filter((line) => line.quantity > 0), checkoutKey: null, placedOrderId: null };
}

/** Sets a line's quantity, from 1 to `limit`: a quantity never removes a line, only removeFromCart does. */
export function setQuantity(cart: Cart, productId: string, quantity: number, limit: number = MAX_QUANTITY): Cart {
  const lines = cart.lines.map((line) => (line.productId === productId ? { ...line, quantity: clampQuantity(quantity, limit) } : line));
  return { lines, checkoutKey: null, placedOrderId: null };
}

/** One step of a quantity stepper, kept between 1 and `limit`. */
export function stepQuantity(cart: Cart, productId: string, delta: number, limit: number = MAX_QUANTITY): Cart {
  const line = cart.lines.find((l) => l.productId === productId);
  return line ? setQuantity(cart, productId, line.quantity + delta, limit) : cart;
}

/**
 * A quantity as typed into the cart: a whole number kept from 1 to `limit` (-3 becomes 1); null for anything that is not
 * a number, which leaves the line as it was. Typing never removes a line.
 */
export function parseQuantityInput(text: string, limit: number = MAX_QUANTITY): number | null {
  const trimmed = text.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) return null;
  return clampQuantity(Number(trimmed), limit);
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return { lines: cart.lines.filter((line) => line.productId !== productId), checkoutKey: null, placedOrderId: null };
}

/** What the shopper must change before checking out, when fewer units are available than the line asks for. */
export function stockProblem(line: CartLine, available: number | null | undefined): string | null {
  if (available == null || available >= line.quantity) return null;
  if (available <= 0) return `${line.name} is out of stock now. Remove it to check out.`;
  return `Only ${available} of ${line.name} ${available === 1 ? 'is' : 'are'} in stock now; you have ${line.quantity}. Lower the quantity to check out.`;
}

/** The cart became this order: kept as it is until the order settles. */
export function markPlaced(cart: Cart, orderId: string): Cart {
  return { ...cart, placedOrderId: orderId };
}

/** The order the cart became has settled: Confirmed empties the cart, Rejected unlocks it for another try. */
export function settleCart(cart: Cart, orderId: string, status: string): Cart {
  if (cart.placedOrderId !== orderId) return cart;
  if (status === 'CONFIRMED') return emptyCart;
  if (status === 'REJECTED') return { ...cart, checkoutKey: null, placedOrderId: null };
  return cart;
}

export interface OrderLineForRestore {
  quantity: number;
  unitPrice: number;
  product: { id: string; name?: string | null } | null;
}

/** A rejected order's lines back in the cart (when the cart no longer holds them), with a fresh checkout. */
export function restoreFromOrder(lines: OrderLineForRestore[]): Cart {
  return {
    lines: lines
      .filter((l) => l.product != null)
      .map((l) => ({ productId: l.product!.id, name: l.product!.name ?? `Product ${l.product!.id}`, unitPrice: l.unitPrice, quantity: clamp(l.quantity) }))
      .filter((l) => l.quantity > 0),
    checkoutKey: null,
    placedOrderId: null,
  };
}

export function cartTotal(cart: Cart): number {
  // Sum in cents so 0.1 + 0.2 style drift never shows up in a displayed total.
  return cart.lines.reduce((cents, line) => cents + Math.round(line.unitPrice * 100) * line.quantity, 0) / 100;
}

export function cartCount(cart: Cart): number {
  return cart.lines.reduce((count, line) => count + line.quantity, 0);
}

export function withCheckoutKey(cart: Cart, newKey: () => string): Cart {
  return cart.checkoutKey ? cart : { ...cart, checkoutKey: newKey() };
}

export function toPlaceOrderLines(cart: Cart): { productId: string; quantity: number }[] {
  return cart.lines.map(({ productId, quantity }) => ({ productId, quantity }));
}

export function parseCart(json: string | null): Cart {
  if (!json) return emptyCart;
  try {
    const value = JSON.parse(json) as Partial<Cart>;
    const lines = Array.isArray(value.lines)
      ? value.lines.filter(
          (line): line is CartLine =>
            typeof line?.productId === 'string' &&
            typeof line.name === 'string' &&
            typeof line.unitPrice === 'number' &&
            Number.isInteger(line.quantity) &&
            line.quantity > 0 &&
            line.quantity <= MAX_QUANTITY,
        )
      : [];
    return {
      lines,
      checkoutKey: typeof value.checkoutKey === 'string' ? value.checkoutKey : null,
      placedOrderId: typeof value.placedOrderId === 'string' ? value.placedOrderId : null,
    };
  } catch {
    return emptyCart;
  }
}
