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

const ProductQuery = graphql(`
  query Product($id: ID!) {
    product(id: $id) {
      id name description price inStock rating reviewCount
      stock { available onHand reserved }
      category { id name }
      image(size: MEDIUM) { url alt width height }
      reviews(first: 10) {
        totalCount
        edges { cursor node { id rating body createdAt user { id name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const AddReviewMutation = graphql(`
  mutation AddReview($input: AddReviewInput!) {
    addReview(input: $input) {
      review { id rating body createdAt user { id name } }
      errors { code message field }
    }
  }
`);

export function ProductPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(ProductQuery, { variables: { id } });
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
      <p data-testid="rating">{formatRating(product.rating, product.reviewCount)}</p>
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
      <h2>Reviews</h2>
      {/* Reviews is null only when its subgraph failed: a product without reviews has an empty connection. */}
      {!product.reviews && <p><Unavailable what="Reviews" /></p>}
      {product.reviews?.edges.length === 0 && <Empty>No reviews yet.</Empty>}
      <ul className="reviews">
        {product.reviews?.edges.map(({ node }) => (
          <li key={node.id} data-testid="review">
            <strong>{'★'.repeat(node.rating)}{'☆'.repeat(5 - node.rating)}</strong> {node.body}
            {/* The author is null only when accounts failed; the review itself comes from reviews and still shows. */}
            <span className="muted"> — {node.user ? node.user.name : <Unavailable what="Author" />}, {formatDateTime(node.createdAt)}</span>
          </li>
        ))}
      </ul>
      <ReviewForm productId={product.id} onAdded={() => void refetch()} />
    </article>
  );
}

function ReviewForm({ productId, onAdded }: { productId: string; onAdded: () => void }) {
  const { session } = useSession();
  const [rating, setRating] = useState(5);
  const [body, setBody] = useState('');
  const [addReview, { data, loading, error }] = useMutation(AddReviewMutation);
  if (!session) return <p className="muted"><Link to={loginPath(`/products/${productId}`)}>Sign in</Link> to review products you bought.</p>;
  if (data?.addReview.review) return <p role="status">Thanks for your review!</p>;
  return (
    <form
      className="review-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await addReview({ variables: { input: { productId, rating, body } } });
        if (result.data?.addReview.review) onAdded();
      }}
    >
      <h3>Write a review</h3>
      <label>
        Rating{' '}
        <select name="rating" value={rating} onChange={(e) => setRating(Number(e.target.value))}>
          {[5, 4, 3, 2, 1].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <label htmlFor="review-body">Your review</label>
      <textarea id="review-body" name="body" required maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} placeholder="What did you think?" />
      <button type="submit" disabled={loading}>Submit review</button>
      <UserErrors errors={data?.addReview.errors} />
      <ErrorBanner error={error} />
    </form>
  );
}
