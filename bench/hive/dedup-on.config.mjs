// Both deduplications on: identical in-flight requests share one execution (the gateways-benchmark's
// published Hive setting) and identical in-flight subgraph queries share one fetch (Hive's default).
import { propagateHeaders } from '../../tools/hive-gateway/subgraph-authorization.mjs';
import { jwt } from './jwt.mjs';

export const gatewayConfig = {
  propagateHeaders,
  jwt,
  inboundInflightRequestDeduplication: true,
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: true } } },
};
