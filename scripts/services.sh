#!/usr/bin/env bash
# Brings up the real services the tests need on loopback, installing them from Debian's packages
# where they are absent (as root), and stops what it started.
#
#   scripts/services.sh up [postgres|mariadb|clickhouse …]   (all three without arguments)
#   scripts/services.sh down     stops the ClickHouse that `up` started and deletes its folder, when
#                                the same owner started it (VITRINA_SERVICES_OWNER, default `user`):
#                                scripts/test.sh names itself, so it never stops the ClickHouse of a
#                                bring-up (scripts/bootstrap.sh) or of another test run
#   scripts/services.sh status   one line per service; exits 1 when one is down
#   scripts/services.sh env      export lines with the URLs the tests read
#
# PostgreSQL (127.0.0.1:5432, user postgres, no password) and MariaDB (127.0.0.1:3306, root, no
# password) are the machine's own: started when stopped, and left running. ClickHouse
# (http://127.0.0.1:8123) is Debian's 18.16 package run as our own instance from a temporary folder
# (config, data and logs), recorded in $VITRINA_SERVICES_STATE so that `down` can remove it.
set -euo pipefail

STATE=${VITRINA_SERVICES_STATE:-/tmp/vitrina-services}
OWNER=${VITRINA_SERVICES_OWNER:-user}
CLICKHOUSE_HTTP=${VITRINA_CLICKHOUSE_HTTP_PORT:-8123}
CLICKHOUSE_TCP=${VITRINA_CLICKHOUSE_TCP_PORT:-9000}
PATH=$PATH:/usr/sbin:/sbin

say() { printf '%s\n' "$*" >&2; }
die() {
  say "services: $*"
  exit 1
}

# wait_for SECONDS COMMAND…: true once COMMAND succeeds, false after SECONDS.
wait_for() {
  local ticks=$(($1 * 4))
  shift
  until "$@" >/dev/null 2>&1; do
    ticks=$((ticks - 1))
    [ "$ticks" -gt 0 ] || return 1
    sleep 0.25
  done
}

# apt_install NAME PACKAGE…: installs from Debian's packages, keeping their services from starting
# (a policy-rc.d that refuses, put back as it was afterwards): this script starts what it needs.
POLICY=/usr/sbin/policy-rc.d
POLICY_BACKUP=
restore_policy() {
  if [ -n "$POLICY_BACKUP" ]; then mv -f "$POLICY_BACKUP" "$POLICY"; else rm -f "$POLICY"; fi
  trap - EXIT INT TERM
}
apt_install() {
  local name=$1
  shift
  [ "$(id -u)" = 0 ] || die "$name: not installed, and installing it needs root: apt-get install $*"
  say "$name: installing $* from Debian…"
  mkdir -p "$STATE"
  POLICY_BACKUP=
  if [ -e "$POLICY" ]; then
    POLICY_BACKUP=$(mktemp)
    cp -p "$POLICY" "$POLICY_BACKUP"
  fi
  trap restore_policy EXIT
  trap 'restore_policy; exit 130' INT TERM
  printf '#!/bin/sh\n# scripts/services.sh: packages must not start services\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  local log=$STATE/apt.log started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  # Lists that are missing or stale make the first try fail: refresh them and try once more.
  if ! apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1; then
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; } >>"$log" 2>&1; then
      restore_policy
      tail -n 20 "$log" >&2
      die "$name: apt-get install $* failed (log: $log)"
    fi
  fi
  restore_policy
  say "$name: installed in $((SECONDS - started)) s"
}

# --- PostgreSQL ----------------------------------------------------------------------------------

postgres_ready() { pg_isready -q -h 127.0.0.1 -p 5432; }

postgres_up() {
  if command -v pg_isready >/dev/null && postgres_ready; then
    say "postgres: already running on 127.0.0.1:5432"
  else
    local installed=
    if ! command -v pg_ctlcluster >/dev/null || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      apt_install postgres postgresql
      installed=1
    fi
    local version
    # shellcheck disable=SC2012 # version folders are plain numbers
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    if [ -n "$installed" ]; then
      # A fresh cluster: TCP connections from loopback as postgres need no password (local tests).
      sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' \
        "/etc/postgresql/$version/main/pg_hba.conf"
    fi
    if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
      say "postgres: cluster $version/main runs; reloading it"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    else
      say "postgres: starting cluster $version/main…"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
    wait_for 60 postgres_ready ||
      die "postgres: cluster $version/main does not answer on 127.0.0.1:5432 (see /var/log/postgresql/)"
    say "postgres: running on 127.0.0.1:5432"
  fi
  psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 ||
    say "postgres: warning: user postgres cannot log in over TCP without a password (pg_hba.conf)"
}

# --- MariaDB -------------------------------------------------------------------------------------

# `mysqladmin ping` succeeds whenever the server answers, even when the login is refused.
mariadb_ready() { mysqladmin --connect-timeout=2 -h 127.0.0.1 -P 3306 -uroot ping; }

mariadb_up() {
  if command -v mysqladmin >/dev/null && mariadb_ready >/dev/null 2>&1; then
    say "mariadb: already running on 127.0.0.1:3306"
  else
    local installed=
    if [ ! -x /usr/sbin/mariadbd ]; then
      apt_install mariadb mariadb-server
      installed=1
    fi
    if [ ! -d /var/lib/mysql/mysql ]; then
      say "mariadb: initialising /var/lib/mysql…"
      mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$STATE/mariadb-install-db.log" 2>&1 ||
        die "mariadb: mariadb-install-db failed (log: $STATE/mariadb-install-db.log)"
    fi
    install -d -o mysql -g mysql /run/mysqld
    mkdir -p "$STATE"
    say "mariadb: starting…"
    start-stop-daemon --start --oknodo --background --output "$STATE/mariadb.log" \
      --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for 60 mariadb_ready || {
      tail -n 20 "$STATE/mariadb.log" >&2 || true
      die "mariadb: does not answer on 127.0.0.1:3306"
    }
    if [ -n "$installed" ]; then
      # Debian's root logs in through the socket only: allow it from loopback with no password.
      mariadb -uroot <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
    fi
    say "mariadb: running on 127.0.0.1:3306"
  fi
  mariadb -h 127.0.0.1 -P 3306 -uroot -e 'select 1' >/dev/null 2>&1 ||
    say "mariadb: warning: root cannot log in over TCP without a password"
}

# --- ClickHouse ----------------------------------------------------------------------------------

CLICKHOUSE_SERVER=/usr/sbin/clickhouse-server

clickhouse_ready() {
  [ "$(curl -fsS --max-time 2 "http://127.0.0.1:$CLICKHOUSE_HTTP/ping" 2>/dev/null)" = "Ok." ]
}

# Our instance's pid, when the one recorded is alive and runs our config (not a recycled pid).
clickhouse_pid() {
  local pid dir
  pid=$(cat "$STATE/clickhouse.pid" 2>/dev/null) || return 1
  dir=$(cat "$STATE/clickhouse.dir" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qaF "$dir/config.xml" "/proc/$pid/cmdline" && echo "$pid"
}

clickhouse_config() { # dir: a minimal config for 18.16 (root element <yandex>), every path in dir
  local dir=$1
  cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>information</level>
        <log>$dir/log/clickhouse-server.log</log>
        <errorlog>$dir/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>2</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$CLICKHOUSE_HTTP</http_port>
    <tcp_port>$CLICKHOUSE_TCP</tcp_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <!-- 18.16 refuses to start without it; memory is taken only when used. -->
    <mark_cache_size>536870912</mark_cache_size>
</yandex>
XML
  cat >"$dir/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default/>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default/>
    </quotas>
</yandex>
XML
}

clickhouse_up() {
  command -v curl >/dev/null || apt_install curl curl
  if clickhouse_ready; then
    say "clickhouse: already running on 127.0.0.1:$CLICKHOUSE_HTTP"
    return
  fi
  [ -x "$CLICKHOUSE_SERVER" ] || apt_install clickhouse clickhouse-server clickhouse-client
  clickhouse_down quiet # what a previous `up` left behind (a stopped server, its folder)
  local dir pid=
  dir=$(mktemp -d /tmp/vitrina-clickhouse.XXXXXX)
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log" "$STATE"
  clickhouse_config "$dir"
  echo "$dir" >"$STATE/clickhouse.dir"
  say "clickhouse: starting $(dpkg-query -W -f '${Version}' clickhouse-server 2>/dev/null || true) in $dir…"
  "$CLICKHOUSE_SERVER" --daemon --pid-file="$dir/clickhouse-server.pid" --config-file="$dir/config.xml" \
    >"$dir/log/stdout.log" 2>&1
  local why="did not answer within 60 s"
  for _ in $(seq 240); do
    [ -n "$pid" ] || pid=$(cat "$dir/clickhouse-server.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      why="exited"
      break
    fi
    if clickhouse_ready; then
      [ -n "$pid" ] || pid=$(cat "$dir/clickhouse-server.pid")
      echo "$pid" >"$STATE/clickhouse.pid"
      echo "$OWNER" >"$STATE/clickhouse.owner"
      say "clickhouse: running on 127.0.0.1:$CLICKHOUSE_HTTP (pid $pid, folder $dir)"
      return
    fi
    sleep 0.25
  done
  tail -n 20 "$dir/log/clickhouse-server.err.log" "$dir/log/stdout.log" >&2 2>/dev/null || true
  die "clickhouse: $why instead of answering on 127.0.0.1:$CLICKHOUSE_HTTP (folder $dir)"
}

clickhouse_down() { # [quiet]
  [ -f "$STATE/clickhouse.dir" ] || {
    [ -n "${1:-}" ] || say "clickhouse: nothing to stop (this script did not start it)"
    return 0
  }
  local pid dir owner
  dir=$(cat "$STATE/clickhouse.dir")
  owner=$(cat "$STATE/clickhouse.owner" 2>/dev/null || echo user)
  if pid=$(clickhouse_pid) && [ "$owner" != "$OWNER" ]; then
    [ -n "${1:-}" ] || say "clickhouse: left running (pid $pid): $owner started it, not $OWNER"
    return 0
  fi
  if [ -n "$pid" ]; then
    kill "$pid"
    wait_for 30 eval "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
    say "clickhouse: stopped (pid $pid)"
  fi
  case "$dir" in /tmp/vitrina-clickhouse.*) rm -rf "$dir" ;; esac
  rm -f "$STATE/clickhouse.pid" "$STATE/clickhouse.dir" "$STATE/clickhouse.owner"
}

# --- commands ------------------------------------------------------------------------------------

status() {
  local down=0 pid
  if command -v pg_isready >/dev/null && postgres_ready >/dev/null 2>&1; then
    echo "postgres    up    127.0.0.1:5432"
  else
    echo "postgres    down  127.0.0.1:5432" && down=1
  fi
  if command -v mysqladmin >/dev/null && mariadb_ready >/dev/null 2>&1; then
    echo "mariadb     up    127.0.0.1:3306"
  else
    echo "mariadb     down  127.0.0.1:3306" && down=1
  fi
  if clickhouse_ready; then
    if pid=$(clickhouse_pid); then
      echo "clickhouse  up    127.0.0.1:$CLICKHOUSE_HTTP  (ours: pid $pid, $(cat "$STATE/clickhouse.dir"), started by $(cat "$STATE/clickhouse.owner" 2>/dev/null || echo user))"
    else
      echo "clickhouse  up    127.0.0.1:$CLICKHOUSE_HTTP"
    fi
  else
    echo "clickhouse  down  127.0.0.1:$CLICKHOUSE_HTTP" && down=1
  fi
  return "$down"
}

env_lines() {
  printf 'export VITRINA_TEST_POSTGRES_URL=%q\n' \
    "${VITRINA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  printf 'export VITRINA_TEST_MYSQL_URL=%q\n' "${VITRINA_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306}"
  printf 'export VITRINA_TEST_CLICKHOUSE_URL=%q\n' \
    "${VITRINA_TEST_CLICKHOUSE_URL:-http://127.0.0.1:$CLICKHOUSE_HTTP}"
}

command=${1:-}
shift || true
case "$command" in
  up)
    [ $# -gt 0 ] || set -- postgres mariadb clickhouse
    for service in "$@"; do
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
