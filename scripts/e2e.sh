#!/usr/bin/env bash
# End-to-end test of the web page in a real browser (Debian's chromium driven by
# playwright-core): installs chromium if missing, the pinned npm packages, then
# runs tests/e2e/browser_test.mjs against build/estimator/traincost serve.
# Usage: scripts/e2e.sh   (after building; screenshots land in ${E2E_OUT:-build/e2e}/)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: installing chromium"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "e2e: installing nodejs and npm (Debian)"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

bin="${TRAINCOST_BIN:-build/estimator/traincost}"
[ -x "$bin" ] || { echo "e2e: $bin not found; build first (README: Build)" >&2; exit 1; }

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
TRAINCOST_BIN="$bin" exec node tests/e2e/browser_test.mjs
