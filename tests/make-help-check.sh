#!/usr/bin/env bash
# Every .PHONY target has its line in `make help`, and help names no target that is gone: the help
# is written by hand beside each rule (mk/help.mk), so a new or renamed target can leave it behind.
#   tests/make-help-check.sh        (also: make helpcheck, the first thing make test runs)
set -euo pipefail
cd "$(dirname "$0")/.."
# Run from a recipe, this make must not join the caller's jobserver or take its flags (-n, -k).
unset MAKEFLAGS MFLAGS MAKELEVEL

help=$(make -s help)
# The rule database, read without running a recipe (-q); -q exits 1 because help is never up to date.
rc=0
db=$(make -pRrq help 2>&1) || rc=$?
if [ "$rc" -gt 1 ]; then
	printf '%s\n' "$db" >&2
	echo "make-help-check: make could not read the makefiles" >&2
	exit 1
fi
phony=$(sed -n 's/^\.PHONY: //p' <<<"$db" | tr ' ' '\n' | sort -u)
if ! grep -qx test <<<"$phony"; then
	echo "make-help-check: found no .PHONY targets (not even test) in make's database" >&2
	exit 1
fi
# Help's target column: two spaces, the name, then its text or the end of the line.
listed=$(sed -n 's/^  \([^ ][^ ]*\)\( .*\)\{0,1\}$/\1/p' <<<"$help" | sort -u)

failed=0
while read -r t; do
	if ! grep -qxF -- "$t" <<<"$listed"; then
		echo "FAIL make help lacks .PHONY target $t (add a \"## $t: ...\" line above its rule)"
		failed=1
	fi
done <<<"$phony"
# Paths (build/...) are file targets, not .PHONY; every other name help gives must be one.
while read -r t; do
	case $t in */*) continue ;; esac
	if ! grep -qxF -- "$t" <<<"$phony"; then
		echo "FAIL make help names $t, which is no .PHONY target"
		failed=1
	fi
done <<<"$listed"
[ "$failed" = 0 ] || exit 1
echo "PASS make help lists all $(wc -l <<<"$phony") .PHONY targets"
