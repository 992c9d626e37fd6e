// Writes a JUnit XML file, the format tools/test-summary.mjs counts, for suites that are not dotnet test or node --test:
// the browser e2e's steps and the smoke stack's checks.
//   import { writeJunit } from './junit.mjs'; writeJunit(path, 'e2e', [{ name, ms, failure }])
//   node tools/junit.mjs OUT.junit.xml SUITE < cases.tsv    (one case a line: name<TAB>failure message, empty if it passed)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const escape = (text) => String(text)
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Writes `cases` ({ name, ms?, failure? }: a failure message marks a failed case) as one JUnit test suite. */
export function writeJunit(path, suite, cases) {
  const failures = cases.filter((c) => c.failure).length;
  const lines = cases.map((c) => {
    const time = ((c.ms ?? 0) / 1000).toFixed(3);
    const open = `    <testcase classname="${escape(suite)}" name="${escape(c.name)}" time="${time}"`;
    return c.failure ? `${open}>\n      <failure message="${escape(c.failure)}"/>\n    </testcase>` : `${open}/>`;
  });
  writeFileSync(path, [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites>`,
    `  <testsuite name="${escape(suite)}" tests="${cases.length}" failures="${failures}">`,
    ...lines,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, suite] = process.argv.slice(2);
  if (!out || !suite) {
    console.error('usage: node tools/junit.mjs OUT.junit.xml SUITE < cases.tsv');
    process.exit(2);
  }
  const cases = readFileSync(0, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [name, failure = ''] = line.split('\t');
    return { name, failure: failure || undefined };
  });
  writeJunit(out, suite, cases);
}
