#!/usr/bin/env bash
# Every test, on a fresh machine: installs what is missing, starts the services the tests talk to
# (and stops what it started), then lint, type check and every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test
# What this run starts, it stops; a ClickHouse that was running before (a bring-up's) is left as it is.
export VITRINA_SERVICES_OWNER="scripts/test.sh (pid $$)"
scripts/services.sh up
trap 'scripts/services.sh down' EXIT
eval "$(scripts/services.sh env)"

pnpm lint
pnpm typecheck
pnpm test
