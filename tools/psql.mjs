// Runs one SQL statement on a stack's PostgreSQL with the psql of the PostgreSQL 15 binaries (FEDERATION_PG_BIN, as
// the test servers use it) and returns its rows, each an array of column texts. Used by the scripts that check a
// stack's databases from outside (tests/scale/replica-kill.mjs, bench/lib/workloads.mjs).
//   import { psql } from '../../tools/psql.mjs'; psql({ port: 16432, database: 'orders', sql: 'SELECT 1' }) -> [['1']]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const bin = process.env.FEDERATION_PG_BIN || '/usr/lib/postgresql/15/bin';

/** Rows of `sql` on 127.0.0.1:`port` as user postgres; a failing statement throws (ON_ERROR_STOP). */
export function psql({ port, database = 'postgres', sql }) {
  const out = execFileSync(join(bin, 'psql'),
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.length > 0).map((line) => line.split('\t'));
}
