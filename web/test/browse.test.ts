import { describe, expect, test } from 'vitest';
import { activeFilterCount, browseHeading, browseParams, browseVariables, DEFAULT_BROWSE, parseBrowse } from '../src/catalog/browse';

const parse = (query: string) => parseBrowse(new URLSearchParams(query));

describe('catalog browse state in the URL', () => {
  test('an empty query string is the default list', () => {
    expect(parse('')).toEqual(DEFAULT_BROWSE);
    expect(browseParams(DEFAULT_BROWSE).toString()).toBe('');
    expect(browseVariables(DEFAULT_BROWSE)).toEqual({ filter: {}, orderBy: { field: 'ID', direction: 'ASC' } });
  });

  test('every filter and sort survives a round trip through the URL', () => {
    const state = { q: 'bamboo', category: '3', inStock: true, minPrice: 10, maxPrice: 99.5, minRating: 4, sort: 'newest' as const };
    const query = browseParams(state).toString();
    expect(query).toBe('q=bamboo&category=3&inStock=1&minPrice=10&maxPrice=99.5&minRating=4&sort=newest');
    expect(parse(query)).toEqual(state);
  });

  test('the state becomes the catalog filter and order', () => {
    expect(browseVariables(parse('q=lamp&minPrice=5&maxPrice=20&minRating=3&sort=name-asc'))).toEqual({
      filter: { search: 'lamp', minPrice: 5, maxPrice: 20, minRating: 3 },
      orderBy: { field: 'NAME', direction: 'ASC' },
    });
    expect(browseVariables(parse('sort=newest')).orderBy).toEqual({ field: 'CREATED_AT', direction: 'DESC' });
  });

  test('malformed values fall back to their defaults', () => {
    expect(parse('minPrice=-3&maxPrice=abc&minRating=7&sort=cheapest&inStock=yes')).toEqual(DEFAULT_BROWSE);
    expect(parse('sort=__proto__').sort).toBe('featured');
    expect(parse('minRating=2.5').minRating).toBeNull();
  });

  test('a range typed backwards is the same range, and prices are kept to cents', () => {
    const state = parse('minPrice=50&maxPrice=10.129');
    expect([state.minPrice, state.maxPrice]).toEqual([10.13, 50]);
  });

  test('the search text is trimmed and capped at the catalog limit', () => {
    expect(parse('q=%20%20desk%20').q).toBe('desk');
    expect(parse(`q=${'x'.repeat(150)}`).q).toHaveLength(100);
    expect(parse('q=%20%20')).toEqual(DEFAULT_BROWSE);
  });

  test('filters are counted for the phone toggle; search and sort are not filters', () => {
    expect(activeFilterCount(parse('q=x&sort=newest'))).toBe(0);
    expect(activeFilterCount(parse('category=1&inStock=1&minPrice=1&maxPrice=2&minRating=4'))).toBe(5);
  });

  test('the heading says what was searched for', () => {
    expect(browseHeading(parse(''))).toBe('Products');
    expect(browseHeading(parse('q=desk'))).toBe('Results for “desk”');
  });
});
