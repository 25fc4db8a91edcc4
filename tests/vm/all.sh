#!/usr/bin/env bash
# Every VM suite of the default run, TXQG_VM_LANES of them at a time (default: one per CPU); each
# suite's output is printed whole when it ends (and kept in build/vmtests/suites/); one combined
# count at the end.
#   tests/vm/all.sh SUITE...   (suite scripts under tests/vm/, started in the order given)
# SUITE:I/N runs one shard of a suite that takes TXQG_SUITE_SHARD (suite.sh): the long suite in
# parts keeps both lanes busy to the end.
# Why lanes: a third of the CPU stood idle while one suite ran (tests on one emulator thread, guests
# waiting on their own timers), and guests share nothing writable (tests/vm/vmrun).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logs=$here/../../build/vmtests/suites
lanes=${TXQG_VM_LANES:-$(nproc)}
[[ $lanes =~ ^[1-9][0-9]*$ ]] || { echo "all.sh: TXQG_VM_LANES must be a positive integer" >&2; exit 2; }
mkdir -p "$logs"
passed=0 failed=0 skipped=0 broken=()

# report SUITE: its log, then its counts added to the totals; a suite that printed no count line,
# or exited non-zero without a failed test, counts as one failure of its own.
report() {
	local s=$1 rc line s_line f
	rc=$(cat "$logs/$s.rc")
	echo "##### $s ($(cat "$logs/$s.secs") s)"
	cat "$logs/$s.log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/$s.log" | tail -1)
	s_line=$(grep -E '^[0-9]+ skipped$' "$logs/$s.log" | tail -1)
	s_line=${s_line%% *}
	skipped=$((skipped + ${s_line:-0}))
	if [ -z "$line" ]; then
		broken+=("$s")
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + ${line%% passed*}))
	f=${line#*, }
	failed=$((failed + ${f%% failed}))
	[ "$rc" -eq 0 ] || [ "${f%% failed}" -gt 0 ] || { broken+=("$s"); failed=$((failed + 1)); }
}

# run_suite SUITE: in the background; its status and time land beside its log.
run_suite() {
	local s=$1 start=$SECONDS rc=0 shard=1/1
	case $s in *:*) shard=${s#*:} shard=${shard/of//} ;; esac
	TXQG_SUITE_SHARD=$shard "$here/${s%%:*}" >"$logs/$s.log" 2>&1 || rc=$?
	echo $((SECONDS - start)) >"$logs/$s.secs"
	echo "$rc" >"$logs/$s.rc"
}

# A suite's files are named by the entry, I/N spelt IofN.
queue=() running=()
for e in "$@"; do
	case $e in
	*:*) grep -q TXQG_SUITE_SHARD "$here/${e%%:*}" ||
		{ echo "all.sh: ${e%%:*} does not run in shards ($e)" >&2; exit 2; } ;;
	esac
	name=${e/\//of}
	queue+=("$name")
	rm -f "$logs/$name.rc" "$logs/$name.secs"
done
while [ ${#queue[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
	if [ ${#queue[@]} -gt 0 ] && [ ${#running[@]} -lt "$lanes" ]; then
		echo "##### $(date +%T) starting ${queue[0]}"
		run_suite "${queue[0]}" &
		running+=("${queue[0]}")
		queue=("${queue[@]:1}")
		continue
	fi
	wait -n
	still=()
	for s in "${running[@]}"; do
		if [ -f "$logs/$s.rc" ]; then report "$s"; else still+=("$s"); fi
	done
	running=("${still[@]}")
done
[ ${#broken[@]} -eq 0 ] || echo "suites that did not finish cleanly: ${broken[*]}"
[ "$skipped" -eq 0 ] || echo "$skipped skipped (the SKIPPED lines above say why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
