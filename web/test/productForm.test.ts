import { describe, expect, it } from 'vitest';
import { fieldErrorsOf, validateDelta, validateProduct } from '../src/dashboard/admin/productForm';

const draft = { name: ' Oak desk ', description: 'Solid oak.', price: '249.50', categoryId: '4' };

describe('validateProduct', () => {
  it('trims and converts a valid draft', () => {
    expect(validateProduct(draft)).toEqual({ input: { name: 'Oak desk', description: 'Solid oak.', price: 249.5, categoryId: '4' }, errors: {} });
    expect(validateProduct({ ...draft, price: '$1,249.99' }).input?.price).toBe(1249.99);
  });

  it('says what to fix for each field', () => {
    const { input, errors } = validateProduct({ name: '  ', description: 'x'.repeat(4001), price: '12.345', categoryId: '' });
    expect(input).toBeUndefined();
    expect(errors).toEqual({
      name: 'Enter a name.',
      description: 'Use at most 4000 characters (now 4001).',
      price: 'Enter a price in dollars with at most two decimals, e.g. 19.99.',
      categoryId: 'Choose a category.',
    });
    expect(validateProduct({ ...draft, price: '0' }).errors.price).toBe('The price must be more than $0 and at most $1,000,000.');
    expect(validateProduct({ ...draft, price: 'abc' }).errors.price).toMatch(/^Enter a price/);
    expect(validateProduct({ ...draft, price: '' }).errors.price).toBe('Enter a price in dollars, e.g. 19.99.');
  });
});

describe('validateDelta', () => {
  it('accepts signed whole numbers that keep reserved units on hand', () => {
    expect(validateDelta('+5', 3, 1)).toEqual({ delta: 5 });
    expect(validateDelta('-2', 3, 1)).toEqual({ delta: -2 });
  });

  it('refuses zero, fractions, text and removing reserved units', () => {
    expect(validateDelta('0', 3, 1).error).toBe('Enter a number other than 0.');
    expect(validateDelta('1.5', 3, 1).error).toMatch(/whole number/);
    expect(validateDelta('lots', 3, 1).error).toMatch(/whole number/);
    expect(validateDelta('-3', 3, 1).error).toBe('At most 2 can be removed: 1 of the 3 on hand are reserved for placed orders.');
  });
});

describe('fieldErrorsOf', () => {
  it('puts server errors beside their field and the rest on the form', () => {
    expect(fieldErrorsOf([
      { code: 'VALIDATION', message: 'Price must have at most two decimal places.', field: ['input', 'price'] },
      { code: 'NOT_FOUND', message: 'Product 9 does not exist.', field: null },
      { code: 'INSUFFICIENT_STOCK', message: 'Cannot remove 5 units: 3 on hand, 1 reserved.', field: ['delta'] },
    ])).toEqual({
      price: 'Price must have at most two decimal places.',
      form: 'Product 9 does not exist. It may have been removed; go back to the product list.',
      delta: 'Cannot remove 5 units: 3 on hand, 1 reserved.',
    });
  });
});
