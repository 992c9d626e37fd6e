import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { emptyCart, parseCart, type Cart } from './cart';

const STORAGE_KEY = 'federation.cart';

interface CartState {
  cart: Cart;
  update: (change: (cart: Cart) => Cart) => void;
}

const CartContext = createContext<CartState>({ cart: emptyCart, update: () => {} });

export function CartProvider({ children }: { children: ReactNode }) {
  const [cart, setCart] = useState(() => parseCart(localStorage.getItem(STORAGE_KEY)));
  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(cart)), [cart]);
  return <CartContext.Provider value={{ cart, update: setCart }}>{children}</CartContext.Provider>;
}

export const useCart = () => useContext(CartContext);
