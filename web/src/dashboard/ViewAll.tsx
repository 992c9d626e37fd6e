import { Link } from 'react-router';

/** The link under a dashboard list to its "view all" page; none while the list is empty. */
export function ViewAll({ to, total, shown, what }: { to: string; total: number; shown: number; what: string }) {
  if (total === 0) return null;
  return <p className="view-all"><Link to={to}>{shown < total ? `View all ${total} ${what}` : `View ${what} as a table`}</Link></p>;
}
