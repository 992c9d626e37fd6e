// Medians, ratios, the Markdown tables and the PNG bar chart of a run.
import { Resvg } from '@resvg/resvg-js';

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).toSorted((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
    targetCpuMsPerRequest: median(runs.map((r) => r.targetCpuMsPerRequest)),
    subgraphsCpuMsPerRequest: median(runs.map((r) => r.subgraphsCpuMsPerRequest)),
    subgraphRequestsPerRequest: median(runs.map((r) => r.subgraphRequestsPerRequest)),
  };
}

// Like with like: ours with dedup off against the peers that share nothing between requests (and the
// subgraph itself), ours with dedup on against Hive Gateway and Grafbase with dedup on, ours with dedup defeated
// (on, but every request unique) against the peers defeated the same way, and against ours with dedup off (the price
// of keying in-flight work that never matches). Never across modes otherwise.
// A baseline build (--baseline) is ours at another commit, so it is compared like ours with dedup off.
const COMPARISONS = [
  ['ours', ['ours-baseline', 'ours-http1', 'hive-dedup-off', 'apollo', 'subgraph:catalog']],
  ['ours-baseline', ['hive-dedup-off', 'apollo', 'subgraph:catalog']],
  ['ours-http1', ['hive-dedup-off', 'apollo', 'subgraph:catalog']],
  ['ours-dedup-on', ['hive-dedup-on', 'grafbase']],
  ['ours-defeated', ['grafbase-defeated', 'hive-defeated', 'ours']],
  ['ours-cache', ['ours']],
  ['ours-cache-redis-killed', ['ours']],
  ['ours-traced-10', ['ours']],
  ['ours-traced-100', ['ours']],
  ['ours-production', ['ours']],
];

export function ratios(targets) {
  const out = {};
  for (const [oursKey, peers] of COMPARISONS) {
    const ours = targets[oursKey]?.median;
    if (!ours?.rps) continue;
    for (const peer of peers) {
      const other = targets[peer]?.median;
      if (!other?.rps) continue;
      out[`${oursKey} / ${peer}`] = {
        ours: oursKey,
        peer,
        rps: ours.rps / other.rps,
        p99: other.p99 ? ours.p99 / other.p99 : null,
        peakRss: other.peakRssMiB ? ours.peakRssMiB / other.peakRssMiB : null,
        cpu: other.targetCpuMsPerRequest && ours.targetCpuMsPerRequest ? ours.targetCpuMsPerRequest / other.targetCpuMsPerRequest : null,
      };
    }
  }
  return out;
}

const fmt = (v, digits = 0) => (v == null ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const times = (v) => (v == null ? '-' : `${v.toFixed(2)}x`);

export function markdown(result, labels) {
  const lines = [
    `# Gateway benchmark ${result.startedAt}`,
    '',
    `${result.config.connections} connections, ${result.config.warmupSeconds} s warm-up + ${result.config.durationSeconds} s measured, ` +
      `${result.config.rounds} interleaved round(s) per target, medians shown; ${result.machine.cpus} CPUs shared with other work, ` +
      `load generator (autocannon ${result.machine.autocannon}) on the same machine. Hive Gateway ${result.machine.hiveGateway} runs with --jit; ` +
      `Grafbase is \`grafbase dev\` of its CLI ${result.machine.grafbase ?? '-'}. ` +
      'In-flight deduplication is labelled on each row; ours runs with its switch (Traffic:DeduplicateRequests) off and on; "defeated" ' +
      'rows run with deduplication on but every request carries its own x-bench-request-id, which the gateway forwards to the ' +
      'subgraphs, so nothing is shared; each mode is only compared with peers in the same mode. ' +
      'CPU ms/req is user + system CPU of the target process tree over the measured window divided by the requests answered; ' +
      'subgraphs CPU ms/req is the same for the subgraph processes behind it; subgraph req/req is the POST /graphql requests ' +
      'the subgraphs counted (their /metrics) over the window divided by the requests answered.' +
      (result.config.oursEnv ? ` Our gateway ran with ${Object.entries(result.config.oursEnv).map(([k, v]) => `${k}=${v}`).join(', ')} on every row.` : '') +
      (result.config.pinned ? ` Pinned (taskset): the target on CPU ${result.config.pinned.target}, the subgraphs and the load generator on CPU ${result.config.pinned.rest}.` : ''),
    '',
  ];
  for (const w of result.workloads) {
    lines.push(`## ${w.title}`, '');
    if (w.error) {
      lines.push(`Not measured: ${w.error}`, '');
      continue;
    }
    if (w.note) lines.push(`Input: ${w.note}.`, '');
    lines.push(
      '| target | dedup | RPS | p50 ms | p99 ms | errors | non-2xx | peak RSS MiB | CPU ms/req | subgraphs CPU ms/req | subgraph req/req |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const [key, t] of Object.entries(w.targets)) {
      const m = t.median;
      if (t.error) lines.push(`| ${labels[key]?.label ?? key} | ${labels[key]?.dedup ?? '-'} | failed: ${t.error.split('\n')[0].slice(0, 120)} | | | | | | | | |`);
      else lines.push(`| ${labels[key]?.label ?? key} | ${labels[key]?.dedup ?? '-'} | ${fmt(m.rps)} | ${fmt(m.p50, 1)} | ${fmt(m.p99, 1)} | ${m.errors} | ${m.non2xx} | ${fmt(m.peakRssMiB)} | ${fmt(m.targetCpuMsPerRequest, 2)} | ${fmt(m.subgraphsCpuMsPerRequest, 2)} | ${fmt(m.subgraphRequestsPerRequest, 2)} |`);
    }
    const r = Object.entries(w.ratios ?? {});
    if (r.length > 0) {
      lines.push('', '| ours / peer | RPS | p99 | peak RSS | gateway CPU ms/req |', '|---|---:|---:|---:|---:|');
      for (const [, v] of r) lines.push(`| ${labels[v.ours]?.label ?? v.ours} / ${labels[v.peer]?.label ?? v.peer} | ${times(v.rps)} | ${times(v.p99)} | ${times(v.peakRss)} | ${times(v.cpu)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const COLORS = {
  ours: '#2b6cb0', 'ours-baseline': '#90cdf4', 'ours-dedup-on': '#63b3ed', 'ours-defeated': '#1a4971',
  'hive-dedup-off': '#d69e2e', 'hive-dedup-on': '#ecc94b', 'hive-defeated': '#975a16',
  grafbase: '#e53e3e', 'grafbase-defeated': '#9b2c2c', apollo: '#805ad5', 'subgraph:catalog': '#718096',
};

/** Grouped bars of median RPS per workload; each group scaled to its own best so small workloads stay readable. */
export function chartPng(result, labels) {
  const workloads = result.workloads.filter((w) => !w.error && Object.values(w.targets).some((t) => t.median?.rps));
  const rowH = 22;
  const groupGap = 26;
  const left = 250;
  const barMax = 520;
  const height = 70 + workloads.reduce((h, w) => h + Object.keys(w.targets).length * rowH + groupGap + 18, 0);
  const width = left + barMax + 120;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="16" y="28" font-size="17" font-weight="bold">Requests per second (median of ${result.config.rounds} interleaved runs, ${result.config.connections} connections)</text>`,
    `<text x="16" y="48" font-size="12" fill="#555">${esc(result.startedAt)}, ${result.machine.cpus} shared CPUs; each group scaled to its fastest target</text>`,
  ];
  let y = 70;
  for (const w of workloads) {
    parts.push(`<text x="16" y="${y + 12}" font-size="13" font-weight="bold">${esc(w.title)}</text>`);
    y += 18;
    const max = Math.max(...Object.values(w.targets).map((t) => t.median?.rps ?? 0));
    for (const [key, t] of Object.entries(w.targets)) {
      const rps = t.median?.rps ?? 0;
      const len = max > 0 ? Math.max(1, (rps / max) * barMax) : 1;
      parts.push(`<text x="${left - 8}" y="${y + 15}" font-size="12" text-anchor="end">${esc(labels[key]?.label ?? key)}</text>`);
      parts.push(`<rect x="${left}" y="${y + 3}" width="${len.toFixed(1)}" height="${rowH - 6}" fill="${COLORS[key] ?? '#999'}"/>`);
      parts.push(`<text x="${left + len + 6}" y="${y + 15}" font-size="12">${t.error ? 'failed' : fmt(rps)}</text>`);
      y += rowH;
    }
    y += groupGap;
  }
  parts.push('</svg>');
  return new Resvg(parts.join('\n'), { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
