#!/usr/bin/env bash
# Regenerates the README blocks that show tool output, so they are never typed
# by hand: the validation table (`traincost validate`) and the leave-one-out
# summary (`traincost calibrate`). A test checks the README matches.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TRAINCOST:-build/estimator/traincost}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" validate > "$tmp/validate.txt"
fitted_on=$(sed -n 's/^ *"fitted_on": "\([^"]*\)".*/\1/p' constants/calibrated.json)
"$bin" estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8e12 --precision fp8 --seq-len 4096 \
  --published deepseek-v3 > "$tmp/main.txt"
"$bin" plan --model llama-3.1-405b --hardware h100-sxm --gpus 16384 --tokens 15.6T --seq-len 8192 \
  --global-batch-tokens 16777216 --top 3 > "$tmp/plan.txt"
"$bin" calibrate --date "$fitted_on" \
  --out "$tmp/calibrated.json" | sed -n '/^Summary/,/^Not compared/p' | sed '$d' > "$tmp/loo.txt"
splice() {  # splice FILE MARKER: replace the lines between <!-- BEGIN MARKER --> and <!-- END MARKER -->
  awk -v f="$1" -v m="$2" '
    $0 == "<!-- BEGIN " m " -->" { print; print "```text"; while ((getline l < f) > 0) print l; print "```"; skip = 1; next }
    $0 == "<!-- END " m " -->" { skip = 0 }
    !skip { print }' README.md > "$tmp/README.md"
  mv "$tmp/README.md" README.md
}
splice "$tmp/main.txt" main-job
splice "$tmp/plan.txt" plan
splice "$tmp/validate.txt" validate
splice "$tmp/loo.txt" leave-one-out
echo "README.md updated"
