#!/usr/bin/env node
// Composes subgraph SDL files with the repository's composition (schema/lib/compose.mjs, @theguild/federation-composition).
//   node compose.mjs --subgraph <name>=<file> [--subgraph ...]
// Prints one JSON line: { supergraphSdl, apiSdl } or { errors }.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { composeSupergraph } from '../../schema/lib/compose.mjs';

const { values } = parseArgs({ options: { subgraph: { type: 'string', multiple: true, default: [] } } });
const subgraphs = values.subgraph.map((pair) => {
  const [name, file] = pair.split('=');
  return { name, url: `http://${name}.invalid/graphql`, sdl: readFileSync(file, 'utf8') };
});
const { supergraphSdl, apiSdl, errors } = composeSupergraph(subgraphs);
process.stdout.write(`${JSON.stringify(errors ? { errors } : { supergraphSdl, apiSdl })}\n`);
