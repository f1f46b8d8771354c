#!/usr/bin/env bash
# Installs the Debian 12 packages traincost builds with, skipping those already present.
set -euo pipefail
packages=(build-essential cmake pkg-config libeigen3-dev libfmt-dev nlohmann-json3-dev libbenchmark-dev catch2 libcli11-dev libcpp-httplib-dev
  clang-14 libclang-rt-14-dev)  # the last two: the fuzz target (libFuzzer ships with clang)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
