import type { ProductFilter, ProductOrder } from '../__generated__/graphql';

/** Sort keys as they appear in the URL (`?sort=`), each with the catalog's ProductOrder. */
export const SORTS = {
  featured: { label: 'Featured', orderBy: { field: 'ID', direction: 'ASC' } },
  newest: { label: 'Newest first', orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
  'name-asc': { label: 'Name: A to Z', orderBy: { field: 'NAME', direction: 'ASC' } },
  'price-asc': { label: 'Price: low to high', orderBy: { field: 'PRICE', direction: 'ASC' } },
  'price-desc': { label: 'Price: high to low', orderBy: { field: 'PRICE', direction: 'DESC' } },
  'rating-desc': { label: 'Rating: best first', orderBy: { field: 'RATING', direction: 'DESC' } },
} as const satisfies Record<string, { label: string; orderBy: ProductOrder }>;

export type SortKey = keyof typeof SORTS;

/** Minimum ratings offered by the filter ("4 stars & up" …). */
export const MIN_RATINGS = [4, 3, 2, 1] as const;

/** Everything that selects and orders the product list; the URL's query string holds it, so a view can be shared. */
export interface BrowseState {
  q: string;
  category: string;
  inStock: boolean;
  minPrice: number | null;
  maxPrice: number | null;
  minRating: number | null;
  sort: SortKey;
}

export const DEFAULT_BROWSE: BrowseState = { q: '', category: '', inStock: false, minPrice: null, maxPrice: null, minRating: null, sort: 'featured' };

// The catalog takes a search of at most this many characters into its LIKE pattern.
export const MAX_SEARCH_LENGTH = 100;

function amount(text: string | null): number | null {
  if (text == null || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? Math.round(value * 100) / 100 : null;
}

/** Reads the state from a query string; anything malformed (a negative price, an unknown sort) falls back to its default. */
export function parseBrowse(params: URLSearchParams): BrowseState {
  const sort = params.get('sort') ?? '';
  const rating = Number(params.get('minRating'));
  let minPrice = amount(params.get('minPrice'));
  let maxPrice = amount(params.get('maxPrice'));
  // A range typed backwards means the same range.
  if (minPrice != null && maxPrice != null && minPrice > maxPrice) [minPrice, maxPrice] = [maxPrice, minPrice];
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_SEARCH_LENGTH),
    category: params.get('category') ?? '',
    inStock: params.get('inStock') === '1',
    minPrice,
    maxPrice,
    minRating: (MIN_RATINGS as readonly number[]).includes(rating) ? rating : null,
    sort: Object.hasOwn(SORTS, sort) ? (sort as SortKey) : 'featured',
  };
}

/** The query string for a state: defaults are left out, so the plain list stays at `/`. */
export function browseParams(state: BrowseState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.category) params.set('category', state.category);
  if (state.inStock) params.set('inStock', '1');
  if (state.minPrice != null) params.set('minPrice', String(state.minPrice));
  if (state.maxPrice != null) params.set('maxPrice', String(state.maxPrice));
  if (state.minRating != null) params.set('minRating', String(state.minRating));
  if (state.sort !== 'featured') params.set('sort', state.sort);
  return params;
}

/** The catalog's `products` arguments for a state. */
export function browseVariables(state: BrowseState): { filter: ProductFilter; orderBy: ProductOrder } {
  const filter: ProductFilter = {};
  if (state.q) filter.search = state.q;
  if (state.category) filter.categoryId = state.category;
  if (state.inStock) filter.inStock = true;
  if (state.minPrice != null) filter.minPrice = state.minPrice;
  if (state.maxPrice != null) filter.maxPrice = state.maxPrice;
  if (state.minRating != null) filter.minRating = state.minRating;
  return { filter, orderBy: SORTS[state.sort].orderBy };
}

/** How many filters narrow the list (search and sort not counted), for the phone's "Filters (2)" toggle. */
export function activeFilterCount(state: BrowseState): number {
  return [state.category, state.inStock, state.minPrice != null, state.maxPrice != null, state.minRating != null].filter(Boolean).length;
}

/** The list's heading: "Products", or what was searched for. */
export function browseHeading(state: BrowseState): string {
  return state.q ? `Results for “${state.q}”` : 'Products';
}
