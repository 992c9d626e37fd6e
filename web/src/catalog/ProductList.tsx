import { useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { graphql } from '../__generated__';
import { formatPrice, formatRating } from '../format/format';
import { Breadcrumbs } from '../ui/Breadcrumbs';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { ProductImage } from './ProductImage';
import { activeFilterCount, type BrowseState, browseHeading, browseParams, browseVariables, DEFAULT_BROWSE, MIN_RATINGS, parseBrowse, type SortKey, SORTS } from './browse';

export const PAGE_SIZE = 20;

const CategoriesQuery = graphql(`
  query Categories {
    categories { id name slug }
  }
`);

const ProductsQuery = graphql(`
  query Products($first: Int!, $after: String, $filter: ProductFilter, $orderBy: ProductOrder) {
    products(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges {
        cursor
        node { id name price inStock rating reviewCount category { id name } image(size: THUMB) { url alt width height } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export function ProductList() {
  const [params, setParams] = useSearchParams();
  const state = parseBrowse(params);
  const [filtersOpen, setFiltersOpen] = useState(false);

  const categories = useQuery(CategoriesQuery);
  const categoryName = categories.data?.categories.find((c) => c.id === state.category)?.name;
  const { filter, orderBy } = browseVariables(state);
  const { data, loading, error, fetchMore, refetch } = useQuery(ProductsQuery, {
    variables: { first: PAGE_SIZE, filter, orderBy },
  });
  const connection = data?.products;
  const hasNextPage = connection?.pageInfo.hasNextPage ?? false;
  const heading = browseHeading(state);
  usePageTitle(state.q ? heading : categoryName ?? (state.category ? null : 'Shop'));

  const loadMore = () => {
    if (!loading && hasNextPage) void fetchMore({ variables: { after: connection!.pageInfo.endCursor } });
  };
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMoreRef = useRef(loadMore);
  loadMoreRef.current = loadMore;
  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => entries[0]?.isIntersecting && loadMoreRef.current(), { rootMargin: '200px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [connection != null]);

  const change = (patch: Partial<BrowseState>) => {
    setParams(browseParams({ ...state, ...patch }), { replace: true });
    // A new list starts at the top; otherwise the scroll sentinel would fetch its second page at once.
    window.scrollTo(0, 0);
  };
  const filters = activeFilterCount(state);

  return (
    <section>
      <Breadcrumbs trail={[
        ...(state.category ? [{ label: categoryName ?? 'Category', to: `/?category=${encodeURIComponent(state.category)}` }] : []),
        ...(state.q ? [{ label: `Search: ${state.q}` }] : []),
      ]} />
      <h1>{heading}</h1>
      <button type="button" className="filters-toggle" aria-expanded={filtersOpen} aria-controls="product-filters" onClick={() => setFiltersOpen(!filtersOpen)}>
        Filters and sort{filters > 0 ? ` (${filters})` : ''}
      </button>
      <div id="product-filters" className={filtersOpen ? 'filters open' : 'filters'}>
        <label>
          Category
          <select name="category" value={state.category} onChange={(e) => change({ category: e.target.value })}>
            <option value="">All categories</option>
            {categories.data?.categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <PriceRange key={`${state.minPrice}-${state.maxPrice}`} min={state.minPrice} max={state.maxPrice} onApply={(minPrice, maxPrice) => change({ minPrice, maxPrice })} />
        <label>
          Rating
          <select name="minRating" value={state.minRating ?? ''} onChange={(e) => change({ minRating: e.target.value ? Number(e.target.value) : null })}>
            <option value="">Any rating</option>
            {MIN_RATINGS.map((r) => <option key={r} value={r}>{r} stars & up</option>)}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" name="inStock" checked={state.inStock} onChange={(e) => change({ inStock: e.target.checked })} /> In stock only
        </label>
        <label>
          Sort
          <select name="sort" value={state.sort} onChange={(e) => change({ sort: e.target.value as SortKey })}>
            {Object.entries(SORTS).map(([key, s]) => <option key={key} value={key}>{s.label}</option>)}
          </select>
        </label>
        {filters > 0 && <button type="button" className="link" onClick={() => change({ ...DEFAULT_BROWSE, q: state.q, sort: state.sort })}>Clear filters</button>}
      </div>
      <ErrorBanner error={error ?? categories.error} onRetry={() => void refetch()} />
      {connection && <p className="count" data-testid="total-count" role="status">{connection.totalCount} products</p>}
      {loading && !connection && <Loading what="products" />}
      {connection?.edges.length === 0 && (
        <Empty>{state.q ? `Nothing matches “${state.q}”${filters > 0 ? ' with these filters' : ''}. Try other words` : 'No products match these filters. Try fewer filters'}{filters > 0 && <> or <button type="button" className="link" onClick={() => change({ ...DEFAULT_BROWSE, q: state.q, sort: state.sort })}>clear them</button></>}.</Empty>
      )}
      <ul className="grid" data-testid="product-grid">
        {connection?.edges.map(({ node }) => (
          <li key={node.id} className="card" data-testid="product-card" data-price={node.price} data-rating={node.rating ?? ''} data-in-stock={node.inStock} data-category={node.category.id}>
            <ProductImage image={node.image} />
            <Link to={`/products/${node.id}`}>{node.name}</Link>
            <span className="price">{formatPrice(node.price)}</span>
            <span className="muted">{node.category.name} · {formatRating(node.rating, node.reviewCount)}</span>
            {!node.inStock && <span className="badge">Out of stock</span>}
          </li>
        ))}
      </ul>
      <div ref={sentinel} />
      {hasNextPage && <button onClick={loadMore} disabled={loading}>{loading ? 'Loading…' : 'Load more'}</button>}
      {connection && !hasNextPage && connection.edges.length > 0 && <p className="muted">That's everything.</p>}
    </section>
  );
}

/** Minimum and maximum price, applied together (typing does not reload the list at each key). */
function PriceRange({ min, max, onApply }: { min: number | null; max: number | null; onApply: (min: number | null, max: number | null) => void }) {
  const [low, setLow] = useState(min == null ? '' : String(min));
  const [high, setHigh] = useState(max == null ? '' : String(max));
  const apply = () => {
    const parsed = parseBrowse(new URLSearchParams({ minPrice: low, maxPrice: high }));
    onApply(parsed.minPrice, parsed.maxPrice);
  };
  return (
    <fieldset className="price-range">
      <legend>Price ($)</legend>
      <input type="number" name="minPrice" min={0} step="any" inputMode="decimal" placeholder="Min" aria-label="Minimum price" value={low}
        onChange={(e) => setLow(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), apply())} />
      <span aria-hidden="true">–</span>
      <input type="number" name="maxPrice" min={0} step="any" inputMode="decimal" placeholder="Max" aria-label="Maximum price" value={high}
        onChange={(e) => setHigh(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), apply())} />
      <button type="button" onClick={apply}>Apply</button>
    </fieldset>
  );
}
