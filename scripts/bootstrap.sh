#!/usr/bin/env bash
# Brings the project up: installs it, makes sure PostgreSQL runs, then plans and materialises the
# example graph with live progress.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/services.sh up postgres
pnpm --silent vitrina plan '*'
pnpm --silent vitrina materialize '*'
pnpm --silent vitrina assets
