import { describe, expect, test } from 'vitest';
import { addToCart, cartCount, cartTotal, clampQuantity, emptyCart, markPlaced, MAX_QUANTITY, parseCart, parseQuantityInput, quantityLimit, removeFromCart, restoreFromOrder, setQuantity, settleCart, stepQuantity, stockProblem, toPlaceOrderLines, withCheckoutKey } from '../src/cart/cart';

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

  test('SetQuantity_Should_KeepTheLineAtOne_When_QuantityIsZeroOrNegative', () => {
    // arrange
    const cart = addToCart(addToCart(emptyCart, mug, 1), pen, 4);
    // act
    const zero = setQuantity(cart, '7', 0);
    const negative = setQuantity(cart, '9', -3);
    // assert
    expect(zero.lines.map((l) => [l.productId, l.quantity])).toEqual([['7', 1], ['9', 4]]);
    expect(negative.lines.map((l) => [l.productId, l.quantity])).toEqual([['7', 1], ['9', 1]]);
    expect(removeFromCart(removeFromCart(zero, '9'), '7').lines).toEqual([]);
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
    expect(cart).toEqual({ lines: [{ ...mug, quantity: 2 }], checkoutKey: null, placedOrderId: null });
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

  test('StepQuantity_Should_StopAtAvailableStock_When_SteppingUp', () => {
    // arrange
    const cart = addToCart(emptyCart, mug, 2);
    // act
    const up = stepQuantity(stepQuantity(cart, '7', 1, 3), '7', 1, 3);
    const down = stepQuantity(stepQuantity(cart, '7', -1, 3), '7', -1, 3);
    // assert
    expect(up.lines[0].quantity).toBe(3);
    expect(down.lines[0].quantity).toBe(1);
  });

  test('ParseQuantityInput_Should_NeverDeleteALine_When_TypedNegativeOrGarbage', () => {
    // act + assert
    expect(parseQuantityInput('-3', 92)).toBe(1);
    expect(parseQuantityInput('0', 92)).toBe(1);
    expect(parseQuantityInput('100', 92)).toBe(92);
    expect(parseQuantityInput(' 4 ', 92)).toBe(4);
    expect(parseQuantityInput('abc', 92)).toBeNull();
    expect(parseQuantityInput('', 92)).toBeNull();
    expect(parseQuantityInput('2.5', 92)).toBeNull();
  });

  test('StockProblem_Should_Explain_When_AvailableDropsBelowTheCartQuantity', () => {
    // arrange
    const line = { ...mug, quantity: 5 };
    // act + assert
    expect(stockProblem(line, 3)).toBe('Only 3 of Mug are in stock now; you have 5. Lower the quantity to check out.');
    expect(stockProblem(line, 0)).toBe('Mug is out of stock now. Remove it to check out.');
    expect(stockProblem(line, 5)).toBeNull();
    expect(stockProblem(line, null)).toBeNull();
  });

  test('SettleCart_Should_EmptyOnConfirmedAndUnlockOnRejected_When_ItIsTheCartsOrder', () => {
    // arrange
    const placed = markPlaced(withCheckoutKey(addToCart(emptyCart, mug, 2), () => 'key-1'), '41');
    // act
    const pending = settleCart(placed, '41', 'PLACED');
    const confirmed = settleCart(placed, '41', 'CONFIRMED');
    const rejected = settleCart(placed, '41', 'REJECTED');
    const otherOrder = settleCart(placed, '40', 'CONFIRMED');
    // assert
    expect(pending).toBe(placed);
    expect(confirmed).toEqual(emptyCart);
    expect(rejected).toEqual({ lines: [{ ...mug, quantity: 2 }], checkoutKey: null, placedOrderId: null });
    expect(otherOrder).toBe(placed);
  });

  test('RestoreFromOrder_Should_RefillTheCart_When_ARejectedOrderIsRestored', () => {
    // act
    const cart = restoreFromOrder([
      { quantity: 2, unitPrice: 0.1, product: { id: '7', name: 'Mug' } },
      { quantity: 1, unitPrice: 3, product: null },
    ]);
    // assert
    expect(cart).toEqual({ lines: [{ ...mug, quantity: 2 }], checkoutKey: null, placedOrderId: null });
  });
});
