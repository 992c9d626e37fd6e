import {
  Kind,
  Source,
  buildASTSchema,
  lexicographicSortSchema,
  parse,
  printSchema,
} from 'graphql';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';

const LINK_SPEC = /^https:\/\/specs\.apollo\.dev\/link\/v\d+\.\d+$/;

function linkUrl(directive) {
  const url = directive.arguments?.find((a) => a.name.value === 'url');
  return url?.value.kind === Kind.STRING ? url.value.value : undefined;
}

function isSchemaNode(node) {
  return node.kind === Kind.SCHEMA_DEFINITION || node.kind === Kind.SCHEMA_EXTENSION;
}

/**
 * graphql-dotnet prints `@link(url: "https://specs.apollo.dev/link/v1.0", import: ["@link"])`
 * beside the federation @link; composition copies it into the supergraph as a second link/v1.0
 * @link, which Apollo Gateway rejects ("Invalid duplicate application of @core/@link"). The
 * application is cut out of the text so the rest of the SDL stays byte-for-byte as printed.
 */
export function stripLinkSpecLink(sdl, sourceName = 'subgraph.graphql') {
  const document = parse(new Source(sdl, sourceName));
  const cuts = [];
  for (const node of document.definitions.filter(isSchemaNode)) {
    const doomed = (node.directives ?? []).filter((d) => d.name.value === 'link' && LINK_SPEC.test(linkUrl(d) ?? ''));
    if (doomed.length === 0) continue;
    const emptied = doomed.length === node.directives.length && (node.operationTypes?.length ?? 0) === 0;
    if (emptied && node.kind === Kind.SCHEMA_EXTENSION) cuts.push([node.loc.start, node.loc.end]);
    else cuts.push(...doomed.map((d) => [withLeadingWhitespace(sdl, d.loc.start), d.loc.end]));
  }
  let text = sdl;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) text = text.slice(0, start) + text.slice(end);
  return text;
}

function withLeadingWhitespace(text, index) {
  let start = index;
  while (start > 0 && /[ \t\r\n,]/.test(text[start - 1])) start -= 1;
  return start;
}

/** Printed SDL as committed: LF line endings, exactly one trailing newline, no link/v1.0 import. */
export function normalizeSubgraphSdl(sdl, sourceName) {
  const text = stripLinkSpecLink(sdl.replace(/\r\n?/g, '\n'), sourceName);
  return `${text.trim()}\n`;
}

/** Every @link URL identity (the URL without its version) applied more than once on the schema. */
export function findDuplicateLinks(document) {
  const seen = new Map();
  for (const node of document.definitions.filter(isSchemaNode)) {
    for (const directive of node.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = linkUrl(directive) ?? '';
      const identity = url.replace(/\/v\d+\.\d+$/, '');
      seen.set(identity, [...(seen.get(identity) ?? []), url]);
    }
  }
  return [...seen.entries()].filter(([, urls]) => urls.length > 1).map(([identity, urls]) => ({ identity, urls }));
}

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Composes subgraphs ({ name, url, sdl, file? }) into the supergraph and the public API schema.
 * Input order does not matter. Returns `subgraphs` with each SDL normalized as it is committed,
 * and either `errors` or `supergraphSdl` and `apiSdl` (text ending in one newline).
 */
export function composeSupergraph(subgraphs) {
  const normalized = [];
  const errors = [];
  for (const subgraph of [...subgraphs].sort(byName)) {
    const sourceName = subgraph.file ?? `${subgraph.name}.graphql`;
    try {
      const sdl = normalizeSubgraphSdl(subgraph.sdl, sourceName);
      normalized.push({ ...subgraph, sdl, typeDefs: parse(new Source(sdl, sourceName)) });
    } catch (error) {
      errors.push({ code: 'INVALID_GRAPHQL_SYNTAX', subgraphs: [subgraph.name], coordinates: [], reason: error.message, location: locationOf(error) });
    }
  }
  const committed = normalized.map(({ typeDefs, ...subgraph }) => subgraph);
  if (errors.length > 0) return { subgraphs: committed, errors };

  const services = normalized.map(({ name, url, typeDefs }) => ({ name, url, typeDefs }));
  const result = composeServices(services);
  if (compositionHasErrors(result)) {
    return { subgraphs: committed, errors: result.errors.map((error) => describeCompositionError(error, services)) };
  }

  const supergraphSdl = `${result.supergraphSdl.trimEnd()}\n`;
  const duplicates = findDuplicateLinks(parse(supergraphSdl));
  if (duplicates.length > 0) {
    return {
      subgraphs: committed,
      errors: duplicates.map((d) => ({
        code: 'DUPLICATE_LINK',
        subgraphs: [],
        coordinates: [`@link(url: "${d.identity}/...")`],
        reason: `the supergraph applies @link for ${d.identity} ${d.urls.length} times (${d.urls.join(', ')}); gateways reject duplicate @link applications`,
      })),
    };
  }
  const apiSdl = `${printSchema(lexicographicSortSchema(buildASTSchema(parse(result.publicSdl))))}\n`;
  return { subgraphs: committed, supergraphSdl, apiSdl };
}

function locationOf(error) {
  const node = error.nodes?.[0];
  const source = error.source ?? node?.loc?.source;
  const location = error.locations?.[0];
  if (!source || !location) return undefined;
  return `${source.name}:${location.line}:${location.column}`;
}

const QUOTED = /"([^"]+)"/g;
const COORDINATE = /^@?[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*(\([_A-Za-z][_0-9A-Za-z]*:\))?)?$/;

function definedNames(services) {
  const names = new Set();
  for (const { typeDefs } of services) {
    for (const definition of typeDefs.definitions) {
      if (definition.name) names.add(definition.name.value);
    }
  }
  return names;
}

/**
 * Composition errors name subgraphs and schema coordinates only inside their message; pull them
 * out so every error reads as subgraph + coordinate + reason.
 */
export function describeCompositionError(error, services) {
  const subgraphNames = new Set(services.map((s) => s.name));
  const typeNames = definedNames(services);
  const subgraphs = new Set();
  const coordinates = new Set();
  if (error.extensions?.subgraphName) subgraphs.add(error.extensions.subgraphName);
  const prefixed = /^\[([^\]]+)\]/.exec(error.message);
  if (prefixed && subgraphNames.has(prefixed[1])) subgraphs.add(prefixed[1]);
  for (const [, quoted] of error.message.matchAll(QUOTED)) {
    if (subgraphNames.has(quoted)) subgraphs.add(quoted);
    else if (COORDINATE.test(quoted) && typeNames.has(quoted.replace(/^@/, '').split('.')[0])) coordinates.add(quoted);
  }
  return {
    code: error.extensions?.code ?? 'COMPOSITION_ERROR',
    subgraphs: [...subgraphs],
    coordinates: [...coordinates],
    reason: error.message,
    location: locationOf(error),
  };
}

export function formatCompositionErrors(errors) {
  const lines = [`Composition failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:`];
  for (const error of errors) {
    lines.push('', `  ${error.code}`);
    lines.push(`    subgraph:   ${error.subgraphs.length ? error.subgraphs.join(', ') : '(not named by the composer)'}`);
    lines.push(`    coordinate: ${error.coordinates.length ? error.coordinates.join(', ') : '(not named by the composer)'}`);
    lines.push(`    reason:     ${error.reason}`);
    if (error.location) lines.push(`    at:         ${error.location}`);
  }
  return lines.join('\n');
}
