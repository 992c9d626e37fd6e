import { describe, expect, it } from 'vitest';
import { addressLine, errorsByField, passwordFormErrors } from '../src/account/account';

describe('change password form', () => {
  const valid = { currentPassword: 'Shopper123!', newPassword: 'Better4567', confirmPassword: 'Better4567' };

  it('accepts a new password that follows the registration rules and is confirmed', () => {
    expect(passwordFormErrors(valid)).toEqual({});
  });

  it('applies the server rules: length, a letter and a digit, not the current one', () => {
    expect(passwordFormErrors({ ...valid, newPassword: 'ab1', confirmPassword: 'ab1' }).newPassword).toBe('Use 8 to 128 characters.');
    expect(passwordFormErrors({ ...valid, newPassword: 'x1'.repeat(65), confirmPassword: 'x1'.repeat(65) }).newPassword).toBe('Use 8 to 128 characters.');
    expect(passwordFormErrors({ ...valid, newPassword: 'onlyletters', confirmPassword: 'onlyletters' }).newPassword).toBe('Use at least one letter and one digit.');
    expect(passwordFormErrors({ ...valid, newPassword: '1234567890', confirmPassword: '1234567890' }).newPassword).toBe('Use at least one letter and one digit.');
    expect(passwordFormErrors({ ...valid, newPassword: 'Shopper123!', confirmPassword: 'Shopper123!' }).newPassword).toBe('Choose a password different from the current one.');
    expect(passwordFormErrors({ ...valid, newPassword: 'Ünïcode99', confirmPassword: 'Ünïcode99' })).toEqual({});
  });

  it('asks for the current password and a matching confirmation', () => {
    expect(passwordFormErrors({ ...valid, currentPassword: '' })).toEqual({ currentPassword: 'Enter your current password.' });
    expect(passwordFormErrors({ ...valid, confirmPassword: 'Better4568' })).toEqual({ confirmPassword: 'The two new passwords do not match.' });
  });
});

describe('server errors by field', () => {
  it('puts each error under the last segment of its field path and keeps the rest apart', () => {
    const result = errorsByField([
      { message: 'The current password is incorrect.', field: ['input', 'currentPassword'] },
      { message: 'Too short.', field: ['input', 'newPassword'] },
      { message: 'Second message for the same field.', field: ['input', 'newPassword'] },
      { message: 'Your account no longer exists.', field: null },
    ], ['currentPassword', 'newPassword'] as const);
    expect(result.byField).toEqual({ currentPassword: 'The current password is incorrect.', newPassword: 'Too short.' });
    expect(result.other).toEqual(['Second message for the same field.', 'Your account no longer exists.']);
  });
});

describe('address line', () => {
  it('leaves out empty optional parts', () => {
    expect(addressLine({ name: 'Ada', line1: '12 Market St', line2: null, city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' }))
      .toBe('Ada, 12 Market St, San Francisco CA 94103, US');
    expect(addressLine({ name: 'Ada', line1: '1 Rue', line2: 'Apt 4', city: 'Paris', region: null, postalCode: '75001', country: 'FR' }))
      .toBe('Ada, 1 Rue, Apt 4, Paris 75001, FR');
  });
});
