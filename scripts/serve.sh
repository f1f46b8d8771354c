#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the page: install what is
# missing, build the binary (Release), then `traincost serve` (prints the URL to open).
# Arguments go to `traincost serve`, e.g. scripts/serve.sh --port 9000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTRAINCOST_WERROR=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build -j"$(nproc)" --target traincost  # the binary only (scripts/setup.sh, scripts/test.sh)
exec build/estimator/traincost serve "$@"
