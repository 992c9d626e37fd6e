import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { SessionProvider } from './account/SessionContext';
import { createClient } from './apollo/client';
import { createLiveConnection } from './apollo/liveLink';
import { App } from './App';
import { CartProvider } from './cart/CartContext';
import { LiveStatusContext } from './ui/Live';
import './styles.css';

const live = createLiveConnection('/graphql');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={createClient('/graphql', live)}>
      <LiveStatusContext.Provider value={live.status}>
        <SessionProvider>
          <CartProvider>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </CartProvider>
        </SessionProvider>
      </LiveStatusContext.Provider>
    </ApolloProvider>
  </StrictMode>,
);
