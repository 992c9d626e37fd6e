// One autocannon measurement: warm-up, then the measured window, then the peak RSS of the target.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

function fire(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * A GraphQL response counts as an error when it is not 2xx, does not parse, or carries `errors`;
 * a mutation's own `errors: []` list of user errors is checked by the workload's verify.
 */
function graphqlOk(verify) {
  return (body) => {
    try {
      const json = JSON.parse(body);
      return json.data != null && json.errors === undefined && (verify ? verify(json) : true);
    } catch {
      return false;
    }
  };
}

/**
 * `uniqueHeader`: a header sent with a value of its own on every request (a dedup-defeated target's, lib/targets.mjs).
 */
export async function measure({ url, headers = {}, workload, connections, warmupSeconds, durationSeconds, onMeasureStart, uniqueHeader }) {
  const base = {
    url,
    connections,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    // A fresh body per request when the workload needs one (placeOrder's idempotency key), a fresh header when asked.
    ...(workload.body || uniqueHeader
      ? {
          body: workload.staticBody,
          requests: [{
            method: 'POST',
            setupRequest: (request) => ({
              ...request,
              ...(workload.body ? { body: workload.body() } : {}),
              ...(uniqueHeader ? { headers: { ...request.headers, [uniqueHeader]: randomUUID() } } : {}),
            }),
          }],
        }
      : { body: workload.staticBody }),
    verifyBody: graphqlOk(workload.verify),
    timeout: 10,
  };
  if (warmupSeconds > 0) await fire({ ...base, duration: warmupSeconds });
  onMeasureStart?.();
  const r = await fire({ ...base, duration: durationSeconds });
  return {
    rps: r.requests.total / durationSeconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    // autocannon counts timeouts among errors; a non-2xx answer also fails verifyBody (a mismatch).
    errors: r.errors + r.mismatches,
    non2xx: r.non2xx,
  };
}
