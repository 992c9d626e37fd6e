// Hive Gateway with both of its in-flight deduplications off: identical incoming requests
// (inboundInflightRequestDeduplication) and identical outgoing subgraph queries
// (@graphql-tools/executor-http's deduplicateInflightRequests, on by default) each run on their own.
import { propagateHeaders } from '../../tools/hive-gateway/subgraph-authorization.mjs';
import { jwt } from './jwt.mjs';

export const gatewayConfig = {
  propagateHeaders,
  jwt,
  inboundInflightRequestDeduplication: false,
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
};
