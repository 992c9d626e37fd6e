/**
 * The checkout's steps as a pure state machine: address -> shipping -> payment -> review. Each step is checked here only
 * so the shopper hears about an empty field at once; the server checks everything again and prices the order itself.
 */
export type CheckoutStep = 'address' | 'shipping' | 'payment' | 'review';

export const STEPS: CheckoutStep[] = ['address', 'shipping', 'payment', 'review'];

export interface AddressFields {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export const blankAddress: AddressFields = { name: '', line1: '', line2: '', city: '', region: '', postalCode: '', country: 'US' };

export interface CheckoutState {
  step: CheckoutStep;
  address: AddressFields;
  /** The saved address picked, or null for a new one typed in. */
  savedAddressId: string | null;
  saveAddress: boolean;
  shippingMethod: string | null;
  cardNumber: string;
  errors: Partial<Record<string, string>>;
}

export const initialCheckout: CheckoutState = {
  step: 'address',
  address: blankAddress,
  savedAddressId: null,
  saveAddress: false,
  shippingMethod: null,
  cardNumber: '',
  errors: {},
};

export type CheckoutEvent =
  | { type: 'pickSaved'; id: string; address: AddressFields }
  | { type: 'newAddress' }
  | { type: 'editAddress'; field: keyof AddressFields; value: string }
  | { type: 'toggleSave'; save: boolean }
  | { type: 'chooseShipping'; method: string }
  | { type: 'editCard'; value: string }
  | { type: 'next' }
  | { type: 'goTo'; step: CheckoutStep };

const REQUIRED: [keyof AddressFields, string][] = [
  ['name', 'Enter the recipient’s name.'],
  ['line1', 'Enter the street address.'],
  ['city', 'Enter the city.'],
  ['postalCode', 'Enter the postal code.'],
];

export function addressErrors(address: AddressFields): Partial<Record<string, string>> {
  const errors: Partial<Record<string, string>> = {};
  for (const [field, message] of REQUIRED) if (!address[field].trim()) errors[field] = message;
  if (!/^[A-Za-z]{2}$/.test(address.country.trim())) errors.country = 'Choose a country.';
  if (address.country.trim().toUpperCase() === 'US' && !/^[A-Za-z]{2}$/.test(address.region.trim()))
    errors.region = 'Enter the state as two letters, e.g. CA.';
  return errors;
}

/** The digits of a card number as typed with spaces or dashes; null when anything else is in it. */
export function cardDigits(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) ? digits : null;
}

export function cardError(value: string): string | null {
  const digits = cardDigits(value);
  if (digits == null || digits.length < 12 || digits.length > 19) return 'Enter the card number: 12 to 19 digits.';
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0 ? null : 'This card number looks mistyped; check the digits.';
}

function stepErrors(state: CheckoutState): Partial<Record<string, string>> {
  switch (state.step) {
    case 'address':
      return addressErrors(state.address);
    case 'shipping':
      return state.shippingMethod ? {} : { shippingMethod: 'Choose a shipping method.' };
    case 'payment': {
      const error = cardError(state.cardNumber);
      return error ? { cardNumber: error } : {};
    }
    case 'review':
      return {};
  }
}

/** Whether every step before `step` is complete, so the shopper may jump there. */
export function canGoTo(state: CheckoutState, step: CheckoutStep): boolean {
  const target = STEPS.indexOf(step);
  return STEPS.slice(0, target).every((s) => Object.keys(stepErrors({ ...state, step: s })).length === 0);
}

export function checkoutReducer(state: CheckoutState, event: CheckoutEvent): CheckoutState {
  switch (event.type) {
    case 'pickSaved':
      return { ...state, savedAddressId: event.id, address: event.address, saveAddress: false, errors: {} };
    case 'newAddress':
      return { ...state, savedAddressId: null, address: blankAddress, errors: {} };
    case 'editAddress':
      return { ...state, savedAddressId: null, address: { ...state.address, [event.field]: event.value }, errors: { ...state.errors, [event.field]: undefined } };
    case 'toggleSave':
      return { ...state, saveAddress: event.save };
    case 'chooseShipping':
      return { ...state, shippingMethod: event.method, errors: {} };
    case 'editCard':
      return { ...state, cardNumber: event.value, errors: {} };
    case 'next': {
      const errors = stepErrors(state);
      if (Object.keys(errors).length > 0) return { ...state, errors };
      const next = STEPS[Math.min(STEPS.indexOf(state.step) + 1, STEPS.length - 1)];
      return { ...state, step: next, errors: {} };
    }
    case 'goTo':
      return canGoTo(state, event.step) ? { ...state, step: event.step, errors: {} } : state;
  }
}

/** The address as placeOrder and addAddress take it: optional lines left out when blank, the country upper-cased. */
export function toAddressInput(address: AddressFields) {
  return {
    name: address.name.trim(),
    line1: address.line1.trim(),
    line2: address.line2.trim() || null,
    city: address.city.trim(),
    region: address.region.trim() || null,
    postalCode: address.postalCode.trim(),
    country: address.country.trim().toUpperCase(),
  };
}
