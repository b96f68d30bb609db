#!/bin/sh
# The stats helpers of the rules against Python's statistics module and
# published t quantiles (check_stats.py); the periods helpers and log(...)
# are tested by the golden cases lua_check_table and lua_check_forged.
# usage: run_stats.sh CHITIEU SOURCE_DIR
set -u
bin=$1
src=$(cd "$2" && pwd)
case_dir=$src/tests/golden/cases/lua_check_rules
"$bin" check "$case_dir/plan.yaml" --data "$case_dir/data" --rules "$src/tests/rules/stats.lua" 2>&1 >/dev/null |
  /usr/bin/python3 "$src/tests/rules/check_stats.py"
