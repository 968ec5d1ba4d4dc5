#!/usr/bin/env bash
# Installs the toolchain this repository needs: pnpm (pinned) and the workspace's dependencies.
# With --test also what only the tests need: Debian's Chromium (driven by playwright-core in the
# end-to-end tests), in .venv/ pyftpdlib — the real FTP server the FTP tests start on loopback — and
# chdb — a current ClickHouse engine in-process, which the marts' and dashboards' SQL is also run on —,
# Apache Superset in .venv-superset/ for the dashboards' test, and Apache Airflow in .venv-airflow/ for
# the test of `vitrina airflow export`.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION…" >&2
  npm install --global --silent "pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile

if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" = 0 ] || { echo "setup: Chromium is missing; install it with: apt-get install chromium" >&2; exit 1; }
  echo "setup: installing Chromium from Debian's packages…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
    { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
fi

# .venv/ also holds chdb: a current ClickHouse engine in-process (chdb-core 26.9.0 embeds ClickHouse
# 26.9), on which packages/superset's dashboards test runs the marts' statements and the dashboards'
# SQL — Debian's clickhouse-server is 18.16. Every package pinned, chdb's dependencies included.
if [ "${1:-}" = "--test" ] && ! .venv/bin/python -c 'import pyftpdlib, chdb, schemathesis' 2>/dev/null; then
  echo "setup: installing pyftpdlib, chdb and schemathesis into .venv…" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'pyftpdlib==2.0.1' \
    'chdb==4.4.0' 'chdb-core==26.9.0' 'numpy==2.4.6' 'pandas==3.1.1' 'pyarrow==26.0.1' \
    'python-dateutil==4.0.0' 'tzdata==2026.6' 'schemathesis==4.32.5'
fi

# Apache Airflow for packages/server/test/airflow.test.ts, which loads the DAG file `vitrina airflow export`
# writes in a real Airflow and runs it with `airflow dags test`. No extras: the BashOperator comes with
# apache-airflow-providers-standard, which apache-airflow 3 installs. Every package pinned by
# scripts/airflow-constraints.txt (resolved on Python 3.11); about 35 s when fresh. Skipped while that
# version is installed (read from the package metadata: importing airflow would write ~/airflow).
AIRFLOW_VERSION=3.3.2
if [ "${1:-}" = "--test" ] && ! .venv-airflow/bin/python -c \
  "import importlib.metadata as m, sys; sys.exit(m.version('apache-airflow') != '$AIRFLOW_VERSION')" 2>/dev/null; then
  echo "setup: installing Apache Airflow $AIRFLOW_VERSION into .venv-airflow…" >&2
  python3 -m venv .venv-airflow
  .venv-airflow/bin/pip install --quiet --disable-pip-version-check -c scripts/airflow-constraints.txt \
    "apache-airflow==$AIRFLOW_VERSION"
fi

# Apache Superset for packages/superset's real-Superset test: creates .venv-superset, or reuses it
# while superset/python/* is unchanged (about a minute when fresh).
if [ "${1:-}" = "--test" ]; then
  pnpm --silent vitrina superset install
fi
