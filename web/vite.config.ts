import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The browser talks to the gateway for data: same-origin /graphql, proxied in dev and preview, WebSocket
// upgrades (subscriptions) included. Product images (Product.image.url, a path such as /images/products/7.svg?...)
// come from catalog's public /images endpoint, proxied the same way so they load from the storefront's origin.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const catalog = process.env.CATALOG_URL ?? 'http://127.0.0.1:4002';
const proxy = {
  '/graphql': { target: gateway, changeOrigin: true, ws: true },
  '/images/': { target: catalog, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  test: { include: ['test/**/*.test.{ts,tsx}'], environment: 'node' },
});
