import { describe, expect, test } from 'vitest';
import { canGoTo, cardError, checkoutReducer, initialCheckout, toAddressInput, type CheckoutEvent, type CheckoutState } from '../src/checkout/checkoutMachine';

const home = { name: 'Ada Lovelace', line1: '12 Market St', line2: '', city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' };
const run = (events: CheckoutEvent[], state: CheckoutState = initialCheckout) => events.reduce(checkoutReducer, state);

describe('checkout state machine', () => {
  test('Next_Should_StayOnAddressWithAnErrorPerField_When_AddressIncomplete', () => {
    // act
    const state = run([{ type: 'editAddress', field: 'name', value: '  ' }, { type: 'next' }]);
    // assert
    expect(state.step).toBe('address');
    expect(Object.keys(state.errors).sort()).toEqual(['city', 'line1', 'name', 'postalCode', 'region']);
  });

  test('Next_Should_WalkAddressShippingPaymentReview_When_EachStepIsComplete', () => {
    // act
    const steps = [
      { type: 'pickSaved', id: '3', address: home },
      { type: 'next' },
      { type: 'chooseShipping', method: 'EXPRESS' },
      { type: 'next' },
      { type: 'editCard', value: '4242 4242 4242 4242' },
      { type: 'next' },
    ] satisfies CheckoutEvent[];
    const visited = steps.map((_, i) => run(steps.slice(0, i + 1)).step);
    // assert
    expect(visited).toEqual(['address', 'shipping', 'shipping', 'payment', 'payment', 'review']);
  });

  test('Next_Should_StayOnShipping_When_NoMethodChosen', () => {
    // act
    const state = run([{ type: 'pickSaved', id: '3', address: home }, { type: 'next' }, { type: 'next' }]);
    // assert
    expect(state.step).toBe('shipping');
    expect(state.errors.shippingMethod).toBe('Choose a shipping method.');
  });

  test('CardError_Should_CatchMalformedAndMistypedNumbers_When_Typed', () => {
    // act + assert
    expect(cardError('4242 4242 4242 4242')).toBeNull();
    expect(cardError('4000-0000-0000-0002')).toBeNull();
    expect(cardError('4242 abcd')).toBe('Enter the card number: 12 to 19 digits.');
    expect(cardError('4242 4242 4242 4241')).toBe('This card number looks mistyped; check the digits.');
  });

  test('GoTo_Should_RefuseToSkipAhead_When_AnEarlierStepIsIncomplete', () => {
    // arrange
    const atShipping = run([{ type: 'pickSaved', id: '3', address: home }, { type: 'next' }]);
    // act
    const skipped = checkoutReducer(atShipping, { type: 'goTo', step: 'review' });
    const back = checkoutReducer(atShipping, { type: 'goTo', step: 'address' });
    // assert
    expect(skipped.step).toBe('shipping');
    expect(canGoTo(atShipping, 'payment')).toBe(false);
    expect(back.step).toBe('address');
  });

  test('EditAddress_Should_ForgetTheSavedChoice_When_AFieldChanges', () => {
    // act
    const state = run([{ type: 'pickSaved', id: '3', address: home }, { type: 'editAddress', field: 'city', value: 'Oakland' }]);
    // assert
    expect(state.savedAddressId).toBeNull();
    expect(toAddressInput(state.address)).toEqual({ ...home, line2: null, city: 'Oakland' });
  });
});
