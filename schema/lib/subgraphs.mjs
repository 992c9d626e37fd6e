import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { CheckFailure } from './errors.mjs';

const NAME = /^[a-z][a-z0-9-]*$/;

/** `schema/subgraphs.json`: the subgraphs that make up the supergraph, as [{ name, project, url }]. */
export function loadSubgraphList(schemaDir) {
  const file = join(schemaDir, 'subgraphs.json');
  let list;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CheckFailure(`cannot read ${file}: ${error.message}`);
  }
  if (!Array.isArray(list) || list.length === 0) throw new CheckFailure(`${file} must be a non-empty JSON array`);
  const names = new Set();
  for (const entry of list) {
    if (!entry || !NAME.test(entry.name ?? '') || typeof entry.project !== 'string' || typeof entry.url !== 'string') {
      throw new CheckFailure(`${file}: every entry needs "name" (lower-case), "project" and "url"; got ${JSON.stringify(entry)}`);
    }
    try {
      new URL(entry.url);
    } catch {
      throw new CheckFailure(`${file}: subgraph "${entry.name}" has url "${entry.url}", which is not an absolute URL`);
    }
    if (names.has(entry.name)) throw new CheckFailure(`${file}: subgraph "${entry.name}" is listed twice`);
    names.add(entry.name);
  }
  return list;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new CheckFailure(`${command} ${args.join(' ')} could not run: ${result.error.message}`);
  return result;
}

function tail(text, lines = 40) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function projectFile(subgraph, projectDir) {
  const candidates = existsSync(projectDir) ? readdirSync(projectDir).filter((f) => f.endsWith('.csproj')) : [];
  if (candidates.length !== 1) {
    throw new CheckFailure(`subgraph "${subgraph.name}": expected exactly one .csproj in ${subgraph.project}, found ${candidates.length}`);
  }
  return join(projectDir, candidates[0]);
}

function assemblyName(csproj) {
  const declared = /<AssemblyName>\s*([^<\s]+)\s*<\/AssemblyName>/.exec(readFileSync(csproj, 'utf8'));
  return declared ? declared[1] : basename(csproj, '.csproj');
}

/**
 * A subgraph's SDL as its built code prints it: `dotnet build` (Release) unless `skipBuild`,
 * then `dotnet <assembly> schema print`, which needs no database.
 */
export function printSubgraphFromCode(subgraph, { repoRoot, skipBuild, log }) {
  const projectDir = resolve(repoRoot, subgraph.project);
  const csproj = projectFile(subgraph, projectDir);
  if (!skipBuild) {
    log(`building ${subgraph.project} (Release)`);
    const build = run('dotnet', ['build', relative(repoRoot, csproj), '-c', 'Release', '-v', 'q', '--nologo'], { cwd: repoRoot, timeout: 15 * 60_000 });
    if (build.status !== 0) {
      throw new CheckFailure(`subgraph "${subgraph.name}": dotnet build ${subgraph.project} failed (exit ${build.status ?? build.signal}):\n${tail(build.stdout + build.stderr)}`);
    }
  }
  const dll = join(projectDir, 'bin', 'Release', 'net10.0', `${assemblyName(csproj)}.dll`);
  if (!existsSync(dll)) {
    throw new CheckFailure(`subgraph "${subgraph.name}": ${relative(repoRoot, dll)} does not exist${skipBuild ? ' (--no-build was given; build it in Release first)' : ''}`);
  }
  log(`printing ${subgraph.name} SDL`);
  const print = run('dotnet', [dll, 'schema', 'print'], { cwd: repoRoot, timeout: 2 * 60_000 });
  if (print.status !== 0) {
    throw new CheckFailure(`subgraph "${subgraph.name}": \`dotnet ${relative(repoRoot, dll)} schema print\` failed (exit ${print.status ?? print.signal}):\n${tail(print.stderr || print.stdout)}`);
  }
  if (print.stdout.trim() === '') throw new CheckFailure(`subgraph "${subgraph.name}": schema print wrote nothing to stdout`);
  return print.stdout;
}

/** `<dir>/<name>.graphql` stands in for the built code (tests, or SDL from elsewhere). */
export function printSubgraphFromDirectory(subgraph, dir) {
  const file = join(dir, `${subgraph.name}.graphql`);
  if (!existsSync(file)) throw new CheckFailure(`subgraph "${subgraph.name}": ${file} not found`);
  return readFileSync(file, 'utf8');
}

/** The current SDL of every listed subgraph, printed by the code or read from `sdlFrom`. */
export function printSubgraphs(list, { repoRoot, schemaDir, sdlFrom, skipBuild, log }) {
  return list.map((subgraph) => ({
    ...subgraph,
    file: relative(repoRoot, join(schemaDir, 'subgraphs', `${subgraph.name}.graphql`)),
    sdl: sdlFrom ? printSubgraphFromDirectory(subgraph, sdlFrom) : printSubgraphFromCode(subgraph, { repoRoot, skipBuild, log }),
  }));
}

/**
 * Event-driven subgraphs: every `events/<name>.graphql` is the SDL of a subgraph with no service behind it, whose
 * subscription fields the gateway feeds from Kafka (`@kafkaSubscribe`). It is composed with the others under `<name>`
 * and its `url` (`kafka://<name>`) is never called; the file is the contract itself, so nothing is printed from it.
 */
export function readEventSubgraphs(schemaDir, repoRoot) {
  const dir = join(schemaDir, 'events');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => {
      const name = basename(f, '.graphql');
      if (!NAME.test(name)) throw new CheckFailure(`schema/events/${f}: an event-driven subgraph's file name must be lower-case`);
      return { name, url: `kafka://${name}`, sdl: readFileSync(join(dir, f), 'utf8'), file: relative(repoRoot, join(dir, f)), eventDriven: true };
    });
}
