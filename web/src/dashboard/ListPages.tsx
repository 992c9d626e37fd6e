import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { formatRating } from '../format/format';
import { Breadcrumbs } from '../ui/Breadcrumbs';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { DashboardNav } from './DashboardNav';
import { LOW_STOCK_THRESHOLD, MIN_REVIEWS_FOR_RATING, PAGE_SIZE } from './lists';

const StockPageQuery = graphql(`
  query DashboardStockPage($threshold: Int!, $minAvailable: Int!, $first: Int!, $after: String) {
    lowStock(threshold: $threshold, minAvailable: $minAvailable, first: $first, after: $after) {
      totalCount
      edges { cursor node { available onHand reserved product { id name price category { id name } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const LowestRatedPageQuery = graphql(`
  query DashboardLowestRatedPage($minReviews: Int!, $first: Int!, $after: String) {
    products(first: $first, after: $after, filter: { minReviewCount: $minReviews }, orderBy: { field: RATING, direction: ASC }) {
      totalCount
      edges { cursor node { id name rating reviewCount category { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

function ListHeader({ title, intro }: { title: string; intro: string }) {
  usePageTitle(title);
  return (
    <>
      <Breadcrumbs trail={[{ label: 'Dashboard', to: '/dashboard' }, { label: title }]} />
      <h1>{title}</h1>
      <DashboardNav />
      <p className="muted">{intro}</p>
    </>
  );
}

/** "Showing 25 of 63" and the button that loads the next page. */
function Pager({ shown, total, hasNext, loading, onMore, what }: { shown: number; total: number; hasNext: boolean; loading: boolean; onMore: () => void; what: string }) {
  return (
    <div className="pager">
      <p role="status" data-testid="list-count">Showing {shown} of {total} {what}</p>
      {hasNext && <button type="button" onClick={onMore} disabled={loading} data-testid="show-more">{loading ? 'Loading…' : `Show ${Math.min(PAGE_SIZE, total - shown)} more`}</button>}
    </div>
  );
}

export function StockListPage({ kind }: { kind: 'out' | 'low' }) {
  const variables = kind === 'out' ? { threshold: 0, minAvailable: 0 } : { threshold: LOW_STOCK_THRESHOLD, minAvailable: 1 };
  const { data, loading, error, fetchMore, refetch } = useQuery(StockPageQuery, { variables: { ...variables, first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  const title = kind === 'out' ? 'Out of stock' : 'Low stock';
  const page = data?.lowStock;
  return (
    <section className="dashboard">
      <ListHeader title={title} intro={kind === 'out'
        ? 'Products with no unit left to sell (every unit on hand is reserved for placed orders, or none is left), by product id.'
        : `Products with 1 to ${LOW_STOCK_THRESHOLD} units left to sell, by product id; sold-out products are on the Out of stock page.`} />
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !page && <Loading what={title.toLowerCase()} />}
      {page && page.totalCount === 0 && <Empty>{kind === 'out' ? 'Everything is in stock.' : 'No product is running low.'}</Empty>}
      {page && page.edges.length > 0 && (
        <table data-testid="stock-table">
          <caption className="sr-only">{title}</caption>
          <thead><tr><th scope="col">Product</th><th scope="col">Category</th><th scope="col">Available</th><th scope="col">On hand</th><th scope="col">Reserved</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {page.edges.map(({ node }) => (
              <tr key={node.product.id} data-product-id={node.product.id}>
                <td><Link to={`/products/${node.product.id}`}>{node.product.name}</Link></td>
                <td>{node.product.category.name}</td>
                <td>{node.available}</td>
                <td>{node.onHand}</td>
                <td>{node.reserved}</td>
                <td><Link to={`/dashboard/products/${node.product.id}`} aria-label={`Adjust stock of ${node.product.name}`}>Adjust</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && <Pager shown={page.edges.length} total={page.totalCount} hasNext={page.pageInfo.hasNextPage} loading={loading}
        onMore={() => void fetchMore({ variables: { after: page.pageInfo.endCursor } })} what="products" />}
    </section>
  );
}

export function LowestRatedPage() {
  const { data, loading, error, fetchMore, refetch } = useQuery(LowestRatedPageQuery, { variables: { minReviews: MIN_REVIEWS_FOR_RATING, first: PAGE_SIZE }, notifyOnNetworkStatusChange: true });
  const page = data?.products;
  return (
    <section className="dashboard">
      <ListHeader title="Lowest rated" intro={`Products with at least ${MIN_REVIEWS_FOR_RATING} reviews, lowest average rating first, so that a single review does not put a product at the top.`} />
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !page && <Loading what="ratings" />}
      {page && page.totalCount === 0 && <Empty>No product has {MIN_REVIEWS_FOR_RATING} reviews yet.</Empty>}
      {page && page.edges.length > 0 && (
        <table data-testid="rated-table">
          <caption className="sr-only">Lowest rated products</caption>
          <thead><tr><th scope="col">Product</th><th scope="col">Category</th><th scope="col">Rating</th></tr></thead>
          <tbody>
            {page.edges.map(({ node }) => (
              <tr key={node.id} data-product-id={node.id}>
                <td><Link to={`/products/${node.id}`}>{node.name}</Link></td>
                <td>{node.category.name}</td>
                <td>{formatRating(node.rating, node.reviewCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && <Pager shown={page.edges.length} total={page.totalCount} hasNext={page.pageInfo.hasNextPage} loading={loading}
        onMore={() => void fetchMore({ variables: { after: page.pageInfo.endCursor } })} what="products" />}
    </section>
  );
}
