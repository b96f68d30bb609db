#!/bin/sh
# The man page lists every option that any command's --help prints.
# usage: check_man.sh CHITIEU MANPAGE
set -u
bin=$1
man=$2
# the page's text without roff escapes: \- is -, \fB \fI \fR go
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man")
fail=0
for cmd in check compute project assess plot report "import dhis2" "export dhis2"; do
  # shellcheck disable=SC2086
  opts=$("$bin" $cmd --help | grep -o -- '--[a-z][a-z-]*\|\(^\|[ ,]\)-[a-z]\b' | tr -d ' ,' | sort -u)
  [ -n "$opts" ] || { echo "chitieu $cmd --help printed no option"; fail=1; }
  for o in $opts; do
    if ! printf '%s\n' "$text" | grep -Eq -- "$o([^a-z-]|$)"; then
      echo "$man does not list $o (printed by chitieu $cmd --help)"; fail=1
    fi
  done
done
for o in --version --help; do
  printf '%s\n' "$text" | grep -q -- "$o" || { echo "$man does not list $o"; fail=1; }
done
[ $fail -eq 0 ] && echo "man page: every option of every command is listed"
exit $fail
