#!/usr/bin/env bash
# Builds the libFuzzer targets of ctl/fuzz/ (clang, ASan, UBSan) in build/fuzz and runs each for a
# bounded time; any crash, leak, timeout or out-of-memory fails the run.
#   tests/fuzz/run.sh [target...]        targets by name: stats, cli, ... (default: all)
#   TXQG_FUZZ_SECONDS=60 tests/fuzz/run.sh   time per target (default 15)
# Inputs that found new coverage are kept in build/fuzz/corpus/<target>/ for the next run (copy the
# useful ones into ctl/fuzz/corpus/<target>/); reproducers go to build/fuzz/artifacts/. To replay
# one: build/fuzz/bin/fuzz_<target> build/fuzz/artifacts/<target>-crash-...
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build/fuzz
seconds=${TXQG_FUZZ_SECONDS:-15}
cxx=${TXQG_FUZZ_CXX:-clang++}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: TXQG_FUZZ_SECONDS must be a positive integer" >&2; exit 2; }
command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (scripts/install-deps installs clang)" >&2; exit 1; }

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for src in "$top"/ctl/fuzz/fuzz_*.cc; do
		t=${src##*/fuzz_}
		targets+=("${t%.cc}")
	done
fi
for t in "${targets[@]}"; do
	[ -f "$top/ctl/fuzz/fuzz_$t.cc" ] || { echo "fuzz: no target '$t' (ctl/fuzz/fuzz_$t.cc)" >&2; exit 2; }
done

mkdir -p "$build"
cmake -S "$top/ctl" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DTXQG_FUZZ=ON \
	-DTXQG_BUILD_TESTS=OFF >"$build/configure.log" 2>&1 ||
	{ tail -40 "$build/configure.log" >&2; echo "fuzz: configure failed" >&2; exit 1; }
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >"$build/build.log" 2>&1 ||
	{ tail -40 "$build/build.log" >&2; echo "fuzz: build failed (log: $build/build.log)" >&2; exit 1; }

# Targets that read real files get a scratch directory; tmpfs keeps them fast.
scratch_parent=$build
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch_parent=/dev/shm
scratch=$(mktemp -d "$scratch_parent/txqg-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

mkdir -p "$build/artifacts" "$build/logs"
# libFuzzer checks for leaks after each input itself; the check at exit only costs time.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:leak_check_at_exit=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# fuzz_one T: run target T, leave its verdict in logs/T.rc (the runner's exit status).
fuzz_one() {
	local t=$1 log=$build/logs/$1.log corpus=$build/corpus/$1 rc=0 args seeds
	mkdir -p "$corpus"
	args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1
	      -artifact_prefix="$build/artifacts/$t-")
	[ -f "$top/ctl/fuzz/dict/$t.dict" ] && args+=(-dict="$top/ctl/fuzz/dict/$t.dict")
	# New inputs go to the first directory: never the seeds in the source tree.
	seeds=()
	[ -d "$top/ctl/fuzz/corpus/$t" ] && seeds=("$top/ctl/fuzz/corpus/$t")
	TMPDIR=$scratch "$build/bin/fuzz_$t" "${args[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
	echo "$rc" >"$build/logs/$t.rc"
}

# One target per CPU at a time: each runner is one thread, and the wall time is the run's cost.
start=$SECONDS
rm -f "$build"/logs/*.rc
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
	fuzz_one "$t" &
done
wait

passed=0 failed=0
for t in "${targets[@]}"; do
	log=$build/logs/$t.log
	rc=$(cat "$build/logs/$t.rc" 2>/dev/null) || rc="no verdict"
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$log" | tail -1)
	if grep -q 'ERROR: libFuzzer: timeout' "$log"; then result=timeout
	elif grep -q 'ERROR: LeakSanitizer' "$log"; then result=leak
	elif grep -q 'ERROR: libFuzzer: out-of-memory' "$log"; then result=out-of-memory
	elif [ "$rc" != 0 ]; then result=crash
	else result=ok
	fi
	if [ "$result" = ok ]; then
		passed=$((passed + 1))
		printf 'fuzz_%-16s ok       %10s execs\n' "$t" "${execs:-?}"
	else
		failed=$((failed + 1))
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		printf 'fuzz_%-16s %-8s %10s execs  %s (log: %s)\n' "$t" "$result" "${execs:-?}" \
			"${artifact:-no reproducer written}" "${log#"$top"/}"
		grep -m3 -E 'runtime error|ERROR: |check failed' "$log" | sed 's/^/    /' || true
	fi
done
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, $((SECONDS - start)) s in all"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
