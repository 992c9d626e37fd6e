#!/usr/bin/env node
// Writes dist/trusted-documents.json after `vite build`: the manifest the gateway loads with PersistedDocuments:Manifests
// (allow-list mode runs nothing else). Vite's SSR loader evaluates the app's own TypeScript, so the texts are the ones
// the app sends.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'vite';

const server = await createServer({ server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
try {
  const { trustedDocuments } = await server.ssrLoadModule('/src/apollo/trustedDocuments.ts');
  const manifest = await trustedDocuments();
  await mkdir('dist', { recursive: true });
  await writeFile('dist/trusted-documents.json', `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`trusted documents: ${Object.keys(manifest).length} operations in dist/trusted-documents.json`);
} finally {
  await server.close();
}
