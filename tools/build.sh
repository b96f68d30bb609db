#!/usr/bin/env bash
# Configures and builds chitieu into BUILD_DIR (default: build).
# CHITIEU_SANITIZE=ON builds with ASan + UBSan; CHITIEU_WERROR=ON makes warnings errors.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
cmake -S . -B "$dir" -DCHITIEU_WERROR="${CHITIEU_WERROR:-OFF}" \
      -DCHITIEU_SANITIZE="${CHITIEU_SANITIZE:-OFF}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
