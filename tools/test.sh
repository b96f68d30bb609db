#!/usr/bin/env bash
# Builds chitieu into BUILD_DIR (default: build) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
bash tools/setup.sh
bash tools/build.sh "$dir"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
