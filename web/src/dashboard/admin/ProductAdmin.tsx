import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { graphql } from '../../__generated__';
import { formatPrice } from '../../format/format';
import { Breadcrumbs } from '../../ui/Breadcrumbs';
import { Empty, ErrorBanner, Loading } from '../../ui/States';
import { usePageTitle } from '../../ui/title';
import { DashboardNav } from '../DashboardNav';
import { PAGE_SIZE } from '../lists';
import { DESCRIPTION_MAX, fieldErrorsOf, NAME_MAX, validateDelta, validateProduct, type FieldErrors, type ProductDraft } from './productForm';

const AdminProductsQuery = graphql(`
  query AdminProducts($first: Int!, $after: String, $filter: ProductFilter) {
    products(first: $first, after: $after, filter: $filter, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges { cursor node { id name price category { id name } stock { available } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const AdminProductQuery = graphql(`
  query AdminProduct($id: ID!) {
    product(id: $id) { id name description price category { id name } stock { onHand reserved available } }
    categories { id name }
  }
`);

const AdminCategoriesQuery = graphql(`
  query AdminCategories { categories { id name } }
`);

const CreateProductMutation = graphql(`
  mutation AdminCreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { product { id name description price category { id name } } errors { code message field } }
  }
`);

const UpdateProductMutation = graphql(`
  mutation AdminUpdateProduct($input: UpdateProductInput!) {
    updateProduct(input: $input) { product { id name description price category { id name } } errors { code message field } }
  }
`);

const AdjustStockMutation = graphql(`
  mutation AdminAdjustStock($productId: ID!, $delta: Int!) {
    adjustStock(productId: $productId, delta: $delta) {
      stock { onHand reserved available product { id inStock stock { onHand reserved available } } }
      errors { code message field }
    }
  }
`);

export function ProductsAdminPage() {
  usePageTitle('Products');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const { data, loading, error, fetchMore, refetch } = useQuery(AdminProductsQuery, {
    variables: { first: PAGE_SIZE, filter: q ? { search: q } : null },
    notifyOnNetworkStatusChange: true,
  });
  const page = data?.products;
  const search = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
  };
  return (
    <section className="dashboard">
      <Breadcrumbs trail={[{ label: 'Dashboard', to: '/dashboard' }, { label: 'Products' }]} />
      <h1>Products</h1>
      <DashboardNav />
      <div className="admin-toolbar">
        <form role="search" onSubmit={search} className="admin-search">
          <label htmlFor="admin-search">Find a product</label>
          <input id="admin-search" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name or description" />
          <button type="submit">Find</button>
        </form>
        <Link className="button" to="/dashboard/products/new">New product</Link>
      </div>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !page && <Loading what="products" />}
      {page && page.totalCount === 0 && <Empty>No product matches “{q}”.</Empty>}
      {page && page.edges.length > 0 && (
        <table data-testid="admin-products">
          <caption className="sr-only">Products{q ? ` matching “${q}”` : ''}</caption>
          <thead><tr><th scope="col">Product</th><th scope="col">Category</th><th scope="col">Price</th><th scope="col">Available</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {page.edges.map(({ node }) => (
              <tr key={node.id} data-product-id={node.id}>
                <td>{node.name}</td>
                <td>{node.category.name}</td>
                <td>{formatPrice(node.price)}</td>
                <td>{node.stock ? node.stock.available : 'not tracked'}</td>
                <td><Link to={`/dashboard/products/${node.id}`} aria-label={`Edit ${node.name}`}>Edit</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <div className="pager">
          <p role="status" data-testid="list-count">Showing {page.edges.length} of {page.totalCount} products</p>
          {page.pageInfo.hasNextPage && <button type="button" disabled={loading} onClick={() => void fetchMore({ variables: { after: page.pageInfo.endCursor } })}>{loading ? 'Loading…' : 'Show more'}</button>}
        </div>
      )}
    </section>
  );
}

export function ProductEditPage() {
  const { id } = useParams();
  const isNew = !id;
  const product = useQuery(AdminProductQuery, { variables: { id: id ?? '' }, skip: isNew });
  const categories = useQuery(AdminCategoriesQuery, { skip: !isNew });
  const loaded = product.data?.product;
  const title = isNew ? 'New product' : loaded ? `Edit ${loaded.name}` : product.loading ? null : 'Product not found';
  usePageTitle(title);
  const categoryList = (isNew ? categories.data?.categories : product.data?.categories) ?? [];
  return (
    <section className="dashboard admin-product">
      <Breadcrumbs trail={[{ label: 'Dashboard', to: '/dashboard' }, { label: 'Products', to: '/dashboard/products' }, { label: isNew ? 'New product' : loaded?.name ?? 'Product' }]} />
      <h1>{title ?? 'Product'}</h1>
      <DashboardNav />
      <ErrorBanner error={product.error ?? categories.error} onRetry={() => void (isNew ? categories.refetch() : product.refetch())} />
      {!isNew && product.loading && !loaded && <Loading what="product" />}
      {!isNew && !product.loading && !product.error && !loaded && <Empty>There is no product {id}. <Link to="/dashboard/products">Back to the product list</Link></Empty>}
      {(isNew || loaded) && (
        <div className="admin-columns">
          <ProductForm key={loaded?.id ?? 'new'} product={loaded ?? undefined} categories={categoryList} />
          {loaded && <StockForm productId={loaded.id} name={loaded.name} stock={loaded.stock ?? null} />}
        </div>
      )}
    </section>
  );
}

interface EditableProduct {
  id: string;
  name: string;
  description: string;
  price: number;
  category: { id: string };
}

function ProductForm({ product, categories }: { product?: EditableProduct; categories: readonly { id: string; name: string }[] }) {
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ProductDraft>({
    name: product?.name ?? '',
    description: product?.description ?? '',
    price: product ? product.price.toFixed(2) : '',
    categoryId: product?.category.id ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [create, creating] = useMutation(CreateProductMutation);
  const [update, updating] = useMutation(UpdateProductMutation);
  const busy = creating.loading || updating.loading;
  const set = (field: keyof ProductDraft) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [field]: e.target.value }));
    setSaved(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const { input, errors: invalid } = validateProduct(draft);
    setErrors(invalid);
    if (!input) return;
    try {
      if (product) {
        const { data } = await update({ variables: { input: { id: product.id, ...input } } });
        const payload = data?.updateProduct;
        if (!payload) throw new Error('no payload');
        if (payload.errors.length > 0) return setErrors(fieldErrorsOf(payload.errors));
        setSaved(`Saved. The shop shows “${payload.product?.name}” at ${formatPrice(payload.product?.price ?? input.price)}.`);
      } else {
        const { data } = await create({ variables: { input } });
        const payload = data?.createProduct;
        if (!payload) throw new Error('no payload');
        if (payload.errors.length > 0) return setErrors(fieldErrorsOf(payload.errors));
        if (payload.product) navigate(`/dashboard/products/${payload.product.id}`, { state: { created: true } });
      }
    } catch {
      setErrors({ form: 'The product could not be saved: the store did not answer. Check your connection and try again; nothing was changed.' });
    }
  };

  const describedBy = (field: keyof FieldErrors) => (errors[field] ? `${field}-error` : undefined);
  return (
    <form className="admin-form panel" onSubmit={(e) => void submit(e)} noValidate data-testid="product-form">
      <h2>{product ? 'Details' : 'Details of the new product'}</h2>
      {errors.form && <div className="state error" role="alert">{errors.form}</div>}
      <label htmlFor="product-name">Name</label>
      <input id="product-name" value={draft.name} onChange={set('name')} maxLength={NAME_MAX} aria-invalid={!!errors.name} aria-describedby={describedBy('name')} required />
      {errors.name && <span className="field-error" id="name-error">{errors.name}</span>}
      <label htmlFor="product-description">Description</label>
      <textarea id="product-description" value={draft.description} onChange={set('description')} maxLength={DESCRIPTION_MAX} rows={4} aria-invalid={!!errors.description} aria-describedby={describedBy('description')} />
      {errors.description && <span className="field-error" id="description-error">{errors.description}</span>}
      <label htmlFor="product-price">Price (USD)</label>
      <input id="product-price" inputMode="decimal" value={draft.price} onChange={set('price')} aria-invalid={!!errors.price} aria-describedby={describedBy('price')} required />
      {errors.price && <span className="field-error" id="price-error">{errors.price}</span>}
      <label htmlFor="product-category">Category</label>
      <select id="product-category" value={draft.categoryId} onChange={set('categoryId')} aria-invalid={!!errors.categoryId} aria-describedby={describedBy('categoryId')} required>
        <option value="">Choose…</option>
        {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
      {errors.categoryId && <span className="field-error" id="categoryId-error">{errors.categoryId}</span>}
      <p><button type="submit" disabled={busy}>{busy ? 'Saving…' : product ? 'Save changes' : 'Create product'}</button></p>
      {saved && <p className="notice" role="status" data-testid="product-saved">{saved} <Link to={`/products/${product?.id}`}>View in the shop</Link></p>}
    </form>
  );
}

function StockForm({ productId, name, stock }: { productId: string; name: string; stock: { onHand: number; reserved: number; available: number } | null }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [adjust, { loading }] = useMutation(AdjustStockMutation);
  if (!stock) {
    return (
      <div className="panel">
        <h2>Stock</h2>
        <Empty>Inventory does not track {name} yet, so its stock cannot be adjusted here.</Empty>
      </div>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const { delta, error: invalid } = validateDelta(text, stock.onHand, stock.reserved);
    setError(invalid ?? null);
    if (delta === undefined) return;
    try {
      const { data } = await adjust({ variables: { productId, delta } });
      const payload = data?.adjustStock;
      if (!payload) throw new Error('no payload');
      if (payload.errors.length > 0) return setError(Object.values(fieldErrorsOf(payload.errors)).join(' '));
      setText('');
      setDone(`${delta > 0 ? 'Added' : 'Removed'} ${Math.abs(delta)} unit${Math.abs(delta) === 1 ? '' : 's'}. ${payload.stock?.available} available now.`);
    } catch {
      setError('The stock could not be changed: the store did not answer. Check your connection and try again; nothing was changed.');
    }
  };
  return (
    <form className="admin-form panel" onSubmit={(e) => void submit(e)} noValidate data-testid="stock-form">
      <h2>Stock</h2>
      <dl className="stock-figures">
        <div><dt>Available</dt><dd data-testid="stock-available">{stock.available}</dd></div>
        <div><dt>On hand</dt><dd data-testid="stock-on-hand">{stock.onHand}</dd></div>
        <div><dt>Reserved</dt><dd>{stock.reserved}</dd></div>
      </dl>
      <label htmlFor="stock-delta">Units to add (or remove, with a minus sign)</label>
      <input id="stock-delta" inputMode="numeric" value={text} onChange={(e) => { setText(e.target.value); setDone(null); }} placeholder="e.g. 10 or -2" aria-invalid={!!error} aria-describedby={error ? 'delta-error' : undefined} />
      {error && <span className="field-error" id="delta-error" role="alert">{error}</span>}
      <p><button type="submit" disabled={loading}>{loading ? 'Saving…' : 'Adjust stock'}</button></p>
      {done && <p className="notice" role="status" data-testid="stock-saved">{done}</p>}
    </form>
  );
}
