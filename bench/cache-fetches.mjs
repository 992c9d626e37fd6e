#!/usr/bin/env node
// Which subgraph fetches of the product page (2b) the entity cache does not answer: a counting proxy sits in front of
// every subgraph of the ./federation up stack, the gateway runs with the cache on (target ours-cache), and the page is
// asked once cold, then sequentially with the cache warm, then by 50 concurrent clients. Each phase prints the subgraph
// requests per page, by subgraph, root or entity type, and the Cache-Control the subgraph answered.
//
//   node bench/cache-fetches.mjs [--seconds 10] [--connections 50] [--keep-stack]
import { createServer, request as httpRequest } from 'node:http';
import { parseArgs } from 'node:util';
import { startIssuer } from './lib/issuer.mjs';
import { stop } from './lib/stack.mjs';
import { TARGETS, rewriteSupergraph, startTarget, targetUrl } from './lib/targets.mjs';
import { WORKLOADS, federationStack } from './lib/workloads.mjs';

const { values: opts } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, 'keep-stack': { type: 'boolean', default: false } },
});
const PROXY_OFFSET = 300;
const counts = new Map();

/** What one subgraph request fetched: `query` for a root fetch, the entity types of `_entities` otherwise. */
function describe(body) {
  try {
    const { query, variables } = JSON.parse(body);
    const types = [...new Set((variables?.representations ?? []).map((r) => r.__typename))];
    return types.length ? `_entities ${types.join(',')} x${variables.representations.length}` : `root ${/\{\s*(\w+)/.exec(query)?.[1] ?? '?'}`;
  } catch {
    return 'not JSON';
  }
}

function proxy(name, target) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        const key = `${name.padEnd(10)} ${describe(body).padEnd(28)} ${up.headers['cache-control'] ?? '(no Cache-Control)'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  const port = Number(upstream.port) + PROXY_OFFSET;
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${port}${upstream.pathname}` })));
}

function report(phase, pages) {
  const rows = [...counts.entries()].sort();
  const total = rows.reduce((t, [, n]) => t + n, 0);
  process.stdout.write(`${phase}: ${pages} pages, ${total} subgraph requests (${(total / Math.max(pages, 1)).toFixed(3)} per page)\n`);
  for (const [key, n] of rows) process.stdout.write(`  ${key}  ${n} (${(n / Math.max(pages, 1)).toFixed(3)} per page)\n`);
  counts.clear();
}

const workload = WORKLOADS.find((w) => w.key === '2b');
const issuer = await startIssuer();
const servers = [];
let proc;
try {
  const stack = await federationStack.up();
  const { staticBody, note } = await workload.prepare(stack);
  process.stdout.write(`product page, ${note}\n`);
  const urls = {};
  for (const [name, url] of Object.entries(stack.urls)) {
    const { server, url: proxied } = await proxy(name, url);
    servers.push(server);
    urls[name] = proxied;
  }
  const context = { ...stack, urls, supergraphWithUrls: rewriteSupergraph(stack.supergraph, urls), issuer, clientToken: issuer.token(stack.caller) };
  proc = await startTarget('ours-cache', context);
  const page = async () => {
    const res = await fetch(targetUrl('ours-cache'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${context.clientToken}` },
      body: staticBody,
    });
    const answer = await res.json();
    if (!res.ok || answer.errors) throw new Error(`product page failed: ${JSON.stringify(answer).slice(0, 300)}`);
  };
  counts.clear();
  await page();
  report('cold', 1);
  for (let i = 0; i < 5; i++) await page();
  report('warm, sequential', 5);
  let pages = 0;
  const until = Date.now() + Number(opts.seconds) * 1000;
  await Promise.all(Array.from({ length: Number(opts.connections) }, async () => {
    while (Date.now() < until) {
      await page();
      pages += 1;
    }
  }));
  report(`warm, ${opts.connections} concurrent for ${opts.seconds} s`, pages);
  process.stdout.write(`${TARGETS['ours-cache'].label}\n`);
} finally {
  if (proc) await Promise.all([stop(proc), ...(proc.companions ?? []).map(stop)]);
  for (const s of servers) s.close();
  await issuer.close();
  if (!opts['keep-stack']) await federationStack.down();
}
