// Dedup defeated (issue 19): every request carries its own x-bench-request-id (DEFEAT_HEADER in lib/targets.mjs), which
// this forwards to the subgraphs, so no two in-flight subgraph queries are identical and the HTTP transport's sharing
// (on, as by default) finds nothing to share. Incoming-request sharing is off: whether its key includes that header is
// not documented, and every request differs anyway.
import { propagateHeaders } from '../../tools/hive-gateway/subgraph-authorization.mjs';
import { jwt } from './jwt.mjs';

const DEFEAT_HEADER = 'x-bench-request-id';

export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs(payload) {
      return { ...propagateHeaders.fromClientToSubgraphs(payload), [DEFEAT_HEADER]: payload.request.headers.get(DEFEAT_HEADER) };
    },
  },
  jwt,
  inboundInflightRequestDeduplication: false,
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: true } } },
};
