#!/usr/bin/env node
// After `vite build`: the JavaScript a first visit to the storefront downloads (the scripts dist/index.html loads and
// preloads; the dashboard's lazy chunk is not among them), gzip-compressed as a server would send it, against the
// budget of 200 KB. Prints the total and each file, and fails the build when the total is over.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 200 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = [
  ...html.matchAll(/<script[^>]*\bsrc="\/([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]*\brel="modulepreload"[^>]*\bhref="\/([^"]+\.js)"/g),
].map((m) => m[1]);
if (scripts.length === 0) {
  console.error('js-budget: dist/index.html loads no script; is this a vite build?');
  process.exit(1);
}
const sizes = [...new Set(scripts)].map((file) => ({ file, gzip: gzipSync(readFileSync(join(dist, file))).length }));
const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`storefront initial JS: ${kb(total)} gzip of a ${kb(BUDGET_BYTES)} budget (${sizes.map((s) => `${s.file} ${kb(s.gzip)}`).join(', ')})`);
if (total > BUDGET_BYTES) {
  console.error(`js-budget: the storefront's initial JS is ${kb(total - BUDGET_BYTES)} over its budget; split what a first visit does not need (React.lazy)`);
  process.exit(1);
}
