import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createWorkspace } from './workspace.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const gatewayDir = join(repoRoot, 'tools', 'apollo-gateway');
const notInstalled = existsSync(join(gatewayDir, 'node_modules', '@apollo', 'gateway'))
  ? false
  : 'tools/apollo-gateway is not installed (npm ci --prefix tools/apollo-gateway)';

/** Starts Apollo Gateway on the supergraph, sends `{ __typename }`, and always stops it. */
async function queryThroughApolloGateway(t, supergraph) {
  const child = spawn(process.execPath, [join(gatewayDir, 'server.mjs'), '--supergraph', supergraph, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`Apollo Gateway did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /^listening (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Apollo Gateway exited with ${code}: ${stderr}`));
    });
  });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  return response.json();
}

test('supergraph_Should_BeAcceptedByApolloGateway_When_ComposedFromFixtures', { skip: notInstalled }, async (t) => {
  // arrange
  const ws = createWorkspace(t);
  const composed = ws.run('compose', '--from', ws.sdl);
  assert.equal(composed.code, 0, composed.output);

  // act
  const body = await queryThroughApolloGateway(t, join(ws.root, 'schema', 'supergraph.graphql'));

  // assert
  assert.deepEqual(body, { data: { __typename: 'Query' } });
});

test('supergraph_Should_BeAcceptedByApolloGateway_When_Committed', { skip: notInstalled }, async (t) => {
  // arrange
  const supergraph = join(repoRoot, 'schema', 'supergraph.graphql');
  assert.ok(existsSync(supergraph), 'schema/supergraph.graphql is committed');

  // act
  const body = await queryThroughApolloGateway(t, supergraph);

  // assert
  assert.deepEqual(body, { data: { __typename: 'Query' } });
});
