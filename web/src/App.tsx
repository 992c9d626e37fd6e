import { NavLink, Route, Routes } from 'react-router';
import { LoginPage } from './account/LoginPage';
import { RequireAccess } from './account/RequireAccess';
import { useSession } from './account/SessionContext';
import { cartCount } from './cart/cart';
import { useCart } from './cart/CartContext';
import { ProductList } from './catalog/ProductList';
import { ProductPage } from './catalog/ProductPage';
import { CartPage } from './checkout/CartPage';
import { Dashboard } from './dashboard/Dashboard';
import { OrderPage } from './orders/OrderPage';
import { NotificationsPage } from './notifications/NotificationsPage';
import { UnreadBadge } from './notifications/UnreadBadge';
import { OrdersPage } from './orders/OrdersPage';
import { Empty } from './ui/States';

export function App() {
  const { cart } = useCart();
  const { session, signOut } = useSession();
  return (
    <>
      <header>
        <nav>
          <NavLink to="/" end>Shop</NavLink>
          <NavLink to="/cart">Cart (<span data-testid="cart-count">{cartCount(cart)}</span>)</NavLink>
          <NavLink to="/orders">Orders</NavLink>
          <NavLink to="/notifications">Notifications {session && <UnreadBadge userId={session.userId} />}</NavLink>
          <NavLink to="/dashboard">Dashboard</NavLink>
          {session
            ? <span className="who">Signed in as <strong data-testid="user-name">{session.name}</strong> <button className="link" onClick={signOut}>Sign out</button></span>
            : <NavLink to="/login">Sign in</NavLink>}
        </nav>
      </header>
      <main>
        <Routes>
          <Route path="/" element={<ProductList />} />
          <Route path="/products/:id" element={<ProductPage />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/orders" element={<RequireAccess requirement="signedIn" what="Order history"><OrdersPage /></RequireAccess>} />
          <Route path="/orders/:id" element={<RequireAccess requirement="signedIn" what="An order"><OrderPage /></RequireAccess>} />
          <Route path="/notifications" element={<RequireAccess requirement="signedIn" what="Notifications"><NotificationsPage /></RequireAccess>} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/dashboard" element={<RequireAccess requirement="admin" what="The operations dashboard"><Dashboard /></RequireAccess>} />
          <Route path="*" element={<Empty>Page not found.</Empty>} />
        </Routes>
      </main>
    </>
  );
}
