import { lazy, Suspense } from 'react';
import { Link, Route, Routes } from 'react-router';
import { AccountPage, AddressesPage, PasswordPage } from './account/AccountPages';
import { LoginPage } from './account/LoginPage';
import { RequireAccess } from './account/RequireAccess';
import { ProductList } from './catalog/ProductList';
import { ProductPage } from './catalog/ProductPage';
import { CartPage } from './checkout/CartPage';
import { CheckoutPage } from './checkout/CheckoutPage';
import { OrderPage } from './orders/OrderPage';
import { NotificationsPage } from './notifications/NotificationsPage';
import { OrdersPage } from './orders/OrdersPage';
import { Header } from './ui/Header';
import { Empty, Loading } from './ui/States';
import { usePageTitle } from './ui/title';

// Only administrators open the dashboard and its admin screens: a chunk of its own (with the chart library), fetched on the first visit.
const DashboardRoutes = lazy(() => import('./dashboard/DashboardRoutes').then((m) => ({ default: m.DashboardRoutes })));

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<ProductList />} />
          <Route path="/search" element={<ProductList />} />
          <Route path="/products/:id" element={<ProductPage />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/checkout" element={<RequireAccess requirement="signedIn" what="Checkout"><CheckoutPage /></RequireAccess>} />
          <Route path="/orders" element={<RequireAccess requirement="signedIn" what="Order history"><OrdersPage /></RequireAccess>} />
          <Route path="/orders/:id" element={<RequireAccess requirement="signedIn" what="An order"><OrderPage /></RequireAccess>} />
          <Route path="/notifications" element={<RequireAccess requirement="signedIn" what="Notifications"><NotificationsPage /></RequireAccess>} />
          <Route path="/account" element={<RequireAccess requirement="signedIn" what="Your account"><AccountPage /></RequireAccess>} />
          <Route path="/account/addresses" element={<RequireAccess requirement="signedIn" what="Saved addresses"><AddressesPage /></RequireAccess>} />
          <Route path="/account/password" element={<RequireAccess requirement="signedIn" what="Change password"><PasswordPage /></RequireAccess>} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/dashboard/*" element={<RequireAccess requirement="admin" what="The operations dashboard"><Suspense fallback={<Loading what="dashboard" />}><DashboardRoutes /></Suspense></RequireAccess>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  );
}

function NotFound() {
  usePageTitle('Page not found');
  return <section><h1>Page not found</h1><Empty>There is nothing at this address. <Link to="/">Go to the shop</Link></Empty></section>;
}
