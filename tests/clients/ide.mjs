#!/usr/bin/env node
// GraphiQL (npm `graphiql`, served here) and Banana Cake Pop (served by the gateway at /graphql/) in headless Chromium:
// each loads the schema from the gateway by introspection and runs one query.
//   node ide.mjs --gateway <http://host:port/> --query <operation> --expect <text> --out <screenshot dir>
// Prints one JSON line: { graphiql: { ... }, bananaCakePop: { ... } }, each with `error` (null on success), the
// introspection features the IDE asked for, the gateway's response to the query and a screenshot path.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: { gateway: { type: 'string' }, query: { type: 'string' }, expect: { type: 'string' }, out: { type: 'string' } },
});
const HERE = fileURLToPath(new URL('.', import.meta.url));
const MODULES = resolve(HERE, 'node_modules');
const GATEWAY = args.gateway.replace(/\/?$/, '/');
// Generous: CI runs this beside other suites on 2 cores, where Banana Cake Pop's bundle alone can take tens of seconds.
const TIMEOUT_MS = 90_000;
const INTROSPECTION = /__schema\b|__type\s*\(/;
await mkdir(args.out, { recursive: true });

// GraphiQL's page, its packages' files, and /graphql proxied to the gateway: one origin, as GraphiQL is deployed.
async function serveGraphiQL() {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    try {
      if (url.pathname === '/graphql') {
        const chunks = [];
        for await (const chunk of request) chunks.push(chunk);
        const upstream = await fetch(new URL('graphql', GATEWAY), {
          method: request.method,
          headers: { 'content-type': request.headers['content-type'] ?? 'application/json', accept: request.headers.accept ?? 'application/json' },
          body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
        });
        response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        response.end(Buffer.from(await upstream.arrayBuffer()));
      } else if (url.pathname.startsWith('/modules/')) {
        const file = normalize(join(MODULES, url.pathname.slice('/modules/'.length)));
        if (!file.startsWith(MODULES + sep)) throw Object.assign(new Error('outside node_modules'), { status: 404 });
        const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
        response.writeHead(200, { 'content-type': `${type}; charset=utf-8` });
        response.end(readFileSync(file));
      } else if (url.pathname === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(readFileSync(join(HERE, 'graphiql', 'index.html')));
      } else {
        response.writeHead(404).end();
      }
    } catch (error) {
      response.writeHead(error.status ?? (error.code === 'ENOENT' ? 404 : 502)).end(String(error.message));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

// The introspection features an IDE's full schema query asked for (graphql-js option names).
function introspectionFeatures(query) {
  return {
    specifiedByUrl: /\bspecifiedByURL\b/.test(query),
    directiveIsRepeatable: /\bisRepeatable\b/.test(query),
    inputValueDeprecation: /\bargs\s*\(\s*includeDeprecated/.test(query),
    schemaDescription: /__schema\s*\{\s*description\b/.test(query),
  };
}

// Names the awaited step in a timeout's message, so a failure says which wait ran out.
async function step(name, promise) {
  try {
    return await promise;
  } catch (error) {
    throw new Error(`waiting for ${name}: ${error.message}`);
  }
}

// Runs one IDE: `open` navigates and makes it introspect, `run` enters and executes the query, then the page must show
// the expected text.
async function check(browser, name, { open, run }) {
  const result = { error: null, features: null, introspectionStatus: null, response: null, readyMs: null, schemaMs: null, screenshot: join(args.out, `${name}.png`) };
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(TIMEOUT_MS);
  page.setDefaultNavigationTimeout(TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Only the page's own origins answer; any request elsewhere (telemetry, analytics, fonts) is aborted and reported.
  result.outsideRequests = [];
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
    result.outsideRequests.push(route.request().url());
    return route.abort();
  });
  // Loads of the page after the first one: a service worker taking control used to reload Banana Cake Pop.
  result.reloads = 0;
  let loads = 0;
  page.on('load', () => { if (++loads > 1) result.reloads++; });
  let workerRequested = false;
  page.on('request', (r) => { if (r.url().endsWith('/service-worker.js')) workerRequested = true; });
  const started = Date.now();
  try {
    const fullIntrospection = page.waitForResponse(
      (r) => r.request().method() === 'POST' && /__schema\b[\s\S]*\btypes\s*\{/.test(r.request().postData() ?? ''),
      { timeout: TIMEOUT_MS },
    );
    // Awaited below; the handler keeps a timeout that loses the race against an earlier failure from going unhandled.
    fullIntrospection.catch(() => {});
    await open(page);
    const introspection = await step('the full introspection request', fullIntrospection);
    result.features = introspectionFeatures(JSON.parse(introspection.request().postData()).query);
    result.introspectionStatus = introspection.status();
    const body = await introspection.json();
    if (body.errors?.length || !body.data?.__schema) throw new Error(`introspection failed: ${JSON.stringify(body).slice(0, 500)}`);

    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/graphql') && !INTROSPECTION.test(r.request().postData() ?? ''),
      { timeout: TIMEOUT_MS },
    );
    answered.catch(() => {});
    await run(page);
    result.response = await (await step("the query's response", answered)).json();
    result.readyMs = Date.now() - started;
    // The IDE shows the answer (whitespace and line breaks are the IDE's own).
    await page.waitForFunction((expected) => document.body.innerText.replace(/\s+/g, '').includes(expected), args.expect.replace(/\s+/g, ''), {
      timeout: TIMEOUT_MS,
    });
    // The old reload came 5-7 s after the first load: stay until 12 s have passed to see that none comes.
    await page.waitForTimeout(Math.max(0, 12_000 - (Date.now() - started)));
    // A worker still installing has not claimed the page yet (on a loaded machine the package's Workbox worker precached
    // for longer than 12 s, and the reload came after). Once the page asked for a worker script its registration exists:
    // it has settled when its worker is active or it is gone (a worker that unregisters itself); then a reload on the
    // claim has had time to start. page.waitForFunction would take the predicate's promise for a truthy answer.
    if (workerRequested) {
      const settled = () => page.evaluate(async () =>
        (await navigator.serviceWorker.getRegistrations()).every((r) => r.active && !r.installing && !r.waiting)).catch(() => false);
      for (const until = Date.now() + TIMEOUT_MS; !(await settled()); await page.waitForTimeout(250)) {
        if (Date.now() > until) throw new Error(`the service worker did not settle within ${TIMEOUT_MS / 1000} s`);
      }
      await page.waitForTimeout(2_000);
      await page.waitForLoadState('load');
    }
    // What controls the page now and what stays registered (a worker that claimed the page is its controller).
    result.serviceWorker = await page.evaluate(async () => ({
      controller: navigator.serviceWorker.controller?.scriptURL ?? null,
      registrations: (await navigator.serviceWorker.getRegistrations()).map((r) => r.active?.scriptURL ?? r.scope),
    }));
  } catch (error) {
    result.error = `${error.message}${pageErrors.length ? `; page errors: ${pageErrors.join('; ')}` : ''}`;
  } finally {
    await page.screenshot({ path: result.screenshot }).catch(() => {});
    await page.close();
  }
  return result;
}

const { server, url } = await serveGraphiQL();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const graphiql = await check(browser, 'graphiql', {
    open: (page) => page.goto(`${url}?query=${encodeURIComponent(args.query)}`),
    run: async (page) => {
      // The schema reached the editor once the documentation explorer lists the root type.
      await page.getByLabel('Show Documentation Explorer').click();
      await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor({ timeout: TIMEOUT_MS });
      await page.locator('.graphiql-execute-button').click();
    },
  });
  const bananaCakePop = await check(browser, 'banana-cake-pop', {
    open: async (page) => {
      await page.goto(`${GATEWAY}graphql/`);
      await page.getByText('Create Document').click();
    },
    run: async (page) => {
      await page.getByText('Schema available').waitFor({ timeout: TIMEOUT_MS });
      const editor = page.locator('.monaco-editor').first();
      const entered = () => editor.innerText().then((text) => text.replace(/\s+/g, '').includes(args.query.replace(/\s+/g, '')));
      // The editor can still be mounting when the schema arrives and drop the first input: enter until it shows.
      for (let attempt = 0; attempt < 5 && !(await entered()); attempt++) {
        await editor.click();
        await page.keyboard.press('Control+A');
        // insertText bypasses Monaco's bracket auto-closing, which typing would trigger.
        await page.keyboard.insertText(args.query);
        await page.waitForTimeout(200);
      }
      if (!(await entered())) throw new Error('the query could not be entered into the request editor');
      // The editor's own "Run ▷" code lens is a button too; the toolbar's is labelled with its shortcut.
      await page.getByRole('button', { name: 'Run Operation' }).click();
    },
  });
  process.stdout.write(`${JSON.stringify({ graphiql, bananaCakePop })}\n`);
} finally {
  await browser.close();
  server.close();
}
