#!/usr/bin/env node
// End-to-end run of the storefront and dashboard in headless Chromium against a running stack.
//   GATEWAY_URL=http://127.0.0.1:7000 node web/e2e/run.mjs          (serves web/dist itself with vite preview)
//   GATEWAY_URL=... APP_URL=http://127.0.0.1:4173 node web/e2e/run.mjs (uses an app already being served)
// Every expectation is checked against the gateway directly, so the UI is compared with the graph, not with constants.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { writeJunit } from '../../tools/junit.mjs';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(WEB, '..');
const GATEWAY_URL = process.env.GATEWAY_URL?.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
const OUT = resolve(process.env.E2E_OUTPUT ?? join(ROOT, 'test-output', 'web'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 900_000;
const SAGA_WAIT_MS = 5_000;
// How long read models fed by the seed's events may take to converge after `up`.
const CONVERGE_WAIT_MS = 60_000;
const REJECT_WAIT_MS = 30_000;
// Declined orders the run may place, and for how long, before the payment-failure-rate rule must have raised its alert.
const ALERT_MAX_DECLINES = 30;
const ALERT_WAIT_MS = 120_000;
// A socket that comes back is found by the app's next reconnect attempt (backoff capped at about 11 s).
const RECONNECT_WAIT_MS = 20_000;
// A phone's viewport (the issue's 390 px) and the narrowest one the storefront supports.
const PHONE = { width: 390, height: 844 };
const AXE_SOURCE = readFileSync(join(WEB, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

if (!GATEWAY_URL) {
  console.error('e2e: set GATEWAY_URL to the gateway of a running stack, e.g. http://127.0.0.1:7000');
  process.exit(2);
}
// The stack's state folder and port offset, as given to `./federation up`: the run kills that stack's reviews
// process and starts it again.
const STACK_STATE = process.env.FEDERATION_STATE;
const STACK_OFFSET = Number(process.env.FEDERATION_PORT_OFFSET ?? 0);
if (!STACK_STATE || !existsSync(join(STACK_STATE, 'run', 'reviews.pid'))) {
  console.error('e2e: set FEDERATION_STATE (and FEDERATION_PORT_OFFSET) to those of the running stack; it needs its run/reviews.pid');
  process.exit(2);
}
// A killed subgraph's circuit stays open this long in the gateway before a probe lets requests through again.
const BREAKER_WAIT_MS = 45_000;
// The stack's Aspire Dashboard, when it runs one (`./federation smoke` passes it).
const DASHBOARD_URL = process.env.DASHBOARD_URL?.replace(/\/$/, '');
// Set when the stack's gateway runs in allow-list mode (`./federation smoke` does): only the app's trusted documents run.
const ARBITRARY_DOCUMENTS_KEY = process.env.ARBITRARY_DOCUMENTS_KEY || undefined;

const cleanups = [];
let failed = false;
let stepNumber = 0;
// Each step as a JUnit case (E2E_JUNIT names the file), so ./federation test counts the steps with the other suites.
const stepResults = [];
const JUNIT = process.env.E2E_JUNIT;
const writeResults = () => { if (JUNIT) writeJunit(JUNIT, 'e2e', stepResults); };

// Demo accounts that `./federation up` creates in a local stack.
const DEMO_SHOPPER = { email: 'user1@example.com', password: 'Shopper123!' };
const DEMO_ADMIN = { email: 'admin@example.com', password: 'Admin123!' };

// `token` signs the oracle in: orders, payments and notifications answer only their owner or an admin. Against a
// gateway in allow-list mode the oracle's documents run because it sends the stack's arbitrary-documents key.
async function gateway(query, variables = {}, token = undefined) {
  const response = await fetch(`${GATEWAY_URL}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(ARBITRARY_DOCUMENTS_KEY ? { 'x-arbitrary-documents-key': ARBITRARY_DOCUMENTS_KEY } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(`gateway oracle query failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The errors a gateway request answers with (the oracle's checks that something is refused). */
async function gatewayErrors(query, variables = {}, token = undefined) {
  const response = await fetch(`${GATEWAY_URL}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(ARBITRARY_DOCUMENTS_KEY ? { 'x-arbitrary-documents-key': ARBITRARY_DOCUMENTS_KEY } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()).errors ?? [];
}

async function signInOracle({ email, password }) {
  const { login } = await gateway(
    'mutation($input: LoginInput!) { login(input: $input) { accessToken user { id name } errors { code message } } }',
    { input: { email, password } },
  );
  if (!login.accessToken) throw new Error(`oracle sign-in as ${email} failed: ${JSON.stringify(login.errors)}`);
  return { token: login.accessToken, userId: login.user.id, name: login.user.name };
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

async function waitForHttp(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function subgraphPort(name) {
  const list = JSON.parse(readFileSync(join(ROOT, 'schema', 'subgraphs.json'), 'utf8'));
  return Number(new URL(list.find((s) => s.name === name).url).port) + STACK_OFFSET;
}

async function refusesConnections(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch (error) {
    return error.cause?.code === 'ECONNREFUSED';
  }
}

// Stops the stack's inventory processes (SIGSTOP; every replica) so an order just placed stays Placed until the test
// has seen the order page subscribe; the saga then runs on from where it was (Kafka keeps the events). Inventory is
// the saga's first step, and the order page asks nothing of it.
function holdSaga() {
  const run = join(STACK_STATE, 'run');
  const pids = readdirSync(run).filter((file) => /^inventory(-\d+)?\.pid$/.test(file)).map((file) => Number(readFileSync(join(run, file), 'utf8')));
  assert(pids.length > 0, `no inventory pid file in ${run}`);
  const resume = () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {}
    }
  };
  cleanups.unshift(resume);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return resume;
}

async function serveApp() {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, '');
  if (!existsSync(join(WEB, 'dist', 'index.html'))) {
    console.log('e2e: building web/dist');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: WEB, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const port = await freePort();
  const log = openSync(join(OUT, 'preview.log'), 'w');
  const preview = spawn(join(WEB, 'node_modules', '.bin', 'vite'), ['preview', '--port', String(port), '--strictPort'], {
    cwd: WEB,
    // /graphql to the stack's gateway, /images/ to its catalog (as `./federation up` serves the app).
    env: { ...process.env, GATEWAY_URL, CATALOG_URL: `http://127.0.0.1:${subgraphPort('catalog')}` },
    stdio: ['ignore', log, log],
    detached: true,
  });
  cleanups.push(() => {
    try {
      process.kill(-preview.pid, 'SIGTERM');
    } catch {}
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, 30);
  return url;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  // Screenshots of an earlier run would pass for this run's.
  for (const file of readdirSync(OUT)) if (file.endsWith('.png')) rmSync(join(OUT, file));
  const appUrl = await serveApp();
  const profile = mkdtempSync(join(tmpdir(), 'web-e2e-chromium-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    baseURL: appUrl,
  });
  cleanups.unshift(() => context.close());
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Anything the app's own origin answers 404 (a missing favicon, a stale asset) fails the step that asked for it.
  const notFound = [];
  page.on('response', (response) => {
    if (response.status() === 404 && response.url().startsWith(appUrl)) notFound.push(response.url());
  });
  // axe-core on the page as it is: serious and critical violations fail the step (the page's address is in the message).
  const axeChecked = new Map();
  const checkAccessibility = async (target = page) => {
    await target.waitForLoadState('domcontentloaded');
    if (!(await target.evaluate(() => typeof window.axe === 'object'))) await target.addScriptTag({ content: AXE_SOURCE });
    const violations = await target.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    const where = new URL(target.url()).pathname;
    axeChecked.set(where, (axeChecked.get(where) ?? 0) + 1);
    assertEqual(violations, [], `axe: serious or critical accessibility violations on ${target.url()}`);
  };
  // The page fits the viewport: nothing makes the document scroll sideways.
  const assertNoHorizontalScroll = async (what) => {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth }));
    assert(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px viewport`);
  };
  const assertTitle = async (title) => {
    const expected = title ? `${title} · Federation Store` : 'Federation Store';
    await page.waitForFunction((t) => document.title === t, expected).catch(async () => assertEqual(await page.title(), expected, 'page title'));
  };
  // Operations the browser sent as text rather than as a trusted document's hash.
  const sentAsText = [];
  context.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST' && request.postDataJSON()?.query) sentAsText.push(request.postDataJSON().operationName);
  });
  // Every GraphQL request over HTTP (operation name, time) and every graphql-transport-ws message of the page's
  // sockets: live pages must get their updates over the socket and send no queries while it is up.
  const httpOperations = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST') httpOperations.push({ name: request.postDataJSON()?.operationName, at: Date.now() });
  });
  const wsMessages = [];
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.endsWith('/graphql')) return;
    const record = (direction) => ({ payload }) => {
      try {
        wsMessages.push({ direction, at: Date.now(), ...JSON.parse(String(payload)) });
      } catch {}
    };
    socket.on('framesent', record('sent'));
    socket.on('framereceived', record('received'));
  });
  const requestsOf = (name, since = 0) => httpOperations.filter((r) => r.name === name && r.at >= since);
  const subscribesOf = (name, variables = () => true, since = 0) =>
    wsMessages.filter((m) => m.direction === 'sent' && m.type === 'subscribe' && m.at >= since && m.payload?.operationName === name && variables(m.payload.variables ?? {}));
  // The page's subscription to an operation, once its first subscribe message was sent, as the trusted document's hash
  // only. `ids()`: that message's id and those of any later ones (an open-mode gateway without the manifest answers
  // PERSISTED_QUERY_NOT_FOUND and the app sends the text under a new id; a reconnect sends the same id again).
  const waitForSubscribe = async (name, variables = () => true, since = 0) => {
    for (const deadline = Date.now() + STEP_TIMEOUT_MS; subscribesOf(name, variables, since).length === 0; ) {
      assert(Date.now() < deadline, `the page never subscribed to ${name} over its WebSocket`);
      await page.waitForTimeout(100);
    }
    const [first] = subscribesOf(name, variables, since);
    assertEqual(first.payload.query, '', `${name}'s subscribe message carries text instead of only the trusted document's hash`);
    assert(first.payload.extensions?.persistedQuery?.sha256Hash, `${name}'s subscribe message has no persisted query hash`);
    return { at: first.at, ids: () => subscribesOf(name, variables, since).map((m) => m.id) };
  };
  const nextsFor = (subscription) => wsMessages.filter((m) => m.direction === 'received' && m.type === 'next' && subscription.ids().includes(m.id));
  const waitUntil = async (condition, timeout, what) => {
    for (const deadline = Date.now() + timeout; !(await condition()); ) {
      assert(Date.now() < deadline, what);
      await page.waitForTimeout(250);
    }
  };

  const step = async (name, body) => {
    const number = String(++stepNumber).padStart(2, '0');
    const started = Date.now();
    try {
      await body();
      assert(pageErrors.length === 0, `uncaught errors in the page: ${pageErrors.join(' | ')}`);
      assertEqual(notFound, [], 'requests the app answered 404');
      await checkAccessibility();
      await page.screenshot({ path: join(OUT, `${number}-${name}.png`), fullPage: true });
      console.log(`  ok   ${number} ${name} (${Date.now() - started} ms)`);
      stepResults.push({ name: `${number} ${name}`, ms: Date.now() - started });
    } catch (error) {
      await page.screenshot({ path: join(OUT, `${number}-${name}.FAILED.png`), fullPage: true }).catch(() => {});
      console.log(`  FAIL ${number} ${name}: ${error.message}`);
      stepResults.push({ name: `${number} ${name}`, ms: Date.now() - started, failure: error.message });
      error.reported = true;
      throw error;
    }
  };

  const cards = page.getByTestId('product-card');
  const cardValues = (attribute) => cards.evaluateAll((nodes, a) => nodes.map((n) => n.getAttribute(a)), attribute);
  const cardIds = () => cards.evaluateAll((nodes) => nodes.map((n) => n.querySelector('a').getAttribute('href').split('/').pop()));
  const waitForText = (testId, text) => page.getByTestId(testId).filter({ hasText: text }).waitFor();
  const ids = (connection) => connection.edges.map((e) => e.node.id);
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('user-name').waitFor({ state: 'detached' });
  };
  // Fills the login form the page is on (opened directly or by a guard's redirect).
  const fillLogin = async ({ email, password }, expectedName) => {
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForText('user-name', expectedName);
  };
  const PAGE = 20;
  const firstPageIds = async () => (await cardIds()).slice(0, PAGE);
  const productPage = (filter, orderBy, first = PAGE) =>
    gateway(
      `query($first: Int, $filter: ProductFilter, $orderBy: ProductOrder) {
         products(first: $first, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id price inStock } } }
       }`,
      { first, filter, orderBy },
    ).then((d) => d.products);

  const { categories } = await gateway('{ categories { id name } }');
  assert(categories.length > 0, 'the catalog has no categories');
  const category = categories[0];

  await step('catalog', async () => {
    const expected = await productPage({}, { field: 'ID', direction: 'ASC' });
    await page.goto('/');
    await waitForText('total-count', `${expected.totalCount} products`);
    assertEqual(await firstPageIds(), ids(expected), 'first page of products');
    await assertTitle('Shop');
    // The app's icon is its own (and no page asks for a missing /favicon.ico: the step fails on any 404).
    const icon = await page.locator('link[rel=icon]').getAttribute('href');
    const response = await page.request.get(icon);
    assert(response.ok() && response.headers()['content-type']?.includes('svg'), `favicon ${icon}: ${response.status()} ${response.headers()['content-type']}`);
  });

  // Images are drawn by catalog and reach the page through the storefront's origin (vite forwards /images/ to catalog).
  const loadedImages = (locator) => locator.evaluateAll((nodes) => nodes.filter((n) => n.complete && n.naturalWidth > 0).map((n) => ({
    src: n.getAttribute('src'), alt: n.alt, width: n.getAttribute('width'), height: n.getAttribute('height'), natural: n.naturalWidth,
  })));
  await step('product-images', async () => {
    const first = cards.first().getByTestId('product-image');
    await first.scrollIntoViewIfNeeded();
    await waitUntil(async () => (await loadedImages(first)).length === 1, STEP_TIMEOUT_MS, 'the first card\'s image never loaded (naturalWidth 0)');
    const [image] = await loadedImages(first);
    const name = await cards.first().locator('a').innerText();
    assertEqual(image.alt, name, 'image alt text');
    assertEqual([image.width, image.height], ['160', '160'], 'image dimensions set on the element (no layout shift)');
    assert(/^\/images\/products\/\d+\.svg\?size=thumb&v=[0-9a-f]{12}$/.test(image.src), `image src ${image.src}`);
    const response = await page.request.get(image.src);
    assertEqual(response.headers()['cache-control'], 'public, max-age=31536000, immutable', 'versioned image cache-control');
    assert(response.headers()['etag'], 'image etag');
    assertEqual((await page.request.get('/images/products/99999999.svg')).status(), 404, 'image of an unknown product');
    assertEqual((await page.request.get('/images/products/1.svg?size=huge')).status(), 400, 'image of a bad size');
  });

  await step('infinite-scroll', async () => {
    const before = await cards.count();
    await page.mouse.wheel(0, 20_000);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=product-card]').length > n, before);
    const loaded = await cardIds();
    const expected = await productPage({}, { field: 'ID', direction: 'ASC' }, loaded.length);
    assertEqual(loaded, ids(expected), `${loaded.length} products after scrolling past the first ${before}`);
  });

  await step('filter-category', async () => {
    const expected = await productPage({ categoryId: category.id }, { field: 'ID', direction: 'ASC' });
    await page.locator('select[name=category]').selectOption(category.id);
    await waitForText('total-count', `${expected.totalCount} products`);
    await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid=product-card]')].every((n) => n.dataset.category === id), category.id);
    assertEqual(await firstPageIds(), ids(expected), `first page of category ${category.name}`);
  });

  await step('filter-in-stock', async () => {
    const expected = await productPage({ categoryId: category.id, inStock: true }, { field: 'ID', direction: 'ASC' });
    // The URL owns the filter state, so the box turns checked only after the navigation renders.
    await page.locator('input[name=inStock]').click();
    await page.waitForURL(/inStock=1/);
    assert(await page.locator('input[name=inStock]').isChecked(), 'in-stock box is not checked');
    await waitForText('total-count', `${expected.totalCount} products`);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=product-card]')].every((n) => n.dataset.inStock === 'true'));
    assertEqual(await firstPageIds(), ids(expected), 'first page of in-stock products in the category');
  });

  await step('sort-price', async () => {
    const expected = await productPage({ categoryId: category.id, inStock: true }, { field: 'PRICE', direction: 'DESC' });
    await page.locator('select[name=sort]').selectOption('price-desc');
    await page.waitForFunction((first) => document.querySelector('[data-testid=product-card] a')?.getAttribute('href') === `/products/${first}`, expected.edges[0].node.id);
    assertEqual(await firstPageIds(), ids(expected), 'products by price, highest first');
    const prices = (await cardValues('data-price')).map(Number);
    assert(prices.every((p, i) => i === 0 || prices[i - 1] >= p), `prices are not descending: ${prices}`);
  });

  await step('sort-rating', async () => {
    await page.locator('select[name=sort]').selectOption('rating-desc');
    await page.waitForURL(/sort=rating-desc/);
    // Ratings are a read model fed by review events: right after `up` they may still be converging, so the
    // page and the gateway are compared until both show the same order (bounded), never just once by luck.
    const deadline = Date.now() + CONVERGE_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const expected = await productPage({ categoryId: category.id, inStock: true }, { field: 'RATING', direction: 'DESC' });
      if (attempt > 0) await page.reload();
      await page.getByTestId('product-card').first().waitFor();
      const shown = await firstPageIds();
      if (JSON.stringify(shown) === JSON.stringify(ids(expected)) || Date.now() > deadline) {
        assertEqual(shown, ids(expected), 'products by rating, best first');
        break;
      }
      await page.waitForTimeout(1000);
    }
  });

  // Compares the page's first page of cards with the gateway's for the same arguments until both agree (ratings are a
  // read model that may still converge right after `up`), then asserts they do.
  const untilListMatches = async (filter, orderBy, what) => {
    const deadline = Date.now() + CONVERGE_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const expected = await productPage(filter, orderBy);
      if (attempt > 0) await page.reload();
      await waitForText('total-count', `${expected.totalCount} products`).catch(() => {});
      const shown = expected.totalCount === 0 ? [] : await firstPageIds();
      const count = await page.getByTestId('total-count').innerText().catch(() => '');
      if ((JSON.stringify(shown) === JSON.stringify(ids(expected)) && count === `${expected.totalCount} products`) || Date.now() > deadline) {
        assertEqual(count, `${expected.totalCount} products`, `${what}: product count`);
        assertEqual(shown, ids(expected), what);
        return expected;
      }
      await page.waitForTimeout(1000);
    }
  };

  // A word of a product's name that several products share, so the search has more than one result.
  const searchTerm = await (async () => {
    const { products } = await gateway('{ products(first: 100) { edges { node { name } } } }');
    const words = new Map();
    for (const { node } of products.edges) for (const w of node.name.toLowerCase().split(/\W+/)) if (w.length >= 4) words.set(w, (words.get(w) ?? 0) + 1);
    return [...words.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  })();
  await step('search', async () => {
    await page.goto('/');
    // A search input with suggestions (a list attribute) is a combobox to assistive technology.
    const box = page.getByRole('combobox', { name: 'Search products' });
    await box.fill(searchTerm.slice(0, 3));
    // Suggestions: product names containing what was typed, offered once typing pauses.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=search-suggestions] option').length > 0);
    const suggestions = await page.getByTestId('search-suggestions').locator('option').evaluateAll((nodes) => nodes.map((n) => n.value));
    assert(suggestions.every((name) => name.toLowerCase().includes(searchTerm.slice(0, 3))), `suggestions for "${searchTerm.slice(0, 3)}": ${suggestions}`);
    await box.fill(searchTerm);
    await box.press('Enter');
    await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === searchTerm);
    await page.getByRole('heading', { level: 1, name: `Results for “${searchTerm}”` }).waitFor();
    const expected = await untilListMatches({ search: searchTerm }, { field: 'ID', direction: 'ASC' }, `results for "${searchTerm}"`);
    assert(expected.totalCount > 1, `"${searchTerm}" matches ${expected.totalCount} product(s)`);
    await assertTitle(`Results for “${searchTerm}”`);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByText(`Search: ${searchTerm}`).waitFor();
  });

  await step('filter-price-rating', async () => {
    // A price range around the middle of the catalog, with ratings of 3 and up, sorted by name.
    const { products: byPrice } = await gateway('{ products(first: 100, orderBy: { field: PRICE, direction: ASC }) { edges { node { price } } } }');
    const prices = byPrice.edges.map((e) => e.node.price);
    const [minPrice, maxPrice] = [Math.floor(prices[Math.floor(prices.length * 0.2)]), Math.ceil(prices[Math.floor(prices.length * 0.8)])];
    await page.goto('/');
    await page.getByLabel('Minimum price').fill(String(minPrice));
    await page.getByLabel('Maximum price').fill(String(maxPrice));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('minPrice') === String(minPrice) && url.searchParams.get('maxPrice') === String(maxPrice));
    await untilListMatches({ minPrice, maxPrice }, { field: 'ID', direction: 'ASC' }, `products from $${minPrice} to $${maxPrice}`);
    await page.locator('select[name=minRating]').selectOption('3');
    await page.waitForURL((url) => url.searchParams.get('minRating') === '3');
    await page.locator('select[name=sort]').selectOption('name-asc');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'name-asc');
    const expected = await untilListMatches({ minPrice, maxPrice, minRating: 3 }, { field: 'NAME', direction: 'ASC' }, `products from $${minPrice} to $${maxPrice} rated 3+, by name`);
    assert(expected.totalCount > 0, 'the price and rating filters left no product to check');
    const shownPrices = (await cardValues('data-price')).map(Number);
    const shownRatings = (await cardValues('data-rating')).map(Number);
    assert(shownPrices.every((p) => p >= minPrice && p <= maxPrice), `prices outside $${minPrice}-$${maxPrice}: ${shownPrices}`);
    assert(shownRatings.every((r) => r >= 3), `ratings below 3: ${shownRatings}`);
    // The whole view is in the URL: opening it afresh shows the same list.
    const url = page.url();
    await page.goto(url);
    await untilListMatches({ minPrice, maxPrice, minRating: 3 }, { field: 'NAME', direction: 'ASC' }, 'the same view opened from its URL');
    assertEqual(await page.getByLabel('Minimum price').inputValue(), String(minPrice), 'minimum price field after reload');
    // Newest first.
    await page.locator('select[name=sort]').selectOption('newest');
    await untilListMatches({ minPrice, maxPrice, minRating: 3 }, { field: 'CREATED_AT', direction: 'DESC' }, 'newest first');
  });

  const email = `e2e-${Date.now()}-${process.pid}@example.com`;
  // Changed by the account-password step; later sign-ins use the new one.
  let password = 'e2e-secret-42';
  const name = 'E2E Shopper';
  await step('register', async () => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'New here? Create an account' }).click();
    await page.locator('input[name=name]').fill(name);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Register' }).click();
    await waitForText('user-name', name);
  });

  await step('register-duplicate-email', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto('/login');
    await page.getByRole('button', { name: 'New here? Create an account' }).click();
    await page.locator('input[name=name]').fill(name);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('alert').first().waitFor();
    assert(!(await page.getByTestId('user-name').isVisible()), 'a duplicate registration signed the user in');
  });

  let shopper;
  await step('login', async () => {
    await page.getByRole('button', { name: 'Have an account? Sign in' }).click();
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText('user-name', name);
    shopper = await signInOracle({ email, password });
  });

  const product = (await productPage({ inStock: true }, { field: 'PRICE', direction: 'ASC' }, 1)).edges[0].node;
  // The product page shows the first 5 reviews (REVIEWS_PAGE_SIZE), then 'Show more reviews'.
  const { product: productDetail } = await gateway('query($id: ID!) { product(id: $id) { name price reviewCount stock { available } reviews(first: 5) { edges { node { id } } } } }', { id: product.id });
  await step('product', async () => {
    await page.goto(`/products/${product.id}`);
    await page.getByRole('heading', { level: 1, name: productDetail.name }).waitFor();
    assertEqual(await page.getByTestId('review').count(), productDetail.reviews.edges.length, 'reviews shown');
    const available = productDetail.stock ? ` · ${productDetail.stock.available} available` : '';
    assertEqual(await page.getByTestId('stock').innerText(), `In stock${available}`, 'stock line (inventory)');
    await assertTitle(productDetail.name);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Shop' }).waitFor();
    const hero = page.locator('img.product-hero');
    await waitUntil(async () => (await loadedImages(hero)).length === 1, STEP_TIMEOUT_MS, 'the product image never loaded (naturalWidth 0)');
    assertEqual((await loadedImages(hero))[0].alt, productDetail.name, 'product image alt text');
    // A shopper who has not bought the product is not offered the review form.
    await page.getByTestId('review-not-allowed').waitFor();
    assertEqual(await page.locator('textarea[name=body]').count(), 0, 'review form shown to a shopper who has not bought the product');
    await page.getByTestId('related-product').first().waitFor();
  });

  await step('add-to-cart', async () => {
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForText('cart-count', '1');
    // The quantity selector adds several at once; a quantity above what is available is capped to it.
    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForText('cart-count', '2');
    if (productDetail.stock) {
      assertEqual(await page.getByLabel('Quantity').getAttribute('max'), String(Math.min(100, productDetail.stock.available)), 'quantity limit');
    }
    await page.goto('/cart');
    const total = Math.round(productDetail.price * 100 * 2) / 100;
    await waitForText('cart-total', `$${total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    await assertTitle('Cart');
  });

  // An in-stock product and a quantity whose total the test card declines (it declines charges above 5,000.00).
  const declinable = async () => {
    const { products } = await gateway('{ products(first: 30, orderBy: { field: PRICE, direction: DESC }, filter: { inStock: true }) { edges { node { id name price stock { available } } } } }');
    const pick = products.edges.map((e) => e.node)
      .map((p) => ({ ...p, quantity: Math.floor(5000 / p.price) + 1 }))
      .find((p) => p.quantity <= Math.min(p.stock.available, 100));
    assert(pick, 'no in-stock product can make an order above the test card limit');
    return pick;
  };

  let orderId;
  let orderSubscription;
  const liveStatus = page.locator('[data-testid=live-status][data-status=live]');
  // Places the cart's order while the saga is held: the order page must load it as Placed and subscribe to it over
  // the WebSocket (the trusted document's hash only) before the saga may settle it.
  const placeOrderHeld = async () => {
    const release = holdSaga();
    try {
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.waitForURL(/\/orders\/[^/]+$/);
      const id = page.url().split('/').pop();
      const subscribed = await waitForSubscribe('OrderUpdated', (variables) => variables.id === id);
      await waitForText('order-status', 'Placed');
      await liveStatus.waitFor();
      return { id, subscribed };
    } finally {
      release();
    }
  };
  // The checkout's steps from the cart to its review: a saved address (or a new one typed in), a shipping method, a card.
  const e2eAddress = { name: 'E2E Shopper', line1: '12 Market St', city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' };
  const apiCheckout = { shippingAddress: e2eAddress, shippingMethod: 'STANDARD', payment: { cardNumber: '4242 4242 4242 4242' } };
  const openCheckout = async () => {
    await page.goto('/cart');
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByRole('heading', { name: 'Shipping address' }).waitFor();
    await assertTitle('Checkout');
  };
  const checkoutWithSavedAddress = async (card) => {
    await openCheckout();
    await page.getByRole('radio', { name: /E2E Shopper/ }).first().check();
    await page.getByRole('button', { name: 'Continue to shipping' }).click();
    await page.getByRole('radio', { name: /^Standard:/ }).check();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByLabel('Card number').fill(card);
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByTestId('quote-total').waitFor();
  };
  const clearCart = async () => {
    await page.goto('/cart');
    await page.getByTestId('cart-line').or(page.getByText('Your cart is empty.')).first().waitFor();
    while ((await page.getByTestId('cart-line').count()) > 0) {
      const before = await page.getByTestId('cart-line').count();
      await page.getByTestId('cart-line').first().getByRole('button', { name: 'Remove' }).click();
      await waitUntil(async () => (await page.getByTestId('cart-line').count()) < before, 5_000, 'a cart line was not removed');
    }
  };
  const waitForStatus = async (id, wanted) => {
    const query = 'query($id: ID!) { order(id: $id) { status rejectionReason payment { status } } }';
    let order = (await gateway(query, { id }, shopper.token)).order;
    for (const deadline = Date.now() + REJECT_WAIT_MS; order.status === 'PLACED' && Date.now() < deadline; ) {
      await page.waitForTimeout(500);
      order = (await gateway(query, { id }, shopper.token)).order;
    }
    assertEqual(order.status, wanted, `status of order ${id}`);
    return order;
  };
  // The final status came as an event of the page's subscription, and the page sent no order query meanwhile.
  const assertFollowedLive = (id, subscribed, status) => {
    const statuses = nextsFor(subscribed).map((m) => m.payload?.data?.orderUpdated?.status);
    assert(statuses.includes(status), `${status} of order ${id} did not arrive over the WebSocket (events: ${JSON.stringify(statuses)})`);
    assertEqual(requestsOf('Order', subscribed.at).map((r) => r.name), [], `order queries sent over HTTP while the page followed order ${id} live`);
  };
  const unreadQuery = 'query($id: ID!) { user(id: $id) { unreadNotificationCount } }';
  let unreadBeforeCheckout;
  let checkoutAt;
  // The checkout's request carries a trace id the run chose (a W3C traceparent added on the wire, as a traced browser
  // would send it), so the checkout-trace step can open exactly that trace in the stack's Aspire Dashboard.
  const checkoutTraceId = randomBytes(16).toString('hex');
  await step('checkout-address', async () => {
    await openCheckout();
    await page.getByLabel('Full name').fill(e2eAddress.name);
    await page.getByLabel('Street address').fill(e2eAddress.line1);
    await page.getByLabel('City').fill(e2eAddress.city);
    await page.getByLabel('State / region').fill(e2eAddress.region);
    await page.getByLabel('Postal code').fill(e2eAddress.postalCode);
    await page.getByLabel('Save this address for next time').check();
  });

  await step('checkout-shipping', async () => {
    await page.getByRole('button', { name: 'Continue to shipping' }).click();
    await page.getByRole('heading', { name: 'Shipping method' }).waitFor();
    const { viewer } = await gateway('{ viewer { addresses { name city region } } }', {}, shopper.token);
    assertEqual(viewer.addresses, [{ name: e2eAddress.name, city: e2eAddress.city, region: e2eAddress.region }], 'addresses saved by the checkout');
    await page.getByRole('radio', { name: /^Express: \$14\.99/ }).check();
  });

  await step('checkout-payment', async () => {
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByLabel('Card number').fill('4242 4242 4242 4241');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('alert').filter({ hasText: 'This card number looks mistyped' }).waitFor();
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  });

  await step('checkout-review', async () => {
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByTestId('quote-total').waitFor();
    // The review shows the server's quote: shipping and California's 7.25% tax computed by orders.
    const { checkoutQuote } = await gateway('query($input: CheckoutQuoteInput!) { checkoutQuote(input: $input) { quote { subtotal shipping tax total } errors { message } } }',
      { input: { lines: [{ productId: product.id, quantity: 2 }], shippingAddress: e2eAddress, shippingMethod: 'EXPRESS' } });
    const q = checkoutQuote.quote;
    const usd = (n) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    assertEqual(q.shipping, 14.99, 'express shipping');
    assertEqual(Math.round((q.subtotal + q.shipping) * 0.0725 * 100) / 100, q.tax, 'California tax on goods and shipping');
    for (const [testId, amount] of [['quote-subtotal', q.subtotal], ['quote-shipping', q.shipping], ['quote-tax', q.tax], ['quote-total', q.total]])
      assertEqual(await page.getByTestId(testId).innerText(), usd(amount), `${testId} on the review step`);
    await page.getByText('Tax (7.25%)').waitFor();
  });

  await step('checkout', async () => {
    await page.route('**/graphql', (route) => {
      const request = route.request();
      if (request.method() !== 'POST' || request.postDataJSON()?.operationName !== 'PlaceOrder') return route.fallback();
      return route.fallback({ headers: { ...request.headers(), traceparent: `00-${checkoutTraceId}-${randomBytes(8).toString('hex')}-01` } });
    });
    unreadBeforeCheckout = (await gateway(unreadQuery, { id: shopper.userId }, shopper.token)).user.unreadNotificationCount;
    checkoutAt = Date.now();
    ({ id: orderId, subscribed: orderSubscription } = await placeOrderHeld());
    const { order } = await gateway('query($id: ID!) { order(id: $id) { total tax shippingCost shippingMethod status user { name } lines { quantity product { id } } } }', { id: orderId }, shopper.token);
    assertEqual(order.user.name, name, 'order owner');
    assertEqual(order.lines, [{ quantity: 2, product: { id: product.id } }], 'order lines');
    assertEqual([order.shippingMethod, order.shippingCost], ['EXPRESS', 14.99], 'shipping of the order');
    // The cart is kept until the order is confirmed.
    assertEqual(await page.getByTestId('cart-count').innerText(), '2', 'cart count while the order awaits the saga');
    await page.getByTestId('order-address').filter({ hasText: 'E2E Shopper, 12 Market St' }).waitFor();
    await page.unroute('**/graphql');
  });

  await step('order-status', async () => {
    const statusQuery = 'query($id: ID!) { order(id: $id) { status } }';
    const labels = { PLACED: 'Placed', CONFIRMED: 'Confirmed', REJECTED: 'Rejected' };
    // Give the checkout saga time to settle the order; the page must follow without a reload.
    let status = (await gateway(statusQuery, { id: orderId }, shopper.token)).order.status;
    for (const deadline = Date.now() + REJECT_WAIT_MS; status === 'PLACED' && Date.now() < deadline; ) {
      await page.waitForTimeout(500);
      status = (await gateway(statusQuery, { id: orderId }, shopper.token)).order.status;
    }
    // Two units of one product stay under the test card's limit and within stock: the saga must confirm.
    assertEqual(status, 'CONFIRMED', `status of order ${orderId} after the checkout saga`);
    await waitForText('order-status', labels[status]);
    assertFollowedLive(orderId, orderSubscription, 'CONFIRMED');
    await waitForText('cart-count', '0');
    // Settled: the page ends its subscription (or the gateway did) and sends nothing more for the order.
    await waitUntil(() => wsMessages.some((m) => m.type === 'complete' && orderSubscription.ids().includes(m.id)), 5_000,
      `the order page kept following order ${orderId} after it became ${status}`);
    await page.waitForTimeout(2 * 2000 + 500);
    assertEqual(requestsOf('Order', orderSubscription.at).length, 0, `order queries after the order became ${status}`);
  });

  await step('unread-badge-live', async () => {
    // The checkout writes two notifications (placed, confirmed); the badge in the header counts them as they arrive
    // over the WebSocket (notificationAdded carries the new count), without asking the gateway.
    const expected = unreadBeforeCheckout + 2;
    let unread = (await gateway(unreadQuery, { id: shopper.userId }, shopper.token)).user.unreadNotificationCount;
    for (const deadline = Date.now() + REJECT_WAIT_MS; unread < expected && Date.now() < deadline; ) {
      await page.waitForTimeout(500);
      unread = (await gateway(unreadQuery, { id: shopper.userId }, shopper.token)).user.unreadNotificationCount;
    }
    assertEqual(unread, expected, 'unread notifications after the checkout (placed, confirmed)');
    await waitForText('unread-count', String(expected));
    const events = wsMessages.filter((m) => m.direction === 'received' && m.type === 'next' && m.payload?.data?.notificationAdded && m.at >= checkoutAt);
    assert(events.length >= 2, `${events.length} notificationAdded event(s) reached the page since the checkout, expected 2`);
    assertEqual(requestsOf('UnreadNotifications', checkoutAt).length, 0, 'unread count queries since the checkout');
  });

  // The stack's Aspire Dashboard shows the checkout as one trace: the gateway, then orders, inventory, payments and
  // notifications through Kafka. Its screenshot is the one README shows (docs/images/checkout-trace.png).
  if (DASHBOARD_URL) {
    await step('checkout-trace', async () => {
      const dashboard = await context.newPage();
      cleanups.unshift(() => dashboard.close());
      // Tall enough for the whole trace (about 75 spans) in one picture.
      await dashboard.setViewportSize({ width: 1600, height: 2500 });
      const services = ['gateway', 'orders', 'inventory', 'payments', 'notifications'];
      // Each process exports its spans about once a second, and the page lists what has arrived when it loads.
      let missing = services;
      for (const deadline = Date.now() + 30_000; ; ) {
        await dashboard.goto(`${DASHBOARD_URL}/traces/detail/${checkoutTraceId}`);
        await dashboard.getByText('mutation PlaceOrder').first().waitFor();
        // The grid lists each span's name, then its resource (the service), each on a line of its own. A service that
        // runs as several replicas (the smoke stack's gateway, orders and inventory) is shown per instance, e.g.
        // "orders-" and the first 7 characters of its service.instance.id.
        const lines = (await dashboard.locator('body').innerText()).split('\n').map((line) => line.trim());
        missing = services.filter((service) => !lines.some((line) => line === service || new RegExp(`^${service}-\\S+$`).test(line)));
        if (missing.length === 0 || Date.now() > deadline) break;
        await dashboard.waitForTimeout(2_000);
      }
      assertEqual(missing, [], `services missing from checkout trace ${checkoutTraceId}`);
      await dashboard.screenshot({ path: join(OUT, 'checkout-trace.png') });
      await dashboard.close();
    });
  } else {
    console.log('  skip checkout-trace: DASHBOARD_URL is not set (the stack runs no Aspire Dashboard)');
  }

  await step('stock-capped-cart', async () => {
    // The cart caps a quantity at what inventory has, and says so when stock drops below the cart's quantity.
    const { lowStock } = await gateway('{ lowStock(first: 50, threshold: 20) { edges { node { available product { id name inStock } } } } }');
    const scarce = lowStock.edges.map((e) => e.node).find((s) => s.product.inStock && s.available >= 3);
    assert(scarce, 'no in-stock product with 3 to 20 units available');
    const { name: scarceName, id: scarceId } = scarce.product;
    await page.goto(`/products/${scarceId}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto('/cart');
    await page.getByText(`${scarce.available} in stock`).waitFor();
    const quantity = page.getByLabel(`Quantity of ${scarceName}`);
    const typed = async (text, expected, what) => {
      await quantity.fill(text);
      await quantity.press('Enter');
      await waitUntil(async () => (await quantity.inputValue()) === expected, 5_000, `${what}: quantity shows ${await quantity.inputValue()}, expected ${expected}`);
    };
    await typed(String(scarce.available + 5), String(scarce.available), 'more than available');
    assert(await page.getByRole('button', { name: `One more ${scarceName}` }).isDisabled(), 'the + stepper is enabled at the available stock');
    await typed('-3', '1', 'a negative quantity');
    await typed('abc', '1', 'garbage');
    assertEqual(await page.getByTestId('cart-line').count(), 1, 'cart lines after typing -3 and garbage');
    await page.getByRole('button', { name: `One more ${scarceName}` }).click();
    await waitUntil(async () => (await quantity.inputValue()) === '2', 5_000, 'the + stepper did not add one');
    await typed(String(scarce.available), String(scarce.available), 'all available');
    // Another order takes one unit: within a poll the cart explains that it now asks for more than there is.
    const { placeOrder } = await gateway('mutation($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { message } } }',
      { input: { lines: [{ productId: scarceId, quantity: 1 }], ...apiCheckout }, key: `e2e-stock-${randomBytes(8).toString('hex')}` }, shopper.token);
    assert(placeOrder.order, `placing the order that takes a unit failed: ${JSON.stringify(placeOrder.errors)}`);
    await page.getByTestId('stock-problem')
      .filter({ hasText: `Only ${scarce.available - 1} of ${scarceName} ${scarce.available - 1 === 1 ? 'is' : 'are'} in stock now; you have ${scarce.available}.` })
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('cart-blocked').waitFor();
    assertEqual(await page.getByRole('link', { name: 'Check out' }).count(), 0, 'Check out offered while stock is short');
  });

  await step('order-rejected-for-card', async () => {
    // The test card 4000 0000 0000 0002 is declined: the order ends Rejected with the provider's reason on its page,
    // and the cart, kept meanwhile, can be restored.
    await clearCart();
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForText('cart-count', '1');
    await checkoutWithSavedAddress('4000 0000 0000 0002');
    const { id: cardDeclinedId, subscribed } = await placeOrderHeld();
    const order = await waitForStatus(cardDeclinedId, 'REJECTED');
    assertEqual(order.payment?.status, 'FAILED', 'payment with the declining card');
    assert(order.rejectionReason?.startsWith('Your card was declined'), `rejection reason: ${order.rejectionReason}`);
    await waitForText('order-status', 'Rejected');
    await page.getByTestId('rejection').filter({ hasText: order.rejectionReason }).waitFor();
    assertFollowedLive(cardDeclinedId, subscribed, 'REJECTED');
    assertEqual(await page.getByTestId('cart-count').innerText(), '1', 'cart count after the rejection (kept)');
  });

  await step('cart-restored', async () => {
    await page.getByTestId('restore-cart').click();
    await page.waitForURL((url) => url.pathname === '/cart');
    assertEqual(await page.getByTestId('cart-line').count(), 1, 'cart lines after restoring');
    assertEqual(await page.getByTestId('cart-pending').count(), 0, 'the restored cart still waits for an order');
    await page.getByRole('link', { name: 'Check out' }).waitFor();
  });

  await step('order-rejected-for-payment', async () => {
    // The test card declines charges above 5,000.00: enough units of an expensive in-stock product make payments
    // fail, and the saga must reject the order and release the stock.
    const pick = await declinable();
    await clearCart();
    await page.goto(`/products/${pick.id}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto('/cart');
    await page.getByLabel(`Quantity of ${pick.name}`).fill(String(pick.quantity));
    await page.getByLabel(`Quantity of ${pick.name}`).press('Enter');
    await checkoutWithSavedAddress('4242 4242 4242 4242');
    const { id: declinedId, subscribed } = await placeOrderHeld();
    const query = 'query($id: ID!) { order(id: $id) { status total payment { status } } }';
    let order = (await gateway(query, { id: declinedId }, shopper.token)).order;
    assert(order.total > 5000, `order total ${order.total} is not above the test card limit`);
    for (const deadline = Date.now() + REJECT_WAIT_MS; order.status === 'PLACED' && Date.now() < deadline; ) {
      await page.waitForTimeout(500);
      order = (await gateway(query, { id: declinedId }, shopper.token)).order;
    }
    assertEqual(order.status, 'REJECTED', `status of order ${declinedId} with a declined payment`);
    assertEqual(order.payment?.status, 'FAILED', 'payment of the declined order');
    await waitForText('order-status', 'Rejected');
    await page.getByTestId('payment').filter({ hasText: 'Failed' }).waitFor();
    assertFollowedLive(declinedId, subscribed, 'REJECTED');
    // Inventory released the reservation: available is back where it was.
    let after = (await gateway('query($id: ID!) { product(id: $id) { stock { available } } }', { id: pick.id })).product;
    for (const deadline = Date.now() + REJECT_WAIT_MS; after.stock.available !== pick.stock.available && Date.now() < deadline; ) {
      await page.waitForTimeout(500);
      after = (await gateway('query($id: ID!) { product(id: $id) { stock { available } } }', { id: pick.id })).product;
    }
    assertEqual(after.stock.available, pick.stock.available, 'stock available after the declined order was released');
    await clearCart();
  });

  await step('order-history', async () => {
    await page.goto('/orders');
    await page.getByTestId('order-row').filter({ hasText: `Order #${orderId}` }).waitFor();
    const userId = await page.evaluate(() => JSON.parse(localStorage.getItem('federation.session')).userId);
    assertEqual(userId, shopper.userId, 'signed-in user id');
    const { user } = await gateway('query($id: ID!) { user(id: $id) { orders(first: 0) { totalCount } } }', { id: userId }, shopper.token);
    assertEqual(user.orders.totalCount, 4, 'orders the new user placed (checkout, the one that took stock, declined card, over the card limit)');
    assertEqual(await page.getByTestId('order-row').count(), user.orders.totalCount, 'order rows shown for the new user');
  });

  await step('review-requires-purchase', async () => {
    const { order } = await gateway('query($id: ID!) { order(id: $id) { status } }', { id: orderId }, shopper.token);
    await page.goto(`/products/${product.id}`);
    if (order.status === 'CONFIRMED') {
      // reviews learns the purchase from OrderConfirmed a moment after orders confirms: until then viewerCanReview is
      // false and the form is not offered; reload until it is.
      const form = page.locator('textarea[name=body]');
      for (const deadline = Date.now() + CONVERGE_WAIT_MS; ; ) {
        await form.or(page.getByTestId('review-not-allowed')).first().waitFor();
        if (await form.isVisible()) break;
        assert(Date.now() < deadline, `the review form was never offered to the buyer within ${CONVERGE_WAIT_MS} ms`);
        await page.waitForTimeout(1000);
        await page.reload();
      }
      const before = (await gateway('query($id: ID!) { product(id: $id) { rating reviewCount } }', { id: product.id })).product;
      // Unique per run: a run against a stack an earlier run used finds that run's review of the same product too.
      const reviewText = `Bought it, love it (run ${Date.now()}).`;
      await form.fill(reviewText);
      // The stars are a radio group: clicking the second star's label picks '2 stars'.
      const twoStars = page.getByRole('group', { name: 'Your rating' }).getByRole('radio', { name: '2 stars' });
      await page.locator('.star-input label', { has: page.getByRole('radio', { name: '2 stars' }) }).click();
      assert(await twoStars.isChecked(), 'the second star did not check the 2 stars radio');
      await page.getByRole('button', { name: 'Submit review' }).click();
      await page.getByRole('status').filter({ hasText: 'Thanks for your review!' }).waitFor();
      // The summary changes at once, without a reload: the cache holds what catalog will compute.
      const count = before.rating == null ? 0 : before.reviewCount;
      const expected = ((before.rating ?? 0) * count + 2) / (count + 1);
      await waitForText('rating', `${expected.toFixed(1)} / 5 (${count + 1} review${count + 1 === 1 ? '' : 's'})`);
      await page.getByTestId('review').filter({ hasText: reviewText }).waitFor();
      // Catalog's rating is a read model fed by ReviewAdded: once it caught up, a reload shows the same.
      const ratingQuery = 'query($id: ID!) { product(id: $id) { rating reviewCount reviews(first: 0) { totalCount } } }';
      const caughtUp = (p) => p.reviewCount === p.reviews.totalCount && p.reviewCount > productDetail.reviewCount;
      let rated = (await gateway(ratingQuery, { id: product.id })).product;
      for (const deadline = Date.now() + CONVERGE_WAIT_MS; !caughtUp(rated) && Date.now() < deadline; ) {
        await page.waitForTimeout(500);
        rated = (await gateway(ratingQuery, { id: product.id })).product;
      }
      assert(caughtUp(rated) && rated.rating != null, `catalog did not count the review just added: ${JSON.stringify(rated)}`);
      await page.reload();
      await waitForText('rating', `${rated.rating.toFixed(1)} / 5`);
      // Reviewed once: the form is not offered again.
      await page.getByTestId('review-not-allowed').waitFor();
    } else {
      // Not bought (the order did not confirm): no form.
      await page.getByTestId('review-not-allowed').waitFor();
    }
  });

  await step('reviews-down', async () => {
    // The real reviews process dies (SIGKILL, no shutdown): the product page must still show what catalog and
    // inventory answer, with a note where the reviews were.
    const reviewsUrl = `http://127.0.0.1:${subgraphPort('reviews')}/health/live`;
    const pid = Number(readFileSync(join(STACK_STATE, 'run', 'reviews.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    for (const deadline = Date.now() + 10_000; !(await refusesConnections(reviewsUrl)); ) {
      assert(Date.now() < deadline, `reviews (pid ${pid}) still accepts connections 10 s after SIGKILL`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const { product: live } = await gateway('query($id: ID!) { product(id: $id) { name price inStock stock { available } } }', { id: product.id });
    await page.goto(`/products/${product.id}`);
    await page.getByRole('heading', { level: 1, name: live.name }).waitFor();
    await page.getByTestId('unavailable').filter({ hasText: 'Reviews unavailable right now.' }).waitFor();
    assertEqual(await page.getByTestId('price').innerText(), `$${live.price.toLocaleString('en-US', { minimumFractionDigits: 2 })}`, 'price while reviews is down');
    const available = live.stock ? ` · ${live.stock.available} available` : '';
    assertEqual(await page.getByTestId('stock').innerText(), `${live.inStock ? 'In stock' : 'Out of stock'}${available}`, 'stock line while reviews is down');
    assertEqual(await page.getByTestId('review').count(), 0, 'reviews shown while reviews is down');
    await page.getByRole('button', { name: 'Add to cart' }).waitFor();
  });

  await step('reviews-restarted', async () => {
    // `up` starts only what is not running: here, reviews; it returns once reviews is ready.
    const log = openSync(join(OUT, 'reviews-restart.log'), 'w');
    const up = spawnSync(join(ROOT, 'federation'), ['up', '--no-build'], { env: process.env, stdio: ['ignore', log, log], timeout: 120_000 });
    assert(up.status === 0, `./federation up --no-build exited ${up.status ?? up.signal} (test-output/web/reviews-restart.log)`);
    // The gateway's circuit for reviews may still be open from the outage: reload until its probe lets reviews through.
    const started = Date.now();
    for (;;) {
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Reviews' }).waitFor();
      if (!(await page.getByTestId('unavailable').isVisible())) break;
      assert(Date.now() - started < BREAKER_WAIT_MS, `reviews still unavailable on the product page ${BREAKER_WAIT_MS / 1000} s after reviews was ready again`);
      await page.waitForTimeout(2000);
    }
    const { product: live } = await gateway('query($id: ID!) { product(id: $id) { reviews(first: 5) { edges { node { id } } } } }', { id: product.id });
    assertEqual(await page.getByTestId('review').count(), live.reviews.edges.length, 'reviews shown after reviews came back');
    console.log(`       reviews back on the product page ${Date.now() - started} ms after it was ready`);
  });

  await step('notifications', async () => {
    const userId = await page.evaluate(() => JSON.parse(localStorage.getItem('federation.session')).userId);
    const query = 'query($id: ID!) { user(id: $id) { unreadNotificationCount notifications(first: 20) { edges { node { id read } } } } }';
    const { user } = await gateway(query, { id: userId }, shopper.token);
    await page.goto('/notifications');
    const shown = page.getByTestId('notification');
    if (user.notifications.edges.length === 0) {
      await page.getByText('No notifications yet.').waitFor();
      assert(!(await page.getByTestId('unread-count').isVisible()), 'unread badge shown without notifications');
      return;
    }
    await shown.first().waitFor();
    assertEqual(await shown.count(), user.notifications.edges.length, 'notifications shown');
    if (user.unreadNotificationCount > 0) {
      await waitForText('unread-count', String(user.unreadNotificationCount));
      await page.getByRole('button', { name: 'Mark read' }).first().click();
      const expected = user.unreadNotificationCount - 1;
      if (expected > 0) await waitForText('unread-count', String(expected));
      else await page.getByTestId('unread-count').waitFor({ state: 'detached' });
      assertEqual((await gateway(query, { id: userId }, shopper.token)).user.unreadNotificationCount, expected, 'unread count after marking one read');
    }
  });

  await step('notifications-mark-all-read', async () => {
    const query = 'query($id: ID!) { user(id: $id) { unreadNotificationCount notifications(first: 20) { edges { node { id read orderId } } } } }';
    const { user } = await gateway(query, { id: shopper.userId }, shopper.token);
    // The checkout's notifications are about its order: each links to it.
    const aboutOrder = page.getByTestId('notification').filter({ has: page.getByRole('link', { name: `View order #${orderId}` }) });
    await aboutOrder.first().waitFor();
    assertEqual(await aboutOrder.count(), user.notifications.edges.filter((e) => e.node.orderId === orderId).length, `notifications linking to order ${orderId}`);
    assert(user.unreadNotificationCount > 0, 'no unread notification left to mark (the run wrote several)');
    // Read and unread look different: unread ones are marked "New" for sight and for screen readers.
    assertEqual(await page.locator('[data-testid=notification][data-read=false]').count(), user.notifications.edges.filter((e) => !e.node.read).length, 'unread notifications shown');
    assertEqual(await page.locator('[data-testid=notification][data-read=false] .unread-dot').count(), user.notifications.edges.filter((e) => !e.node.read).length, 'unread markers');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByTestId('unread-summary').filter({ hasText: 'All read.' }).waitFor();
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });
    // The list is read again after the mutation: every notification shown turns read.
    await waitUntil(async () => (await page.locator('[data-testid=notification][data-read=false]').count()) === 0, STEP_TIMEOUT_MS / 2,
      `${await page.locator('[data-testid=notification][data-read=false]').count()} notification(s) still shown unread after marking all read`);
    assertEqual((await gateway(query, { id: shopper.userId }, shopper.token)).user.unreadNotificationCount, 0, 'unread count after marking all read');
    await assertTitle('Notifications');
    await aboutOrder.first().getByRole('link', { name: `View order #${orderId}` }).click();
    await page.waitForURL((url) => url.pathname === `/orders/${orderId}`);
    await page.getByTestId('order-status').waitFor();
    await assertTitle(`Order #${orderId}`);
  });

  // The header's cart button opens the mini-cart: a labelled modal dialog with the lines, steppers capped by live stock,
  // the subtotal and links on; Tab stays inside it, Escape closes it and gives focus back to the button.
  await step('mini-cart', async () => {
    await clearCart();
    const { product: item } = await gateway('query($id: ID!) { product(id: $id) { name price stock { available } } }', { id: product.id });
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForText('cart-count', '1');
    const opener = page.getByTestId('cart-button');
    await opener.click();
    const drawer = page.getByRole('dialog', { name: /^Your cart/ });
    await drawer.waitFor();
    assertEqual(await drawer.getAttribute('aria-modal'), 'true', 'mini-cart is a modal dialog');
    await drawer.getByTestId('mini-cart-line').filter({ hasText: item.name }).waitFor();
    await drawer.getByText(`${item.stock.available} in stock`).waitFor();
    const money = (n) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    await drawer.getByRole('button', { name: `One more ${item.name}` }).click();
    await waitForText('mini-cart-quantity', '2');
    await waitForText('mini-cart-subtotal', money(Math.round(item.price * 200) / 100));
    await waitForText('cart-count', '2');
    assert(await drawer.getByRole('button', { name: `One more ${item.name}` }).isDisabled() === (item.stock.available <= 2), 'the + button follows the live stock limit');
    await drawer.getByRole('button', { name: `One fewer ${item.name}` }).click();
    await waitForText('mini-cart-quantity', '1');
    // Focus trap: however often Tab is pressed, focus stays in the dialog.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab');
      assert(await drawer.evaluate((d) => d.contains(document.activeElement)), `focus left the mini-cart after ${i + 1} Tab presses`);
    }
    await checkAccessibility();
    await page.screenshot({ path: join(OUT, 'mini-cart.png') });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    assert(await opener.evaluate((b) => b === document.activeElement), 'focus did not return to the cart button after Escape');
    await opener.click();
    await drawer.getByRole('link', { name: 'Check out' }).waitFor();
    await drawer.getByRole('link', { name: 'View cart' }).click();
    await page.waitForURL((url) => url.pathname === '/cart');
    await drawer.waitFor({ state: 'detached' });
    await clearCart();
  });

  // Reviews sorted by the server (newest, highest, lowest rating), with "Show more reviews" paging within the sort.
  await step('review-sort', async () => {
    // The most reviewed of the first 100 products, so the sorts differ and there is a second page.
    const { products: listed } = await gateway('{ products(first: 100) { edges { node { id reviewCount } } } }');
    const target = listed.edges.map((e) => e.node).reduce((a, b) => (b.reviewCount > a.reviewCount ? b : a));
    const reviewsBy = async (orderBy, first) => (await gateway('query($id: ID!, $first: Int, $orderBy: ReviewOrder!) { product(id: $id) { reviews(first: $first, orderBy: $orderBy) { edges { node { body rating } } } } }',
      { id: target.id, first, orderBy })).product.reviews.edges.map((e) => e.node);
    const shown = () => page.getByTestId('review').evaluateAll((nodes) => nodes.map((n) => `${n.dataset.rating} ${n.textContent}`));
    await page.goto(`/products/${target.id}`);
    await page.getByTestId('review').first().waitFor();
    const sort = page.getByLabel('Sort by');
    for (const [value, label] of [['HIGHEST_RATING', 'Highest rating'], ['LOWEST_RATING', 'Lowest rating'], ['NEWEST', 'Newest']]) {
      await sort.selectOption({ label });
      await page.locator(`ul.reviews[data-order=${value}]`).waitFor();
      const expected = await reviewsBy(value, 5);
      await waitUntil(async () => (await shown()).every((t, i) => expected[i] && t.startsWith(`${expected[i].rating} `) && t.includes(expected[i].body)) && (await shown()).length === expected.length,
        STEP_TIMEOUT_MS, `reviews sorted ${value} differ from the gateway's: ${JSON.stringify(expected.map((r) => r.rating))}`);
      if (value === 'HIGHEST_RATING') {
        await page.screenshot({ path: join(OUT, 'review-sort-highest.png'), fullPage: true });
        if (target.reviewCount > 5) {
          await page.getByRole('button', { name: 'Show more reviews' }).click();
          const ten = await reviewsBy(value, 10);
          await waitUntil(async () => (await shown()).length === ten.length && (await shown()).every((t, i) => t.startsWith(`${ten[i].rating} `) && t.includes(ten[i].body)), STEP_TIMEOUT_MS,
            'the second page of the highest-rated reviews does not follow the first');
          const ratings = ten.map((r) => r.rating);
          assertEqual(ratings, [...ratings].sort((a, b) => b - a), 'highest-rated reviews in descending rating');
        }
      }
    }
  });

  // The account area: profile (name editable, email shown), saved addresses (add, remove), password change, recent orders.
  await step('account-profile', async () => {
    await page.goto('/account');
    await page.getByTestId('account-email').filter({ hasText: email.toLowerCase() }).waitFor();
    await assertTitle('Your account');
    // The three newest orders, each linked with its status, and a link to all of them.
    const { user: history } = await gateway('query($id: ID!) { user(id: $id) { orders(first: 3) { totalCount edges { node { id } } } } }', { id: shopper.userId }, shopper.token);
    for (const { node } of history.orders.edges) await page.getByTestId('account-order').filter({ hasText: `Order #${node.id}` }).waitFor();
    assertEqual(await page.getByTestId('account-order').count(), history.orders.edges.length, 'recent orders on the account page');
    await page.getByRole('link', { name: `All ${history.orders.totalCount} orders` }).waitFor();
    const nameInput = page.getByLabel('Display name');
    await nameInput.fill('E2E Renamed');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByTestId('profile-saved').waitFor();
    await waitForText('user-name', 'E2E Renamed');
    assertEqual((await gateway('{ viewer { name } }', {}, shopper.token)).viewer.name, 'E2E Renamed', 'name saved by accounts');
    await page.screenshot({ path: join(OUT, 'account-profile.png'), fullPage: true });
    await nameInput.fill(name);
    await page.getByRole('button', { name: 'Save name' }).click();
    await waitForText('user-name', name);
  });

  await step('account-addresses', async () => {
    await page.goto('/account/addresses');
    await assertTitle('Saved addresses');
    await page.getByTestId('saved-address').or(page.getByText('No saved addresses yet.')).first().waitFor();
    const before = (await gateway('{ viewer { addresses { id } } }', {}, shopper.token)).viewer.addresses.length;
    await page.getByRole('button', { name: 'Add an address' }).click();
    // Required fields are checked before anything is sent.
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.locator('#new-name-error').waitFor();
    const street = `${Date.now() % 1000} Account Way`;
    await page.getByLabel('Full name').fill('E2E Account');
    await page.getByLabel('Street address').fill(street);
    await page.getByLabel('City').fill('Austin');
    await page.getByLabel('State / region').fill('TX');
    await page.getByLabel('Postal code').fill('78701');
    await checkAccessibility();
    await page.getByRole('button', { name: 'Save address' }).click();
    const row = page.getByTestId('saved-address').filter({ hasText: street });
    await row.waitFor();
    const saved = (await gateway('{ viewer { addresses { id line1 city region country } } }', {}, shopper.token)).viewer.addresses;
    assertEqual(saved.length, before + 1, 'addresses after adding one');
    assertEqual(saved.filter((a) => a.line1 === street).map(({ city, region, country }) => ({ city, region, country })), [{ city: 'Austin', region: 'TX', country: 'US' }], 'the saved address');
    await page.screenshot({ path: join(OUT, 'account-addresses.png'), fullPage: true });
    await row.getByRole('button', { name: /^Remove/ }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Removed the address of E2E Account.' }).waitFor();
    assertEqual((await gateway('{ viewer { addresses { line1 } } }', {}, shopper.token)).viewer.addresses.filter((a) => a.line1 === street), [], 'the removed address is gone');
  });

  await step('account-password', async () => {
    const newPassword = 'e2e-changed-77';
    await page.goto('/account/password');
    await assertTitle('Change password');
    const fill = async (current, next, confirm = next) => {
      await page.locator('input[name=currentPassword]').fill(current);
      await page.locator('input[name=newPassword]').fill(next);
      await page.locator('input[name=confirmPassword]').fill(confirm);
      await page.getByRole('button', { name: 'Change password' }).click();
    };
    // Checked in the browser first (the registration rules), then by accounts (the current password).
    await fill(password, 'short');
    await page.getByTestId('newPassword-error').filter({ hasText: 'Use 8 to 128 characters.' }).waitFor();
    await fill('not-my-password-1', newPassword);
    await page.getByTestId('currentPassword-error').filter({ hasText: 'The current password is incorrect.' }).waitFor();
    await checkAccessibility();
    await page.screenshot({ path: join(OUT, 'account-password-wrong.png'), fullPage: true });
    await fill(password, newPassword);
    await page.getByTestId('password-changed').waitFor();
    // Still signed in with the session changePassword returned; the old password no longer signs in.
    await page.goto('/account');
    await page.getByTestId('account-email').waitFor();
    const { login: oldLogin } = await gateway('mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code } } }', { input: { email, password } });
    assertEqual(oldLogin.errors.map((e) => e.code), ['UNAUTHENTICATED'], 'sign-in with the old password');
    password = newPassword;
    await signOut();
    await page.goto('/account');
    await page.waitForURL((url) => url.pathname === '/login');
    await fillLogin({ email, password }, name);
    // Sign-in returns to the page that asked for it.
    await page.waitForURL((url) => url.pathname === '/account');
    await page.getByTestId('account-email').waitFor();
    shopper = await signInOracle({ email, password });
  });

  // Every storefront page on a phone: no sideways scrolling, the menu opens and reaches every link and "Sign out".
  await step('phone-layout', async () => {
    await page.setViewportSize(PHONE);
    try {
      const pages = [['shop', '/'], ['search', `/search?q=${encodeURIComponent(searchTerm)}&minRating=3`], ['product', `/products/${product.id}`],
        ['cart', '/cart'], ['orders', '/orders'], ['order', `/orders/${orderId}`], ['notifications', '/notifications'], ['not-found', '/no-such-page'],
        ['account', '/account'], ['addresses', '/account/addresses'], ['password', '/account/password']];
      for (const [label, path] of pages) {
        await page.goto(path);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => {});
        await assertNoHorizontalScroll(`${path} at ${PHONE.width} px`);
        await checkAccessibility();
        await page.screenshot({ path: join(OUT, `phone-${label}.png`), fullPage: true });
      }
      // The header stays one compact bar; the links are behind "Menu".
      const headerHeight = await page.locator('header').evaluate((h) => h.getBoundingClientRect().height);
      assert(headerHeight <= 120, `the signed-in header is ${headerHeight} px tall on a phone`);
      assert(!(await page.getByRole('button', { name: 'Sign out' }).isVisible()), 'the menu is open before it was asked for');
      await page.getByRole('button', { name: 'Menu' }).click();
      for (const link of ['Shop', 'Orders', 'Notifications']) await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await assertNoHorizontalScroll('the open menu');
      await checkAccessibility();
      await page.screenshot({ path: join(OUT, 'phone-menu-open.png') });
      // A link in the menu navigates and closes it.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
      await page.waitForURL((url) => url.pathname === '/orders');
      // The menu closes on the render after the URL changes (an effect on the location), so it is given a moment.
      const closed = await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false);
      assert(closed, 'the menu stayed open after navigating');
      // Filters fold behind one button on a phone.
      await page.goto('/');
      await page.getByRole('button', { name: /^Filters and sort/ }).click();
      await page.locator('select[name=sort]').waitFor();
      await assertNoHorizontalScroll('the open filters');
      await page.screenshot({ path: join(OUT, 'phone-filters-open.png') });
      // Signed out: "Sign in" is in the menu and readable (axe checks its contrast).
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('user-name').waitFor({ state: 'detached' });
      await page.goto('/login');
      await page.locator('main h1').first().waitFor();
      await assertNoHorizontalScroll('/login');
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
      await checkAccessibility();
      await page.screenshot({ path: join(OUT, 'phone-signed-out-menu.png') });
      await page.getByRole('button', { name: 'Close' }).click();
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await fillLogin({ email, password }, name);
  });

  await step('not-found', async () => {
    await page.goto('/products/999999999');
    await page.getByRole('heading', { level: 1, name: 'Product not found' }).waitFor();
    // Not found is not a failure: no error is shown beside it.
    assertEqual(await page.getByRole('alert').count(), 0, 'error banners beside "Product not found"');
    await assertTitle('Product not found');
  });

  await step('order-requires-login', async () => {
    await signOut();
    for (const path of [`/orders/${orderId}`, '/orders', '/notifications', '/dashboard']) {
      await page.goto(path);
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === path);
    }
    // Signing in on the redirected login page returns to the order.
    await page.goto(`/orders/${orderId}`);
    await page.waitForURL(/\/login\?next=/);
    await fillLogin({ email, password }, name);
    await page.waitForURL((url) => url.pathname === `/orders/${orderId}`);
    await page.getByTestId('order-status').waitFor();
  });

  await step('checkout-requires-login', async () => {
    await page.goto(`/products/${product.id}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForText('cart-count', '1');
    await signOut();
    await page.goto('/cart');
    await page.getByTestId('sign-in-to-checkout').getByRole('link', { name: 'Sign in' }).click();
    await fillLogin({ email, password }, name);
    // Back on the cart, which survived signing out and in.
    await page.waitForURL((url) => url.pathname === '/cart');
    // The URL changes a render before the cart page shows (seen: 0 lines counted, 1 on the screenshot).
    await page.getByTestId('cart-line').first().waitFor();
    assertEqual(await page.getByTestId('cart-line').count(), 1, 'cart lines after signing in again');
    await page.getByRole('link', { name: 'Check out' }).waitFor();
  });

  const demoShopper = await signInOracle(DEMO_SHOPPER);
  await step('demo-shopper-sign-in', async () => {
    await signOut();
    await page.goto('/login');
    await fillLogin(DEMO_SHOPPER, demoShopper.name);
  });

  await step('other-users-order-not-found', async () => {
    // The order exists (its owner sees it), but for another shopper it does not.
    const owner = await gateway('query($id: ID!) { order(id: $id) { id } }', { id: orderId }, shopper.token);
    assertEqual(owner.order?.id, orderId, 'order seen by its owner');
    const stranger = await gateway('query($id: ID!) { order(id: $id) { id } }', { id: orderId }, demoShopper.token);
    assertEqual(stranger.order, null, 'order seen by another shopper');
    await page.goto(`/orders/${orderId}`);
    await page.getByRole('heading', { level: 1, name: 'Order not found' }).waitFor();
    assertEqual(await page.getByTestId('order-status').count(), 0, 'order status shown to another shopper');
  });

  await step('dashboard-refused-to-shopper', async () => {
    // The server refuses the admin screens' mutations and the dashboard's figures to a shopper, whatever the UI shows.
    for (const [what, query, variables] of [
      ['updateProduct', 'mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { id } errors { code } } }', { input: { id: '1', name: 'Hijacked' } }],
      ['adjustStock', 'mutation { adjustStock(productId: "1", delta: 5) { stock { onHand } errors { code } } }', {}],
      ['salesStats', '{ salesStats(minutes: 60, bucketMinutes: 5) { revenue } }', {}],
    ]) {
      // The gateway checks @requiresScopes before planning (UNAUTHORIZED_FIELD_OR_TYPE); the subgraph would say FORBIDDEN.
      const codes = (await gatewayErrors(query, variables, demoShopper.token)).map((e) => e.extensions?.code);
      assert(codes.length > 0 && codes.every((c) => c === 'UNAUTHORIZED_FIELD_OR_TYPE' || c === 'FORBIDDEN'), `${what} as a shopper answered ${JSON.stringify(codes)}`);
    }
    await page.goto('/dashboard/products/1');
    await page.getByTestId('not-allowed').getByRole('heading', { name: 'Not allowed' }).waitFor();
    assertEqual(await page.getByTestId('product-form').count(), 0, 'product form shown to a shopper');
    await page.goto('/dashboard');
    await page.getByTestId('not-allowed').getByRole('heading', { name: 'Not allowed' }).waitFor();
    assertEqual(await page.getByTestId('tile-products').count(), 0, 'dashboard tiles shown to a shopper');
  });

  const admin = await signInOracle(DEMO_ADMIN);
  await step('demo-admin-sign-in', async () => {
    await signOut();
    await page.goto('/login?next=/dashboard');
    await fillLogin(DEMO_ADMIN, admin.name);
    await page.waitForURL((url) => url.pathname === '/dashboard');
  });

  const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const percent = (share) => (share == null ? '–' : `${(Math.round(share * 1_000) / 10).toFixed(1)}%`);
  // The range the picker asks for and the figures the server computes for it, as the page must show them.
  const RANGE_WINDOWS = { '24h': { minutes: 1440, bucketMinutes: 60, points: 24 }, '7d': { minutes: 10080, bucketMinutes: 360, points: 28 } };
  const salesOracle = async (range) => {
    const { minutes, bucketMinutes } = RANGE_WINDOWS[range];
    const ops = await gateway(`query($minutes: Int!, $bucketMinutes: Int!) {
      salesStats(minutes: $minutes, bucketMinutes: $bucketMinutes) { placed confirmed pending rejected revenue averageOrderValue }
      paymentStats(minutes: $minutes) { succeeded failed failureRate }
    }`, { minutes, bucketMinutes }, admin.token);
    return {
      placed: String(ops.salesStats.placed), confirmed: String(ops.salesStats.confirmed), pending: String(ops.salesStats.pending),
      rejected: String(ops.salesStats.rejected), revenue: usd.format(ops.salesStats.revenue),
      aov: ops.salesStats.averageOrderValue == null ? '–' : usd.format(ops.salesStats.averageOrderValue),
      failureRate: percent(ops.paymentStats.failureRate), succeeded: String(ops.paymentStats.succeeded), failed: String(ops.paymentStats.failed),
    };
  };
  const salesShown = async () => ({
    placed: await page.getByTestId('orders-placed').innerText(), confirmed: await page.getByTestId('orders-confirmed').innerText(),
    pending: await page.getByTestId('orders-pending').innerText(), rejected: await page.getByTestId('orders-rejected').innerText(),
    revenue: await page.getByTestId('revenue').innerText(), aov: await page.getByTestId('average-order-value').innerText(),
    failureRate: await page.getByTestId('payment-failure-rate').innerText(),
    succeeded: await page.getByTestId('payments-succeeded').innerText(), failed: await page.getByTestId('payments-failed').innerText(),
  });
  // The saga may still settle an order between the oracle read and the page's refresh after the next stock events,
  // so both are read again until they agree, within a bound.
  const assertSalesShown = async (range) => {
    await page.locator(`[data-testid=sales][data-range="${range}"] [data-testid=orders-confirmed]`).waitFor();
    const deadline = Date.now() + 25_000;
    for (;;) {
      const [shown, oracle] = [await salesShown(), await salesOracle(range)];
      if (JSON.stringify(shown) === JSON.stringify(oracle)) return oracle;
      if (Date.now() > deadline) assertEqual(shown, oracle, `dashboard sales figures (${range})`);
      await page.waitForTimeout(1_000);
    }
  };
  // Each chart: a canvas Chart.js has drawn on, its axis titles, one point per bucket, and the screen reader table's
  // numbers adding up to the figures above it.
  const assertCharts = async (range, oracle) => {
    const { points } = RANGE_WINDOWS[range];
    for (const [testId, x, y] of [['orders-chart', 'Time (UTC)', 'Orders placed'], ['revenue-chart', 'Time (UTC)', 'Revenue (USD)']]) {
      const figure = page.getByTestId(testId);
      assertEqual([await figure.getAttribute('data-x-title'), await figure.getAttribute('data-y-title'), await figure.getAttribute('data-points')],
        [x, y, String(points)], `${testId}: axis titles and points`);
      assertEqual(await figure.locator('tbody tr').count(), points, `${testId}: rows of its data table`);
    }
    for (const testId of ['orders-chart', 'revenue-chart', 'status-chart']) {
      const drawn = await page.getByTestId(testId).locator('canvas').evaluate((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
        return { width: canvas.width, height: canvas.height, inked };
      });
      assert(drawn.width > 100 && drawn.height > 100 && drawn.inked > 1_000, `${testId}: canvas not drawn (${JSON.stringify(drawn)})`);
    }
    const orderRows = await page.getByTestId('orders-chart').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
    assertEqual(String(orderRows.reduce((sum, cells) => sum + cells[0] + cells[1] + cells[2], 0)), oracle.placed, 'orders in the chart add up to the orders placed');
    const revenueCents = await page.getByTestId('revenue-chart').locator('tbody td').evaluateAll((cells) => cells.reduce((sum, td) => sum + Math.round(Number(td.textContent.replace(/[$,]/g, '')) * 100), 0));
    assertEqual(usd.format(revenueCents / 100), oracle.revenue, 'revenue in the chart adds up to the revenue tile');
  };

  await step('dashboard', async () => {
    const expected = await gateway(`{
      all: products(first: 0) { totalCount } categories { id }
      out: lowStock(first: 0, threshold: 0) { totalCount }
      low: lowStock(first: 0, threshold: 5, minAvailable: 1) { totalCount }
      rated: products(first: 10, filter: { minReviewCount: 3 }, orderBy: { field: RATING, direction: ASC }) { totalCount edges { node { id reviewCount } } }
    }`);
    await page.goto('/dashboard');
    await waitForText('tile-products', String(expected.all.totalCount));
    assertEqual(await page.getByTestId('tile-out-of-stock').innerText(), String(expected.out.totalCount), 'out-of-stock tile');
    assertEqual(await page.getByTestId('tile-categories').innerText(), String(expected.categories.length), 'categories tile');
    assertEqual(await page.getByTestId('tile-low-stock').innerText(), String(expected.low.totalCount), 'low-stock tile');
    assertEqual(await page.getByTestId('low-stock').locator('li').count(), Math.min(10, expected.low.totalCount), 'low-stock rows');
    assertEqual(await page.getByTestId('out-of-stock').locator('li').count(), Math.min(10, expected.out.totalCount), 'out-of-stock rows');
    const listed = (testId) => page.getByTestId(testId).locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href').split('/').pop()));
    const [low, out] = [await listed('low-stock'), await listed('out-of-stock')];
    assertEqual(low.filter((id) => out.includes(id)), [], 'products both in the low-stock and the out-of-stock list');
    assertEqual(await listed('lowest-rated'), ids(expected.rated), 'lowest rated, at least 3 reviews each');
    assert(expected.rated.edges.every((e) => e.node.reviewCount >= 3), 'a product with fewer than 3 reviews among the lowest rated');
    await page.getByText('Products with at least 3 reviews').waitFor();

    // Default range: the last 24 hours, which a freshly seeded stack already has orders in.
    const oracle = await assertSalesShown('24h');
    assertEqual(await page.getByTestId('range-picker').locator('[aria-pressed=true]').innerText(), 'Last 24 hours', 'range selected by default');
    await assertCharts('24h', oracle);

    const opsQuery = '{ paymentFailures(first: 10) { edges { node { id } } } notificationFeed(first: 10) { edges { node { id } } } }';
    const listIds = (testId, attribute) => page.getByTestId(testId).locator('li').evaluateAll((items, a) => items.map((li) => li.getAttribute(a)), attribute);
    const deadline = Date.now() + 25_000;
    for (;;) {
      const ops = await gateway(opsQuery, {}, admin.token);
      const shown = { failures: await listIds('payment-failures', 'data-payment-id'), notifications: await listIds('recent-notifications', 'data-notification-id') };
      const oracleLists = { failures: ops.paymentFailures.edges.map((e) => e.node.id), notifications: ops.notificationFeed.edges.map((e) => e.node.id) };
      if (JSON.stringify(shown) === JSON.stringify(oracleLists)) break;
      if (Date.now() > deadline) assertEqual(shown, oracleLists, 'dashboard payment failures and notifications');
      await page.waitForTimeout(1_000);
    }
    // Service health: one row per subgraph, none down on the whole stack (reviews was restarted above; its circuit
    // may still be open until the next poll).
    const health = page.getByTestId('service-health');
    await health.waitFor();
    assertEqual(await health.locator('tbody tr').count(), 8, 'service health rows');
    const healthDeadline = Date.now() + 25_000;
    while ((await health.locator('tr[data-verdict="down"]').count()) > 0) {
      if (Date.now() > healthDeadline) assertEqual(await health.locator('tr[data-verdict="down"]').evaluateAll((rows) => rows.map((r) => r.textContent)), [], 'subgraphs shown down');
      await page.waitForTimeout(1_000);
    }
    await page.getByTestId('sales').screenshot({ path: join(OUT, 'dashboard-charts.png') });
  });

  await step('dashboard-range', async () => {
    // The picker asks the server for the new window; the figures and every chart follow, and the range is in the URL.
    await page.getByTestId('range-picker').getByRole('button', { name: 'Last 7 days' }).click();
    await page.waitForURL((url) => url.searchParams.get('range') === '7d');
    // React Router renders a navigation in a transition: the URL changes first, the page right after.
    await page.getByTestId('range-picker').locator('[aria-pressed=true]').filter({ hasText: 'Last 7 days' }).waitFor();
    await page.locator('[data-testid=orders-chart][data-points="28"]').waitFor();
    const oracle = await assertSalesShown('7d');
    await assertCharts('7d', oracle);
    const day = await salesOracle('24h');
    assert(Number(oracle.placed) >= Number(day.placed), `7 days show fewer orders (${oracle.placed}) than 24 hours (${day.placed})`);
    await page.reload();
    await page.locator('[data-testid=sales][data-range="7d"]').waitFor();
  });

  await step('dashboard-view-all', async () => {
    const low = (await gateway('{ lowStock(first: 100, threshold: 5, minAvailable: 1) { totalCount edges { node { available product { id } } } } }')).lowStock;
    const out = (await gateway('{ lowStock(first: 100, threshold: 0) { totalCount edges { node { product { id } } } } }')).lowStock;
    await page.goto('/dashboard');
    const viewAll = page.getByRole('link', { name: new RegExp(`^View (all ${low.totalCount} low-stock products|low-stock products as a table)$`) });
    await viewAll.click();
    await page.waitForURL((url) => url.pathname === '/dashboard/low-stock');
    await assertTitle('Low stock');
    const rows = page.getByTestId('stock-table').locator('tbody tr');
    await page.getByTestId('list-count').filter({ hasText: `of ${low.totalCount} products` }).waitFor();
    assertEqual(await rows.count(), Math.min(25, low.totalCount), 'first page of low stock');
    if (low.totalCount > 25) {
      await page.getByTestId('show-more').click();
      await page.getByTestId('list-count').filter({ hasText: `Showing ${Math.min(50, low.totalCount)} of` }).waitFor();
    }
    const shownIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.productId));
    assertEqual(shownIds, low.edges.slice(0, shownIds.length).map((e) => e.node.product.id), 'low-stock rows in product id order');
    const available = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[2].textContent)));
    assert(available.every((n) => n >= 1 && n <= 5), `low-stock page lists ${available.join(', ')} available`);
    assertEqual(shownIds.filter((id) => out.edges.some((e) => e.node.product.id === id)), [], 'sold-out products on the low-stock page');
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Out of stock' }).click();
    await page.getByTestId('list-count').filter({ hasText: `of ${out.totalCount} products` }).waitFor();
    assertEqual(await page.getByTestId('stock-table').locator('tbody tr td:nth-child(3)').evaluateAll((tds) => tds.every((td) => td.textContent === '0')), true, 'out-of-stock page shows 0 available');
    await checkAccessibility();
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Lowest rated' }).click();
    await page.getByText('at least 3 reviews').first().waitFor();
    await page.screenshot({ path: join(OUT, 'dashboard-lowest-rated.png'), fullPage: true });
    await checkAccessibility();
    await page.goto('/dashboard/low-stock');
    await page.getByTestId('stock-table').waitFor();
  });

  await step('dashboard-ops-view-all', async () => {
    // The seed declines hundreds of payments and sends a notification per order event: both lists span pages.
    const oracle = await gateway(`{
      paymentFailures(first: 50) { totalCount edges { node { id order { id } } } }
      notificationFeed(first: 50) { totalCount edges { node { id orderId } } }
    }`, {}, admin.token);
    assert(oracle.paymentFailures.totalCount > 25 && oracle.notificationFeed.totalCount > 25,
      `the seed gives ${oracle.paymentFailures.totalCount} failed payments and ${oracle.notificationFeed.totalCount} notifications, not more than a page of each`);
    const lists = [
      { link: /^View all \d+ failed payments$/, path: '/dashboard/payment-failures', title: 'Failed payments', table: 'payment-failures-table', what: 'failed payments',
        rowId: 'paymentId', edges: oracle.paymentFailures.edges, orderOf: (node) => node.order.id, shot: 'dashboard-payment-failures.png' },
      { link: /^View all \d+ notifications$/, path: '/dashboard/notifications', title: 'All notifications', table: 'notifications-table', what: 'notifications',
        rowId: 'notificationId', edges: oracle.notificationFeed.edges, orderOf: (node) => node.orderId, shot: 'dashboard-notifications.png' },
    ];
    for (const list of lists) {
      await page.goto('/dashboard');
      await page.getByRole('link', { name: list.link }).click();
      await page.waitForURL((url) => url.pathname === list.path);
      await assertTitle(list.title);
      const rows = page.getByTestId(list.table).locator('tbody tr');
      const count = page.getByTestId('list-count');
      await count.filter({ hasText: new RegExp(`^Showing 25 of \\d+ ${list.what}$`) }).waitFor();
      const total = Number((await count.innerText()).match(/of (\d+)/)[1]);
      assert(total >= 50, `${list.title}: ${total} in all, the oracle saw more than a page`);
      await page.getByTestId('show-more').click();
      await count.filter({ hasText: `Showing 50 of ${total} ${list.what}` }).waitFor();
      assertEqual(await rows.count(), 50, `${list.title}: rows after Show more`);
      // Newer rows may have arrived since the oracle read (notifications trail their events): compare the rows both saw.
      const shown = await rows.evaluateAll((trs, key) => trs.map((tr) => ({ id: tr.dataset[key], order: tr.querySelector('a[href^="/orders/"]')?.getAttribute('href') ?? null })), list.rowId);
      const known = new Map(list.edges.map((e) => [e.node.id, list.orderOf(e.node)]));
      const common = shown.filter((row) => known.has(row.id));
      assert(common.length >= 25, `${list.title}: only ${common.length} of the 50 rows are in the oracle's newest 50`);
      assertEqual(common.map((row) => row.id), list.edges.map((e) => e.node.id).filter((id) => common.some((row) => row.id === id)), `${list.title}: rows newest first`);
      assertEqual(common.map((row) => row.order), common.map((row) => (known.get(row.id) ? `/orders/${known.get(row.id)}` : null)), `${list.title}: order links`);
      await checkAccessibility();
      await page.screenshot({ path: join(OUT, list.shot), fullPage: true });
    }
  });

  // The admin edits a cheap product (never one the declined-payment orders below use) and adds stock; the storefront
  // shows both. The product is put back as it was afterwards.
  const { products: cheapest } = await gateway('{ products(first: 1, filter: { inStock: true }, orderBy: { field: PRICE, direction: ASC }) { edges { node { id name price stock { onHand available } } } } }');
  const edited = cheapest.edges[0].node;
  const editedName = `${edited.name} (e2e ${randomBytes(3).toString('hex')})`;
  const editedPrice = Math.round((edited.price + 1.25) * 100) / 100;
  const restoreProduct = 'mutation($input: UpdateProductInput!) { updateProduct(input: $input) { errors { message } } }';
  await step('admin-product-edit', async () => {
    try {
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Products' }).click();
      await page.getByLabel('Find a product').fill(edited.name);
      await page.locator('#main').getByRole('button', { name: 'Find', exact: true }).click();
      await page.locator(`[data-testid=admin-products] tr[data-product-id="${edited.id}"]`).getByRole('link', { name: `Edit ${edited.name}` }).click();
      await page.waitForURL((url) => url.pathname === `/dashboard/products/${edited.id}`);
      await assertTitle(`Edit ${edited.name}`);
      // A mistake is explained beside its field and nothing is sent.
      await page.getByLabel('Price (USD)').fill('12.345');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('#price-error').filter({ hasText: 'at most two decimals' }).waitFor();
      await checkAccessibility();
      await page.getByLabel('Name', { exact: true }).fill(editedName);
      await page.getByLabel('Price (USD)').fill(editedPrice.toFixed(2));
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByTestId('product-saved').filter({ hasText: usd.format(editedPrice) }).waitFor();
      const { product } = await gateway('query($id: ID!) { product(id: $id) { name price } }', { id: edited.id });
      assertEqual([product.name, product.price], [editedName, editedPrice], 'the product as catalog holds it');
      await page.screenshot({ path: join(OUT, 'admin-product-edit.png'), fullPage: true });
      // The storefront shows the change.
      await page.getByTestId('product-saved').getByRole('link', { name: 'View in the shop' }).click();
      await page.getByRole('heading', { level: 1, name: editedName }).waitFor();
      await waitForText('price', usd.format(editedPrice));
      await page.goBack();
      await page.getByTestId('stock-form').waitFor();
    } catch (error) {
      await gateway(restoreProduct, { input: { id: edited.id, name: edited.name, price: edited.price } }, admin.token).catch(() => {});
      throw error;
    }
  });

  await step('admin-stock-adjust', async () => {
    try {
      const before = (await gateway('query($id: ID!) { stock(productId: $id) { onHand reserved available } }', { id: edited.id })).stock;
      await page.getByLabel(/Units to add/).fill(String(-(before.onHand - before.reserved + 1)));
      await page.getByRole('button', { name: 'Adjust stock' }).click();
      await page.locator('#delta-error').filter({ hasText: `At most ${before.onHand - before.reserved} can be removed` }).waitFor();
      await page.getByLabel(/Units to add/).fill('3');
      await page.getByRole('button', { name: 'Adjust stock' }).click();
      await page.getByTestId('stock-saved').filter({ hasText: `Added 3 units. ${before.available + 3} available now.` }).waitFor();
      await waitForText('stock-available', String(before.available + 3));
      await page.screenshot({ path: join(OUT, 'admin-stock-adjust.png'), fullPage: true });
      await page.goto(`/products/${edited.id}`);
      await page.getByTestId('stock-available').filter({ hasText: `${before.available + 3} available` }).waitFor();
      await page.getByRole('heading', { level: 1, name: editedName }).waitFor();
    } finally {
      await gateway('mutation($id: ID!) { adjustStock(productId: $id, delta: -3) { errors { message } } }', { id: edited.id }, admin.token).catch(() => {});
      await gateway(restoreProduct, { input: { id: edited.id, name: edited.name, price: edited.price } }, admin.token).catch(() => {});
    }
  });

  // The dashboard on a phone: the page does not scroll sideways and no tile is cut off.
  await step('phone-dashboard', async () => {
    await page.setViewportSize(PHONE);
    try {
      await page.goto('/dashboard');
      await page.getByTestId('tile-products').waitFor();
      await page.getByTestId('service-health').waitFor();
      await assertNoHorizontalScroll(`/dashboard at ${PHONE.width} px`);
      const cut = await page.locator('.tile').evaluateAll((tiles) => tiles.filter((t) => t.getBoundingClientRect().right > window.innerWidth || t.scrollWidth > t.clientWidth).map((t) => t.textContent));
      assertEqual(cut, [], 'dashboard tiles cut off on a phone');
      const chartRights = await page.locator('figure.chart canvas').evaluateAll((canvases) => canvases.map((c) => c.getBoundingClientRect().right - window.innerWidth));
      assert(chartRights.length === 3 && chartRights.every((over) => over <= 0), `charts reaching past the phone's edge by ${chartRights.join(', ')} px`);
      await checkAccessibility();
      await page.screenshot({ path: join(OUT, 'phone-dashboard.png'), fullPage: true });
      for (const [path, ready, shot] of [['/dashboard/low-stock', 'stock-table', 'phone-dashboard-low-stock.png'], [`/dashboard/products/${edited.id}`, 'stock-form', 'phone-admin-product.png'], ['/dashboard/products', 'admin-products', 'phone-admin-products.png']]) {
        await page.goto(path);
        await page.getByTestId(ready).waitFor();
        await assertNoHorizontalScroll(`${path} at ${PHONE.width} px`);
        await checkAccessibility();
        await page.screenshot({ path: join(OUT, shot), fullPage: true });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  const alertsQuery = '{ alerts(first: 100) { id ruleId status raisedAt acknowledgedBy } }';
  const paymentAlert = (alerts) => alerts.find((a) => a.ruleId === 'payment-failure-rate' && a.status !== 'RESOLVED');
  let raisedAlert;
  await step('alert-raised-live', async () => {
    // The admin watches the dashboard while the shopper's payments keep being declined: the payment-failure-rate rule
    // (failure share over its window, once it has its minimum of samples) must raise an alert, and the alerts panel
    // must show it from the alertUpdated event, without querying the gateway again.
    const opened = Date.now();
    await page.goto('/dashboard');
    await page.getByTestId('alerts').or(page.getByText('No alerts.')).first().waitFor();
    await liveStatus.waitFor();
    const subscribed = await waitForSubscribe('DashboardAlertUpdated', () => true, opened);
    const watching = Date.now();
    const before = paymentAlert((await gateway(alertsQuery, {}, admin.token)).alerts);
    if (before) {
      // A stack that ran this test less than a rule window ago still has its alert: only one is unresolved per rule.
      console.log(`       payment-failure-rate alert ${before.id} was raised before this run (${before.raisedAt}); not raised live`);
      raisedAlert = before;
    } else {
      const pick = await declinable();
      const place = 'mutation($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } } }';
      const deadline = Date.now() + ALERT_WAIT_MS;
      let declines = 0;
      while (!raisedAlert) {
        assert(declines < ALERT_MAX_DECLINES && Date.now() < deadline,
          `no payment-failure-rate alert after ${declines} declined orders in ${Math.round((Date.now() - watching) / 1000)} s`);
        // Three at a time; the rule is evaluated as each payment outcome arrives.
        for (let i = 0; i < 3; i++, declines++) {
          const { placeOrder } = await gateway(place, { input: { lines: [{ productId: pick.id, quantity: pick.quantity }], ...apiCheckout }, key: `e2e-alert-${randomBytes(8).toString('hex')}` }, shopper.token);
          assert(placeOrder.order, `placing a declined order failed: ${JSON.stringify(placeOrder.errors)}`);
        }
        for (const settle = Date.now() + 5_000; !raisedAlert && Date.now() < settle; ) {
          await page.waitForTimeout(500);
          raisedAlert = paymentAlert((await gateway(alertsQuery, {}, admin.token)).alerts);
        }
      }
      console.log(`       alert ${raisedAlert.id} raised after ${declines} declined orders`);
    }
    const row = page.locator(`[data-testid=alert][data-alert-id="${raisedAlert.id}"]`);
    await row.waitFor();
    if (!before) {
      assertEqual(await row.getAttribute('data-status'), 'OPEN', 'status of the alert just raised');
      assert(nextsFor(subscribed).some((m) => m.payload?.data?.alertUpdated?.id === raisedAlert.id), `alert ${raisedAlert.id} did not arrive over the WebSocket`);
      assertEqual(requestsOf('DashboardAlerts', watching).length, 0, 'alerts queries sent over HTTP while the dashboard was live');
    }
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'dashboard-live-alert.png') });
  });

  await step('alert-acknowledged', async () => {
    const row = page.locator(`[data-testid=alert][data-alert-id="${raisedAlert.id}"]`);
    if ((await row.getAttribute('data-status')) === 'OPEN') await row.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator(`[data-testid=alert][data-alert-id="${raisedAlert.id}"][data-status=ACKNOWLEDGED]`).waitFor();
    await row.getByText(`by user ${admin.userId}`).waitFor();
    assertEqual(await row.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'Acknowledge offered for an acknowledged alert');
    const acknowledged = (await gateway(alertsQuery, {}, admin.token)).alerts.find((a) => a.id === raisedAlert.id);
    assertEqual([acknowledged.status, acknowledged.acknowledgedBy], ['ACKNOWLEDGED', admin.userId], 'the alert as alerting holds it');
  });

  await step('live-fallback', async () => {
    // The WebSocket is refused (closed with 1013 "try again later", as a proxy would): the dashboard says so and polls;
    // when the socket is allowed again the app's next reconnect makes it live, and the polling stops.
    let blocked = true;
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (blocked) socket.close({ code: 1013, reason: 'blocked by the e2e run' });
      else socket.connectToServer();
    });
    await page.reload();
    await page.locator('[data-testid=live-status][data-status=down]').filter({ hasText: 'Live updates unavailable — refreshing every 10 s' }).waitFor();
    // The first poll comes 10 s after the page's own load; a request this long after the notice can only be a poll.
    const down = Date.now();
    await waitUntil(() => requestsOf('DashboardSales', down + 5_000).length > 0, 17_000, 'the dashboard did not poll while live updates were unavailable');
    blocked = false;
    await liveStatus.waitFor({ timeout: RECONNECT_WAIT_MS });
    const live = Date.now();
    await page.waitForTimeout(12_000);
    // Stock events refresh the panels too; on a quiet stack there are none, so any request would be a poll.
    const stockEvents = wsMessages.filter((m) => m.direction === 'received' && m.type === 'next' && m.payload?.data?.stockChanged && m.at >= live);
    if (stockEvents.length === 0) assertEqual(requestsOf('DashboardSales', live).length, 0, 'dashboard polls after live updates came back');
  });

  if (ARBITRARY_DOCUMENTS_KEY) {
    await step('trusted-documents-only', async () => {
      // Every operation above ran on an allow-list gateway; the app sent hashes only, never a document's text, over
      // HTTP and over the WebSocket alike.
      assertEqual(sentAsText, [], 'operations the browser sent as text');
      const subscribedAsText = wsMessages.filter((m) => m.direction === 'sent' && m.type === 'subscribe' && m.payload?.query).map((m) => m.payload.operationName);
      assertEqual(subscribedAsText, [], 'subscriptions the browser sent as text');
      const response = await fetch(`${GATEWAY_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users(first: 100) { edges { node { email } } } }' }),
      });
      const body = await response.json();
      assertEqual([response.status, body.errors?.[0]?.extensions?.code], [400, 'PERSISTED_QUERY_NOT_IN_LIST'], 'a document outside the manifest');
    });
  }
  const checks = [...axeChecked.values()].reduce((a, b) => a + b, 0);
  console.log(`e2e: axe-core found no serious or critical violation in ${checks} checks of ${axeChecked.size} paths: ${[...axeChecked.keys()].sort().join(' ')}`);
}

async function cleanUp() {
  for (const cleanup of cleanups.splice(0)) await Promise.resolve().then(cleanup).catch(() => {});
}

// An exception thrown inside a Playwright route handler escapes main(); still stop what we started.
process.on('uncaughtException', async (error) => {
  console.error(`e2e: ${error.stack ?? error}`);
  stepResults.push({ name: 'e2e run', failure: `uncaught: ${error.message ?? error}` });
  writeResults();
  await cleanUp();
  process.exit(1);
});
setTimeout(async () => {
  console.error(`e2e: gave up after ${RUN_TIMEOUT_MS / 1000} s`);
  stepResults.push({ name: 'e2e run', failure: `gave up after ${RUN_TIMEOUT_MS / 1000} s in step ${stepNumber}` });
  writeResults();
  await cleanUp();
  process.exit(1);
}, RUN_TIMEOUT_MS).unref();

const started = Date.now();
try {
  console.log(`e2e: gateway ${GATEWAY_URL}, screenshots in ${OUT}`);
  await main();
} catch (error) {
  failed = true;
  if (!error.reported) {
    console.error(`e2e: ${error.stack ?? error}`);
    stepResults.push({ name: 'e2e run', failure: error.message ?? String(error) });
  }
} finally {
  await cleanUp();
}
writeResults();
console.log(`e2e: ${failed ? 'FAILED' : 'passed'} after ${stepNumber} step(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
