import { describe, expect, test } from 'vitest';
import { addToCart, cartCount, cartTotal, clampQuantity, emptyCart, MAX_QUANTITY, parseCart, quantityLimit, removeFromCart, setQuantity, toPlaceOrderLines, withCheckoutKey } from '../src/cart/cart';

const mug = { productId: '7', name: 'Mug', unitPrice: 0.1 };
const pen = { productId: '9', name: 'Pen', unitPrice: 0.2 };

describe('cart', () => {
  test('AddToCart_Should_MergeQuantities_When_ProductAlreadyInCart', () => {
    // arrange
    const cart = addToCart(emptyCart, mug, 2);
    // act
    const next = addToCart(cart, mug, 3);
    // assert
    expect(next.lines).toEqual([{ ...mug, quantity: 5 }]);
  });

  test('AddToCart_Should_CapAtOneHundred_When_QuantityExceedsWhatPlaceOrderAccepts', () => {
    // arrange
    const cart = addToCart(emptyCart, mug, 99);
    // act
    const next = addToCart(cart, mug, 5);
    // assert
    expect(next.lines[0].quantity).toBe(100);
  });

  test('CartTotal_Should_AddInCents_When_PricesAreNotExactInBinary', () => {
    // arrange
    const cart = addToCart(addToCart(emptyCart, mug, 1), pen, 1);
    // act
    const total = cartTotal(cart);
    // assert
    expect(total).toBe(0.3);
    expect(cartCount(cart)).toBe(2);
  });

  test('SetQuantity_Should_RemoveLine_When_QuantityIsZero', () => {
    // arrange
    const cart = addToCart(addToCart(emptyCart, mug, 1), pen, 4);
    // act
    const next = setQuantity(cart, '7', 0);
    // assert
    expect(next.lines.map((l) => l.productId)).toEqual(['9']);
    expect(removeFromCart(next, '9').lines).toEqual([]);
  });

  test('WithCheckoutKey_Should_KeepKey_When_CheckoutIsRetriedWithSameContents', () => {
    // arrange
    let issued = 0;
    const newKey = () => `key-${++issued}`;
    const first = withCheckoutKey(addToCart(emptyCart, mug), newKey);
    // act
    const retried = withCheckoutKey(first, newKey);
    // assert
    expect(retried.checkoutKey).toBe('key-1');
    expect(issued).toBe(1);
  });

  test('WithCheckoutKey_Should_IssueNewKey_When_ContentsChangedAfterFailedCheckout', () => {
    // arrange
    let issued = 0;
    const newKey = () => `key-${++issued}`;
    const first = withCheckoutKey(addToCart(emptyCart, mug), newKey);
    // act
    const changed = withCheckoutKey(setQuantity(first, '7', 2), newKey);
    // assert
    expect(changed.checkoutKey).toBe('key-2');
    expect(toPlaceOrderLines(changed)).toEqual([{ productId: '7', quantity: 2 }]);
  });

  test('ParseCart_Should_DropInvalidLines_When_StorageWasTamperedWith', () => {
    // arrange
    const stored = JSON.stringify({ lines: [{ ...mug, quantity: 2 }, { ...pen, quantity: 0 }, { productId: 3 }, { ...pen, quantity: 1.5 }], checkoutKey: 5 });
    // act
    const cart = parseCart(stored);
    // assert
    expect(cart).toEqual({ lines: [{ ...mug, quantity: 2 }], checkoutKey: null });
    expect(parseCart('{not json')).toEqual(emptyCart);
    expect(parseCart(null)).toEqual(emptyCart);
  });
});

describe('quantity selector limits', () => {
  test('the limit is what is available, within 1..MAX_QUANTITY', () => {
    expect(quantityLimit(3)).toBe(3);
    expect(quantityLimit(500)).toBe(MAX_QUANTITY);
    expect(quantityLimit(null)).toBe(MAX_QUANTITY);
    expect(quantityLimit(0)).toBe(1);
  });

  test('typed quantities become whole numbers within the limit', () => {
    expect(clampQuantity(-3, 10)).toBe(1);
    expect(clampQuantity(2.7, 10)).toBe(2);
    expect(clampQuantity(50, 10)).toBe(10);
    expect(clampQuantity(Number(''), 10)).toBe(1);
    expect(clampQuantity(Number.NaN, 10)).toBe(1);
  });
});
