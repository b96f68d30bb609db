#!/usr/bin/env bash
# Installs the Debian packages chitieu needs, when any is missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libyaml-dev libgsl-dev liblua5.4-dev libjansson-dev libxlsxwriter-dev libxml2-dev zlib1g-dev
      gnuplot-nox fonts-dejavu-core python3-openpyxl python3-numpy python3-scipy python3-yaml)
[ "${CI:-}" = true ] && pkgs+=(valgrind)
# the fuzzing harnesses (tests/fuzz/run.sh): clang with libFuzzer
[ "${CHITIEU_FUZZ:-}" = ON ] && pkgs+=(clang libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
