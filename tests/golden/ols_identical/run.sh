#!/bin/sh
# `--model ols` keeps the least-squares model of earlier versions byte for
# byte: the outputs of assess and project on the bundled plans and data with
# --model ols must have the SHA-256 sums in expected.sha256, which were made
# by the program before the calibrated model existed (commit 3f2e2d5, whose
# default was this model). With --update, writes the sums of this program's
# output instead (only after a change that is meant to alter the ols output:
# the data, the plans, or the compute layer).
# usage: run.sh CHITIEU ROOT [--update]
set -u
bin=$1
root=$2
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
while IFS='|' read -r name args; do
  # shellcheck disable=SC2086
  "$bin" $args --model ols >"$tmp/$name" 2>/dev/null || { echo "$name: chitieu $args failed"; exit 1; }
done <<'LIST'
assess_asof_2018|assess indicators/hau-giang-2021-2025.yaml indicators/ha-noi-2024.yaml indicators/national-2021-2025.yaml indicators/phu-tho-2015.yaml indicators/thanh-hoa-2016-2020.yaml --data data --as-of 2018
assess_latest|assess indicators/hau-giang-2021-2025.yaml indicators/ha-noi-2024.yaml indicators/national-2021-2025.yaml indicators/phu-tho-2015.yaml indicators/thanh-hoa-2016-2020.yaml --data data
assess_district_en|assess indicators/hau-giang-2021-2025.yaml indicators/ha-noi-2024.yaml indicators/national-2021-2025.yaml indicators/phu-tho-2015.yaml indicators/thanh-hoa-2016-2020.yaml --data data --level district --as-of 2019 --lang en
assess_json|assess indicators/thanh-hoa-2016-2020.yaml --data data --as-of 2018 --level province --format json
project_asof_2019|project indicators/hau-giang-2021-2025.yaml indicators/ha-noi-2024.yaml indicators/national-2021-2025.yaml indicators/phu-tho-2015.yaml indicators/thanh-hoa-2016-2020.yaml --data data --as-of 2019
project_linear|project indicators/thanh-hoa-2016-2020.yaml --data data --method linear --as-of 2018
LIST
(cd "$tmp" && sha256sum assess_asof_2018 assess_latest assess_district_en assess_json project_asof_2019 project_linear) >"$tmp/sums"
if [ "${3:-}" = "--update" ]; then cp "$tmp/sums" "$here/expected.sha256"; exit 0; fi
if ! diff -u "$here/expected.sha256" "$tmp/sums"; then
  echo "the --model ols output differs from the least-squares model's"
  exit 1
fi
