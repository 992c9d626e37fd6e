#!/usr/bin/env node
// Composition and schema governance: `node schema/cli.mjs <command>` (see schema/README.md).
// Exit codes: 0 ok, 1 a check failed, 2 the command could not run as asked.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiSchemaAt, classifyChanges, formatChanges, loadAcknowledgements, unacknowledgedBreaking } from './lib/breaking.mjs';
import { checkContracts, produceContracts, writeContracts } from './lib/contracts.mjs';
import { CheckFailure, UsageError } from './lib/errors.mjs';
import { checkOperations, formatOperationFailures } from './lib/operations.mjs';
import { loadSubgraphList, printSubgraphs, readEventSubgraphs } from './lib/subgraphs.mjs';

const USAGE = `usage: node schema/cli.mjs <command> [options]

  compose [--no-build] [--from <dir>]   print every subgraph SDL from its built code, compose, write
                                        schema/subgraphs/*.graphql, supergraph.graphql, api.graphql
  check [--no-build] [--from <dir>]     fail with a diff when a committed contract differs from the code
  diff <git-ref>                        classify api.graphql changes since <git-ref>; fail on
                                        unacknowledged breaking ones
  operations                            validate web/src GraphQL documents against api.graphql

  --no-build    use the Release build already on disk instead of running dotnet build
  --from <dir>  read <dir>/<name>.graphql instead of printing SDL from the code
  --root <dir>  repository root (default: the parent of schema/)`;

const OPTIONS = {
  'no-build': { type: 'boolean', default: false },
  from: { type: 'string' },
  root: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

const ALLOWED = {
  compose: { positionals: 0, options: ['no-build', 'from'] },
  check: { positionals: 0, options: ['no-build', 'from'] },
  diff: { positionals: 1, options: [] },
  operations: { positionals: 0, options: [] },
};

const out = (line = '') => process.stdout.write(`${line}\n`);
const log = (line) => process.stderr.write(`schema: ${line}\n`);

function parse(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message, { showUsage: true });
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...rest] = positionals;
  const allowed = ALLOWED[command];
  if (!allowed) throw new UsageError(command ? `unknown command "${command}"` : 'no command given', { showUsage: true });
  if (rest.length !== allowed.positionals) {
    throw new UsageError(`${command} takes ${allowed.positionals === 0 ? 'no arguments' : `${allowed.positionals} argument`}, got ${rest.length}`, { showUsage: true });
  }
  for (const option of ['no-build', 'from']) {
    if (values[option] && !allowed.options.includes(option)) throw new UsageError(`${command} does not take --${option}`, { showUsage: true });
  }
  const repoRoot = resolve(values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const schemaDir = join(repoRoot, 'schema');
  if (!existsSync(schemaDir)) throw new UsageError(`${schemaDir} does not exist`);
  const sdlFrom = values.from === undefined ? undefined : resolve(values.from);
  if (sdlFrom && !existsSync(sdlFrom)) throw new UsageError(`--from ${values.from}: no such directory`);
  return { command, args: rest, repoRoot, schemaDir, sdlFrom, skipBuild: values['no-build'] };
}

function produce({ repoRoot, schemaDir, sdlFrom, skipBuild }) {
  const list = loadSubgraphList(schemaDir);
  return produceContracts([...printSubgraphs(list, { repoRoot, schemaDir, sdlFrom, skipBuild, log }), ...readEventSubgraphs(schemaDir, repoRoot)]);
}

function readApiSchema(schemaDir) {
  const file = join(schemaDir, 'api.graphql');
  if (!existsSync(file)) throw new CheckFailure('schema/api.graphql does not exist: run `./federation schema compose` first');
  return readFileSync(file, 'utf8');
}

const commands = {
  compose(context) {
    const contracts = produce(context);
    writeContracts(context.schemaDir, contracts, log);
    // Kustomize reads only files below its own folder, so the gateway's ConfigMap takes a copy (a test compares them).
    const deployCopy = join(context.repoRoot, 'deploy', 'base', 'gateway', 'supergraph.graphql');
    if (existsSync(dirname(deployCopy))) copyFileSync(join(context.schemaDir, 'supergraph.graphql'), deployCopy);
    out(`composed ${[...contracts.files.keys()].filter((f) => f.startsWith('subgraphs/')).length} subgraph(s) into schema/supergraph.graphql and schema/api.graphql`);
  },

  check(context) {
    const checked = checkContracts(context.schemaDir, produce(context));
    out(`schema check passed: ${checked.map((f) => `schema/${f}`).join(', ')} match the code`);
  },

  async diff({ repoRoot, schemaDir, args: [ref] }) {
    const oldSdl = apiSchemaAt(repoRoot, ref);
    if (oldSdl === undefined) {
      out(`note: ${ref} has no schema/api.graphql; nothing to compare`);
      return;
    }
    const result = await classifyChanges(oldSdl, readApiSchema(schemaDir), loadAcknowledgements(schemaDir), {
      old: `schema/api.graphql at ${ref}`,
      new: 'schema/api.graphql',
    });
    formatChanges(result, ref).forEach((line) => out(line));
    const breaking = unacknowledgedBreaking(result);
    if (breaking.length > 0) {
      throw new CheckFailure(
        `${breaking.length} breaking change(s) are not acknowledged. Keep the old field or type (deprecate it first), or, ` +
          'if every client has moved on, add { "coordinate", "change", "reason" } for each to schema/breaking-changes.acknowledged.json.',
      );
    }
  },

  operations({ repoRoot, schemaDir }) {
    const result = checkOperations({ repoRoot, webSrc: join(repoRoot, 'web', 'src'), apiSdl: readApiSchema(schemaDir) });
    if (result.note) {
      out(`note: ${result.note}`);
      return;
    }
    if (result.failures.length > 0) throw new CheckFailure(formatOperationFailures(result.failures));
    if (result.operations === 0 && result.fragments === 0) out(`note: no GraphQL documents found in ${result.files} file(s) under web/src`);
    else out(`operations check passed: ${result.operations} operation(s) and ${result.fragments} fragment(s) are valid against schema/api.graphql`);
  },
};

try {
  const context = parse(process.argv.slice(2));
  if (context.help) {
    out(USAGE);
  } else {
    await commands[context.command](context);
  }
} catch (error) {
  if (error instanceof CheckFailure) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof UsageError) {
    process.stderr.write(`schema: ${error.message}\n${error.showUsage ? `\n${USAGE}\n` : ''}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
