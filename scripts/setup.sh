#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a real estimate: install the
# dependencies, configure and build the `traincost` binary (Release; not the test
# suite or the benchmarks: scripts/test.sh builds those), then estimate
# DeepSeek-V3's pre-training on its published setup beside the published figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The same configuration as scripts/test.sh's Release pass, so that the test
# command afterwards builds only what is left (tests, benchmarks), not all again.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTRAINCOST_WERROR=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build -j"$(nproc)" --target traincost
echo
build/estimator/traincost estimate --model deepseek-v3 --hardware h800 --gpus 2048 \
  --tokens 14.8e12 --precision fp8 --seq-len 4096 --global-batch-tokens 62914560 --published deepseek-v3
