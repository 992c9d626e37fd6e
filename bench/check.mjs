#!/usr/bin/env node
// Fails unless ours, Hive Gateway, Apollo Gateway and Grafbase answer the gateways-benchmark query with the
// same bytes (and without errors) on the same four subgraphs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SDL_FILES, BENCH_SUBGRAPHS, benchDir, buildBenchSubgraphs, internalTokenKeys, startBenchSubgraphs, stop, stopAll } from './lib/stack.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { rewriteSupergraph, startTarget, targetUrl } from './lib/targets.mjs';

const query = readFileSync(join(benchDir, 'operations', 'gateways-benchmark.graphql'), 'utf8');
const urls = Object.fromEntries(BENCH_SUBGRAPHS.map(({ name, port }) => [name, `http://127.0.0.1:${port}/graphql`]));
const supergraph = join(benchDir, 'supergraph.graphql');

let failed = false;
// A signed-in shopper, as in run.mjs: every gateway verifies the token.
const issuer = await startIssuer();
const caller = { subject: '1', scope: 'shopper' };
try {
  buildBenchSubgraphs();
  const keys = internalTokenKeys();
  const { authorization } = await startBenchSubgraphs(keys, caller);
  const clientToken = issuer.token(caller);
  const context = { supergraph, urls, sdlFiles: BENCH_SDL_FILES, supergraphWithUrls: rewriteSupergraph(supergraph, urls), privateKeys: keys.privateKeys, authorization, issuer, clientToken };
  const bodies = {};
  for (const key of ['ours', 'hive-dedup-off', 'apollo', 'grafbase']) {
    const proc = await startTarget(key, context);
    try {
      const res = await fetch(targetUrl(key), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${clientToken}` },
        body: JSON.stringify({ query }),
      });
      // @apollo/server ends its body with a newline; the JSON text itself must match byte for byte.
      bodies[key] = (await res.text()).replace(/\n$/, '');
      process.stdout.write(`${key}: HTTP ${res.status}, ${bodies[key].length} bytes\n`);
      if (res.status !== 200 || bodies[key].includes('"errors"')) {
        process.stderr.write(`${key} answered with errors: ${bodies[key].slice(0, 500)}\n`);
        failed = true;
      }
      // Validation is really on: the same token with another subject (signature no longer matching) is refused.
      // Apollo Gateway and Grafbase (without its downloadable jwt extension) verify no client token.
      if (key !== 'apollo' && key !== 'grafbase') {
        const [header, , signature] = clientToken.split('.');
        const payload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(clientToken.split('.')[1], 'base64url')), sub: '2' })).toString('base64url');
        const forged = await fetch(targetUrl(key), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${header}.${payload}.${signature}` },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        process.stdout.write(`${key}: tampered token answered HTTP ${forged.status}\n`);
        if (forged.status !== 401) failed = true;
      }
    } finally {
      await stop(proc);
    }
  }
  const reference = bodies.apollo;
  for (const [key, body] of Object.entries(bodies)) {
    if (body === reference) continue;
    failed = true;
    let at = 0;
    while (at < body.length && body[at] === reference[at]) at += 1;
    const file = join('/tmp', `bench-check-${key}.json`);
    writeFileSync(file, body);
    process.stderr.write(`${key} differs from Apollo Gateway at byte ${at}: ...${body.slice(Math.max(0, at - 80), at + 80)}... (full body in ${file})\n`);
  }
  if (!failed) process.stdout.write(`all gateways answer the ${reference.length}-byte response identically\n`);
} finally {
  await stopAll();
  await issuer.close();
}
process.exit(failed ? 1 : 0);
