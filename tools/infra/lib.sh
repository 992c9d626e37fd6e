# shellcheck shell=bash
# Local infrastructure without Docker: PostgreSQL 15, Redis and the Kafka mock cluster, as background
# processes whose pid files and logs live in folders the caller chooses. Source it (set -euo pipefail safe):
#
#   source tools/infra/lib.sh
#   infra_install_prereqs                             # apt-get redis-server (and postgresql-15) if missing
#   dir=$(infra_postgres_datadir "$repo")             # <repo>/.federation/postgres, or /tmp/federation-<hash>/postgres
#   infra_postgres_start "$dir" 5433                  # initdb on first use, pg_ctl start, wait until ready
#   infra_postgres_createdb 5433 catalog              # idempotent; prints the Npgsql connection string
#   infra_redis_start "$repo/.federation/redis" 6380  # prints host:port
#   infra_kafka_start "$repo/.federation/kafka" 0     # 0 = random port; prints the bootstrap servers
#   infra_kafka_stop "$repo/.federation/kafka"; infra_redis_stop ...; infra_postgres_stop "$dir"
#
# Stops are idempotent and leave no process behind. PostgreSQL runs as the `postgres` user when called as
# root (initdb refuses root), so its data folder must be reachable by that user: infra_postgres_datadir
# falls back to /tmp when the repository path is not world-traversable.
# Environment: INFRA_PG_BIN (default /usr/lib/postgresql/15/bin), INFRA_KAFKA_MOCK_DLL (default: the
# built tools/Federation.KafkaMock, built on first use when missing).

INFRA_PG_BIN="${INFRA_PG_BIN:-/usr/lib/postgresql/15/bin}"
INFRA_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

_infra_log() { printf '[infra] %s\n' "$*" >&2; }

_infra_is_root() { [ "$(id -u)" -eq 0 ]; }

_infra_as_postgres() {
  if _infra_is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# true when pid $1 is alive and its command line contains $2 (guards against a reused pid)
_infra_pid_is() {
  local pid="$1" needle="$2"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$needle"
}

# stop the process in pid file $1 if it is alive and matches $2: SIGTERM, then SIGKILL after 10 s
_infra_stop_pidfile() {
  local pidfile="$1" needle="$2" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(tr -dc '0-9' <"$pidfile")"
  if _infra_pid_is "$pid" "$needle"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
      _infra_pid_is "$pid" "$needle" || break
      sleep 0.1
    done
    if _infra_pid_is "$pid" "$needle"; then
      _infra_log "$needle (pid $pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

infra_install_prereqs() {
  local packages=()
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || packages+=(redis-server)
  [ -x "$INFRA_PG_BIN/initdb" ] || packages+=(postgresql-15)
  [ "${#packages[@]}" -eq 0 ] && return 0
  local sudo=()
  _infra_is_root || sudo=(sudo)
  _infra_log "installing ${packages[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

# prints a PostgreSQL data folder for repository $1 that the postgres user can reach
infra_postgres_datadir() {
  local repo="${1:?usage: infra_postgres_datadir <repo-root>}"
  if ! _infra_is_root || runuser -u postgres -- test -x "$repo" 2>/dev/null; then
    printf '%s\n' "$repo/.federation/postgres"
  else
    printf '/tmp/federation-%s/postgres\n' "$(printf '%s' "$repo" | sha256sum | cut -c1-12)"
  fi
}

infra_postgres_start() {
  local datadir="${1:?usage: infra_postgres_start <datadir> <port>}" port="${2:?usage: infra_postgres_start <datadir> <port>}"
  [ -x "$INFRA_PG_BIN/initdb" ] || { _infra_log "no PostgreSQL in $INFRA_PG_BIN (run infra_install_prereqs)"; return 1; }
  if [ ! -f "$datadir/PG_VERSION" ]; then
    mkdir -p "$datadir"
    if _infra_is_root; then chown postgres:postgres "$datadir"; fi
    chmod 700 "$datadir"
    _infra_as_postgres "$INFRA_PG_BIN/initdb" -D "$datadir" -U postgres --auth=trust -E UTF8 --no-locale \
      --no-instructions >"$datadir.initdb.log" 2>&1 \
      || { _infra_log "initdb failed:"; cat "$datadir.initdb.log" >&2; return 1; }
  fi
  if _infra_as_postgres "$INFRA_PG_BIN/pg_ctl" status -D "$datadir" >/dev/null 2>&1; then
    local running
    running="$(sed -n 4p "$datadir/postmaster.pid")"
    [ "$running" = "$port" ] || _infra_log "PostgreSQL in $datadir already runs on port $running, not $port"
    return 0
  fi
  # unix sockets are limited to 107 bytes of path; longer data folders get TCP only
  local sockets="$datadir"
  [ "${#datadir}" -lt 90 ] || sockets=""
  _infra_as_postgres "$INFRA_PG_BIN/pg_ctl" start -D "$datadir" -l "$datadir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c max_connections=500 -c unix_socket_directories='$sockets'" >/dev/null \
    || { _infra_log "PostgreSQL did not start:"; tail -n 30 "$datadir/server.log" >&2; return 1; }
}

infra_postgres_createdb() {
  local port="${1:?usage: infra_postgres_createdb <port> <name>}" name="${2:?usage: infra_postgres_createdb <port> <name>}"
  [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { _infra_log "'$name' is not a plain database name"; return 1; }
  local psql=("$INFRA_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE \"$name\"" >/dev/null
  fi
  printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=%s\n' "$port" "$name"
}

infra_postgres_stop() {
  local datadir="${1:?usage: infra_postgres_stop <datadir>}"
  [ -f "$datadir/postmaster.pid" ] || return 0
  if _infra_as_postgres "$INFRA_PG_BIN/pg_ctl" status -D "$datadir" >/dev/null 2>&1; then
    _infra_as_postgres "$INFRA_PG_BIN/pg_ctl" stop -D "$datadir" -m fast -w -t 30 >/dev/null 2>&1 \
      || _infra_as_postgres "$INFRA_PG_BIN/pg_ctl" stop -D "$datadir" -m immediate -w -t 10 >/dev/null 2>&1 \
      || true
  fi
}

infra_redis_start() {
  local dir="${1:?usage: infra_redis_start <dir> <port>}" port="${2:?usage: infra_redis_start <dir> <port>}"
  local server
  server="$(command -v redis-server || true)"
  [ -n "$server" ] || [ ! -x /usr/bin/redis-server ] || server=/usr/bin/redis-server
  [ -n "$server" ] || { _infra_log "redis-server is missing (run infra_install_prereqs)"; return 1; }
  mkdir -p "$dir"
  if ! _infra_pid_is "$(cat "$dir/redis.pid" 2>/dev/null || true)" redis-server; then
    "$server" --port "$port" --bind 127.0.0.1 --protected-mode no --save '' --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  fi
  local i reply
  for i in $(seq 1 100); do
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'PING\r\n' >&3
      reply=""
      IFS= read -r -t 2 reply <&3 || true
      exec 3<&- 3>&-
      if [ "${reply%$'\r'}" = "+PONG" ]; then
        printf '127.0.0.1:%s\n' "$port"
        return 0
      fi
    fi
    sleep 0.1
  done
  _infra_log "redis-server did not answer on port $port:"
  tail -n 20 "$dir/redis.log" >&2 || true
  return 1
}

infra_redis_stop() {
  local dir="${1:?usage: infra_redis_stop <dir>}"
  _infra_stop_pidfile "$dir/redis.pid" redis-server
}

_infra_kafka_dll() {
  if [ -n "${INFRA_KAFKA_MOCK_DLL:-}" ]; then
    printf '%s\n' "$INFRA_KAFKA_MOCK_DLL"
    return 0
  fi
  local configuration candidate
  for configuration in Release Debug; do
    candidate="$INFRA_REPO_ROOT/tools/Federation.KafkaMock/bin/$configuration/net10.0/Federation.KafkaMock.dll"
    if [ -f "$candidate" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  _infra_log "building tools/Federation.KafkaMock"
  dotnet build "$INFRA_REPO_ROOT/tools/Federation.KafkaMock/Federation.KafkaMock.csproj" -c Release --nologo -v q >&2
  printf '%s\n' "$INFRA_REPO_ROOT/tools/Federation.KafkaMock/bin/Release/net10.0/Federation.KafkaMock.dll"
}

infra_kafka_start() { # dir port-or-0 [more Federation.KafkaMock options, e.g. --topics-file deploy/topics.json]
  local dir="${1:?usage: infra_kafka_start <dir> <port-or-0>}" port="${2:?usage: infra_kafka_start <dir> <port-or-0>}"
  shift 2
  mkdir -p "$dir"
  if _infra_pid_is "$(cat "$dir/kafka.pid" 2>/dev/null || true)" Federation.KafkaMock && [ -s "$dir/kafka.bootstrap" ]; then
    cat "$dir/kafka.bootstrap"
    return 0
  fi
  local dll
  dll="$(_infra_kafka_dll)"
  local args=("$dll")
  [ "$port" = 0 ] || args+=(--port "$port")
  args+=("$@")
  rm -f "$dir/kafka.bootstrap" "$dir/kafka.out"
  # setsid: a Ctrl+C aimed at the calling script must not reach the broker it leaves running
  setsid nohup dotnet "${args[@]}" </dev/null >"$dir/kafka.out" 2>"$dir/kafka.log" &
  local pid=$!
  printf '%s\n' "$pid" >"$dir/kafka.pid"
  local i line=""
  for i in $(seq 1 300); do
    line="$(head -n 1 "$dir/kafka.out" 2>/dev/null || true)"
    [ -z "$line" ] || break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$line" ]; then
    _infra_log "the Kafka mock cluster did not start:"
    tail -n 20 "$dir/kafka.log" >&2 || true
    infra_kafka_stop "$dir"
    return 1
  fi
  printf '%s\n' "$line" >"$dir/kafka.bootstrap"
  printf '%s\n' "$line"
}

infra_kafka_stop() {
  local dir="${1:?usage: infra_kafka_stop <dir>}"
  _infra_stop_pidfile "$dir/kafka.pid" Federation.KafkaMock
  rm -f "$dir/kafka.bootstrap"
}
