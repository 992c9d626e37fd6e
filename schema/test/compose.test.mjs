import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stripLinkSpecLink } from '../lib/compose.mjs';
import { createWorkspace, fixtures } from './workspace.mjs';

const LINK_V1 = 'https://specs.apollo.dev/link/v1.0';
const expected = (name) => readFileSync(join(fixtures, '..', 'expected', name), 'utf8');

test('compose_Should_WriteSubgraphsSupergraphAndApiSchema_When_SubgraphsCompose', (t) => {
  // arrange
  const ws = createWorkspace(t);

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 0, result.output);
  // Golden files: a change here is a change of every committed contract; update them deliberately.
  assert.equal(ws.read('schema/supergraph.graphql'), expected('valid.supergraph.graphql'));
  assert.equal(ws.read('schema/api.graphql'), expected('valid.api.graphql'));
  assert.equal(ws.read('schema/subgraphs/inventory.graphql'), readFileSync(join(ws.sdl, 'inventory.graphql'), 'utf8').replace(/ @link\(import: \["@link"\], url: "[^"]+"\)/, ''));
});

test('compose_Should_KeepOneLinkSpecLink_When_SubgraphsImportLinkThemselves', (t) => {
  // arrange
  const ws = createWorkspace(t);
  assert.ok(ws.read('sdl/catalog.graphql').includes(LINK_V1));

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 0, result.output);
  assert.ok(!ws.read('schema/subgraphs/catalog.graphql').includes(LINK_V1));
  assert.equal(ws.read('schema/supergraph.graphql').split(`@link(url: "${LINK_V1}"`).length - 1, 1);
  assert.ok(!ws.read('schema/api.graphql').includes('internalSku'), '@inaccessible fields stay out of the API schema');
});

test('compose_Should_WriteIdenticalBytes_When_SubgraphListOrderChanges', (t) => {
  // arrange
  const ws = createWorkspace(t);
  assert.equal(ws.run('compose', '--from', ws.sdl).code, 0);
  const first = ws.read('schema/supergraph.graphql') + ws.read('schema/api.graphql');
  ws.write('schema/subgraphs.json', `${JSON.stringify(JSON.parse(ws.read('schema/subgraphs.json')).reverse())}\n`);

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 0, result.output);
  assert.equal(ws.read('schema/supergraph.graphql') + ws.read('schema/api.graphql'), first);
});

test('compose_Should_FailNamingSubgraphsAndCoordinate_When_TwoSubgraphsResolveANonShareableField', (t) => {
  // arrange
  const ws = createWorkspace(t, 'conflict');

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /INVALID_FIELD_SHARING\n {4}subgraph: {3}catalog, inventory\n {4}coordinate: Product\.name\n {4}reason: {5}Non-shareable field "Product\.name"/);
  assert.match(result.stderr, /FIELD_TYPE_MISMATCH\n {4}subgraph: {3}catalog, inventory\n {4}coordinate: Product\.price/);
  assert.throws(() => ws.read('schema/supergraph.graphql'), /ENOENT/);
});

test('compose_Should_RequireEverySubgraphsScopes_When_ShareableFieldHasDifferentRequiresScopes', (t) => {
  // arrange: each subgraph guards the field it shares with its own scopes
  const ws = createWorkspace(t);
  for (const [name, scopes] of [['catalog', '[["shipping"]]'], ['inventory', '[["admin"], ["ops"]]']]) {
    ws.edit(`sdl/${name}.graphql`, '"@override", "@tag"], url: "https://specs.apollo.dev/federation/v2.3"', '"@override", "@tag", "@requiresScopes"], url: "https://specs.apollo.dev/federation/v2.5"');
    ws.edit(`sdl/${name}.graphql`, 'type Product @key(fields: "id") {\n  id: ID!\n', `type Product @key(fields: "id") {\n  id: ID!\n  weightGrams: Int @shareable @requiresScopes(scopes: ${scopes})\n`);
  }

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert: one requirement, both subgraphs' sets combined with AND (every pair), as Apollo composition merges them;
  // the gateway's enforcement of this very file is tested in tests/Gateway.Tests (ComposedScopesTests).
  assert.equal(result.code, 0, result.output);
  const supergraph = ws.read('schema/supergraph.graphql');
  assert.match(supergraph, /weightGrams: Int @requiresScopes\(scopes: \[\["admin", "shipping"\], \["ops", "shipping"\]\]\)\n/);
  assert.equal(supergraph, expected('scopes.supergraph.graphql'));
});

test('compose_Should_FailNamingSubgraphAndLocation_When_SdlDoesNotParse', (t) => {
  // arrange
  const ws = createWorkspace(t);
  ws.edit('sdl/inventory.graphql', '  reserved: Int!', '  reserved: Int!!');

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /INVALID_GRAPHQL_SYNTAX\n {4}subgraph: {3}inventory\n[\s\S]*at: {9}schema\/subgraphs\/inventory\.graphql:\d+:\d+/);
});

test('stripLinkSpecLink_Should_RemoveOnlyTheLinkSpecImport_When_SchemaHasSeveralLinks', () => {
  // arrange
  const sdl = 'schema\n  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n  @link(url: "https://specs.apollo.dev/link/v1.0", import: ["@link"]) {\n  query: Query\n}\n\ntype Query {\n  a: Int\n}\n';

  // act
  const stripped = stripLinkSpecLink(sdl);

  // assert
  assert.equal(stripped, 'schema\n  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) {\n  query: Query\n}\n\ntype Query {\n  a: Int\n}\n');
});

test('stripLinkSpecLink_Should_DropTheExtension_When_ItOnlyImportedLink', () => {
  // arrange
  const sdl = 'extend schema @link(url: "https://specs.apollo.dev/link/v1.0")\n\ntype Query {\n  a: Int\n}\n';

  // act
  const stripped = stripLinkSpecLink(sdl);

  // assert
  assert.equal(stripped, '\n\ntype Query {\n  a: Int\n}\n');
});

test('compose_Should_ComposeEventDrivenSubgraphAndKeepItsDirective_When_SchemaEventsHoldsSdl', (t) => {
  // arrange
  const ws = createWorkspace(t);
  ws.write('schema/events/events.graphql', `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@composeDirective"])
  @link(url: "https://federation.example/kafka/v0.1", import: ["@kafkaSubscribe"])
  @composeDirective(name: "@kafkaSubscribe")

directive @kafkaSubscribe(topic: String!, events: [String!]!, key: String!, filter: [String!], owner: String, current: Boolean) on FIELD_DEFINITION

type Subscription {
  stockChanged(productId: ID): Product! @kafkaSubscribe(topic: "inventory.stock.v1", events: ["StockChanged"], key: "productId", filter: ["productId=productId"])
}

type Product @key(fields: "id", resolvable: false) {
  id: ID!
}
`);

  // act
  const result = ws.run('compose', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 0, result.output);
  const supergraph = ws.read('schema/supergraph.graphql');
  assert.match(supergraph, /EVENTS @join__graph\(name: "events", url: "kafka:\/\/events"\)/);
  assert.match(supergraph, /stockChanged\(productId: ID\): Product! @kafkaSubscribe\(/);
  assert.match(ws.read('schema/api.graphql'), /type Subscription \{\n {2}stockChanged\(productId: ID\): Product!\n\}/);
  assert.throws(() => ws.read('schema/subgraphs/events.graphql'), /ENOENT/, 'the file in schema/events is the contract; no copy is printed');
  assert.equal(ws.run('check', '--from', ws.sdl).code, 0);
});
