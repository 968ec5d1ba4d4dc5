#!/usr/bin/env bash
# Brings up the real services the tests need on loopback, installing them from Debian's packages
# where they are absent (as root), and stops what it started.
#
#   scripts/services.sh up [postgres|mariadb|clickhouse …]   (all three without arguments)
#   scripts/services.sh down        stops the ClickHouse this script started and deletes its data
#   scripts/services.sh status      one line per service
#   scripts/services.sh env         export lines with the URLs the tests read
set -euo pipefail

STATE=${VITRINA_SERVICES_STATE:-/tmp/vitrina-services}
CLICKHOUSE_HTTP=${VITRINA_CLICKHOUSE_HTTP_PORT:-8123}
CLICKHOUSE_TCP=${VITRINA_CLICKHOUSE_TCP_PORT:-9000}

say() { printf '%s\n' "$*" >&2; }
die() { say "services: $*"; exit 1; }

apt_install() {
  [ "$(id -u)" = 0 ] || die "$1 is not installed and installing it needs root: apt-get install $*"
  say "$1: installing from Debian's packages…"
  # Keep the packages' init scripts from starting system-wide services: this script starts its own.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' RETURN
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

wait_for() { # name, seconds, command…
  local name=$1 seconds=$2
  shift 2
  for _ in $(seq "$((seconds * 4))"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$name did not answer within ${seconds}s"
}

postgres_ready() { pg_isready -q -h 127.0.0.1 -p 5432; }

postgres_up() {
  if command -v pg_isready >/dev/null && postgres_ready; then
    say "postgres: running on 127.0.0.1:5432"
    return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    # A fresh cluster: let local TCP connections in as postgres without a password, as on the dev machines.
    sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "postgres: starting cluster $version/main…"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for postgres 60 postgres_ready
  say "postgres: running on 127.0.0.1:5432"
}

mariadb_ready() { mysqladmin -h 127.0.0.1 -P 3306 -uroot ping; }

mariadb_up() {
  if command -v mysqladmin >/dev/null && mariadb_ready >/dev/null 2>&1; then
    say "mariadb: running on 127.0.0.1:3306"
    return
  fi
  if [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server
  fi
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  say "mariadb: starting…"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for mariadb 60 mariadb_ready
  # Root over TCP without a password, as the tests expect on loopback.
  mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); \
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" \
    2>/dev/null || true
  say "mariadb: running on 127.0.0.1:3306"
}

clickhouse_ready() { [ "$(curl -fsS "http://127.0.0.1:$CLICKHOUSE_HTTP/ping" 2>/dev/null)" = "Ok." ]; }

clickhouse_up() {
  if clickhouse_ready; then
    say "clickhouse: running on 127.0.0.1:$CLICKHOUSE_HTTP"
    return
  fi
  command -v clickhouse-server >/dev/null || apt_install clickhouse-server clickhouse-client
  local dir
  dir=$(mktemp -d /tmp/vitrina-clickhouse.XXXXXX)
  # Debian's config with every path moved into the temporary folder and only loopback listening.
  sed -e "s#/var/lib/clickhouse/#$dir/data/#g" \
    -e "s#/var/log/clickhouse-server/#$dir/log/#g" \
    -e "s#<http_port>8123</http_port>#<http_port>$CLICKHOUSE_HTTP</http_port>#" \
    -e "s#<tcp_port>9000</tcp_port>#<tcp_port>$CLICKHOUSE_TCP</tcp_port>#" \
    -e "s#<interserver_http_port>9009</interserver_http_port>##" \
    -e "s#<users_config>users.xml</users_config>#<users_config>$dir/users.xml</users_config>#" \
    /etc/clickhouse-server/config.xml >"$dir/config.xml"
  cp /etc/clickhouse-server/users.xml "$dir/users.xml"
  mkdir -p "$dir/data" "$dir/log" "$STATE"
  say "clickhouse: starting with data in $dir…"
  # Started directly (not in a subshell) so that $! is the server's own pid, which `down` stops.
  nohup clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 </dev/null &
  echo $! >"$STATE/clickhouse.pid"
  echo "$dir" >"$STATE/clickhouse.dir"
  if ! wait_for clickhouse 90 clickhouse_ready; then
    tail -n 20 "$dir/log/clickhouse-server.err.log" >&2 || true
    exit 1
  fi
  say "clickhouse: running on 127.0.0.1:$CLICKHOUSE_HTTP"
}

clickhouse_down() {
  [ -f "$STATE/clickhouse.pid" ] || return 0
  local pid dir
  pid=$(cat "$STATE/clickhouse.pid")
  dir=$(cat "$STATE/clickhouse.dir" 2>/dev/null || true)
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    say "clickhouse: stopped"
  fi
  case "$dir" in /tmp/vitrina-clickhouse.*) rm -rf "$dir" ;; esac
  rm -f "$STATE/clickhouse.pid" "$STATE/clickhouse.dir"
}

status() {
  postgres_ready >/dev/null 2>&1 && echo "postgres   up    127.0.0.1:5432" || echo "postgres   down  127.0.0.1:5432"
  mariadb_ready >/dev/null 2>&1 && echo "mariadb    up    127.0.0.1:3306" || echo "mariadb    down  127.0.0.1:3306"
  clickhouse_ready && echo "clickhouse up    127.0.0.1:$CLICKHOUSE_HTTP" || echo "clickhouse down  127.0.0.1:$CLICKHOUSE_HTTP"
}

env_lines() {
  echo "export VITRINA_TEST_POSTGRES_URL=${VITRINA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  echo "export VITRINA_TEST_MYSQL_URL=${VITRINA_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306}"
  echo "export VITRINA_TEST_CLICKHOUSE_URL=${VITRINA_TEST_CLICKHOUSE_URL:-http://127.0.0.1:$CLICKHOUSE_HTTP}"
}

command=${1:-}
shift || true
case "$command" in
  up)
    services=${*:-postgres mariadb clickhouse}
    for service in $services; do
      case "$service" in
        postgres | mariadb | clickhouse) "${service}_up" ;;
        *) die "unknown service '$service' (postgres, mariadb, clickhouse)" ;;
      esac
    done
    ;;
  down) clickhouse_down ;;
  status) status ;;
  env) env_lines ;;
  *) die "usage: scripts/services.sh up [postgres|mariadb|clickhouse …] | down | status | env" ;;
esac
