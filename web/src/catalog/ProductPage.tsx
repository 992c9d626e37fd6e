import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { graphql } from '../__generated__';
import { loginPath } from '../account/access';
import { useSession } from '../account/SessionContext';
import { addToCart, clampQuantity, quantityLimit } from '../cart/cart';
import { useCart } from '../cart/CartContext';
import { formatDateTime, formatPrice, formatRating } from '../format/format';
import { failedAt } from '../ui/partialData';
import { Breadcrumbs } from '../ui/Breadcrumbs';
import { Empty, ErrorBanner, Loading, Unavailable, UserErrors } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { ProductImage } from './ProductImage';
import { isNewestFirst, ratingWithReview, REVIEW_ORDERS, type ReviewOrder } from './reviews';
import { StarInput, Stars } from './Stars';

const ProductQuery = graphql(`
  query Product($id: ID!, $reviewsFirst: Int!, $reviewsAfter: String, $reviewsOrder: ReviewOrder! = NEWEST) {
    product(id: $id) {
      id name description price inStock rating reviewCount viewerCanReview
      stock { available onHand reserved }
      category { id name }
      image(size: MEDIUM) { url alt width height }
      reviews(first: $reviewsFirst, after: $reviewsAfter, orderBy: $reviewsOrder) {
        totalCount
        edges { cursor node { id rating body createdAt user { id name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const RelatedProductsQuery = graphql(`
  query RelatedProducts($categoryId: ID!) {
    products(first: 5, filter: { categoryId: $categoryId }, orderBy: { field: RATING, direction: DESC }) {
      edges { node { id name price rating reviewCount image(size: THUMB) { url alt width height } } }
    }
  }
`);

export const REVIEWS_PAGE_SIZE = 5;

const ReviewFieldsFragment = graphql(`
  fragment ReviewFields on Review { id rating body createdAt user { id name } }
`);

const AddReviewMutation = graphql(`
  mutation AddReview($input: AddReviewInput!) {
    addReview(input: $input) {
      review { ...ReviewFields }
      errors { code message field }
    }
  }
`);

export function ProductPage() {
  const { id = '' } = useParams();
  const [reviewsOrder, setReviewsOrder] = useState<ReviewOrder>('NEWEST');
  const query = useQuery(ProductQuery, { variables: { id, reviewsFirst: REVIEWS_PAGE_SIZE, reviewsOrder } });
  const { loading, error, refetch, fetchMore } = query;
  // Another sort is a new request for the same product: keep showing the page (and the old reviews) until it answers.
  const data = query.data ?? (query.previousData?.product?.id === id ? query.previousData : undefined);
  const { update } = useCart();
  const [added, setAdded] = useState(0);
  const [quantity, setQuantity] = useState('1');
  const product = data?.product;
  usePageTitle(product ? product.name : loading ? null : error ? 'Product unavailable' : 'Product not found');

  if (loading && !data) return <Loading what="product" />;
  // Without the product, an error means it could not be read (say so, offer a retry); no error means there is none.
  if (!product && error) return <section><h1>Product unavailable</h1><ErrorBanner error={error} onRetry={() => void refetch()} /><p><Link to="/">Back to the shop</Link></p></section>;
  if (!product) return <section><h1>Product not found</h1><Empty>There is no product with this address; it may have been removed. <Link to="/">Back to the shop</Link></Empty></section>;
  const maxQuantity = quantityLimit(product.stock?.available);

  return (
    <article className="product">
      <Breadcrumbs trail={[{ label: product.category.name, to: `/?category=${encodeURIComponent(product.category.id)}` }, { label: product.name }]} />
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      <ProductImage image={product.image} className="product-hero" eager />
      <h1>{product.name}</h1>
      <p className="muted">{product.category.name}</p>
      <p className="price" data-testid="price">{formatPrice(product.price)}</p>
      <p data-testid="rating">{product.rating != null && <><Stars rating={product.rating} />{' '}</>}{formatRating(product.rating, product.reviewCount)}</p>
      <p data-testid="stock">
        {product.inStock ? 'In stock' : 'Out of stock'}
        {product.stock && <span className="muted" data-testid="stock-available"> · {product.stock.available} available</span>}
        {!product.stock && failedAt(error, 'inventory', ['product', 'stock']) && <> · <Unavailable what="Stock level" /></>}
      </p>
      <p>{product.description}</p>
      <form
        className="add-to-cart"
        onSubmit={(e) => {
          e.preventDefault();
          const count = clampQuantity(Number(quantity), maxQuantity);
          setQuantity(String(count));
          update((cart) => addToCart(cart, { productId: product.id, name: product.name, unitPrice: product.price }, count));
          setAdded(count);
        }}
      >
        <label>
          Quantity
          <input type="number" name="quantity" min={1} max={maxQuantity} step={1} inputMode="numeric" value={quantity} disabled={!product.inStock}
            onChange={(e) => setQuantity(e.target.value)} onBlur={() => setQuantity(String(clampQuantity(Number(quantity), maxQuantity)))} />
        </label>
        <button type="submit" disabled={!product.inStock}>Add to cart</button>
      </form>
      {added > 0 && <p role="status">Added {added} to your cart. <Link to="/cart">Go to cart</Link></p>}
      <div className="reviews-head">
        <h2>Reviews{product.reviews && product.reviews.totalCount > 0 ? ` (${product.reviews.totalCount})` : ''}</h2>
        {product.reviews && product.reviews.totalCount > 1 && (
          <label className="inline">
            Sort by
            <select value={reviewsOrder} onChange={(e) => setReviewsOrder(e.target.value as ReviewOrder)} data-testid="review-sort">
              {REVIEW_ORDERS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </label>
        )}
      </div>
      {/* Reviews is null only when its subgraph failed: a product without reviews has an empty connection. */}
      {!product.reviews && <p><Unavailable what="Reviews" /></p>}
      {product.reviews?.edges.length === 0 && <Empty>No reviews yet.</Empty>}
      <ul className="reviews" aria-busy={loading} data-order={query.data ? reviewsOrder : undefined}>
        {product.reviews?.edges.map(({ node }) => (
          <li key={node.id} data-testid="review" data-rating={node.rating}>
            <Stars rating={node.rating} /> {node.body}
            {/* The author is null only when accounts failed; the review itself comes from reviews and still shows. */}
            <span className="muted"> — {node.user ? node.user.name : <Unavailable what="Author" />}, {formatDateTime(node.createdAt)}</span>
          </li>
        ))}
      </ul>
      {product.reviews?.pageInfo.hasNextPage && (
        <button type="button" disabled={loading}
          onClick={() => void fetchMore({ variables: { reviewsAfter: product.reviews!.pageInfo.endCursor } })}>
          Show more reviews
        </button>
      )}
      <ReviewForm product={product} />
      <RelatedProducts categoryId={product.category.id} productId={product.id} />
    </article>
  );
}

function RelatedProducts({ categoryId, productId }: { categoryId: string; productId: string }) {
  const { data } = useQuery(RelatedProductsQuery, { variables: { categoryId } });
  const related = data?.products?.edges.map((e) => e.node).filter((p) => p.id !== productId).slice(0, 4) ?? [];
  if (related.length === 0) return null;
  return (
    <section className="related" aria-labelledby="related-heading">
      <h2 id="related-heading">Related products</h2>
      <ul className="grid related-grid">
        {related.map((p) => (
          <li key={p.id} className="card" data-testid="related-product">
            <ProductImage image={p.image} />
            <Link to={`/products/${p.id}`}>{p.name}</Link>
            <span className="price">{formatPrice(p.price)}</span>
            <span className="muted">{formatRating(p.rating, p.reviewCount)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

type ReviewedProduct = { id: string; rating?: number | null; reviewCount: number; viewerCanReview?: boolean | null };

function ReviewForm({ product }: { product: ReviewedProduct }) {
  const productId = product.id;
  const { session } = useSession();
  const [rating, setRating] = useState(5);
  const [body, setBody] = useState('');
  const [addReview, { data, loading, error }] = useMutation(AddReviewMutation, {
    // The rating summary changes at once: catalog folds the review into its read model from the ReviewAdded event a
    // moment later, so a refetch now could still read the old summary. The cache gets what catalog will compute.
    update(cache, { data: result }) {
      const review = result?.addReview.review;
      if (!review) return;
      const summary = ratingWithReview(product.rating, product.reviewCount, review.rating);
      const ref = cache.writeFragment({ data: review, fragment: ReviewFieldsFragment });
      cache.modify({
        id: cache.identify({ __typename: 'Product', id: productId }),
        fields: {
          rating: () => summary.rating,
          reviewCount: () => summary.reviewCount,
          viewerCanReview: () => false,
          // The stored connection (relayStylePagination's edges and extras); null when reviews failed.
          // Newest first: the new review leads. A rating sort would place it somewhere in its pages, so that list is
          // dropped and read again when shown.
          reviews: (existing, { storeFieldName, DELETE }) => {
            if (!isNewestFirst(storeFieldName)) return DELETE;
            const connection = existing as { edges: unknown[]; totalCount?: number } | null;
            return connection && { ...connection, totalCount: (connection.totalCount ?? 0) + 1, edges: [{ __typename: 'ReviewEdge', cursor: '', node: ref }, ...connection.edges] };
          },
        },
      });
    },
  });
  if (!session) return <p className="muted"><Link to={loginPath(`/products/${productId}`)}>Sign in</Link> to review products you bought.</p>;
  if (data?.addReview.review) return <p role="status">Thanks for your review!</p>;
  // Null when reviews could not answer: the reviews section already says so.
  if (product.viewerCanReview == null) return null;
  if (!product.viewerCanReview) return <p className="muted" data-testid="review-not-allowed">Reviews come from shoppers with a confirmed order for this product, one review each.</p>;
  return (
    <form
      className="review-form"
      onSubmit={(e) => {
        e.preventDefault();
        void addReview({ variables: { input: { productId, rating, body } } });
      }}
    >
      <h3>Write a review</h3>
      <StarInput name="rating" value={rating} onChange={setRating} />
      <label htmlFor="review-body">Your review</label>
      <textarea id="review-body" name="body" required maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} placeholder="What did you think?" />
      <button type="submit" disabled={loading}>Submit review</button>
      <UserErrors errors={data?.addReview.errors} />
      <ErrorBanner error={error} />
    </form>
  );
}
