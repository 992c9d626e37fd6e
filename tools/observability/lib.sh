# shellcheck shell=bash
# Observability backends without Docker, as background processes like tools/infra/lib.sh (which it needs): the
# standalone .NET Aspire Dashboard (OTLP receiver and UI for traces, metrics and structured logs) and Prometheus
# (scrapes every process's /metrics, evaluates observability/prometheus/rules). Source it (set -euo pipefail safe):
#
#   source tools/infra/lib.sh; source tools/observability/lib.sh
#   obs_install_prereqs                                      # apt-get prometheus if missing
#   obs_dashboard_start "$state/aspire-dashboard" 18888 18889   # restores the pinned package on first use; prints the OTLP endpoint
#   obs_prometheus_config "$state/prometheus/prometheus.yml" 5s gateway=127.0.0.1:4000 catalog=127.0.0.1:4002 ...
#   obs_prometheus_start "$state/prometheus" 9090 "$state/prometheus/prometheus.yml"   # prints the URL
#   obs_prometheus_wait_healthy http://127.0.0.1:9090 8 60  # every one of 8 targets up and every rule group loaded
#   obs_prometheus_stop "$state/prometheus"; obs_dashboard_stop "$state/aspire-dashboard"
#
# Environment: OBS_DASHBOARD_DIR (a folder holding Aspire.Dashboard; default: the restored NuGet package).

OBS_RULES_DIR="$INFRA_REPO_ROOT/observability/prometheus/rules"
OBS_DASHBOARD_PROJECT="$INFRA_REPO_ROOT/tools/observability/AspireDashboard.csproj"

_obs_log() { printf '[observability] %s\n' "$*" >&2; }

obs_install_prereqs() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
  local sudo=()
  _infra_is_root || sudo=(sudo)
  _obs_log "installing prometheus"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends prometheus >/dev/null
}

# prints the folder holding the Aspire.Dashboard executable, restoring the package pinned in AspireDashboard.csproj
_obs_dashboard_dir() {
  if [ -n "${OBS_DASHBOARD_DIR:-}" ]; then
    printf '%s\n' "$OBS_DASHBOARD_DIR"
    return 0
  fi
  local assets="${OBS_DASHBOARD_PROJECT%/*}/obj/project.assets.json" dir=""
  if [ -f "$assets" ]; then dir="$(_obs_dashboard_dir_from_assets "$assets")"; fi
  if [ -z "$dir" ] || [ ! -x "$dir/Aspire.Dashboard" ]; then
    _obs_log "restoring the Aspire Dashboard package"
    dotnet restore "$OBS_DASHBOARD_PROJECT" --nologo -v q >&2
    dir="$(_obs_dashboard_dir_from_assets "$assets")"
  fi
  [ -x "$dir/Aspire.Dashboard" ] || { _obs_log "no Aspire.Dashboard in '$dir' after restore"; return 1; }
  printf '%s\n' "$dir"
}

# The assets file names the package folder restore used (NUGET_PACKAGES, nuget.config or ~/.nuget/packages).
_obs_dashboard_dir_from_assets() {
  node -e '
    const assets = require(process.argv[1]);
    const download = Object.values(assets.project.frameworks)[0].downloadDependencies
      .find((d) => d.name === "Aspire.Dashboard.Sdk.linux-x64");
    const version = download.version.replace(/[\[\]]/g, "").split(",")[0].trim();
    const folder = Object.keys(assets.packageFolders)[0];
    console.log(require("path").join(folder, download.name.toLowerCase(), version, "tools"));
  ' "$1"
}

_obs_wait_http() { # url seconds log name
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    if ((SECONDS >= deadline)); then
      _obs_log "$4 did not answer $1 within $2 s:"
      tail -n 30 "$3" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

obs_dashboard_start() {
  local dir="${1:?usage: obs_dashboard_start <dir> <ui-port> <otlp-port>}" ui="${2:?usage: obs_dashboard_start <dir> <ui-port> <otlp-port>}" otlp="${3:?usage: obs_dashboard_start <dir> <ui-port> <otlp-port>}"
  local tools
  tools="$(_obs_dashboard_dir)"
  mkdir -p "$dir"
  if ! _infra_pid_is "$(cat "$dir/dashboard.pid" 2>/dev/null || true)" Aspire.Dashboard; then
    (
      # The dashboard serves its UI from the package's wwwroot, relative to the working folder.
      cd "$tools"
      # A local, loopback-only backend: no sign-in for the UI or for OTLP senders.
      ASPNETCORE_URLS="http://127.0.0.1:$ui" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$otlp" \
        ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true DOTNET_CLI_TELEMETRY_OPTOUT=1 \
        setsid nohup ./Aspire.Dashboard </dev/null >"$dir/dashboard.log" 2>&1 &
      printf '%s\n' "$!" >"$dir/dashboard.pid"
    )
  fi
  _obs_wait_http "http://127.0.0.1:$ui/health" 60 "$dir/dashboard.log" "the Aspire Dashboard" || { obs_dashboard_stop "$dir"; return 1; }
  printf 'http://127.0.0.1:%s\n' "$otlp"
}

obs_dashboard_stop() {
  local dir="${1:?usage: obs_dashboard_stop <dir>}"
  _infra_stop_pidfile "$dir/dashboard.pid" Aspire.Dashboard
}

# writes a Prometheus config scraping /metrics of each name=host:port (the job label is the name) with the committed rules
obs_prometheus_config() {
  local file="${1:?usage: obs_prometheus_config <file> <interval> name=host:port[,host:port]...}" interval="${2:?usage: obs_prometheus_config <file> <interval> name=host:port[,host:port]...}"
  shift 2
  mkdir -p "$(dirname "$file")"
  {
    printf '# Written by ./federation up (tools/observability/lib.sh); the rules are the committed ones.\n'
    printf 'global:\n  scrape_interval: %s\n  evaluation_interval: %s\n' "$interval" "$interval"
    printf 'rule_files:\n  - %s/*.yml\n' "$OBS_RULES_DIR"
    printf 'scrape_configs:\n'
    local target
    for target in "$@"; do
      # name=host:port,host:port: one job over a service's replicas.
      local hosts="${target#*=}"
      printf '  - job_name: %s\n    static_configs: [{ targets: ["%s"] }]\n' "${target%%=*}" "${hosts//,/\", \"}"
    done
  } >"$file"
}

obs_prometheus_start() {
  local dir="${1:?usage: obs_prometheus_start <dir> <port> <config>}" port="${2:?usage: obs_prometheus_start <dir> <port> <config>}" config="${3:?usage: obs_prometheus_start <dir> <port> <config>}"
  command -v prometheus >/dev/null 2>&1 || { _obs_log "prometheus is missing (run obs_install_prereqs)"; return 1; }
  mkdir -p "$dir/data"
  if ! _infra_pid_is "$(cat "$dir/prometheus.pid" 2>/dev/null || true)" prometheus; then
    setsid nohup prometheus --config.file="$config" --storage.tsdb.path="$dir/data" --storage.tsdb.retention.time=2d \
      --web.listen-address="127.0.0.1:$port" </dev/null >"$dir/prometheus.log" 2>&1 &
    printf '%s\n' "$!" >"$dir/prometheus.pid"
  fi
  _obs_wait_http "http://127.0.0.1:$port/-/ready" 60 "$dir/prometheus.log" Prometheus || { obs_prometheus_stop "$dir"; return 1; }
  printf 'http://127.0.0.1:%s\n' "$port"
}

obs_prometheus_stop() {
  local dir="${1:?usage: obs_prometheus_stop <dir>}"
  _infra_stop_pidfile "$dir/prometheus.pid" prometheus
}

# Waits until Prometheus at $1 reports exactly $2 targets, every one up, and has loaded rule groups that all
# evaluate without error; prints one line about them, or the targets that are not up after $3 seconds.
obs_prometheus_wait_healthy() {
  local url="${1:?usage: obs_prometheus_wait_healthy <url> <targets> <seconds>}" expected="${2:?}" seconds="${3:?}"
  local deadline=$((SECONDS + seconds)) report=""
  while :; do
    if report="$(node -e '
      const [url, expected] = [process.argv[1], Number(process.argv[2])];
      (async () => {
        const targets = (await (await fetch(url + "/api/v1/targets?state=active")).json()).data.activeTargets;
        const groups = (await (await fetch(url + "/api/v1/rules")).json()).data.groups;
        const down = targets.filter((t) => t.health !== "up");
        const failing = groups.flatMap((g) => g.rules).filter((r) => r.health === "err");
        const rules = groups.reduce((n, g) => n + g.rules.length, 0);
        if (targets.length !== expected || down.length > 0 || groups.length === 0 || failing.length > 0) {
          console.log(`${targets.length - down.length} of ${targets.length} targets up (${expected} expected)` +
            down.map((t) => `; ${t.labels.job} ${t.scrapeUrl} ${t.health}${t.lastError ? ": " + t.lastError : ""}`).join("") +
            `; ${groups.length} rule groups` + failing.map((r) => `; rule ${r.name}: ${r.lastError}`).join(""));
          process.exit(1);
        }
        console.log(`${targets.length} targets up (${targets.map((t) => t.labels.job).join(", ")}); ${rules} rules in ${groups.length} groups loaded`);
      })().catch((e) => { console.log(String(e)); process.exit(1); });
    ' "$url" "$expected")"; then
      printf '%s\n' "$report"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      _obs_log "Prometheus at $url after $seconds s: $report"
      return 1
    fi
    sleep 1
  done
}
