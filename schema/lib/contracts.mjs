import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { composeSupergraph, formatCompositionErrors } from './compose.mjs';
import { CheckFailure } from './errors.mjs';

/**
 * The committed contract files (paths relative to the schema directory) that the given printed
 * subgraphs produce. On composition errors only the subgraph SDL files are produced.
 */
export function produceContracts(printed) {
  const composed = composeSupergraph(printed);
  // An event-driven subgraph's SDL is committed where it is written (schema/events/), not printed again.
  const files = new Map(composed.subgraphs.filter((s) => !s.eventDriven).map((s) => [`subgraphs/${s.name}.graphql`, s.sdl]));
  if (composed.errors) return { files, errors: composed.errors };
  files.set('supergraph.graphql', composed.supergraphSdl);
  files.set('api.graphql', composed.apiSdl);
  return { files };
}

function readIfExists(file) {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Committed subgraph SDL files that no listed subgraph produces any more. */
function staleSubgraphFiles(schemaDir, files) {
  const dir = join(schemaDir, 'subgraphs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => `subgraphs/${f}`)
    .filter((f) => !files.has(f))
    .sort();
}

/** `compose`: writes what changed, removes stale subgraph SDL, then fails on composition errors. */
export function writeContracts(schemaDir, { files, errors }, log) {
  for (const [path, content] of files) {
    const file = join(schemaDir, path);
    if (readIfExists(file) === content) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    log(`wrote schema/${path}`);
  }
  for (const path of staleSubgraphFiles(schemaDir, files)) {
    rmSync(join(schemaDir, path));
    log(`removed schema/${path} (not in schema/subgraphs.json)`);
  }
  if (errors) {
    throw new CheckFailure(`${formatCompositionErrors(errors)}\n\nschema/supergraph.graphql and schema/api.graphql were left unchanged.`);
  }
}

/** `check`: every committed contract must equal what the code produces now, byte for byte. */
export function checkContracts(schemaDir, { files, errors }) {
  if (errors) throw new CheckFailure(formatCompositionErrors(errors));
  const patches = [];
  for (const [path, produced] of files) {
    const committed = readIfExists(join(schemaDir, path));
    if (committed === produced) continue;
    patches.push(
      createTwoFilesPatch(`a/schema/${path}`, `b/schema/${path}`, committed ?? '', produced, committed === undefined ? 'missing' : 'committed', 'produced by the code'),
    );
  }
  for (const path of staleSubgraphFiles(schemaDir, files)) {
    const committed = readFileSync(join(schemaDir, path), 'utf8');
    patches.push(createTwoFilesPatch(`a/schema/${path}`, `b/schema/${path}`, committed, '', 'committed', 'not in schema/subgraphs.json'));
  }
  if (patches.length > 0) {
    throw new CheckFailure(
      `${patches.join('\n')}\nschema check failed: ${patches.length} contract file(s) differ from what the code produces.\n` +
        'Run `./federation schema compose`, review the change (and `./federation schema diff origin/main`), and commit it.',
    );
  }
  return [...files.keys()];
}
