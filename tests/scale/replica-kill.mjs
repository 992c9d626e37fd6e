// Orders through the load balancer while one replica of orders and one of inventory are killed and restarted
// (issue "Scale out"). Runs against a stack started with `./federation up --replicas orders=2,inventory=2,gateway=2`:
// every order ends Confirmed or Rejected, stock is exact, every OrderPlaced event was applied by inventory once,
// and each consumer group's partition assignment before and after the kill is printed from the services' logs.
// Orders go at a steady rate so that the kills and the restart fall inside the load: orders-2 and inventory-2 die at a
// quarter of the orders; at half, gateway-2 dies too, and haproxy must keep serving with only the requests in flight on
// it failing (counted, and compared with the requests haproxy had on it at the kill). Once the partitions have moved,
// `./federation up` restarts all three while the orders go on, and haproxy takes gateway-2 back. Readers query the
// product list beside the orders, once each, never repeated.
//
// Environment: GATEWAY_URL (the load balancer), FEDERATION_STATE, FEDERATION_PORT_OFFSET, ARBITRARY_DOCUMENTS_KEY
// (when the gateway runs an allow-list), ORDERS (2000), ORDER_RATE (20 a second), CLIENTS (16), READERS (4).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { psql } from '../../tools/psql.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const gateway = `${process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000'}/graphql`;
const state = process.env.FEDERATION_STATE ?? join(root, '.federation');
const offset = Number(process.env.FEDERATION_PORT_OFFSET ?? 0);
const pgPort = Number(process.env.FEDERATION_PG_PORT ?? 15432 + offset);
const total = Number(process.env.ORDERS ?? 2000);
const rate = Number(process.env.ORDER_RATE ?? 20);
const clients = Number(process.env.CLIENTS ?? 16);
const readers = Number(process.env.READERS ?? 4);
const victims = ['orders-2', 'inventory-2'];
const gatewayVictim = 'gateway-2';
const settleTimeout = 300_000;

const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); };

const sql = (database, text) => psql({ port: pgPort, database, sql: text });

async function graphql(query, variables, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (process.env.ARBITRARY_DOCUMENTS_KEY) headers['x-arbitrary-documents-key'] = process.env.ARBITRARY_DOCUMENTS_KEY;
  const response = await fetch(gateway, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] } };
  }
}

/** haproxy's `show stat` for the gateway replicas: requests in flight (scur), served (stot) and health, by server. */
function gatewayStats() {
  return new Promise((resolve, reject) => {
    const socket = createConnection(join(state, 'haproxy', 'stats.sock'));
    let text = '';
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (chunk) => { text += chunk; });
    socket.on('error', reject);
    socket.on('end', () => {
      const [header, ...rows] = text.trim().split('\n');
      const names = header.replace(/^# /, '').split(',');
      const servers = {};
      for (const row of rows.map((line) => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])))) {
        if (row.pxname === 'gateways' && row.svname !== 'BACKEND') servers[row.svname] = { inFlight: Number(row.scur), served: Number(row.stot), status: row.status };
      }
      resolve(servers);
    });
  });
}

function pidOf(instance) {
  const file = join(state, 'run', `${instance}.pid`);
  if (!existsSync(file)) throw new Error(`${instance} is not running (${file} missing): start the stack with --replicas orders=2,inventory=2`);
  return Number(readFileSync(file, 'utf8').trim());
}

const replicasOf = (service) => [service, `${service}-2`];
const logOf = (instance) => {
  const file = join(state, 'logs', `${instance}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

/** Each replica's partition assignments in its log from character `from[instance]` on, oldest first (or the last only). */
function assignments(service, from = {}, lastOnly = false) {
  return replicasOf(service).map((instance) => {
    const matches = [...logOf(instance).slice(from[instance] ?? 0).matchAll(/assigned this replica (.+)/g)].map((m) => m[1].trim());
    const shown = lastOnly ? matches.slice(-1) : matches;
    return `${instance}: ${shown.length ? shown.join(' -> ') : '(no change)'}`;
  });
}

const login = await graphql(
  'mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code message } } }',
  { input: { email: 'user1@example.com', password: 'Shopper123!' } });
const token = login.body?.data?.login?.accessToken;
if (!token) throw new Error(`the demo shopper could not sign in: ${JSON.stringify(login.body)}`);

const listed = await graphql('{ products(first: 50) { nodes { id stock { available } } } }', {}, token);
const products = (listed.body?.data?.products?.nodes ?? [])
  .filter((p) => (p.stock?.available ?? 0) > 0)
  .sort((a, b) => b.stock.available - a.stock.available)
  .slice(0, 12)
  .map((p) => Number(p.id));
if (products.length < 5) throw new Error(`too few products in stock: ${JSON.stringify(listed.body)}`);
const stockBefore = new Map(sql('inventory', `SELECT product_id, on_hand, reserved FROM stock_items WHERE product_id IN (${products})`)
  .map(([id, onHand, reserved]) => [Number(id), { onHand: Number(onHand), reserved: Number(reserved) }]));
const before = { orders: assignments('orders', {}, true), inventory: assignments('inventory', {}, true) };
// A killed replica's log starts again with its restart (the same file), so the history is read from the old length
// only for the survivors.
const logLengths = Object.fromEntries(['orders', 'inventory'].flatMap(replicasOf).map((instance) => [instance, victims.includes(instance) ? 0 : logOf(instance).length]));

const placeOrder = `mutation($input: PlaceOrderInput!, $idempotencyKey: String!) {
  placeOrder(input: $input, idempotencyKey: $idempotencyKey) { order { id status } errors { code message } } }`;
const orderIds = new Set();
let sent = 0;
let retried = 0;
let killedAt = null;
const clientFailures = [];
// Every request that got no GraphQL answer (an order send that is repeated, a read that is not): when it ended.
const failedRequests = [];
const reads = { answered: 0, failed: 0 };
const gatewayKill = { at: null, inFlight: null, before: null, after: null, downAfter: null, over: false };
let ordersDone = false;
const started = Date.now();
const elapsed = () => Date.now() - started;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One order, sent again with its idempotency key until it is answered: the key makes the repeats one order. */
async function place(n) {
  const product = products[n % products.length];
  const variables = { input: {
    lines: [{ productId: String(product), quantity: 1 + (n % 3) }],
    shippingAddress: { name: 'Scale Tester', line1: '1 SW Main St', city: 'Portland', region: 'OR', postalCode: '97204', country: 'US' },
    shippingMethod: 'STANDARD',
    payment: { cardNumber: '4242 4242 4242 4242' },
  }, idempotencyKey: randomUUID() };
  for (let attempt = 1; attempt <= 8; attempt++) {
    let answer;
    try {
      answer = await graphql(placeOrder, variables, token);
    } catch (error) {
      answer = { status: 0, body: { errors: [{ message: String(error) }] } };
    }
    const result = answer.body?.data?.placeOrder;
    if (result?.order?.id) {
      orderIds.add(Number(result.order.id));
      return;
    }
    if (result?.errors?.length) {
      // A domain refusal (e.g. an unknown product) is an answer, not a fault: nothing to retry.
      clientFailures.push(`order ${n}: ${JSON.stringify(result.errors)}`);
      return;
    }
    retried++;
    failedRequests.push({ at: elapsed(), what: `placeOrder ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}` });
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    if (attempt === 8) clientFailures.push(`order ${n}: no answer after ${attempt} attempts: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
}

async function killAndRestart() {
  while (sent < total / 4) await sleep(50);
  killedAt = Date.now() - started;
  for (const victim of victims) process.kill(pidOf(victim), 'SIGKILL');
  console.log(`   SIGKILL ${victims.join(', ')} after ${sent} orders (${killedAt} ms)`);
  // Down until the group has moved the dead replica's partitions to the survivor (its session times out after 10 s),
  // so the orders in between are consumed by the survivors alone.
  const marks = Object.fromEntries(['orders', 'inventory'].map((service) => [service, logOf(service).length]));
  const gatewayKilled = killGateway();
  const moved = Date.now() + 60_000;
  while (Date.now() < moved && !['orders', 'inventory'].every((service) => /assigned this replica/.test(logOf(service).slice(marks[service])))) {
    await sleep(250);
  }
  for (const service of ['orders', 'inventory']) {
    const taken = [...logOf(service).slice(marks[service]).matchAll(/assigned this replica (.+)/g)].map((m) => m[1].trim());
    console.log(`   ${service} after the kill (${Date.now() - started} ms): ${taken.length ? taken.join(' -> ') : 'no rebalance within 60 s'}`);
    check(taken.length > 0, `${service}: the surviving replica was not assigned the dead one's partitions within 60 s`);
  }
  await gatewayKilled;
  const restarted = [...victims, ...(gatewayKill.at !== null ? [gatewayVictim] : [])];
  // Not spawnSync: the orders and reads go on while `up` starts the replicas.
  await new Promise((resolve, reject) => execFile(join(root, 'federation'), ['up', '--no-build'], { env: process.env, maxBuffer: 16 << 20 },
    (error, stdout, stderr) => (error ? reject(new Error(`./federation up --no-build failed: ${stdout}\n${stderr}`)) : resolve())));
  console.log(`   restarted ${restarted.join(', ')} (${Date.now() - started} ms)`);
  if (gatewayKill.at !== null) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await gatewayStats())[gatewayVictim]?.status.startsWith('UP')) await sleep(250);
    const back = (await gatewayStats())[gatewayVictim]?.status;
    console.log(`   haproxy has ${gatewayVictim} ${back} again (${elapsed()} ms)`);
    check(back?.startsWith('UP'), `haproxy did not take ${gatewayVictim} back within 30 s of its restart: ${back}`);
  }
}

/** The product list, once: a failure is counted, never repeated. */
async function read() {
  let answer;
  try {
    answer = await graphql('{ products(first: 20) { nodes { id name stock { available } } } }', {}, token);
  } catch (error) {
    answer = { status: 0, body: { errors: [{ message: String(error) }] } };
  }
  if (answer.status === 200 && answer.body?.data?.products?.nodes?.length && !answer.body.errors) {
    reads.answered++;
  } else {
    reads.failed++;
    failedRequests.push({ at: elapsed(), what: `read ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}` });
  }
}

/** At half the orders: SIGKILL gateway-2 and watch haproxy take it out. The restart brings it back with the others. */
async function killGateway() {
  try {
    if (existsSync(join(state, 'run', `${gatewayVictim}.pid`))) await killGatewayUnderLoad();
  } finally {
    gatewayKill.over = true;
  }
}

async function killGatewayUnderLoad() {
  while (sent < total / 2 && !ordersDone) await sleep(50);
  gatewayKill.before = await gatewayStats();
  process.kill(pidOf(gatewayVictim), 'SIGKILL');
  gatewayKill.at = elapsed();
  gatewayKill.inFlight = gatewayKill.before[gatewayVictim]?.inFlight;
  console.log(`   SIGKILL ${gatewayVictim} after ${sent} orders (${gatewayKill.at} ms), ${gatewayKill.inFlight} requests in flight on it`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const stats = await gatewayStats();
    if (stats[gatewayVictim]?.status.startsWith('DOWN')) {
      gatewayKill.downAfter = elapsed() - gatewayKill.at;
      break;
    }
    await sleep(100);
  }
  check(gatewayKill.downAfter !== null, `haproxy did not mark ${gatewayVictim} down within 30 s of its kill`);
  // Load keeps coming for a few seconds after haproxy's health check took the replica out.
  await sleep(3000);
  gatewayKill.after = await gatewayStats();
}

const restart = killAndRestart();
const readLoad = Promise.all(Array.from({ length: readers }, async () => {
  // Until the orders are placed and the gateway kill has had its load.
  while (!ordersDone || !gatewayKill.over) await read();
}));
await Promise.all(Array.from({ length: clients }, async () => {
  while (sent < total) {
    const n = sent++;
    // Order n is due n/rate seconds in; a client that falls behind sends at once.
    await sleep(started + (n * 1000) / rate - Date.now());
    await place(n);
  }
}));
ordersDone = true;
await restart;
await readLoad;
const placedIn = Date.now() - started;

// Every order settles: the saga ends it Confirmed or Rejected.
const ids = [...orderIds];
let statuses = [];
const settleStart = Date.now();
while (Date.now() - settleStart < settleTimeout) {
  statuses = sql('orders', `SELECT status, count(*) FROM orders WHERE id IN (${ids}) GROUP BY status ORDER BY status`);
  if (statuses.every(([status]) => status === 'Confirmed' || status === 'Rejected')) break;
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
const byStatus = Object.fromEntries(statuses.map(([status, count]) => [status, Number(count)]));
check(statuses.every(([status]) => status === 'Confirmed' || status === 'Rejected'), `orders not settled after ${settleTimeout / 1000} s: ${JSON.stringify(byStatus)}`);
check(ids.length + clientFailures.length === total, `${total} orders sent, ${ids.length} created and ${clientFailures.length} refused`);
check(clientFailures.length === 0, `orders without an order: ${clientFailures.slice(0, 5).join('; ')}`);

// Inventory settles on its own: it commits or releases each reservation when it consumes the payment's outcome.
while (Date.now() - settleStart < settleTimeout && Number(sql('inventory', `SELECT count(*) FROM reservations WHERE order_id IN (${ids})`)[0][0]) > 0) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
const settledIn = Date.now() - settleStart;

// Stock is exact: what confirmed orders took left on_hand, and nothing stays reserved for them.
const confirmed = new Map(sql('orders', `SELECT l.product_id, sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
  WHERE o.id IN (${ids}) AND o.status = 'Confirmed' GROUP BY l.product_id`).map(([id, quantity]) => [Number(id), Number(quantity)]));
const stockAfter = new Map(sql('inventory', `SELECT product_id, on_hand, reserved FROM stock_items WHERE product_id IN (${products})`)
  .map(([id, onHand, reserved]) => [Number(id), { onHand: Number(onHand), reserved: Number(reserved) }]));
for (const product of products) {
  const expected = stockBefore.get(product).onHand - (confirmed.get(product) ?? 0);
  const after = stockAfter.get(product);
  check(after.onHand === expected, `product ${product}: on_hand ${after.onHand}, expected ${expected}`);
  check(after.reserved === stockBefore.get(product).reserved, `product ${product}: reserved ${after.reserved}, was ${stockBefore.get(product).reserved}`);
  check(after.onHand >= 0, `product ${product} oversold: on_hand ${after.onHand}`);
}
const leftReserved = Number(sql('inventory', `SELECT count(*) FROM reservations WHERE order_id IN (${ids})`)[0][0]);
check(leftReserved === 0, `${leftReserved} reservations left for settled orders`);

// Every OrderPlaced the orders replicas published was applied by inventory exactly once (the inbox's key is the event id).
const published = sql('orders', `SELECT event_id FROM outbox_messages WHERE type = 'OrderPlaced' AND key IN (${ids.map((id) => `'${id}'`)})`).map(([id]) => id);
const applied = new Map(sql('inventory', `SELECT event_id, count(*) FROM inbox_messages WHERE type = 'OrderPlaced' GROUP BY event_id`).map(([id, count]) => [id, Number(count)]));
check(published.length === ids.length, `${published.length} OrderPlaced events published for ${ids.length} orders`);
const missing = published.filter((id) => !applied.has(id));
check(missing.length === 0, `${missing.length} OrderPlaced events never applied by inventory`);
check([...applied.values()].every((count) => count === 1), 'an OrderPlaced event applied twice');

// The gateway kill: haproxy kept serving, and what failed was in flight on the killed replica. A killed process keeps
// its sockets until the kernel has torn it down, so haproxy may hand it requests for a moment after the signal; they
// fail when the sockets close, which is before the health check can see the replica gone. So: every failure ended
// before haproxy marked it down, and there are at most as many as can be in flight (one per client).
if (gatewayKill.at !== null) {
  const afterKill = failedRequests.filter((f) => f.at >= gatewayKill.at);
  const endedAfter = afterKill.map((f) => f.at - gatewayKill.at);
  const givenSince = Object.fromEntries(Object.keys(gatewayKill.after ?? {}).map((server) =>
    [server, gatewayKill.after[server].served - (gatewayKill.before[server]?.served ?? 0)]));
  console.log(`   ${gatewayVictim} killed with ${gatewayKill.inFlight} requests in flight on it (haproxy's count); haproxy marked it down after ${gatewayKill.downAfter} ms`);
  console.log(`   failed requests after the gateway kill: ${afterKill.length}, ended ${afterKill.length ? `${Math.min(...endedAfter)}-${Math.max(...endedAfter)} ms` : '-'} after it; requests haproxy gave each replica since (a refused connection counts, then goes elsewhere): ${JSON.stringify(givenSince)}`);
  for (const failure of afterKill.slice(0, 3)) console.log(`     ${failure.what}`);
  check(afterKill.length <= clients + readers, `${afterKill.length} requests failed after the gateway kill, more than the ${clients + readers} that can be in flight`);
  check(gatewayKill.downAfter === null || endedAfter.every((ms) => ms <= gatewayKill.downAfter),
    `requests failed after haproxy marked ${gatewayVictim} down (${gatewayKill.downAfter} ms): ${endedAfter.filter((ms) => ms > gatewayKill.downAfter)} ms after the kill`);
  check((givenSince.gateway ?? 0) > 0, `gateway (the first replica) served nothing after ${gatewayVictim} was killed`);
}
const beforeGateway = failedRequests.filter((f) => gatewayKill.at === null || f.at < gatewayKill.at);
console.log(`   reads: ${reads.answered} answered, ${reads.failed} failed; before the gateway kill ${beforeGateway.length} requests failed (order sends repeated with their key: ${retried})`);
check(beforeGateway.filter((f) => f.what.startsWith('read')).length === 0, `reads failed while subgraph replicas were killed: ${beforeGateway.filter((f) => f.what.startsWith('read')).slice(0, 3).map((f) => f.what).join('; ')}`);

const during = { orders: assignments('orders', logLengths), inventory: assignments('inventory', logLengths) };
console.log(`   ${total} orders from ${clients} clients through the load balancer in ${placedIn} ms (${retried} sends repeated with their idempotency key)`);
console.log(`   settled ${settledIn} ms after the last order: ${JSON.stringify(byStatus)}; stock exact for ${products.length} products; ${published.length} OrderPlaced events applied once each`);
for (const service of ['orders', 'inventory']) {
  console.log(`   ${service} partitions before the kill: ${before[service].join('; ')}`);
  console.log(`   ${service} assignments since (kill, restart): ${during[service].join('; ')}`);
}
if (problems.length) {
  for (const problem of problems) console.error(`replica-kill: ${problem}`);
  process.exit(1);
}
console.log('   replica kill: every order settled, stock exact, every event applied once');
