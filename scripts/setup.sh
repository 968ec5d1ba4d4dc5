#!/usr/bin/env bash
# Installs the toolchain this repository needs: pnpm (pinned) and the workspace's dependencies;
# with --browser also Debian's Chromium, which the end-to-end tests drive through playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION…" >&2
  npm install --global --silent "pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" = 0 ] || { echo "setup: Chromium is missing; install it with: apt-get install chromium" >&2; exit 1; }
  echo "setup: installing Chromium from Debian's packages…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
    { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
fi
