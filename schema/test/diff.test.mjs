import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkspace } from './workspace.mjs';

/** A git repository whose HEAD commits the API schema composed from the valid fixtures. */
function committedWorkspace(t) {
  const ws = createWorkspace(t);
  ws.git('init', '-q');
  ws.git('config', 'user.email', 'schema-tests@example.invalid');
  ws.git('config', 'user.name', 'schema tests');
  ws.git('config', 'commit.gpgsign', 'false');
  ws.write('README.md', 'before the schema existed\n');
  ws.git('add', 'README.md');
  ws.git('commit', '-q', '-m', 'no schema yet');
  assert.equal(ws.run('compose', '--from', ws.sdl).code, 0);
  ws.git('add', 'schema');
  ws.git('commit', '-q', '-m', 'schema');
  return ws;
}

function recompose(ws) {
  const result = ws.run('compose', '--from', ws.sdl);
  assert.equal(result.code, 0, result.output);
}

test('diff_Should_FailNamingTheChange_When_AFixtureSubgraphRemovesAField', (t) => {
  // arrange
  const ws = committedWorkspace(t);
  ws.edit('sdl/catalog.graphql', '  description: String\n', '');
  recompose(ws);

  // act
  const result = ws.run('diff', 'HEAD');

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stdout, /breaking \(1\):\n {2}✖ FIELD_REMOVED Product\.description: Field 'description' was removed from object type 'Product'/);
  assert.match(result.stderr, /1 breaking change\(s\) are not acknowledged/);
});

test('diff_Should_Pass_When_TheBreakingChangeIsAcknowledged', (t) => {
  // arrange
  const ws = committedWorkspace(t);
  ws.edit('sdl/catalog.graphql', '  description: String\n', '');
  recompose(ws);
  ws.write('schema/breaking-changes.acknowledged.json', JSON.stringify([
    { coordinate: 'Product.description', change: 'FIELD_REMOVED', reason: 'the web app never shipped a query for it' },
  ]));

  // act
  const result = ws.run('diff', 'HEAD');

  // assert
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /✖ FIELD_REMOVED Product\.description: [^\n]+\n {6}acknowledged: the web app never shipped a query for it/);
});

test('diff_Should_Fail_When_TheAcknowledgementNamesAnotherChangeType', (t) => {
  // arrange
  const ws = committedWorkspace(t);
  ws.edit('sdl/catalog.graphql', '  description: String\n', '');
  recompose(ws);
  ws.write('schema/breaking-changes.acknowledged.json', JSON.stringify([
    { coordinate: 'Product.description', change: 'FIELD_TYPE_CHANGED', reason: 'a different change' },
  ]));

  // act
  const result = ws.run('diff', 'HEAD');

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stdout, /note: acknowledgement FIELD_TYPE_CHANGED Product\.description matches no breaking change/);
});

test('diff_Should_ClassifySafeAndDangerousChanges_When_NothingBreaks', (t) => {
  // arrange
  const ws = committedWorkspace(t);
  ws.edit('sdl/inventory.graphql', '  available: Int!\n', '  available: Int!\n  incoming: Int\n');
  ws.edit('sdl/catalog.graphql', '  categories: [Category!]!\n', '  categories: [Category!]!\n  productsBy(ids: [ID!]!): [Product]!\n');
  ws.edit('sdl/catalog.graphql', '  products(first: Int = 20): [Product!]!', '  products(first: Int = 50): [Product!]!');
  recompose(ws);

  // act
  const result = ws.run('diff', 'HEAD');

  // assert
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /dangerous \(1\):\n {2}⚠ FIELD_ARGUMENT_DEFAULT_CHANGED Category\.products\.first: /);
  assert.match(result.stdout, /safe \(3\):\n {2}✔ FIELD_ADDED Query\.productsBy: [^\n]+\n {2}✔ FIELD_ARGUMENT_ADDED Query\.productsBy\.ids: [^\n]+\n {2}✔ FIELD_ADDED Stock\.incoming: /);
  assert.doesNotMatch(result.stdout, /breaking/);
});

test('diff_Should_PassWithANote_When_TheRefHasNoApiSchema', (t) => {
  // arrange
  const ws = committedWorkspace(t);

  // act
  const result = ws.run('diff', 'HEAD~1');

  // assert
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /note: HEAD~1 has no schema\/api\.graphql; nothing to compare/);
});

test('diff_Should_ExitWithUsageError_When_TheRefDoesNotExist', (t) => {
  // arrange
  const ws = committedWorkspace(t);

  // act
  const result = ws.run('diff', 'no-such-branch');

  // assert
  assert.equal(result.code, 2, result.output);
  assert.match(result.stderr, /"no-such-branch" is not a commit/);
});

test('diff_Should_ExitWithUsageError_When_AnAcknowledgementHasNoReason', (t) => {
  // arrange
  const ws = committedWorkspace(t);
  ws.write('schema/breaking-changes.acknowledged.json', JSON.stringify([{ coordinate: 'Product.description' }]));

  // act
  const result = ws.run('diff', 'HEAD');

  // assert
  assert.equal(result.code, 2, result.output);
  assert.match(result.stderr, /non-empty reason/);
});
