import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDocuments } from '../lib/operations.mjs';
import { createWorkspace } from './workspace.mjs';

const PRODUCT_PAGE = `import { gql, useQuery } from '@apollo/client';
import { PRODUCT_CARD } from './fragments';

export const PRODUCT_PAGE = gql\`
  query ProductPage($id: ID!) {
    product(id: $id) {
      ...ProductCard
      description
      stock { available }
    }
  }
  \${PRODUCT_CARD}
\`;
`;

const FRAGMENTS = `import { gql } from '@apollo/client';

export const PRODUCT_CARD = gql\`
  fragment ProductCard on Product {
    id
    name
    price
  }
\`;
`;

const CATEGORIES = `query Categories {
  categories {
    id
    name
    products(first: 5) { ...ProductCard }
  }
}
`;

function workspaceWithWebApp(t) {
  const ws = createWorkspace(t);
  ws.write('web/src/product/ProductPage.tsx', PRODUCT_PAGE);
  ws.write('web/src/product/fragments.ts', FRAGMENTS);
  ws.write('web/src/categories/Categories.graphql', CATEGORIES);
  ws.write('web/src/main.tsx', "console.log('no documents here');\n");
  return ws;
}

function compose(ws) {
  const result = ws.run('compose', '--from', ws.sdl);
  assert.equal(result.code, 0, result.output);
}

test('operations_Should_PassWithANote_When_TheWebAppDoesNotExist', (t) => {
  // arrange
  const ws = createWorkspace(t);
  compose(ws);

  // act
  const result = ws.run('operations');

  // assert
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /note: web\/src does not exist yet: no operations to check/);
});

test('operations_Should_Pass_When_EveryOperationMatchesTheApiSchema', (t) => {
  // arrange
  const ws = workspaceWithWebApp(t);
  compose(ws);

  // act
  const result = ws.run('operations');

  // assert
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /2 operation\(s\) and 1 fragment\(s\) are valid/);
});

test('operations_Should_FailNamingOperationAndFile_When_AnOperationUsesARemovedField', (t) => {
  // arrange
  const ws = workspaceWithWebApp(t);
  ws.edit('sdl/catalog.graphql', '  description: String\n', '');
  compose(ws);

  // act
  const result = ws.run('operations');

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /query "ProductPage" in web\/src\/product\/ProductPage\.tsx\n {4}reason: Cannot query field "description" on type "Product"\.\n {4}at: {5}web\/src\/product\/ProductPage\.tsx:8:7/);
});

test('operations_Should_NameTheFragmentFile_When_AFragmentUsesARemovedField', (t) => {
  // arrange
  const ws = workspaceWithWebApp(t);
  ws.edit('sdl/catalog.graphql', '  price: Decimal!\n', '');
  ws.edit('sdl/catalog.graphql', 'scalar Decimal\n', '');
  compose(ws);

  // act
  const result = ws.run('operations');

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /query "ProductPage" in web\/src\/product\/ProductPage\.tsx\n {4}reason: Cannot query field "price" on type "Product"\.\n {4}at: {5}web\/src\/product\/fragments\.ts:7:5/);
  assert.match(result.stderr, /query "Categories" in web\/src\/categories\/Categories\.graphql\n {4}reason: Cannot query field "price"/);
});

test('operations_Should_FailNamingTheFile_When_ADocumentDoesNotParse', (t) => {
  // arrange
  const ws = workspaceWithWebApp(t);
  ws.write('web/src/broken.graphql', 'query Broken {\n  categories {\n');
  compose(ws);

  // act
  const result = ws.run('operations');

  // assert
  assert.equal(result.code, 1, result.output);
  assert.match(result.stderr, /document in web\/src\/broken\.graphql\n {4}reason: Syntax Error: Expected Name, found <EOF>\.\n {4}at: {5}web\/src\/broken\.graphql:3:1/);
});

test('extractDocuments_Should_FindEveryTaggedTemplate_When_AFileMixesStyles', () => {
  // arrange
  const text = 'const a = gql`query A { a }`;\nconst b = graphql(`\n  query B { b }\n`);\nconst c = /* GraphQL */ `query C { c }`;\nconst d = `query D { d }`;\n';

  // act
  const sources = extractDocuments(text, 'web/src/x.ts');

  // assert
  assert.deepEqual(sources.map((s) => [s.body.trim(), s.locationOffset.line, s.locationOffset.column]), [
    ['query A { a }', 1, 15],
    ['query B { b }', 2, 20],
    ['query C { c }', 5, 26],
  ]);
});
