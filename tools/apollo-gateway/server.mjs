#!/usr/bin/env node
// Apollo Gateway on a static supergraph, used as the differential oracle for the C# gateway
// tests and as the peer in the benchmark.
//
//   node tools/apollo-gateway/server.mjs --supergraph <file> --port <n> [--host <ip>]
//        [--subgraph name=url ...]
//
// Prints exactly one line `listening http://<host>:<port>/graphql` on stdout once it serves.
//
// SUBGRAPH_AUTHORIZATION (environment, a JSON object {"<subgraph>": "Bearer <token>"}) sets the Authorization
// header of every request to that subgraph: Federation's subgraphs answer only requests carrying an internal
// token (docs/architecture.md, "Security"), which tests and the benchmark mint for Apollo Gateway.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
  ApolloServerPluginSchemaReportingDisabled,
} from '@apollo/server/plugin/disabled';

const usage =
  'usage: node server.mjs --supergraph <file> --port <n> [--host <ip>] [--subgraph name=url ...]';

function fail(message) {
  process.stderr.write(`apollo-gateway: ${message}\n${usage}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      supergraph: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      subgraph: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  fail(error.message);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!args.supergraph) fail('--supergraph is required');
if (args.port === undefined || !/^\d+$/.test(args.port) || Number(args.port) > 65535) {
  fail('--port must be an integer between 0 and 65535 (0 picks a free port)');
}

let supergraphSdl;
try {
  supergraphSdl = readFileSync(args.supergraph, 'utf8');
} catch (error) {
  fail(`cannot read supergraph ${args.supergraph}: ${error.message}`);
}

// Subgraph names as composition wrote them in `enum join__Graph`, so a typo in an override
// fails loudly instead of silently querying the URL baked into the supergraph.
const knownSubgraphs = new Set(
  [...supergraphSdl.matchAll(/@join__graph\(\s*name:\s*"([^"]+)"/g)].map((m) => m[1]),
);
const urlOverrides = new Map();
for (const pair of args.subgraph) {
  const eq = pair.indexOf('=');
  if (eq <= 0) fail(`--subgraph expects name=url, got "${pair}"`);
  const name = pair.slice(0, eq);
  const url = pair.slice(eq + 1);
  if (!knownSubgraphs.has(name)) {
    fail(`--subgraph ${name}: no such subgraph in the supergraph (known: ${[...knownSubgraphs].join(', ')})`);
  }
  try {
    new URL(url);
  } catch {
    fail(`--subgraph ${name}: "${url}" is not an absolute URL`);
  }
  urlOverrides.set(name, url);
}

let subgraphAuthorization = {};
if (process.env.SUBGRAPH_AUTHORIZATION) {
  try {
    subgraphAuthorization = JSON.parse(process.env.SUBGRAPH_AUTHORIZATION);
  } catch (error) {
    fail(`SUBGRAPH_AUTHORIZATION is not a JSON object: ${error.message}`);
  }
  for (const name of Object.keys(subgraphAuthorization)) {
    if (!knownSubgraphs.has(name)) fail(`SUBGRAPH_AUTHORIZATION names ${name}, which is not in the supergraph`);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ name, url }) => {
    const authorization = subgraphAuthorization[name];
    return new RemoteGraphQLDataSource({
      url: urlOverrides.get(name) ?? url,
      ...(authorization
        ? { willSendRequest: ({ request }) => request.http.headers.set('authorization', authorization) }
        : {}),
    });
  },
});

const server = new ApolloServer({
  gateway,
  // Explicit so behaviour never depends on NODE_ENV (Apollo turns introspection off in production).
  introspection: true,
  // The C# tests and the load generator send plain `application/json` POSTs without the
  // preflight headers CSRF prevention demands.
  csrfPrevention: false,
  includeStacktraceInErrorResponses: false,
  // Signals are handled below so the process exits 0 instead of re-raising the signal.
  stopOnTerminationSignals: false,
  plugins: [
    ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
  ],
});

let url;
try {
  ({ url } = await startStandaloneServer(server, {
    listen: { port: Number(args.port), host: args.host },
  }));
} catch (error) {
  process.stderr.write(`apollo-gateway: failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
}

const bound = new URL(url);
process.stdout.write(`listening http://${args.host}:${bound.port}/graphql\n`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // Keep-alive connections from a load generator could otherwise hold the drain open.
  const force = setTimeout(() => process.exit(0), 3000);
  force.unref();
  try {
    await server.stop();
  } catch (error) {
    process.stderr.write(`apollo-gateway: error while stopping: ${error.message}\n`);
  }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
