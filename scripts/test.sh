#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors, runs the tests and the browser test of the web page, then builds and
# runs the tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and
# fuzzes the parsers of untrusted input for a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage prints its start time (seconds since the script began) so a slow CI run
# shows where its minutes went.
stage() { echo "== [${SECONDS}s] $*"; }
stage "install missing Debian packages"
scripts/install-deps.sh
jobs="$(nproc)"

# Unity builds (CMake batches sources into one compiler run each) halve the compile
# time on two cores (7.8 -> 4.1 min for the Release tree). A plain configure (the
# default, without the flag) still compiles each source on its own.
stage "Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTRAINCOST_WERROR=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build -j"$jobs"
stage "Release tests"
(cd build && ctest --output-on-failure -j"$jobs")

# The web page in a real browser (Debian's chromium driven by playwright-core),
# against `traincost serve` of the build above; screenshots in build/e2e/.
stage "browser test"
E2E_OUT=build/e2e TRAINCOST_BIN=build/estimator/traincost scripts/e2e.sh

stage "ASan + UBSan build"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTRAINCOST_SANITIZE=ON -DTRAINCOST_WERROR=ON -DCMAKE_UNITY_BUILD=ON \
  -DTRAINCOST_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
# The whole suite and the server's tests, except the leave-one-out refit: it runs the
# calibration fit once per published run (63 s under ASan on two cores) through the same
# code the single fit of "calibration: deterministic, and the committed constants are its
# output" already runs here, and the Release run above checks its numbers.
stage "ASan + UBSan tests"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j"$jobs" -E "leave-one-out predicts each run")

# The parsers of untrusted input under libFuzzer + ASan/UBSan (tests/fuzz/), seeded
# from tests/fuzz/corpus/, for a bounded time; a crash, UB or a stray exception
# fails the run and leaves the input in build-fuzz/crash-*. Only the target is built.
stage "libFuzzer build"
CXX=clang++-14 cmake -S . -B build-fuzz -DTRAINCOST_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DTRAINCOST_WERROR=ON -DCMAKE_UNITY_BUILD=ON -DTRAINCOST_BUILD_TESTS=OFF -DTRAINCOST_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target traincost_fuzz
stage "fuzzing"
mkdir -p build-fuzz/corpus  # new inputs go here; the seeds in the repo stay as they are
build-fuzz/tests/fuzz/traincost_fuzz -max_total_time="${TRAINCOST_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix=build-fuzz/ build-fuzz/corpus tests/fuzz/corpus
stage "done"
