#!/bin/sh
# Runs one golden case: CASE/args holds the command line (one argument per
# line, run from CASE/); the expected stdout, stderr and exit status are in
# CASE/expected.stdout, CASE/expected.stderr and CASE/expected.rc (each optional
# but the status). With CASE/output, the file the command writes is compared
# to CASE/expected.output, or must not exist when expected.output is absent.
set -u
bin=$1
case_dir=$2
cd "$case_dir" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set --
while IFS= read -r arg || [ -n "$arg" ]; do
  set -- "$@" "$arg"
done < args
"$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
fail=0
want_rc=$(cat expected.rc)
if [ "$rc" != "$want_rc" ]; then
  echo "exit status: expected $want_rc, got $rc"; fail=1
fi
for stream in stdout stderr; do
  if [ -f "expected.$stream" ] && ! diff -u "expected.$stream" "$tmp/$stream" >"$tmp/diff"; then
    echo "$stream differs from expected.$stream:"; cat "$tmp/diff"; fail=1
  fi
done
if [ -f output ]; then
  out=$(cat output)
  if [ -f expected.output ]; then
    if ! diff -u expected.output "$out" >"$tmp/diff"; then echo "output differs:"; cat "$tmp/diff"; fail=1; fi
  elif [ -e "$out" ]; then
    echo "$out exists but the command should not have written it"; fail=1
  fi
  rm -f "$out"
fi
if [ $fail -ne 0 ]; then
  echo "--- stderr was:"; cat "$tmp/stderr"
  exit 1
fi
echo "ok"
