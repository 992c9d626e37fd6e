// Hive Gateway as the tests' second oracle: defaults, plus the subgraphs' internal tokens (subgraph-authorization.mjs).
import { propagateHeaders } from './subgraph-authorization.mjs';

export const gatewayConfig = { propagateHeaders };
