#!/usr/bin/env bash
# Regenerates the README blocks that show tool output, so they are never typed
# by hand: one example per command (the command line and what it prints), the
# validation table (`traincost validate`) and the leave-one-out summary
# (`traincost calibrate`). tests/test_cli_readme.cpp runs every example's
# command as written in the README and checks the output matches; the
# validation test checks the validate block.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TRAINCOST:-build/estimator/traincost}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

splice() {  # splice FILE MARKER: replace the lines between <!-- BEGIN MARKER --> and <!-- END MARKER --> with FILE
  grep -qx "<!-- BEGIN $2 -->" README.md || { echo "README.md has no <!-- BEGIN $2 --> marker" >&2; exit 1; }
  awk -v f="$1" -v m="$2" '
    $0 == "<!-- BEGIN " m " -->" { print; while ((getline l < f) > 0) print l; skip = 1; next }
    $0 == "<!-- END " m " -->" { skip = 0 }
    !skip { print }' README.md > "$tmp/README.md"
  mv "$tmp/README.md" README.md
}

fenced() {  # fenced FILE MARKER: FILE as a ```text block
  { echo '```text'; cat "$1"; echo '```'; } > "$1.fenced"
  splice "$1.fenced" "$2"
}

example() {  # example MARKER 'ARGS': the command line (a "\<newline>" breaks it) and its output
  local out="$tmp/$1.txt"
  { echo '```'; echo "\$ build/estimator/traincost $2"; echo '```'; echo '```text'; } > "$out"
  eval "\"\$bin\" $2" >> "$out"
  echo '```' >> "$out"
  splice "$out" "$1"
}

example main-job 'estimate --model deepseek-v3 --hardware h800 --gpus 2048 \
    --tokens 14.8e12 --precision fp8 --seq-len 4096 --global-batch-tokens 62914560 \
    --published deepseek-v3'
example plan 'plan --model llama-3.1-405b --hardware h100-sxm --gpus 16384 \
    --tokens 15.6T --seq-len 8192 --global-batch-tokens 16777216 --top 3'
example counts 'estimate --total-params 400e9 --active-params 20e9 --hardware h100-sxm \
    --gpus 2048 --tokens 20T'
example check 'check --model deepseek-v3 --tokens 14.8e12 --hardware h800 --gpus 2048 \
    --global-batch-tokens 62914560 --claimed-gpu-hours 2.788e6 --claimed-cost-usd 5.576e6 --precision fp8'
example export 'export --cap tier2-2025'
example compare 'compare --model deepseek-v3 --tokens 14.8e12 --hardware h800 \
    --gpus 2048 --global-batch-tokens 62914560 --precision fp8'
example uncertainty 'estimate --model deepseek-v3 --hardware h800 --gpus 2048 \
    --tokens 14.8e12 --precision fp8 --seq-len 4096 --global-batch-tokens 62914560 --samples 10000'
example budget 'budget --usd 3M --hardware h100-sxm --gpus 1024'
example budget-cheapest 'budget --model llama-3.1-70b --tokens 15T --days 30 \
    --hardware h100-sxm,h800,h200,b200,a100-80gb,mi300x,h20,tpu-v5p,ascend-910b'
example compare-hardware 'compare-hardware --model deepseek-v3 --tokens 14.8T \
    --hardware h800,h100-sxm,h20 --gpus 2048 --precision fp8'

"$bin" validate > "$tmp/validate.txt"
fenced "$tmp/validate.txt" validate
"$bin" validate --throughput > validation/megatron-bridge/results.txt
sed -n '/^Summary/,$p' validation/megatron-bridge/results.txt > "$tmp/throughput.txt"
fenced "$tmp/throughput.txt" throughput
fitted_on=$(sed -n 's/^ *"fitted_on": "\([^"]*\)".*/\1/p' constants/calibrated.json)
"$bin" calibrate --date "$fitted_on" \
  --out "$tmp/calibrated.json" | sed -n '/^Summary/,/^Not compared/p' | sed '$d' > "$tmp/loo.txt"
fenced "$tmp/loo.txt" leave-one-out
echo "README.md updated"
TRAINCOST_BIN="$bin" scripts/update-golden.sh
