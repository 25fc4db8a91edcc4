#!/usr/bin/env bash
# Every VM suite of the default run, one after the other; one combined count at the end.
#   tests/vm/all.sh SUITE...   (suite scripts under tests/vm/)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0 broken=()
for s in "$@"; do
	echo "##### $s"
	out=$(mktemp)
	"$here/$s" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
	s_line=$(grep -E '^[0-9]+ skipped$' "$out" | tail -1)
	s_line=${s_line%% *}
	skipped=$((skipped + ${s_line:-0}))
	rm -f "$out"
	if [ -z "$line" ]; then
		broken+=("$s")
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + ${line%% passed*}))
	f=${line#*, }
	failed=$((failed + ${f%% failed}))
	[ "$rc" -eq 0 ] || [ "${f%% failed}" -gt 0 ] || { broken+=("$s"); failed=$((failed + 1)); }
done
[ ${#broken[@]} -eq 0 ] || echo "suites that did not finish cleanly: ${broken[*]}"
[ "$skipped" -eq 0 ] || echo "$skipped skipped (the SKIPPED lines above say why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
