import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { Kind, NoUnusedFragmentsRule, Source, buildSchema, parse, specifiedRules, validate, visit } from 'graphql';

const DOCUMENT_FILES = new Set(['.graphql', '.gql']);
const SCRIPT_FILES = new Set(['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts']);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', '.git', '__generated__']);

// gql`...`, graphql`...`, gql(`...`), graphql(`...`) (codegen client preset) and /* GraphQL */ `...`.
const TAGGED = /(?:\b(?:gql|graphql)\s*(?:\(\s*)?|\/\*\s*GraphQL\s*\*\/\s*)`((?:[^`\\]|\\[\s\S])*)`/g;

function walk(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(path, found);
    } else if (DOCUMENT_FILES.has(extname(entry.name)) || SCRIPT_FILES.has(extname(entry.name))) {
      found.push(path);
    }
  }
  return found;
}

function positionOf(text, index) {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/**
 * GraphQL documents in one file, each as a Source whose locations point into that file.
 * Template interpolations (`${FRAGMENT}`) become spaces: the fragments they bring in are
 * resolved by name across all documents instead.
 */
export function extractDocuments(text, name) {
  if (DOCUMENT_FILES.has(extname(name))) return text.trim() === '' ? [] : [new Source(text, name)];
  const sources = [];
  for (const match of text.matchAll(TAGGED)) {
    const bodyStart = match.index + match[0].length - match[1].length - 1;
    const body = match[1].replace(/\$\{[^}]*\}/g, (m) => m.replace(/[^\n]/g, ' '));
    if (body.trim() === '') continue;
    sources.push(new Source(body, name, positionOf(text, bodyStart)));
  }
  return sources;
}

// graphql-js reports locations within the Source body and ignores its locationOffset.
function where(error) {
  const source = error.source ?? error.nodes?.[0]?.loc?.source;
  const location = error.locations?.[0];
  if (!source || !location) return source?.name;
  const { line: lineOffset, column: columnOffset } = source.locationOffset;
  const column = location.line === 1 ? location.column + columnOffset - 1 : location.column;
  return `${source.name}:${location.line + lineOffset - 1}:${column}`;
}

function usedFragmentNames(node, fragments, seen = new Set()) {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (seen.has(name)) return;
      seen.add(name);
      const fragment = fragments.get(name);
      if (fragment) usedFragmentNames(fragment.node, fragments, seen);
    },
  });
  return seen;
}

/**
 * Validates every operation under `webSrc` against the API schema. Each operation is validated
 * with the fragments it spreads (wherever they are defined); fragments no operation uses are
 * validated on their own.
 */
export function checkOperations({ repoRoot, webSrc, apiSdl }) {
  if (!existsSync(webSrc)) return { files: 0, operations: 0, failures: [], note: `${relative(repoRoot, webSrc)} does not exist yet: no operations to check` };
  const schema = buildSchema(apiSdl);
  const failures = [];
  const operations = [];
  const fragments = new Map();
  const files = walk(webSrc);
  for (const file of files) {
    const name = relative(repoRoot, file);
    for (const source of extractDocuments(readFileSync(file, 'utf8'), name)) {
      let document;
      try {
        document = parse(source);
      } catch (error) {
        failures.push({ subject: `document in ${name}`, reason: error.message, at: where(error) });
        continue;
      }
      for (const definition of document.definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION) {
          operations.push({ node: definition, file: name });
        } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          const fragmentName = definition.name.value;
          const existing = fragments.get(fragmentName);
          if (existing) failures.push({ subject: `fragment "${fragmentName}" in ${name}`, reason: `fragment "${fragmentName}" is also defined in ${existing.file}`, at: name });
          else fragments.set(fragmentName, { node: definition, file: name });
        } else {
          failures.push({ subject: `document in ${name}`, reason: `${definition.kind} is not an executable definition` });
        }
      }
    }
  }

  const used = new Set();
  for (const { node, file } of operations) {
    const label = `${node.operation} "${node.name?.value ?? '(anonymous)'}" in ${file}`;
    const spreads = usedFragmentNames(node, fragments);
    spreads.forEach((s) => used.add(s));
    const definitions = [node, ...[...spreads].filter((s) => fragments.has(s)).map((s) => fragments.get(s).node)];
    for (const error of validate(schema, { kind: Kind.DOCUMENT, definitions })) {
      failures.push({ subject: label, reason: error.message, at: where(error) });
    }
  }
  const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
  for (const [name, { node, file }] of fragments) {
    if (used.has(name)) continue;
    const spreads = usedFragmentNames(node, fragments);
    const definitions = [node, ...[...spreads].filter((s) => fragments.has(s) && s !== name).map((s) => fragments.get(s).node)];
    for (const error of validate(schema, { kind: Kind.DOCUMENT, definitions }, rules)) {
      failures.push({ subject: `fragment "${name}" in ${file}`, reason: error.message, at: where(error) });
    }
  }
  return { files: files.length, operations: operations.length, fragments: fragments.size, failures };
}

export function formatOperationFailures(failures) {
  const lines = [`${failures.length} problem${failures.length === 1 ? '' : 's'} in web operations against schema/api.graphql:`];
  for (const failure of failures) {
    lines.push('', `  ${failure.subject}`, `    reason: ${failure.reason}`);
    if (failure.at) lines.push(`    at:     ${failure.at}`);
  }
  return lines.join('\n');
}
