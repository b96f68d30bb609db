#!/bin/sh
# An installed chitieu, moved away from the source and build trees, checks,
# assesses and plots the bundled data from another folder, finding its chart
# theme where it was installed (share/chitieu/plots/theme.gp beside bin/).
# usage: run_installed.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "installed copy: $*"; exit 1; }
cmake --install "$build" --prefix "$tmp/stage/usr" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install failed"; }
for f in bin/chitieu share/chitieu/plots/theme.gp share/man/man1/chitieu.1 share/doc/chitieu/README.md \
         share/doc/chitieu/exchange.md share/doc/chitieu/examples/indicators/thanh-hoa-2016-2020.yaml; do
  [ -f "$tmp/stage/usr/$f" ] || fail "$f was not installed"
done
# moved: the install prefix is not where it was installed
mv "$tmp/stage/usr" "$tmp/moved"
# mark the installed theme, to see that plot used it and not the source tree's
echo "# the installed theme" >> "$tmp/moved/share/chitieu/plots/theme.gp"
mkdir "$tmp/work" "$tmp/elsewhere"
cp -r "$src/indicators" "$src/data" "$src/scripts" "$tmp/work/"
# a plan's own scripts are read from its folder or the folder it is run from
cd "$tmp/work" || exit 1
unset CHITIEU_THEME
bin="$tmp/moved/bin/chitieu"
plan="$tmp/work/indicators/thanh-hoa-2016-2020.yaml"
"$bin" --version | grep -q '^chitieu ' || fail "--version"
"$bin" check "$tmp"/work/indicators/*.yaml --data "$tmp/work/data" >/dev/null || fail "check failed"
"$bin" assess "$tmp"/work/indicators/*.yaml --data "$tmp/work/data" -o "$tmp/a.csv" || fail "assess failed"
head -1 "$tmp/a.csv" | grep -q '^plan,indicator,unit,level,target_year,target,' || fail "assess wrote no table"
"$bin" plot "$tmp"/work/indicators/*.yaml --data "$tmp/work/data" --out "$tmp/charts" --level province >/dev/null || fail "plot failed"
grep -q '^# the installed theme' "$tmp/charts/theme.gp" || fail "plot did not use the installed theme"
ls "$tmp"/charts/thanh-hoa-2016-2020/*/38.png >/dev/null 2>&1 || fail "plot drew no province chart"
# CHITIEU_THEME and --theme override it
printf '# theme from the environment\n' > "$tmp/env.gp"
cat "$src/plots/theme.gp" >> "$tmp/env.gp"
CHITIEU_THEME="$tmp/env.gp" "$bin" plot "$tmp"/work/indicators/*.yaml --data "$tmp/work/data" --out "$tmp/charts2" --level province >/dev/null \
  || fail "plot with CHITIEU_THEME failed"
grep -q '^# theme from the environment' "$tmp/charts2/theme.gp" || fail "CHITIEU_THEME was not used"
echo "installed copy: check, assess and plot work from $tmp/work"
