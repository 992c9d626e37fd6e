// Static per-subgraph Authorization headers for Hive Gateway, from SUBGRAPH_AUTHORIZATION (environment, a JSON object
// {"<subgraph>": "Bearer <token>"}): Federation's subgraphs answer only requests carrying an internal token
// (docs/architecture.md, "Security"), which the tests and the benchmark mint for the gateways they compare with.
const tokens = process.env.SUBGRAPH_AUTHORIZATION ? JSON.parse(process.env.SUBGRAPH_AUTHORIZATION) : {};

export const propagateHeaders = {
  fromClientToSubgraphs({ subgraphName }) {
    const authorization = tokens[subgraphName];
    return authorization ? { authorization } : {};
  },
};
