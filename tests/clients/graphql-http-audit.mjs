// node graphql-http-audit.mjs <url>: runs every check of graphql-http's auditServer against the GraphQL endpoint at <url> and prints
// one JSON object: {"total": n, "notOk": n, "results": [{"id", "name", "status", "reason"}]}. Exit code 1 when a check
// is not "ok" (warnings count: the suite requires all of them), 2 when the audit could not run. With AUDIT_AUTHORIZATION set,
// every request carries it as its Authorization header (a subgraph answers only requests with the gateway's internal token).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node graphql-http-audit.mjs <url>');
  process.exit(2);
}

try {
  const authorization = process.env.AUDIT_AUTHORIZATION;
  const fetchFn = authorization
    ? (input, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', authorization);
        return fetch(input, { ...init, headers });
      }
    : undefined;
  const results = await auditServer({ url, ...(fetchFn ? { fetchFn } : {}) });
  const report = results.map(({ id, name, status, reason }) => ({ id, name, status, ...(reason ? { reason } : {}) }));
  const notOk = report.filter((r) => r.status !== 'ok').length;
  console.log(JSON.stringify({ total: report.length, notOk, results: report }));
  process.exit(notOk === 0 ? 0 : 1);
} catch (error) {
  console.error(error);
  process.exit(2);
}
