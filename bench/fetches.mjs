#!/usr/bin/env node
// How many subgraph requests, and how many bytes each way, one gateways-benchmark query costs per
// gateway: a counting proxy sits in front of each of the four subgraphs.
//
//   node bench/fetches.mjs [--targets ours,hive-dedup-off,apollo] [--dump <dir> (each subgraph request body)]
import { createServer, request as httpRequest } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_SUBGRAPHS, benchDir, buildBenchSubgraphs, internalTokenKeys, startBenchSubgraphs, stop, stopAll } from './lib/stack.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { TARGETS, rewriteSupergraph, startTarget, targetUrl } from './lib/targets.mjs';

const { targets, dump } = parseArgs({ options: { targets: { type: 'string', default: 'ours,hive-dedup-off,apollo' }, dump: { type: 'string' } } }).values;
let current = '';
const keys = targets.split(',').filter((k) => TARGETS[k]);
const query = readFileSync(join(benchDir, 'operations', 'gateways-benchmark.graphql'), 'utf8');
const PROXY_OFFSET = 100;

const counts = new Map();
function proxy({ name, port }) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        const out = [];
        up.on('data', (c) => out.push(c));
        up.on('end', () => {
          const answer = Buffer.concat(out);
          const c = counts.get(name) ?? { requests: 0, requestBytes: 0, responseBytes: 0, representations: 0 };
          c.requests += 1;
          if (dump) writeFileSync(join(dump, `${current}-${name}-${c.requests}.json`), body);
          c.requestBytes += body.length;
          c.responseBytes += answer.length;
          try {
            c.representations += JSON.parse(body).variables?.representations?.length ?? 0;
          } catch {
            /* not JSON */
          }
          counts.set(name, c);
          res.writeHead(up.statusCode, up.headers);
          res.end(answer);
        });
      });
      upstream.end(body);
    });
  });
  return new Promise((resolve) => server.listen(port + PROXY_OFFSET, '127.0.0.1', () => resolve(server)));
}

const servers = [];
const issuer = await startIssuer();
const caller = { subject: '1', scope: 'shopper' };
try {
  buildBenchSubgraphs();
  // Not `keys`: that name holds the targets to count.
  const tokenKeys = internalTokenKeys();
  const { authorization } = await startBenchSubgraphs(tokenKeys, caller);
  for (const s of BENCH_SUBGRAPHS) servers.push(await proxy(s));
  const urls = Object.fromEntries(BENCH_SUBGRAPHS.map(({ name, port }) => [name, `http://127.0.0.1:${port + PROXY_OFFSET}/graphql`]));
  const context = {
    supergraph: join(benchDir, 'supergraph.graphql'),
    urls,
    supergraphWithUrls: rewriteSupergraph(join(benchDir, 'supergraph.graphql'), urls),
    privateKeys: tokenKeys.privateKeys,
    authorization,
    issuer,
    clientToken: issuer.token(caller),
  };
  for (const key of keys) {
    const proc = await startTarget(key, context);
    try {
      counts.clear();
      current = key;
      const res = await fetch(targetUrl(key), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${context.clientToken}` },
        body: JSON.stringify({ query }),
      });
      await res.text();
      const rows = [...counts.entries()].sort();
      const total = rows.reduce((t, [, c]) => ({ requests: t.requests + c.requests, bytes: t.bytes + c.requestBytes + c.responseBytes }), { requests: 0, bytes: 0 });
      process.stdout.write(`${TARGETS[key].label}: ${total.requests} subgraph requests, ${(total.bytes / 1024).toFixed(0)} KiB both ways\n`);
      for (const [name, c] of rows) {
        process.stdout.write(`  ${name.padEnd(10)} ${String(c.requests).padStart(3)} requests, ${String(c.representations).padStart(4)} representations, ` +
          `${(c.requestBytes / 1024).toFixed(1)} KiB sent, ${(c.responseBytes / 1024).toFixed(1)} KiB received\n`);
      }
    } finally {
      await stop(proc);
    }
  }
} finally {
  for (const s of servers) s.close();
  await stopAll();
  await issuer.close();
}
