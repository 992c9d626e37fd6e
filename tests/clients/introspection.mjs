#!/usr/bin/env node
// Introspects our gateway and Apollo Gateway (same supergraph) with every option combination of graphql-js's
// getIntrospectionQuery, builds a client schema from our answer and compares both answers.
//   node introspection.mjs --ours <url> --apollo <url> --supergraph <file>
// Prints one JSON report on stdout: { combinations: [{ options, errors: [...] }] }; an empty errors list is a pass.
// Deliberate differences (each applied in `comparable` below and named in the report):
//   - Apollo Gateway 2.14 rejects `isOneOf` (its query planner does not know the field), so a combination with
//     `oneOf` is compared with Apollo's answer to the same options without it, and our `isOneOf` values are checked
//     against the input types the supergraph marks @oneOf.
//   - graphql-js 16.15 already answers the directive-deprecation RFC (neither in the specification nor in its
//     working draft): `__Directive.isDeprecated`/`deprecationReason`, `includeDeprecated` on `__Schema.directives`
//     and the DIRECTIVE_DEFINITION location of @deprecated. These are dropped from Apollo's answer.
//   - When the supergraph declares a specified directive itself (composition declares `directive @oneOf` once a
//     subgraph uses it), Apollo Gateway introspects that declaration, which has no description; we keep the
//     specification's description. Only a null description from Apollo is excused this way.
//   - `__schema.types` and `__schema.directives` are compared by name: their order is the schema's internal
//     registration order in both servers and no client reads meaning into it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildClientSchema, getIntrospectionQuery, Kind, parse, validateSchema } from 'graphql';

const { values: args } = parseArgs({
  options: { ours: { type: 'string' }, apollo: { type: 'string' }, supergraph: { type: 'string' } },
});

const OPTIONS = ['descriptions', 'specifiedByUrl', 'directiveIsRepeatable', 'schemaDescription', 'inputValueDeprecation', 'oneOf'];
const DIRECTIVE_DEPRECATION = new Set(['__Directive.isDeprecated', '__Directive.deprecationReason']);

const supergraph = parse(readFileSync(args.supergraph, 'utf8'));
const oneOfTypes = new Set(
  supergraph.definitions
    .filter((d) => d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && d.directives?.some((x) => x.name.value === 'oneOf'))
    .map((d) => d.name.value),
);
const SPECIFIED_DIRECTIVES = new Set(['include', 'skip', 'deprecated', 'specifiedBy', 'oneOf']);
const redeclared = new Set(
  supergraph.definitions
    .filter((d) => d.kind === Kind.DIRECTIVE_DEFINITION && SPECIFIED_DIRECTIVES.has(d.name.value) && !d.description)
    .map((d) => d.name.value),
);

async function introspect(url, options) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery(options), operationName: 'IntrospectionQuery' }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: `HTTP ${response.status}, not JSON: ${text.slice(0, 200)}` };
  }
  if (response.status !== 200 || body.errors?.length || !body.data) {
    return { error: `HTTP ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}` };
  }
  return { data: body.data };
}

// Apollo's answer without the RFC extras graphql-js has beyond the draft.
function withoutDirectiveDeprecation(schema) {
  return {
    ...schema,
    types: schema.types.map((type) =>
      type.name === '__Directive'
        ? { ...type, fields: type.fields.filter((f) => !DIRECTIVE_DEPRECATION.has(`__Directive.${f.name}`)) }
        : type.name === '__Schema'
          ? { ...type, fields: type.fields.map((f) => (f.name === 'directives' ? { ...f, args: f.args.filter((a) => a.name !== 'includeDeprecated') } : f)) }
          : type.name === '__DirectiveLocation'
            ? { ...type, enumValues: type.enumValues.filter((v) => v.name !== 'DIRECTIVE_DEFINITION') }
            : type,
    ),
    directives: schema.directives.map((d) => ({ ...d, locations: d.locations.filter((l) => l !== 'DIRECTIVE_DEFINITION') })),
  };
}

function withRedeclaredDescriptions(apollo, ours) {
  const described = byName(ours.directives);
  return {
    ...apollo,
    directives: apollo.directives.map((d) =>
      redeclared.has(d.name) && d.description === null && described[d.name] ? { ...d, description: described[d.name].description } : d,
    ),
  };
}

function withoutIsOneOf(schema) {
  return { ...schema, types: schema.types.map(({ isOneOf, ...type }) => type) };
}

const byName = (list) => Object.fromEntries(list.map((item) => [item.name, item]));

// Lists of named things are compared by name and, separately, by order (except where order is internal).
function diff(ours, apollo, path, errors, ordered = true) {
  if (Array.isArray(ours) && Array.isArray(apollo) && [...ours, ...apollo].every((x) => x && typeof x === 'object' && 'name' in x)) {
    const a = byName(ours);
    const b = byName(apollo);
    for (const name of Object.keys(b)) if (!(name in a)) errors.push(`${path}: missing ${name}`);
    for (const name of Object.keys(a)) if (!(name in b)) errors.push(`${path}: unexpected ${name}`);
    for (const name of Object.keys(a)) if (name in b) diff(a[name], b[name], `${path}.${name}`, errors);
    const shared = (list, other) => list.map((x) => x.name).filter((n) => n in other);
    if (ordered && shared(ours, b).join() !== shared(apollo, a).join()) {
      errors.push(`${path}: order ${shared(ours, b).join(' ')} instead of ${shared(apollo, a).join(' ')}`);
    }
    return;
  }
  if (ours && apollo && typeof ours === 'object' && typeof apollo === 'object' && !Array.isArray(ours) && !Array.isArray(apollo)) {
    for (const key of new Set([...Object.keys(ours), ...Object.keys(apollo)])) {
      diff(ours[key], apollo[key], `${path}.${key}`, errors, !(path === '__schema' && (key === 'types' || key === 'directives')));
    }
    return;
  }
  if (JSON.stringify(ours) !== JSON.stringify(apollo)) {
    errors.push(`${path}: ${JSON.stringify(ours)} instead of ${JSON.stringify(apollo)}`);
  }
}

const combinations = [];
for (let mask = 0; mask < 1 << OPTIONS.length; mask++) {
  const options = Object.fromEntries(OPTIONS.map((name, i) => [name, (mask & (1 << i)) !== 0]));
  const errors = [];
  const ours = await introspect(args.ours, options);
  const apollo = await introspect(args.apollo, { ...options, oneOf: false });
  if (ours.error) errors.push(`our gateway: ${ours.error}`);
  if (apollo.error) errors.push(`Apollo Gateway: ${apollo.error}`);
  if (!ours.error) {
    try {
      const schema = buildClientSchema(ours.data);
      errors.push(...validateSchema(schema).map((e) => `buildClientSchema: ${e.message}`));
    } catch (error) {
      errors.push(`buildClientSchema: ${error.message}`);
    }
    if (options.oneOf) {
      for (const type of ours.data.__schema.types) {
        const expected = type.kind === 'INPUT_OBJECT' ? oneOfTypes.has(type.name) : null;
        if (type.isOneOf !== expected) errors.push(`__schema.types.${type.name}.isOneOf: ${type.isOneOf} instead of ${expected}`);
      }
    }
  }
  if (!ours.error && !apollo.error) {
    const expected = withRedeclaredDescriptions(withoutDirectiveDeprecation(apollo.data.__schema), ours.data.__schema);
    diff(withoutIsOneOf(ours.data.__schema), expected, '__schema', errors);
  }
  combinations.push({ options, errors });
}

process.stdout.write(`${JSON.stringify({ combinations })}\n`);
