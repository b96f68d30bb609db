#!/bin/sh
# cpack -G DEB builds a package that depends on the Debian library packages
# chitieu links to, and on gnuplot, and holds the program, theme and man page.
# usage: deb.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "deb: $*"; exit 1; }
command -v dpkg-shlibdeps >/dev/null || { echo "deb: dpkg-shlibdeps missing (dpkg-dev)"; exit 1; }
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb=$(ls "$tmp"/chitieu_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no chitieu_*.deb in $tmp"
dep=$(dpkg-deb -f "$deb" Depends)
for p in libyaml-0-2 libgsl27 liblua5.4-0 libjansson4 libxlsxwriter4 gnuplot-nox; do
  printf '%s' "$dep" | grep -q "$p" || fail "Depends lacks $p: $dep"
done
files=$(dpkg-deb -c "$deb")
for f in ./usr/bin/chitieu ./usr/share/chitieu/plots/theme.gp ./usr/share/man/man1/chitieu.1 ./usr/share/doc/chitieu/README.md; do
  printf '%s\n' "$files" | grep -q " $f\$" || fail "$f is not in the package"
done
echo "deb: $(basename "$deb"): Depends: $dep"
