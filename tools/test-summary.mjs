// Prints the number of tests run, passed and failed from the TRX (dotnet test) and JUnit (node --test)
// files in a results folder, ending with the plain line "N passed, N failed"; exits 1 when any test failed or none ran.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const rows = [];
for (const file of readdirSync(dir).sort()) {
  // dotnet test's blame collector leaves folders beside the result files.
  if (!(file.endsWith('.trx') || file.endsWith('.junit.xml')) || !statSync(join(dir, file)).isFile()) continue;
  const text = readFileSync(join(dir, file), 'utf8');
  if (file.endsWith('.trx')) {
    const counters = text.match(/<Counters\s[^>]*>/)?.[0] ?? '';
    const attr = (name) => Number(counters.match(new RegExp(`\\b${name}="(\\d+)"`))?.[1] ?? 0);
    const name = text.match(/<UnitTest [^>]*storage="([^"]+)"/)?.[1]?.split('/').pop()?.replace(/\.dll$/i, '') ?? file;
    rows.push({ name, total: attr('total'), passed: attr('passed'), failed: attr('failed') + attr('error') + attr('timeout') + attr('aborted') });
  } else if (file.endsWith('.junit.xml')) {
    const cases = text.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
    const failed = cases.filter((c) => /<failure\b/.test(c)).length;
    const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
    rows.push({ name: file.replace(/\.junit\.xml$/, ''), total: cases.length, passed: cases.length - failed - skipped, failed });
  }
}
const total = rows.reduce((a, r) => ({ total: a.total + r.total, passed: a.passed + r.passed, failed: a.failed + r.failed }), { total: 0, passed: 0, failed: 0 });
for (const r of rows) console.log(`   ${r.name.padEnd(32)} ${String(r.total).padStart(5)} tests  ${String(r.passed).padStart(5)} passed  ${String(r.failed).padStart(3)} failed`);
console.log(`   ${'TOTAL'.padEnd(32)} ${String(total.total).padStart(5)} tests  ${String(total.passed).padStart(5)} passed  ${String(total.failed).padStart(3)} failed`);
// The plain closing line CI reads for the count.
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 || total.total === 0 ? 1 : 0);
