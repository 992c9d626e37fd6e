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
}

export const emptyCart: Cart = { lines: [], checkoutKey: null };

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
  return { lines: lines.filter((line) => line.quantity > 0), checkoutKey: null };
}

export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  const lines = cart.lines
    .map((line) => (line.productId === productId ? { ...line, quantity: clamp(quantity) } : line))
    .filter((line) => line.quantity > 0);
  return { lines, checkoutKey: null };
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return setQuantity(cart, productId, 0);
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
    return { lines, checkoutKey: typeof value.checkoutKey === 'string' ? value.checkoutKey : null };
  } catch {
    return emptyCart;
  }
}
