#!/usr/bin/env bash
# Brings the project up: installs it, makes sure PostgreSQL and MariaDB run, writes the sample
# company from VITRINA_START (2026-10-01 by default) to yesterday into its source systems, then
# plans and materialises the stage layer with live progress.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/services.sh up postgres mariadb
pnpm --silent vitrina seed
pnpm --silent vitrina plan 'group:stage'
pnpm --silent vitrina materialize 'group:stage'
pnpm --silent vitrina assets 'group:stage'
