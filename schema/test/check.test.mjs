import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkspace } from './workspace.mjs';

function composedWorkspace(t) {
  const ws = createWorkspace(t);
  const composed = ws.run('compose', '--from', ws.sdl);
  assert.equal(composed.code, 0, composed.output);
  return ws;
}

test('check_Should_Pass_When_CommittedContractsMatchTheCode', (t) => {
  // arrange
  const ws = composedWorkspace(t);

  // act
  const result = ws.run('check', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /schema check passed: .*schema\/supergraph\.graphql, schema\/api\.graphql match the code/);
});

test('check_Should_FailWithUnifiedDiff_When_TheCodeDropsAField', (t) => {
  // arrange
  const ws = composedWorkspace(t);
  ws.edit('sdl/catalog.graphql', '  description: String\n', '');

  // act
  const result = ws.run('check', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /--- a\/schema\/subgraphs\/catalog\.graphql\tcommitted\n\+\+\+ b\/schema\/subgraphs\/catalog\.graphql\tproduced by the code\n@@[^\n]+@@\n(?: [^\n]*\n)+- {2}description: String\n/);
  assert.match(result.stderr, /--- a\/schema\/api\.graphql\tcommitted\n[\s\S]*\n- {2}description: String\n/);
  assert.match(result.stderr, /schema check failed: 3 contract file\(s\) differ/);
  assert.ok(ws.read('schema/api.graphql').includes('description: String'), 'check never writes');
});

test('check_Should_Fail_When_ACommittedContractWasEditedByHand', (t) => {
  // arrange
  const ws = composedWorkspace(t);
  ws.edit('schema/supergraph.graphql', 'reserved: Int!', 'reserved: Int');

  // act
  const result = ws.run('check', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /-  reserved: Int\n\+  reserved: Int!\n/);
  assert.match(result.stderr, /1 contract file\(s\) differ/);
});

test('check_Should_Fail_When_ASubgraphFileIsMissingOrNoLongerListed', (t) => {
  // arrange
  const ws = composedWorkspace(t);
  ws.write('schema/subgraphs/reviews.graphql', 'type Query {\n  reviews: [String!]!\n}\n');
  ws.write('schema/subgraphs/inventory.graphql', '');

  // act
  const result = ws.run('check', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /\+\+\+ b\/schema\/subgraphs\/inventory\.graphql\tproduced by the code/);
  assert.match(result.stderr, /\+\+\+ b\/schema\/subgraphs\/reviews\.graphql\tnot in schema\/subgraphs\.json\n@@[^\n]+@@\n-type Query \{/);
});

test('check_Should_FailWithCompositionErrors_When_SubgraphsNoLongerCompose', (t) => {
  // arrange
  const ws = composedWorkspace(t);
  ws.edit('sdl/inventory.graphql', '  stock: Stock!\n', '  stock: Stock!\n  name: String!\n');

  // act
  const result = ws.run('check', '--from', ws.sdl);

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /INVALID_FIELD_SHARING\n {4}subgraph: {3}catalog, inventory\n {4}coordinate: Product\.name/);
});
