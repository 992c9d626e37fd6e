import { Route, Routes } from 'react-router';
import { ProductEditPage, ProductsAdminPage } from './admin/ProductAdmin';
import { Dashboard } from './Dashboard';
import { LowestRatedPage, NotificationsFeedPage, PaymentFailuresPage, StockListPage } from './ListPages';

/** Everything under /dashboard: one lazily loaded chunk (with Chart.js), never downloaded by shoppers. */
export function DashboardRoutes() {
  return (
    <Routes>
      <Route index element={<Dashboard />} />
      <Route path="out-of-stock" element={<StockListPage kind="out" />} />
      <Route path="low-stock" element={<StockListPage kind="low" />} />
      <Route path="lowest-rated" element={<LowestRatedPage />} />
      <Route path="payment-failures" element={<PaymentFailuresPage />} />
      <Route path="notifications" element={<NotificationsFeedPage />} />
      <Route path="products" element={<ProductsAdminPage />} />
      <Route path="products/new" element={<ProductEditPage />} />
      <Route path="products/:id" element={<ProductEditPage />} />
    </Routes>
  );
}
