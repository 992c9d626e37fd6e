// Starting and stopping the processes a benchmark run needs: the four gateways-benchmark
// subgraphs, the gateways under test, and a sampler for their peak RSS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoRoot = dirname(benchDir);

export const BENCH_SUBGRAPHS = [
  { name: 'accounts', port: 4201 },
  { name: 'inventory', port: 4202 },
  { name: 'products', port: 4203 },
  { name: 'reviews', port: 4204 },
];

const benchSubgraphsProject = join(benchDir, 'subgraphs', 'BenchSubgraphs');

/** Each bench subgraph's SDL file (composed into bench/supergraph.graphql), for gateways that compose themselves. */
export const BENCH_SDL_FILES = Object.fromEntries(BENCH_SUBGRAPHS.map(({ name }) => [name, join(benchDir, 'subgraphs', `${name}.graphql`)]));

export function benchSubgraphDll() {
  return join(benchSubgraphsProject, 'bin', 'Release', 'net10.0', 'BenchSubgraphs.dll');
}

export function buildBenchSubgraphs() {
  execFileSync('dotnet', ['build', benchSubgraphsProject, '-c', 'Release', '-nologo', '-v', 'q'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function gatewayDll() {
  return join(repoRoot, 'gateway', 'Gateway', 'bin', 'Release', 'net10.0', 'Gateway.dll');
}

/** Builds our gateway only when its Release build is missing (another engineer owns its code). */
export function ensureGatewayBuilt() {
  if (existsSync(gatewayDll())) return;
  execFileSync('dotnet', ['build', join(repoRoot, 'gateway', 'Gateway'), '-c', 'Release', '-nologo', '-v', 'q'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Builds our gateway as it was at a git ref, in a detached worktree under the temp folder, and returns its Gateway.dll
 * and a function that removes the worktree again.
 */
export function buildGatewayAt(ref) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  const git = (...args) => execFileSync('git', ['-C', repoRoot, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  git('worktree', 'add', '--detach', dir, commit);
  const remove = () => {
    try { git('worktree', 'remove', '--force', dir); } catch { rmSync(dir, { recursive: true, force: true }); }
  };
  try {
    execFileSync('dotnet', ['build', join(dir, 'gateway', 'Gateway'), '-c', 'Release', '-nologo', '-v', 'q'], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    remove();
    throw error;
  }
  return { commit, dll: join(dir, 'gateway', 'Gateway', 'bin', 'Release', 'net10.0', 'Gateway.dll'), remove };
}

const started = new Set();

/** Starts a process in its own process group so stop() takes its children down with it. */
export function start(name, command, args, { env = {}, cwd = repoRoot } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const proc = { name, child, pid: child.pid, log, exited: false };
  child.on('exit', () => {
    proc.exited = true;
  });
  started.add(proc);
  return proc;
}

export async function stop(proc) {
  if (!proc || proc.exited) {
    started.delete(proc);
    return;
  }
  const gone = new Promise((resolve) => proc.child.once('exit', resolve));
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await gone;
  clearTimeout(timer);
  started.delete(proc);
}

export async function stopAll() {
  await Promise.all([...started].map(stop));
}

// A run interrupted by Ctrl-C or a failure must not leave gateways or subgraphs behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}
process.on('exit', () => {
  for (const proc of started) {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/** Waits until a GraphQL endpoint answers `{ __typename }` with 200 (a subgraph needs its internal token in `headers`). */
export async function waitForGraphQL(url, proc, timeoutMs = 60000, headers = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc?.exited) throw new Error(`${proc.name} exited before serving:\n${proc.log.join('').slice(-2000)}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(2000),
      });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc?.log.join('').slice(-2000) ?? ''}`);
}

/** VmHWM (peak resident set) of a process and its descendants, in MiB; node children count too. */
export function peakRssMiB(pid) {
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      /* exited */
    }
  }
  return total / 1024;
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) a process and its live descendants have used so far. */
export function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after "pid (comm) " start at field 3; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited */
    }
  }
  return ticks / clockTicks;
}

/**
 * Binds a process, every thread it has and its descendants to `cpus` (taskset's list, e.g. "0" or "1-3"); threads and
 * processes it starts later inherit the binding.
 */
export function pinToCpus(pid, cpus) {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', cpus, String(p)], { stdio: 'ignore' });
    } catch {
      /* exited */
    }
  }
}

function descendants(pid) {
  const out = [];
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      out.push(Number(child), ...descendants(Number(child)));
    }
  } catch {
    /* exited */
  }
  return out;
}

/**
 * A fresh internal-token key pair for one run (docs/architecture.md, "Security"): the subgraphs trust `publicKeys`,
 * our gateway signs with `privateKeys`, and the other gateways get static tokens minted with it.
 */
export function internalTokenKeys() {
  ensureGatewayBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-keys-'));
  // A private key: gone when the run ends, however it ends (the signal handlers end through process.exit).
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const keys = { privateKeys: join(dir, 'private'), publicKeys: join(dir, 'public') };
  execFileSync('dotnet', [gatewayDll(), 'keys', 'generate', keys.privateKeys, keys.publicKeys], { stdio: ['ignore', 'ignore', 'inherit'] });
  return keys;
}

/**
 * `Authorization` values per subgraph name for gateways that cannot sign per request (Hive, Apollo), for direct
 * subgraph requests and seed lookups: internal tokens valid for six hours, longer than any run, for `caller`
 * (`{ subject, scope }`, the identity our gateway would forward) or an anonymous caller.
 */
export function subgraphAuthorization(privateKeys, names, caller = null) {
  ensureGatewayBuilt();
  const identity = caller ? [caller.subject, caller.scope] : [];
  return Object.fromEntries(names.map((name) => [
    name,
    `Bearer ${execFileSync('dotnet', [gatewayDll(), 'tokens', 'mint', privateKeys, name, String(6 * 3600), ...identity], { encoding: 'utf8' }).trim()}`,
  ]));
}

/**
 * A subgraph URL moved to the port 50 above, where the subgraphs (ours and ./federation up's) accept HTTP/2 only in
 * clear text: our gateway's Traffic:Http2=Http2Only goes there, the peers keep HTTP/1.1 on the port itself.
 */
export function h2cUrl(url) {
  const moved = new URL(url);
  moved.port = String(Number(moved.port) + 50);
  return moved.toString();
}

/** Starts the four subgraphs trusting `keys` and returns their pids and the tokens (for `caller`) that reach them. */
export async function startBenchSubgraphs(keys, caller) {
  const authorization = subgraphAuthorization(keys.privateKeys, BENCH_SUBGRAPHS.map((s) => s.name), caller);
  const procs = BENCH_SUBGRAPHS.map(({ name, port }) =>
    start(`bench-${name}`, 'dotnet', [benchSubgraphDll(), '--subgraph', name], {
      env: {
        ASPNETCORE_ENVIRONMENT: 'Production',
        DOTNET_gcServer: '0',
        // HTTP/1.1 on the port, HTTP/2 only 50 above it (h2cUrl), as ./federation up runs the project's subgraphs.
        Kestrel__Endpoints__Http__Url: `http://127.0.0.1:${port}`,
        Kestrel__Endpoints__H2c__Url: h2cUrl(`http://127.0.0.1:${port}`).replace(/\/$/, ''),
        Kestrel__Endpoints__H2c__Protocols: 'Http2',
        InternalTokens__PublicKeysPath: keys.publicKeys,
        // The benchmark's own (Rust) subgraphs have no complexity limit; graphql-dotnet's analyzer scores the deep
        // query's reviews entity fetch at ~700,000, over the kit's default 100,000 (0 turns the analyzer off).
        GraphQL__Limits__MaxComplexity: '0',
      },
    }),
  );
  await Promise.all(procs.map((p, i) =>
    waitForGraphQL(`http://127.0.0.1:${BENCH_SUBGRAPHS[i].port}/graphql`, p, 60000, { authorization: authorization[BENCH_SUBGRAPHS[i].name] })));
  return { pids: procs.map((p) => p.pid), authorization };
}

/**
 * POST /graphql requests the subgraphs behind `urls` have answered so far, read from their /metrics (ASP.NET Core's
 * request-duration histogram count); null when one of them cannot be read.
 */
export async function subgraphRequestCount(urls) {
  const counts = await Promise.all(Object.values(urls).map(async (url) => {
    const res = await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (!res?.ok) return null;
    let total = 0;
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('http_server_request_duration_seconds_count{') && line.includes('http_route="/graphql"') && line.includes('http_request_method="POST"')) {
        total += Number(line.slice(line.lastIndexOf('}') + 1).trim().split(' ')[0]);
      }
    }
    return total;
  }));
  return counts.includes(null) ? null : counts.reduce((a, b) => a + b, 0);
}
