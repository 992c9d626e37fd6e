#!/bin/sh
# Started by the audit once per test suite ($1 = suite id): our gateway on that suite's supergraph.
# run-audit.sh exports AUDIT_PORT, GATEWAY_PORT, GATEWAY_DLL and AUDIT_WORK.
set -eu
supergraph="$AUDIT_WORK/supergraphs/$1.graphql"
mkdir -p "$AUDIT_WORK/supergraphs"
# Asked for at 127.0.0.1, the audit writes subgraph URLs with that origin, so nothing depends on how localhost
# resolves. Retried: a single-suite run starts this script while the audit is still registering its routes (404).
curl -sSf --retry 30 --retry-all-errors --retry-delay 1 "http://127.0.0.1:$AUDIT_PORT/$1/supergraph" -o "$supergraph"
exec dotnet "$GATEWAY_DLL" --supergraph "$supergraph" --urls "http://127.0.0.1:$GATEWAY_PORT"
