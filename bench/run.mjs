#!/usr/bin/env node
// Gateway benchmarks (issue 8): ours vs Hive Gateway (dedup off and on) vs Apollo Gateway on the
// same supergraph and the same running subgraphs, one target at a time, interleaved rounds.
//
//   node bench/run.mjs [--quick] [--workloads gateways-benchmark,2a,2b,2c,2d] [--targets ours,apollo,...]
//                      [--connections 50] [--warmup 5] [--duration 20] [--rounds 2] [--out bench/results]
//                      [--baseline REF]   also measure our gateway built at git REF (target ours-baseline)
//                      [--ours-env K=V,...]  environment set last on every run of our gateway (GC settings to compare)
//                      [--baseline-env K=V,...]  environment set on ours-baseline only, after --ours-env (with
//                                         --baseline HEAD: a runtime setting against none, same code, one run)
//                      [--pin]            the target on CPU 0, the subgraphs and the load generator on the others
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { measure } from './lib/load.mjs';
import { chartPng, markdown, ratios, summarize } from './lib/report.mjs';
import { benchDir, buildGatewayAt, cpuSeconds, peakRssMiB, pinToCpus, repoRoot, stop, stopAll, subgraphRequestCount } from './lib/stack.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { DEFEAT_HEADER, TARGETS, oursEnvOverrides, rewriteSupergraph, startTarget, targetUrl } from './lib/targets.mjs';
import { WORKLOADS } from './lib/workloads.mjs';

const usage = 'usage: node bench/run.mjs [--quick] [--workloads a,b] [--targets a,b] [--connections n] [--warmup s] [--duration s] [--rounds n] [--out dir] [--baseline REF] [--ours-env K=V,...] [--baseline-env K=V,...] [--pin]';
let opts;
try {
  opts = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      workloads: { type: 'string' },
      targets: { type: 'string' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      out: { type: 'string', default: join(benchDir, 'results') },
      baseline: { type: 'string' },
      'ours-env': { type: 'string' },
      'baseline-env': { type: 'string' },
      pin: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n${usage}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${usage}\n  --quick = 1 s warm-up, 5 s measured, 1 round\n  workloads: ${WORKLOADS.map((w) => w.key).join(', ')}\n`);
  process.exit(0);
}
const positive = (name, value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (name === 'warmup' ? 0 : 1)) {
    process.stderr.write(`bench: --${name} must be a whole number${name === 'warmup' ? '' : ' above 0'}, got "${value}"\n`);
    process.exit(2);
  }
  return n;
};
const config = {
  connections: positive('connections', opts.connections),
  warmupSeconds: positive('warmup', opts.warmup ?? (opts.quick ? 1 : 5)),
  durationSeconds: positive('duration', opts.duration ?? (opts.quick ? 5 : 20)),
  rounds: positive('rounds', opts.rounds ?? (opts.quick ? 1 : 2)),
};
/** The items of a comma-separated option, trimmed, empty ones dropped. */
const items = (list) => (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
/** NAME=VALUE pairs separated by commas (--ours-env, --baseline-env), put into `into`. */
const envPairs = (option, into) => {
  for (const pair of items(opts[option])) {
    const at = pair.indexOf('=');
    if (at < 1) {
      process.stderr.write(`bench: --${option} takes NAME=VALUE pairs separated by commas, got "${pair}"\n`);
      process.exit(2);
    }
    into[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return into;
};
// --ours-env DOTNET_GCgen0size=0x1000000,DOTNET_gcServer=0: set last on every run of our gateway (e.g. GC settings).
envPairs('ours-env', oursEnvOverrides);
if (Object.keys(oursEnvOverrides).length) config.oursEnv = { ...oursEnvOverrides };
// --pin: the target (a gateway, or a subgraph asked directly) on the first CPU, the other subgraphs and this process (the
// load generator) on the rest, so that they stop taking each other's time slices; PostgreSQL and Kafka stay unbound.
const cpuCount = cpus().length;
if (opts.pin && cpuCount < 2) {
  process.stderr.write('bench: --pin needs at least 2 CPUs\n');
  process.exit(2);
}
if (opts.pin) config.pinned = { target: '0', rest: cpuCount === 2 ? '1' : `1-${cpuCount - 1}` };
const pick = (list, all, what) => {
  if (!list) return all;
  const wanted = items(list);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) {
    process.stderr.write(`bench: unknown ${what} ${unknown.join(', ')} (known: ${all.join(', ')})\n`);
    process.exit(2);
  }
  return wanted;
};
const workloadKeys = pick(opts.workloads, WORKLOADS.map((w) => w.key), 'workload');
const targetKeys = pick(opts.targets, [...Object.keys(TARGETS), 'subgraph:catalog'], 'target')
  .filter((key) => opts.baseline || key !== 'ours-baseline' || opts.targets);
if (targetKeys.includes('ours-baseline') && !opts.baseline) {
  process.stderr.write('bench: target ours-baseline needs --baseline REF\n');
  process.exit(2);
}
if (opts['baseline-env'] && !opts.baseline) {
  process.stderr.write('bench: --baseline-env needs --baseline REF\n');
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);
const version = (pkg, dir = benchDir) => JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const result = {
  startedAt: new Date().toISOString(),
  config,
  machine: {
    cpus: cpus().length,
    node: process.version,
    autocannon: version('autocannon'),
    hiveGateway: version('@graphql-hive/gateway'),
    apolloGateway: version('@apollo/gateway', join(repoRoot, 'tools', 'apollo-gateway')),
    grafbase: version('@grafbase/cli-x86_64-unknown-linux-musl'),
  },
  workloads: [],
};
/** Whether `commit` has the file at `path`. */
const gitHas = (commit, path) => {
  try {
    execFileSync('git', ['-C', repoRoot, 'cat-file', '-e', `${commit}:${path}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
let baseline = null;
if (opts.baseline) {
  log(`building our gateway at ${opts.baseline} for target ours-baseline`);
  baseline = buildGatewayAt(opts.baseline);
  TARGETS['ours-baseline'].dll = baseline.dll;
  // Traffic:Http2 arrived with SubgraphHttp2.cs; an older gateway keeps to the subgraphs' HTTP/1.1 ports.
  TARGETS['ours-baseline'].http1 = !gitHas(baseline.commit, 'gateway/Federation.Gateway/Transport/SubgraphHttp2.cs');
  const short = baseline.commit.slice(0, 7);
  const baselineEnv = envPairs('baseline-env', TARGETS['ours-baseline'].env);
  const withEnv = Object.keys(baselineEnv).length ? ` with ${Object.entries(baselineEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
  const http1 = TARGETS['ours-baseline'].http1 ? ', HTTP/1.1 to subgraphs' : '';
  TARGETS['ours-baseline'].label = `ours at ${baseline.commit.startsWith(opts.baseline) ? short : `${opts.baseline} ${short}`}${withEnv}${http1} (dedup off)`;
  result.baseline = { ref: opts.baseline, commit: baseline.commit, ...(withEnv ? { env: { ...baselineEnv } } : {}) };
}
const labels = Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, { label: t.label, dedup: t.dedup }]));
labels['subgraph:catalog'] = { label: 'catalog subgraph directly', dedup: 'n/a' };

/** A gateway target is started for the run; a `subgraph:<name>` target is the running subgraph itself. */
async function openTarget(key, stack) {
  if (key.startsWith('subgraph:')) {
    const name = key.slice('subgraph:'.length);
    // Asked directly, a subgraph wants the internal token the gateway would send it.
    return { proc: null, url: stack.urls[name], pid: stack.pidOf?.(name), headers: { authorization: stack.authorization[name] } };
  }
  const proc = await startTarget(key, stack);
  // Every request carries the client's signed token, which each gateway verifies (lib/issuer.mjs); a dedup-defeated
  // target's requests each carry a DEFEAT_HEADER value of their own.
  return {
    proc, url: targetUrl(key), pid: proc.pid, headers: { authorization: `Bearer ${stack.clientToken}` },
    uniqueHeader: TARGETS[key].defeat ? DEFEAT_HEADER : undefined,
  };
}

async function runTarget(key, stack, prepared, workload) {
  const { proc, url, pid, headers, uniqueHeader } = await openTarget(key, stack);
  try {
    // CPU per request of the target and of the subgraphs behind it shows which side the window was limited by.
    const subgraphPids = (stack.subgraphPids?.() ?? []).filter((p) => p !== pid);
    if (config.pinned) {
      if (pid) pinToCpus(pid, config.pinned.target);
      for (const p of [...subgraphPids, ...(proc?.companions ?? []).map((c) => c.pid), process.pid]) pinToCpus(p, config.pinned.rest);
    }
    const cpu = () => ({ target: pid ? cpuSeconds(pid) : 0, subgraphs: subgraphPids.reduce((sum, p) => sum + cpuSeconds(p), 0) });
    let before;
    let fetchesBefore;
    const run = await measure({
      url, headers, workload: prepared, ...config, uniqueHeader,
      onMeasureStart: () => {
        before = cpu();
        // Read while the load runs: the count is off by at most the requests in flight, against thousands measured.
        fetchesBefore = subgraphRequestCount(stack.urls);
        TARGETS[key]?.onMeasureStart?.(proc, config.durationSeconds);
      },
    });
    const after = cpu();
    const [fetchesStart, fetchesEnd] = [await fetchesBefore, await subgraphRequestCount(stack.urls)];
    const perRequest = (seconds) => (run.requests > 0 ? (seconds * 1000) / run.requests : null);
    run.targetCpuMsPerRequest = pid ? perRequest(after.target - before.target) : null;
    run.subgraphsCpuMsPerRequest = perRequest(after.subgraphs - before.subgraphs);
    run.subgraphRequestsPerRequest = fetchesStart != null && fetchesEnd != null && run.requests > 0 ? (fetchesEnd - fetchesStart) / run.requests : null;
    run.peakRssMiB = pid ? peakRssMiB(pid) : null;
    log(`  ${workload.key} ${key}: ${run.rps.toFixed(0)} rps, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}, ` +
      `peak RSS ${run.peakRssMiB?.toFixed(0)} MiB, CPU ms/request ${run.targetCpuMsPerRequest?.toFixed(2)} (subgraphs ${run.subgraphsCpuMsPerRequest?.toFixed(2)}), ` +
      `subgraph requests/request ${run.subgraphRequestsPerRequest?.toFixed(2)}`);
    return run;
  } finally {
    if (proc) await Promise.all([stop(proc), ...(proc.companions ?? []).map(stop)]);
  }
}

/**
 * Sends the workload through one target, unmeasured, before the first round: freshly started subgraphs are still
 * compiling their hot paths and filling pools and caches, a cost that would otherwise land on whichever target goes first.
 */
async function warmSubgraphs(key, stack, prepared, workload) {
  if (!key) return;
  const { proc, url, headers, uniqueHeader } = await openTarget(key, stack);
  try {
    await measure({
      url, headers, workload: prepared, connections: config.connections, warmupSeconds: 0, durationSeconds: Math.max(5, config.warmupSeconds * 4),
      uniqueHeader,
    });
    log(`  ${workload.key}: subgraphs warmed through ${key}`);
  } finally {
    if (proc) await Promise.all([stop(proc), ...(proc.companions ?? []).map(stop)]);
  }
}

async function runWorkload(workload, stack) {
  const entry = { key: workload.key, title: workload.title, targets: {} };
  result.workloads.push(entry);
  const keys = workload.targets.filter((k) => targetKeys.includes(k));
  let prepared;
  try {
    prepared = await workload.prepare(stack);
    entry.note = [prepared.note, stack.notReady?.length ? `subgraphs down during the run: ${stack.notReady.join(', ')}` : null].filter(Boolean).join('; ');
  } catch (error) {
    entry.error = error.message;
    log(`  ${workload.key}: ${error.message}`);
    return;
  }
  for (const key of keys) entry.targets[key] = { runs: [] };
  await warmSubgraphs(keys[0], stack, prepared, workload);
  for (let round = 0; round < config.rounds; round += 1) {
    // Alternate the order so no target always runs first on a cold machine.
    for (const key of round % 2 ? keys.toReversed() : keys) {
      try {
        entry.targets[key].runs.push(await runTarget(key, stack, prepared, workload));
      } catch (error) {
        entry.targets[key].error = error.message;
        log(`  ${workload.key} ${key} failed: ${error.message.split('\n')[0]}`);
      }
    }
  }
  for (const t of Object.values(entry.targets)) if (t.runs.length) t.median = summarize(t.runs);
  entry.ratios = ratios(entry.targets);
}

const selected = WORKLOADS.filter((w) => workloadKeys.includes(w.key));
let exitCode = 0;
const issuer = await startIssuer();
try {
  for (const stackDef of [...new Set(selected.map((w) => w.stack))]) {
    log(`== ${stackDef.name}`);
    let stack;
    try {
      stack = await stackDef.up();
      stack.supergraphWithUrls = rewriteSupergraph(stack.supergraph, stack.urls);
      stack.issuer = issuer;
      stack.clientToken = issuer.token(stack.caller);
      for (const workload of selected.filter((w) => w.stack === stackDef)) {
        log(`-- ${workload.title}`);
        await runWorkload(workload, stack);
      }
    } catch (error) {
      exitCode = 1;
      log(`${stackDef.name} failed: ${error.message}`);
      for (const workload of selected.filter((w) => w.stack === stackDef && !result.workloads.some((e) => e.key === w.key))) {
        result.workloads.push({ key: workload.key, title: workload.title, error: `${stackDef.name} failed: ${error.message.split('\n')[0]}`, targets: {} });
      }
    } finally {
      await stackDef.down().catch((error) => log(`stopping ${stackDef.name} failed: ${error.message}`));
    }
  }
} finally {
  await stopAll();
  await issuer.close();
  baseline?.remove();
}

result.workloads.sort((a, b) => WORKLOADS.findIndex((w) => w.key === a.key) - WORKLOADS.findIndex((w) => w.key === b.key));
mkdirSync(opts.out, { recursive: true });
const stamp = result.startedAt.slice(0, 16).replace(':', '');
const base = join(opts.out, stamp);
writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
const md = markdown(result, labels);
writeFileSync(`${base}.md`, md);
writeFileSync(`${base}.png`, chartPng(result, labels));
writeFileSync(join(opts.out, 'latest.png'), chartPng(result, labels));
process.stdout.write(md);
log(`wrote ${relative(process.cwd(), base)}.{json,md,png} and ${relative(process.cwd(), join(opts.out, 'latest.png'))}`);
process.exit(exitCode);
