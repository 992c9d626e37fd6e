import { useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { graphql } from '../__generated__';
import type { ProductOrder } from '../__generated__/graphql';
import { formatPrice, formatRating } from '../format/format';
import { Empty, ErrorBanner, Loading } from '../ui/States';

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
        node { id name price inStock rating reviewCount category { id name } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const SORTS: Record<string, { label: string; orderBy: ProductOrder }> = {
  featured: { label: 'Featured', orderBy: { field: 'ID', direction: 'ASC' } },
  'price-asc': { label: 'Price: low to high', orderBy: { field: 'PRICE', direction: 'ASC' } },
  'price-desc': { label: 'Price: high to low', orderBy: { field: 'PRICE', direction: 'DESC' } },
  'rating-desc': { label: 'Rating: best first', orderBy: { field: 'RATING', direction: 'DESC' } },
};

export function ProductList() {
  const [params, setParams] = useSearchParams();
  const categoryId = params.get('category') ?? '';
  const inStockOnly = params.get('inStock') === '1';
  const sort = SORTS[params.get('sort') ?? ''] ? params.get('sort')! : 'featured';

  const categories = useQuery(CategoriesQuery);
  const filter = { ...(categoryId && { categoryId }), ...(inStockOnly && { inStock: true }) };
  const { data, loading, error, fetchMore, refetch } = useQuery(ProductsQuery, {
    variables: { first: PAGE_SIZE, filter, orderBy: SORTS[sort].orderBy },
  });
  const connection = data?.products;
  const hasNextPage = connection?.pageInfo.hasNextPage ?? false;

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

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    // A new list starts at the top; otherwise the scroll sentinel would fetch its second page at once.
    window.scrollTo(0, 0);
  };

  return (
    <section>
      <h1>Products</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Category{' '}
          <select name="category" value={categoryId} onChange={(e) => setParam('category', e.target.value)}>
            <option value="">All categories</option>
            {categories.data?.categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>
          <input type="checkbox" name="inStock" checked={inStockOnly} onChange={(e) => setParam('inStock', e.target.checked ? '1' : '')} /> In stock only
        </label>
        <label>
          Sort{' '}
          <select name="sort" value={sort} onChange={(e) => setParam('sort', e.target.value === 'featured' ? '' : e.target.value)}>
            {Object.entries(SORTS).map(([key, s]) => <option key={key} value={key}>{s.label}</option>)}
          </select>
        </label>
      </form>
      <ErrorBanner error={error ?? categories.error} onRetry={() => void refetch()} />
      {connection && <p className="count" data-testid="total-count">{connection.totalCount} products</p>}
      {loading && !connection && <Loading what="products" />}
      {connection?.edges.length === 0 && <Empty>No products match these filters.</Empty>}
      <ul className="grid" data-testid="product-grid">
        {connection?.edges.map(({ node }) => (
          <li key={node.id} className="card" data-testid="product-card" data-price={node.price} data-rating={node.rating ?? ''} data-in-stock={node.inStock} data-category={node.category.id}>
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
