// Shared by the *.test.mjs files: a throwaway repository root and the real CLI run against it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const cli = join(here, '..', 'cli.mjs');
export const fixtures = join(here, 'fixtures');

const SUBGRAPHS = [
  { name: 'catalog', project: 'subgraphs/Catalog', url: 'http://127.0.0.1:4002/graphql' },
  { name: 'inventory', project: 'subgraphs/Inventory', url: 'http://127.0.0.1:4003/graphql' },
];

/** A temporary repo root with schema/subgraphs.json and an editable copy of a fixture SDL set. */
export function createWorkspace(t, fixture = 'valid') {
  const root = mkdtempSync(join(tmpdir(), 'federation-schema-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'schema'));
  writeFileSync(join(root, 'schema', 'subgraphs.json'), `${JSON.stringify(SUBGRAPHS, null, 2)}\n`);
  const sdl = join(root, 'sdl');
  cpSync(join(fixtures, fixture), sdl, { recursive: true });
  return {
    root,
    sdl,
    run: (...args) => runCli(['--root', root, ...args]),
    read: (path) => readFileSync(join(root, path), 'utf8'),
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    /** Replaces text in a file and fails loudly when the text is not there. */
    edit(path, from, to) {
      const text = readFileSync(join(root, path), 'utf8');
      if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
      writeFileSync(join(root, path), text.replace(from, to));
    },
    git: (...args) => {
      const result = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    },
  };
}

export function runCli(args) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}
