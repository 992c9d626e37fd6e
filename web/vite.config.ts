import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The browser only ever talks to the gateway: same-origin /graphql, proxied in dev and preview, WebSocket
// upgrades (subscriptions) included.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const proxy = { '/graphql': { target: gateway, changeOrigin: true, ws: true } };

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  test: { include: ['test/**/*.test.{ts,tsx}'], environment: 'node' },
});
