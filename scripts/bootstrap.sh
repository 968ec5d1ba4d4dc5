#!/usr/bin/env bash
# Brings the project up: installs it, makes sure PostgreSQL, MariaDB and ClickHouse run, writes the
# sample company from VITRINA_START (2026-10-01 by default) to yesterday into its source systems,
# materialises every layer from extraction to the ClickHouse marts with live progress, then starts
# Apache Superset on 127.0.0.1:8088 with the dashboards imported.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/services.sh up
pnpm --silent vitrina seed
pnpm --silent vitrina plan '*'
pnpm --silent vitrina materialize '*'
pnpm --silent vitrina assets 'group:marts'
pnpm --silent vitrina superset up
