#!/usr/bin/env node
// Prints the SDL of the four benchmark subgraphs from their built code and composes them with the
// project's composition (schema/lib/compose.mjs) into bench/supergraph.graphql.
//
//   node bench/compose.mjs [--check]   (--check fails when the committed files differ)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, formatCompositionErrors } from '../schema/lib/compose.mjs';
import { BENCH_SUBGRAPHS, benchSubgraphDll, buildBenchSubgraphs } from './lib/stack.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');

buildBenchSubgraphs();
const subgraphs = BENCH_SUBGRAPHS.map(({ name, port }) => ({
  name,
  url: `http://127.0.0.1:${port}/graphql`,
  file: `bench/subgraphs/${name}.graphql`,
  sdl: execFileSync('dotnet', [benchSubgraphDll(), '--subgraph', name, 'schema', 'print'], { encoding: 'utf8' }),
}));
const result = composeSupergraph(subgraphs);
if (result.errors) {
  process.stderr.write(`${formatCompositionErrors(result.errors)}\n`);
  process.exit(1);
}

const files = new Map([
  ...result.subgraphs.map((s) => [join(benchDir, 'subgraphs', `${s.name}.graphql`), s.sdl]),
  [join(benchDir, 'supergraph.graphql'), result.supergraphSdl],
]);
let stale = 0;
for (const [file, text] of files) {
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      process.stderr.write(`${file} differs from the code: run node bench/compose.mjs\n`);
      stale += 1;
    }
  } else {
    writeFileSync(file, text);
  }
}
if (stale > 0) process.exit(1);
process.stdout.write(check ? 'bench supergraph matches the code\n' : `composed ${subgraphs.length} subgraphs into bench/supergraph.graphql\n`);
