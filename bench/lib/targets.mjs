// The gateways under test. Each starts on its own port, on the same supergraph and the same
// subgraph URLs, and reports the pid whose process tree holds the gateway's memory.
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIENCE, ISSUER } from './issuer.mjs';
import { benchDir, repoRoot, ensureGatewayBuilt, gatewayDll, h2cUrl, start, stop, waitForGraphQL } from './stack.mjs';

/** The supergraph with every join__graph URL replaced by the running subgraph's, for gateways without overrides. */
export function rewriteSupergraph(supergraphFile, urls) {
  let sdl = readFileSync(supergraphFile, 'utf8');
  for (const [name, url] of Object.entries(urls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(sdl)) throw new Error(`subgraph ${name} is not in ${supergraphFile}`);
    sdl = sdl.replace(pattern, `$1${url}$2`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'bench-supergraph-')), 'supergraph.graphql');
  writeFileSync(file, sdl);
  return file;
}

const nodeEnv = { NODE_ENV: 'production' };
/**
 * Hive and Apollo Gateway send each subgraph its static token for the run's caller (tools/apollo-gateway,
 * tools/hive-gateway); Hive verifies the client's token against the run's JWKS (hive/jwt.mjs).
 */
const nodeGatewayEnv = ({ authorization, issuer }) => ({
  ...nodeEnv,
  SUBGRAPH_AUTHORIZATION: JSON.stringify(authorization),
  BENCH_JWKS_URI: issuer.jwksUri,
  BENCH_ISSUER: ISSUER,
  BENCH_AUDIENCE: AUDIENCE,
});

/** Environment set last on every run of our gateway (`bench/run.mjs --ours-env`): runtime and GC settings to compare. */
export const oursEnvOverrides = {};

/**
 * Our gateway; with dedup on, identical in-flight subgraph reads share one round trip (Traffic:DeduplicateRequests).
 * It verifies every client token against the run's JWKS and signs every subgraph request's internal token, for the
 * caller it verified, with the stack's key (`privateKeys`). The runtime's GC defaults apply, as ./federation up and the
 * Docker image run it (gateway/README.md, "Performance settings").
 */
function startOurs(name, port, { supergraph, urls, privateKeys, issuer }, deduplicate, { dll = gatewayDll(), env: extraEnv = {}, lastEnv = {}, http1 = false } = {}) {
  if (dll === gatewayDll()) ensureGatewayBuilt();
  const env = {
    ...extraEnv,
    ASPNETCORE_ENVIRONMENT: 'Production',
    Logging__LogLevel__Default: 'Warning',
    Traffic__DeduplicateRequests: String(deduplicate),
    InternalTokens__KeysPath: privateKeys,
    Authentication__MetadataAddress: issuer.metadataAddress,
    Authentication__RequireHttpsMetadata: 'false',
    // The benchmark's supergraph declares no @cost/@listSize, so every list counts at the default size and the deep
    // query estimates 24,420, over the default maximum of 5,000. The peers enforce no cost limit; measure mode still
    // estimates every request (its price stays in the figures) but refuses none.
    DemandControl__Mode: 'measure',
  };
  // As ./federation up runs it: HTTP/2 only, to each subgraph's h2c port (gateway/README.md, Traffic:Http2).
  env.Traffic__Http2 = http1 ? 'Disable' : 'Http2Only';
  for (const [subgraph, url] of Object.entries(urls)) env[`Subgraphs__${subgraph}__Url`] = http1 ? url : h2cUrl(url);
  Object.assign(env, oursEnvOverrides, lastEnv);
  return start(name, 'dotnet', [dll, '--supergraph', supergraph, '--urls', `http://127.0.0.1:${port}`], { env });
}

/**
 * Our gateway with the entity cache on (dedup off), on a Redis of its own started beside it (so stopping it touches
 * nothing else) and the stack's Kafka for invalidations. The process returned stops both.
 */
function startCached(name, port, redisPort, context) {
  if (!context.kafka) throw new Error('the entity cache needs the stack\'s Kafka (./federation up workloads only)');
  const redis = start(`${name}-redis`, 'redis-server', [
    '--port', String(redisPort), '--bind', '127.0.0.1', '--protected-mode', 'no', '--save', '', '--appendonly', 'no',
  ]);
  const gateway = startOurs(name, port, context, false, {
    env: {
      ConnectionStrings__Redis: `127.0.0.1:${redisPort}`,
      Kafka__BootstrapServers: context.kafka,
      EntityCache__Enabled: 'true',
    },
  });
  gateway.companions = [redis];
  return gateway;
}

/**
 * The header each request of a dedup-defeated target carries with a value of its own. Every gateway forwards it to the
 * subgraphs and so keys its in-flight sharing on it: identical concurrent requests no longer share a subgraph fetch,
 * the method of ChilliCream's published benchmark. The gateway still runs with its deduplication on.
 */
export const DEFEAT_HEADER = 'x-bench-request-id';

const grafbaseBin = () => join(benchDir, 'node_modules', '@grafbase', 'cli-x86_64-unknown-linux-musl', 'grafbase');
const tomlString = (value) => JSON.stringify(String(value));

/**
 * Grafbase's gateway (the Rust engine of `grafbase dev`, npm @grafbase/cli-x86_64-unknown-linux-musl) composing the
 * stack's subgraph SDL files itself. Each subgraph gets the static internal token minted for the run's caller, like
 * Hive and Apollo Gateway. It does not verify the client's token: since 0.10x Grafbase checks JWTs only through its
 * `jwt` extension, which `grafbase extension install` downloads from Grafbase's registry, out of reach here (its
 * built-in `authentication.providers` is gone: "unknown field `providers`"); so, like Apollo Gateway, it skips a cost
 * ours and Hive pay. It shares identical in-flight subgraph fetches by default; `defeat` forwards DEFEAT_HEADER, which
 * ends that sharing.
 */
function startGrafbase(name, port, { urls, sdlFiles, authorization }, defeat) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const lines = [];
  for (const [subgraph, url] of Object.entries(urls)) {
    lines.push(
      `[subgraphs.${subgraph}]`,
      `url = ${tomlString(url)}`,
      `schema_path = ${tomlString(sdlFiles[subgraph])}`,
      '',
      `[[subgraphs.${subgraph}.headers]]`,
      'rule = "insert"',
      'name = "authorization"',
      `value = ${tomlString(authorization[subgraph])}`,
      '',
    );
  }
  if (defeat) lines.push('[[headers]]', 'rule = "forward"', `name = ${tomlString(DEFEAT_HEADER)}`, '');
  const config = join(dir, 'grafbase.toml');
  writeFileSync(config, lines.join('\n'));
  return start(name, grafbaseBin(), ['dev', '-c', config, '--listen-address', `127.0.0.1:${port}`], { cwd: dir });
}

/** Hive Gateway with both deduplications on, forwarding DEFEAT_HEADER (which keys its in-flight sharing) when `defeat`. */
function startHive(name, port, context, configFile) {
  return start(name, join(benchDir, 'node_modules', '.bin', 'hive-gateway'), [
    'supergraph', context.supergraphWithUrls, '--jit', '--host', '127.0.0.1', '--port', String(port),
    '--config-path', join(benchDir, 'hive', configFile),
  ], { env: nodeGatewayEnv(context), cwd: benchDir });
}

const otlpSinkPort = 4119;
let otlpSink = null;

/**
 * An OTLP/HTTP endpoint that reads every export to its end and discards it: the traced targets pay for creating,
 * batching, serializing and sending their spans, as they would against a collector, and no backend's cost is counted.
 */
async function startOtlpSink() {
  if (otlpSink) return;
  otlpSink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  otlpSink.unref();
  await new Promise((resolve, reject) => otlpSink.once('error', reject).listen(otlpSinkPort, '127.0.0.1', resolve));
}

/** OpenTelemetry's standard variables: traces and logs over OTLP/HTTP, root spans sampled at `ratio`. */
async function traced(ratio) {
  await startOtlpSink();
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpSinkPort}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(ratio),
  };
}

export const TARGETS = {
  ours: {
    label: 'ours (dedup off)',
    dedup: 'off',
    port: 4110,
    async start(context) {
      return startOurs('ours', this.port, context, false);
    },
  },
  // The same over HTTP/1.1 (Traffic:Http2=Disable, each subgraph's HTTP/1.1 port), as the peers talk to the subgraphs:
  // what HTTP/2 buys ours.
  'ours-http1': {
    label: 'ours, HTTP/1.1 to subgraphs (dedup off)',
    dedup: 'off',
    port: 4129,
    async start(context) {
      return startOurs('ours-http1', this.port, context, false, { http1: true });
    },
  },
  'ours-dedup-on': {
    label: 'ours (dedup on)',
    dedup: 'on',
    port: 4114,
    async start(context) {
      return startOurs('ours-dedup-on', this.port, context, true);
    },
  },
  'ours-defeated': {
    label: 'ours (dedup defeated)',
    dedup: 'defeated',
    defeat: true,
    port: 4128,
    async start(context) {
      return startOurs('ours-defeated', this.port, context, true, { env: { ForwardHeaders__0: DEFEAT_HEADER } });
    },
  },
  // Tracing on (issue 15): the same gateway exporting its spans; compared with `ours` (tracing off) in the same run.
  'ours-traced-10': {
    label: 'ours, traced at 10% (dedup off)',
    dedup: 'off',
    port: 4116,
    async start(context) {
      return startOurs('ours-traced-10', this.port, context, false, { env: await traced(0.1) });
    },
  },
  // Everything production switches on at once (issue 19), compared with `ours` in the same run: client tokens are
  // verified on every target already; here the cost limit is enforced (above the deep query's estimate of 24,420, so
  // nothing is refused but every request pays the check), spans are exported at 10%, and the federation stack's
  // workloads carry the schema's authorization directives as on every target.
  'ours-production': {
    label: 'ours, production settings: cost limit enforced, traced at 10% (dedup off)',
    dedup: 'off',
    port: 4118,
    async start(context) {
      return startOurs('ours-production', this.port, context, false, {
        env: { ...(await traced(0.1)), DemandControl__Mode: 'enforce', DemandControl__MaxCost: '50000' },
      });
    },
  },
  'ours-traced-100': {
    label: 'ours, traced at 100% (dedup off)',
    dedup: 'off',
    port: 4117,
    async start(context) {
      return startOurs('ours-traced-100', this.port, context, false, { env: await traced(1) });
    },
  },
  // The entity cache (issue 16): the same gateway answering what the subgraphs' Cache-Control allows from Redis.
  'ours-cache': {
    label: 'ours, entity cache on (dedup off)',
    dedup: 'off',
    port: 4118,
    async start(context) {
      return startCached('ours-cache', this.port, 4121, context);
    },
  },
  // The same, with its Redis stopped (SIGKILL) half-way through the measured window: every request must still succeed.
  'ours-cache-redis-killed': {
    label: 'ours, entity cache on, Redis killed mid-run (dedup off)',
    dedup: 'off',
    port: 4123,
    async start(context) {
      return startCached('ours-cache-redis-killed', this.port, 4124, context);
    },
    onMeasureStart(proc, durationSeconds) {
      const [redis] = proc.companions;
      setTimeout(() => {
        try {
          process.kill(-redis.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, (durationSeconds * 1000) / 2).unref();
    },
  },
  // Our gateway built from another commit (`--baseline REF`), so a change is measured against its parent in one run.
  'ours-baseline': {
    label: 'ours at baseline (dedup off)',
    dedup: 'off',
    port: 4115,
    dll: null,
    // `bench/run.mjs --baseline-env`: set on this target only, after --ours-env, so that with `--baseline HEAD` one
    // run measures a runtime setting against the same code without it.
    env: {},
    // Set by bench/run.mjs for a commit before Traffic:Http2, which can only speak HTTP/1.1 to the subgraphs.
    http1: false,
    async start(context) {
      if (!this.dll) throw new Error('no baseline build: pass --baseline REF');
      return startOurs('ours-baseline', this.port, context, false, { dll: this.dll, lastEnv: this.env, http1: this.http1 });
    },
  },
  'hive-dedup-off': {
    label: 'Hive Gateway (dedup off)',
    dedup: 'off',
    port: 4111,
    async start(context) {
      return startHive('hive-dedup-off', this.port, context, 'dedup-off.config.mjs');
    },
  },
  'hive-dedup-on': {
    label: 'Hive Gateway (dedup on)',
    dedup: 'on',
    port: 4112,
    async start(context) {
      return startHive('hive-dedup-on', this.port, context, 'dedup-on.config.mjs');
    },
  },
  // Dedup defeated (issue 19): each request carries a DEFEAT_HEADER value of its own, which the gateway forwards.
  'hive-defeated': {
    label: 'Hive Gateway (dedup defeated)',
    dedup: 'defeated',
    defeat: true,
    port: 4125,
    async start(context) {
      return startHive('hive-defeated', this.port, context, 'dedup-defeated.config.mjs');
    },
  },
  grafbase: {
    label: 'Grafbase (dedup on)',
    dedup: 'on',
    port: 4126,
    async start(context) {
      return startGrafbase('grafbase', this.port, context, false);
    },
  },
  'grafbase-defeated': {
    label: 'Grafbase (dedup defeated)',
    dedup: 'defeated',
    defeat: true,
    port: 4127,
    async start(context) {
      return startGrafbase('grafbase-defeated', this.port, context, true);
    },
  },
  apollo: {
    label: 'Apollo Gateway',
    dedup: 'n/a',
    port: 4113,
    async start(context) {
      const { supergraph, urls } = context;
      const args = [join(repoRoot, 'tools', 'apollo-gateway', 'server.mjs'), '--supergraph', supergraph, '--port', String(this.port)];
      for (const [name, url] of Object.entries(urls)) args.push('--subgraph', `${name}=${url}`);
      return start('apollo', process.execPath, args, { env: nodeGatewayEnv(context) });
    },
  },
};

export function targetUrl(key) {
  return `http://127.0.0.1:${TARGETS[key].port}/graphql`;
}

export async function startTarget(key, context) {
  const proc = await TARGETS[key].start(context);
  try {
    await waitForGraphQL(targetUrl(key), proc, 90000, { authorization: `Bearer ${context.clientToken}` });
  } catch (error) {
    await Promise.all([stop(proc), ...(proc.companions ?? []).map(stop)]);
    throw error;
  }
  return proc;
}
