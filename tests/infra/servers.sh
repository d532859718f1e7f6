#!/usr/bin/env bash
# Installs (when missing) and starts on loopback the real servers the integration tests talk to:
# RabbitMQ and PostgreSQL from Debian, and s3rver (an S3-compatible server) from npm. Sourced by tests/run.sh;
# exports HALFLIFE_TEST_* variables for the tests and registers stop_servers for the exit trap.

infra_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$infra_dir/../.." && pwd)
state_dir=${HALFLIFE_TEST_STATE:-$repo_root/.test-infra}
run_dir=$(mktemp -d /tmp/halflife-test.XXXXXX)
chmod 755 "$run_dir"

log() { printf '[test-infra] %s\n' "$*" >&2; }

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local wanted=() missing=()
  mapfile -t wanted < <(cat "$infra_dir"/packages/*.apt 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
  for p in "${wanted[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    # RabbitMQ's and PostgreSQL's packages try to start system services; we start our own instances instead.
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null; as_root chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  local npm_wanted
  npm_wanted=$(cat "$infra_dir"/packages/*.npm 2>/dev/null | sed 's/#.*//' | grep -v '^\s*$' | sort -u | tr '\n' ' ')
  if [ -n "$npm_wanted" ]; then
    local stamp="$state_dir/npm/.installed"
    if [ ! -f "$stamp" ] || [ ! -d "$state_dir/npm/node_modules" ] || [ "$(cat "$stamp")" != "$npm_wanted" ]; then
      log "installing npm packages: $npm_wanted"
      mkdir -p "$state_dir/npm"
      # shellcheck disable=SC2086
      # --ignore-scripts: packages are used for their files only (onnxruntime-node's install script would try
      # to download CUDA libraries, which cannot work here).
      (cd "$state_dir/npm" && npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$state_dir/npm" $npm_wanted >&2) \
        || { log "npm install failed"; return 1; }
      echo "$npm_wanted" > "$stamp"
    fi
  fi
}

start_rabbitmq() {
  local port dist node dir="$run_dir/rabbitmq"
  port=$(free_port); dist=$(free_port); node="halflife-test-$$@localhost"
  mkdir -p "$dir"; echo '[].' > "$dir/enabled_plugins"
  export RABBITMQ_NODENAME=$node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$dist \
         RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins \
         RABBITMQ_CONFIG_FILE=$dir/rabbitmq RABBITMQ_PID_FILE=$dir/pid
  log "starting RabbitMQ on 127.0.0.1:$port"
  /usr/lib/rabbitmq/bin/rabbitmq-server -detached >&2
  if ! /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" wait "$dir/pid" --timeout 90 >/dev/null; then
    log "RabbitMQ did not start; its log:"; tail -50 "$dir"/log/*.log >&2 || true; return 1
  fi
  RABBIT_NODE=$node
  export HALFLIFE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$port/"
}

start_postgres() {
  local port dir="$run_dir/postgres" bin
  port=$(free_port); bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  mkdir -p "$dir"; chown postgres "$dir" 2>/dev/null || true
  log "starting PostgreSQL on 127.0.0.1:$port"
  # initdb refuses to run as root; fsync=off because test data is thrown away anyway.
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U halflife --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >&2
  PG_BIN=$bin; PG_DIR=$dir
  export HALFLIFE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=halflife"
}

start_s3() {
  local port dir="$run_dir/s3"
  port=$(free_port); mkdir -p "$dir"
  log "starting s3rver on 127.0.0.1:$port"
  node "$state_dir/npm/node_modules/s3rver/bin/s3rver.js" -d "$dir" -a 127.0.0.1 -p "$port" --silent > "$run_dir/s3rver.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export HALFLIFE_TEST_S3="http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  log "s3rver did not start:"; cat "$run_dir/s3rver.log" >&2; return 1
}

stop_servers() {
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null
  [ -n "${RABBIT_NODE:-}" ] && /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" stop >/dev/null 2>&1
  [ -n "${PG_BIN:-}" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1
  rm -rf "$run_dir"
}

start_servers() {
  install_packages || return 1
  start_rabbitmq || return 1
  start_postgres || return 1
  start_s3 || return 1
}
