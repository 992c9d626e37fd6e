import { useEffect, useId, useState } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { isAdmin } from '../account/access';
import { useSession } from '../account/SessionContext';
import { cartCount } from '../cart/cart';
import { useCart } from '../cart/CartContext';
import { MiniCart } from '../cart/MiniCart';
import { SearchBox } from '../catalog/SearchBox';
import { UnreadBadge } from '../notifications/UnreadBadge';

/**
 * The store's header: brand, search and cart always in view; the other links in a menu that is a row on wide
 * screens and a panel behind the "Menu" button on phones (it closes on every navigation and on Escape).
 */
export function Header() {
  const { cart } = useCart();
  const { session, signOut } = useSession();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [cartOpen, setCartOpen] = useState(false);
  const menuId = useId();
  useEffect(() => { setOpen(false); setCartOpen(false); }, [location.pathname, location.search]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  const next = location.pathname === '/login' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;

  return (
    <header className="site-header">
      <div className="bar">
        <Link to="/" className="brand">Federation Store</Link>
        <SearchBox />
        <button type="button" className="cart-link" aria-haspopup="dialog" aria-expanded={cartOpen} data-testid="cart-button"
          aria-label={`Cart, ${cartCount(cart)} items`} onClick={() => setCartOpen(true)}>
          Cart <span className="count" data-testid="cart-count">{cartCount(cart)}</span>
        </button>
        <button type="button" className="menu-toggle" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen(!open)}>
          {open ? 'Close' : 'Menu'}
        </button>
      </div>
      <nav id={menuId} className={open ? 'menu open' : 'menu'} aria-label="Main">
        <NavLink to="/" end>Shop</NavLink>
        <NavLink to="/orders">Orders</NavLink>
        {session && <NavLink to="/account">Account</NavLink>}
        <NavLink to="/notifications">Notifications {session && <UnreadBadge userId={session.userId} />}</NavLink>
        {(!session || isAdmin(session)) && <NavLink to="/dashboard">Dashboard</NavLink>}
        {session
          ? (
            <span className="who">
              <span className="name" title={session.name}><span className="sr-only">Signed in as </span><strong data-testid="user-name">{session.name}</strong></span>
              <button type="button" className="sign-out" onClick={signOut}>Sign out</button>
            </span>
          )
          : <NavLink to={`/login${next}`} className="sign-in">Sign in</NavLink>}
      </nav>
      {cartOpen && <MiniCart onClose={() => setCartOpen(false)} />}
    </header>
  );
}
