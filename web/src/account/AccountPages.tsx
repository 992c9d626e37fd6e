import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { graphql } from '../__generated__';
import { ADDRESS_FIELDS, COUNTRIES } from '../checkout/CheckoutPage';
import { addressErrors, blankAddress, toAddressInput, type AddressFields } from '../checkout/checkoutMachine';
import { formatDateTime, formatEnum, formatPrice } from '../format/format';
import { Empty, ErrorBanner, Loading, Unavailable, UserErrors } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { addressLine, errorsByField, passwordFormErrors, type PasswordErrors, type PasswordForm } from './account';
import { useSession } from './SessionContext';

const AccountQuery = graphql(`
  query Account {
    viewer {
      id name email createdAt
      # The orders page's first page (first: 10) too, so the two share one cached list; this page shows its top 3.
      orders(first: 10) { totalCount edges { cursor node { id status total placedAt } } pageInfo { hasNextPage endCursor } }
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { user { id name } errors { code message field } }
  }
`);

const AddressesQuery = graphql(`
  query SavedAddresses {
    viewer { id addresses { id name line1 line2 city region postalCode country } }
  }
`);

const SaveAddressMutation = graphql(`
  mutation SaveAddress($input: AddressInput!) {
    addAddress(input: $input) { address { id } errors { code message field } }
  }
`);

const RemoveAddressMutation = graphql(`
  mutation RemoveAddress($id: ID!) {
    removeAddress(id: $id) { removedId errors { code message field } }
  }
`);

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      accessToken expiresAt refreshToken refreshTokenExpiresAt
      errors { code message field }
    }
  }
`);

/** The account area's own navigation, shown above each of its pages. */
function AccountLayout({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <section className="account">
      <h1>{title}</h1>
      <nav className="account-nav" aria-label="Account">
        <NavLink to="/account" end>Profile</NavLink>
        <NavLink to="/account/addresses">Addresses</NavLink>
        <NavLink to="/account/password">Password</NavLink>
        <NavLink to="/orders">Orders</NavLink>
      </nav>
      {children}
    </section>
  );
}

export function AccountPage() {
  const { session, renew } = useSession();
  const { data, loading, error, refetch } = useQuery(AccountQuery, { fetchPolicy: 'cache-and-network' });
  const [name, setName] = useState<string | null>(null);
  const [update, updated] = useMutation(UpdateProfileMutation);
  const [saved, setSaved] = useState(false);
  const viewer = data?.viewer;

  const save = async () => {
    setSaved(false);
    const result = await update({ variables: { input: { name: name ?? '' } } });
    const user = result.data?.updateProfile.user;
    if (user && session) {
      renew({ ...session, name: user.name });
      setName(null);
      setSaved(true);
    }
  };

  return (
    <AccountLayout title="Your account">
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !viewer && <Loading what="your account" />}
      {viewer && (
        <>
          <h2>Profile</h2>
          <dl className="profile">
            <dt>Email</dt><dd data-testid="account-email">{viewer.email}</dd>
            <dt>Member since</dt><dd>{formatDateTime(viewer.createdAt)}</dd>
          </dl>
          <form className="profile-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
            <label>
              Display name
              <input name="name" autoComplete="name" required maxLength={100} value={name ?? viewer.name}
                onChange={(e) => { setName(e.target.value); setSaved(false); }} />
            </label>
            <button type="submit" disabled={updated.loading || name == null || name === viewer.name}>Save name</button>
          </form>
          {saved && <p role="status" data-testid="profile-saved">Your name is saved.</p>}
          <UserErrors errors={updated.data?.updateProfile.errors} />
          <ErrorBanner error={updated.error} />

          <h2>Recent orders</h2>
          {!viewer.orders && <p><Unavailable what="Order history" /></p>}
          {viewer.orders?.edges.length === 0 && <Empty>No orders yet. <Link to="/">Browse products</Link></Empty>}
          <ul className="orders">
            {viewer.orders?.edges.slice(0, 3).map(({ node }) => (
              <li key={node.id} data-testid="account-order">
                <Link to={`/orders/${node.id}`}>Order #{node.id}</Link> · {formatDateTime(node.placedAt)} · {formatPrice(node.total)} ·{' '}
                <span className={`status status-${node.status.toLowerCase()}`}>{formatEnum(node.status)}</span>
              </li>
            ))}
          </ul>
          {viewer.orders && viewer.orders.totalCount > 0 && <p><Link to="/orders">All {viewer.orders.totalCount} orders</Link></p>}
        </>
      )}
    </AccountLayout>
  );
}

export function AddressesPage() {
  const { data, loading, error, refetch } = useQuery(AddressesQuery, { fetchPolicy: 'cache-and-network' });
  const [remove, removing] = useMutation(RemoveAddressMutation, { refetchQueries: ['SavedAddresses'], awaitRefetchQueries: true });
  const [adding, setAdding] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const addresses = data?.viewer?.addresses;

  return (
    <AccountLayout title="Saved addresses">
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !addresses && <Loading what="saved addresses" />}
      {addresses?.length === 0 && <Empty>No saved addresses yet. Add one here or save one during checkout.</Empty>}
      <ul className="addresses">
        {addresses?.map((a) => (
          <li key={a.id} data-testid="saved-address">
            <span>{addressLine(a)}</span>
            <button type="button" className="secondary" disabled={removing.loading} aria-label={`Remove ${addressLine(a)}`}
              onClick={async () => {
                const result = await remove({ variables: { id: a.id } });
                if (result.data?.removeAddress.removedId) setStatus(`Removed the address of ${a.name}.`);
              }}>Remove</button>
          </li>
        ))}
      </ul>
      <UserErrors errors={removing.data?.removeAddress.errors} />
      <ErrorBanner error={removing.error} />
      <p role="status" className="muted">{status}</p>
      {adding
        ? <AddressForm onDone={(saved) => { setAdding(false); if (saved) setStatus(`Saved the address of ${saved}.`); }} />
        : <button type="button" onClick={() => { setAdding(true); setStatus(null); }}>Add an address</button>}
    </AccountLayout>
  );
}

function AddressForm({ onDone }: { onDone: (savedName: string | null) => void }) {
  const [address, setAddress] = useState<AddressFields>(blankAddress);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [save, saving] = useMutation(SaveAddressMutation, { refetchQueries: ['SavedAddresses', 'CheckoutOptions'], awaitRefetchQueries: true });
  const [serverErrors, setServerErrors] = useState<string[]>([]);
  const edit = (field: keyof AddressFields, value: string) => setAddress({ ...address, [field]: value });

  const submit = async () => {
    const found = addressErrors(address);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const result = await save({ variables: { input: toAddressInput(address) } });
    const payload = result.data?.addAddress;
    if (payload?.address) return onDone(address.name.trim());
    const { byField, other } = errorsByField(payload?.errors ?? [], ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country']);
    setErrors(byField);
    setServerErrors(other);
  };

  return (
    <form className="address-form" aria-labelledby="new-address-heading" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2 id="new-address-heading">New address</h2>
      <div className="address-fields">
        {ADDRESS_FIELDS.map(([field, label, autoComplete]) => (
          <label key={field}>
            {label}
            <input name={field} value={address[field]} autoComplete={autoComplete} aria-invalid={errors[field] ? true : undefined}
              aria-describedby={errors[field] ? `new-${field}-error` : undefined} onChange={(e) => edit(field, e.target.value)} />
            {errors[field] && <span id={`new-${field}-error`} className="field-error">{errors[field]}</span>}
          </label>
        ))}
        <label>
          Country
          <select name="country" value={address.country} autoComplete="country" onChange={(e) => edit('country', e.target.value)}>
            {COUNTRIES.map(([code, label]) => <option key={code} value={code}>{label}</option>)}
          </select>
          {errors.country && <span className="field-error">{errors.country}</span>}
        </label>
      </div>
      {serverErrors.length > 0 && <UserErrors errors={serverErrors.map((message) => ({ code: 'ERROR', message }))} />}
      <ErrorBanner error={saving.error} />
      <div className="actions">
        <button type="submit" disabled={saving.loading}>{saving.loading ? 'Saving…' : 'Save address'}</button>
        <button type="button" className="secondary" onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  );
}

const PASSWORD_FIELDS: [keyof PasswordForm, string, string][] = [
  ['currentPassword', 'Current password', 'current-password'],
  ['newPassword', 'New password', 'new-password'],
  ['confirmPassword', 'Repeat the new password', 'new-password'],
];

export function PasswordPage() {
  const { session, renew } = useSession();
  const [form, setForm] = useState<PasswordForm>({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const [errors, setErrors] = useState<PasswordErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [change, changing] = useMutation(ChangePasswordMutation);

  const submit = async () => {
    setDone(false);
    setOther([]);
    const found = passwordFormErrors(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const result = await change({ variables: { input: { currentPassword: form.currentPassword, newPassword: form.newPassword } } });
    const payload = result.data?.changePassword;
    if (payload?.accessToken && session) {
      // The server revoked every earlier session, this tab's refresh token too; the new session replaces it.
      renew({ ...session, token: payload.accessToken, expiresAt: payload.expiresAt ?? null, refreshToken: payload.refreshToken ?? null, refreshExpiresAt: payload.refreshTokenExpiresAt ?? null });
      setForm({ currentPassword: '', newPassword: '', confirmPassword: '' });
      setDone(true);
      return;
    }
    const split = errorsByField(payload?.errors ?? [], ['currentPassword', 'newPassword'] as const);
    setErrors(split.byField);
    setOther(split.other);
  };

  return (
    <AccountLayout title="Change password">
      <form className="password-form" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        {PASSWORD_FIELDS.map(([field, label, autoComplete]) => (
          <label key={field}>
            {label}
            <input type="password" name={field} autoComplete={autoComplete} value={form[field]} aria-invalid={errors[field] ? true : undefined}
              aria-describedby={errors[field] ? `${field}-error` : field === 'newPassword' ? 'password-rules' : undefined}
              onChange={(e) => setForm({ ...form, [field]: e.target.value })} />
            {errors[field] && <span id={`${field}-error`} className="field-error" data-testid={`${field}-error`}>{errors[field]}</span>}
          </label>
        ))}
        <p id="password-rules" className="muted">8 to 128 characters with at least one letter and one digit. Other devices are signed out when it changes.</p>
        <button type="submit" disabled={changing.loading}>{changing.loading ? 'Changing…' : 'Change password'}</button>
      </form>
      {done && <p role="status" data-testid="password-changed">Your password is changed. Other devices are signed out; this one stays signed in.</p>}
      {other.length > 0 && <UserErrors errors={other.map((message) => ({ code: 'ERROR', message }))} />}
      <ErrorBanner error={changing.error} />
    </AccountLayout>
  );
}
