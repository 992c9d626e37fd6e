import { NavLink } from 'react-router';

/** The dashboard's own sections; only administrators reach any of them (the route and the API both check). */
export function DashboardNav() {
  return (
    <nav aria-label="Dashboard" className="dashboard-nav">
      <NavLink to="/dashboard" end>Overview</NavLink>
      <NavLink to="/dashboard/products">Products</NavLink>
      <NavLink to="/dashboard/out-of-stock">Out of stock</NavLink>
      <NavLink to="/dashboard/low-stock">Low stock</NavLink>
      <NavLink to="/dashboard/lowest-rated">Lowest rated</NavLink>
      <NavLink to="/dashboard/payment-failures">Failed payments</NavLink>
      <NavLink to="/dashboard/notifications">All notifications</NavLink>
    </nav>
  );
}
