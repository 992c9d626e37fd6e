// What each workload sends, against which subgraphs, and how it finds the seeded ids it needs.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { psql } from '../../tools/psql.mjs';
import { BENCH_SDL_FILES, BENCH_SUBGRAPHS, benchDir, buildBenchSubgraphs, internalTokenKeys, repoRoot, startBenchSubgraphs, stopAll, subgraphAuthorization } from './stack.mjs';

const operation = (name) => readFileSync(join(benchDir, 'operations', `${name}.graphql`), 'utf8');
const json = (query, variables) => JSON.stringify(variables ? { query, variables } : { query });

export const GATEWAY_TARGETS = [
  'ours', 'ours-baseline', 'ours-dedup-on', 'ours-defeated', 'hive-dedup-off', 'hive-dedup-on', 'hive-defeated', 'apollo', 'grafbase', 'grafbase-defeated',
];

/**
 * The four gateways-benchmark subgraphs, started by us on 4201-4204. Their data is public; the client is a signed-in
 * shopper all the same, so every gateway verifies its token.
 */
export const benchStack = {
  name: 'gateways-benchmark subgraphs',
  async up() {
    buildBenchSubgraphs();
    const keys = internalTokenKeys();
    const caller = { subject: '1', scope: 'shopper' };
    const { pids, authorization } = await startBenchSubgraphs(keys, caller);
    const urls = Object.fromEntries(BENCH_SUBGRAPHS.map(({ name, port }) => [name, `http://127.0.0.1:${port}/graphql`]));
    return { supergraph: join(benchDir, 'supergraph.graphql'), urls, sdlFiles: BENCH_SDL_FILES, subgraphPids: () => pids, privateKeys: keys.privateKeys, authorization, caller };
  },
  async down() {
    await stopAll();
  },
};

// The project's own stack on ports 8000-8007, through ./federation so it is seeded the way developers see it.
const STACK_OFFSET = 4000;
const STACK_STATE = '/tmp/bench-stack';
// FEDERATION_CMD swaps in another copy of the script (e.g. a patched one while ./federation is broken).
const federationCmd = () => process.env.FEDERATION_CMD ?? join(repoRoot, 'federation');
const stackEnv = () => ({ ...process.env, FEDERATION_STATE: STACK_STATE, FEDERATION_PORT_OFFSET: String(STACK_OFFSET) });

const PG_MAX_CONNECTIONS = 800;
const stackSql = (sql) => psql({ port: 15432 + STACK_OFFSET, sql }).map((row) => row.join('\t')).join('\n');

/** The subgraphs of schema/subgraphs.json that schema/supergraph.graphql composes, at the stack's ports. */
function composedSubgraphs() {
  // subgraphs.json can list a subgraph before it is composed; gateways only get the composed ones.
  const composed = readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');
  return JSON.parse(readFileSync(join(repoRoot, 'schema', 'subgraphs.json'), 'utf8'))
    .filter((s) => composed.includes(`@join__graph(name: "${s.name}"`))
    .map((s) => {
      const url = new URL(s.url);
      url.port = String(Number(url.port) + STACK_OFFSET);
      return { name: s.name, url: url.toString() };
    });
}

/** The subgraphs still not ready after up to two minutes (./federation stops waiting at its first failure). */
async function notReady(subgraphs) {
  const deadline = Date.now() + 120_000;
  let missing = subgraphs;
  while (missing.length > 0 && Date.now() < deadline) {
    const ready = await Promise.all(missing.map((s) =>
      fetch(new URL('/health/ready', s.url), { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false)));
    missing = missing.filter((_, i) => !ready[i]);
    if (missing.length > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  return missing.map((s) => s.name);
}

export const federationStack = {
  name: './federation up (seeded subgraphs)',
  notReady: [],
  async up() {
    this.notReady = [];
    // --no-build: `./federation bench` runs on a built tree; building the solution here would skew the run.
    const up = async () => {
      try {
        execFileSync(federationCmd(), ['up', '--no-build'], { cwd: repoRoot, env: stackEnv(), stdio: ['ignore', process.stderr, 'inherit'] });
      } catch (error) {
        // A subgraph the supergraph does not compose yet may fail to start; only the composed ones matter here.
        // Others' work in progress can keep one subgraph down; measure what still runs and say so.
        const composed = composedSubgraphs();
        const missing = await notReady(composed);
        if (missing.length === composed.length) throw error;
        this.notReady = missing;
        process.stderr.write(`bench: ./federation up failed; not ready: ${missing.join(', ') || 'none'}; going on with the rest\n`);
      }
    };
    await up();
    // Seven subgraphs with Npgsql's default pool of 100 exceed PostgreSQL's default 100 connections
    // under 50 concurrent clients ("53300: too many clients"), which would measure the database
    // setup instead of the gateways. The setting lives in the bench's own state folder.
    if (Number(stackSql('SHOW max_connections')) < PG_MAX_CONNECTIONS) {
      stackSql(`ALTER SYSTEM SET max_connections = ${PG_MAX_CONNECTIONS}`);
      await this.down();
      await up();
    }
    const supergraph = join(repoRoot, 'schema', 'supergraph.graphql');
    const list = composedSubgraphs();
    const urls = Object.fromEntries(list.map((s) => [s.name, s.url]));
    const pidOf = (name) => Number(readFileSync(join(STACK_STATE, 'run', `${name}.pid`), 'utf8'));
    const running = list.filter((s) => !this.notReady.includes(s.name));
    // ./federation up generated the stack's internal-token key; the subgraphs trust only tokens signed with it.
    const privateKeys = join(STACK_STATE, 'gateway-keys', 'private');
    const names = list.map((s) => s.name);
    // Seed lookups read every user's orders: an admin who owns nothing (the tests' admin id).
    const adminAuthorization = subgraphAuthorization(privateKeys, names, { subject: '999999', scope: 'shopper admin' });
    const seeded = { urls, adminAuthorization };
    // The client is the seeded shopper with the most orders: the user page (2c) is theirs, and 2d orders for them.
    const caller = { subject: await userWithMostOrders(seeded), scope: 'shopper' };
    const authorization = subgraphAuthorization(privateKeys, names, caller);
    return {
      supergraph, urls, pidOf, subgraphPids: () => running.map((s) => pidOf(s.name)), notReady: this.notReady,
      // The committed SDL of each subgraph (schema/ checks it equals what the service prints), for gateways that compose.
      sdlFiles: Object.fromEntries(names.map((name) => [name, join(repoRoot, 'schema', 'subgraphs', `${name}.graphql`)])),
      privateKeys, authorization, adminAuthorization, caller,
      kafka: readFileSync(join(STACK_STATE, 'kafka', 'kafka.bootstrap'), 'utf8').trim(),
    };
  },
  async down() {
    execFileSync(federationCmd(), ['down'], { cwd: repoRoot, env: stackEnv(), stdio: ['ignore', process.stderr, 'inherit'] });
  },
};

/** A seed lookup straight at a subgraph, with an admin's internal token. */
async function post({ urls, adminAuthorization: authorization }, subgraph, query, variables) {
  const url = urls[subgraph];
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: authorization[subgraph] }, body: json(query, variables) });
  const body = await res.json();
  if (!res.ok || body.errors) throw new Error(`seed lookup at ${url} failed: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

/** Of the first 50 users, the one with the most orders, asked of orders directly through _entities (as an admin). */
async function userWithMostOrders(stack) {
  const users = (await post(stack, 'accounts', '{ users(first: 50) { nodes { id } } }')).users.nodes;
  if (users.length === 0) throw new Error('accounts has no users: is the stack seeded?');
  const data = await post(
    stack,
    'orders',
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id orders(first: 0) { totalCount } } } }',
    { r: users.map((u) => ({ __typename: 'User', id: u.id })) },
  );
  return data._entities.toSorted((a, b) => b.orders.totalCount - a.orders.totalCount)[0].id;
}

/** Product page with `stock` once inventory is composed into the supergraph, `inStock` alone before. */
function productPageQuery() {
  const api = readFileSync(join(repoRoot, 'schema', 'api.graphql'), 'utf8');
  const product = /\ntype Product \{([\s\S]*?)\n\}/.exec(api)?.[1] ?? '';
  const query = operation('product-page');
  return /\n\s+stock(\(|:)/.test(product) ? query.replace('    inStock\n', '    inStock\n    stock {\n      onHand\n      reserved\n      available\n    }\n') : query;
}

export const WORKLOADS = [
  {
    key: 'gateways-benchmark',
    title: "The Guild's gateways-benchmark deep query (~87 KB response)",
    stack: benchStack,
    targets: [...GATEWAY_TARGETS, 'ours-http1', 'ours-traced-10', 'ours-traced-100', 'ours-production'],
    async prepare() {
      return { staticBody: json(operation('gateways-benchmark')) };
    },
  },
  {
    key: '2a',
    title: '(2a) 20 products from catalog only',
    stack: federationStack,
    targets: [...GATEWAY_TARGETS, 'ours-http1', 'ours-cache', 'ours-cache-redis-killed', 'ours-production', 'subgraph:catalog'],
    async prepare() {
      return { staticBody: json(operation('catalog-products')) };
    },
  },
  {
    key: '2b',
    title: '(2b) product page: product + stock + reviews + review authors',
    stack: federationStack,
    targets: [...GATEWAY_TARGETS, 'ours-cache', 'ours-cache-redis-killed'],
    async prepare(stack) {
      // The most reviewed of the first 100 products, so the page has authors to fetch.
      const data = await post(stack, 'catalog', '{ products(first: 100) { nodes { id reviewCount } } }');
      const id = data.products.nodes.toSorted((a, b) => b.reviewCount - a.reviewCount)[0]?.id;
      if (!id) throw new Error('catalog has no products: is the stack seeded?');
      return { staticBody: json(productPageQuery(), { id }), note: `product ${id}` };
    },
  },
  {
    key: '2c',
    title: '(2c) user page: user + orders + lines + products + payment',
    stack: federationStack,
    targets: GATEWAY_TARGETS,
    async prepare(stack) {
      const id = stack.caller.subject;
      return { staticBody: json(operation('user-page'), { id }), note: `user ${id}, signed in as that user` };
    },
  },
  {
    key: '2d',
    title: '(2d) placeOrder with a fresh idempotency key per request',
    stack: federationStack,
    targets: GATEWAY_TARGETS,
    async prepare(stack) {
      // placeOrder orders for the signed-in caller (issue 13: no userId input).
      const products = await post(stack, 'catalog', '{ products(first: 2) { nodes { id } } }');
      const input = {
        lines: products.products.nodes.map((p) => ({ productId: p.id, quantity: 1 })),
        shippingAddress: { name: 'Bench Tester', line1: '1 SW Main St', city: 'Portland', region: 'OR', postalCode: '97204', country: 'US' },
        shippingMethod: 'STANDARD',
        payment: { cardNumber: '4242 4242 4242 4242' },
      };
      const query = operation('place-order');
      return {
        body: () => json(query, { idempotencyKey: randomUUID(), input }),
        verify: (response) => response.data.placeOrder?.order != null && response.data.placeOrder.errors.length === 0,
        note: `user ${stack.caller.subject}, ${input.lines.length} lines`,
      };
    },
  },
];
