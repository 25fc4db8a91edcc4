# shellcheck shell=bash
# Helpers for VM test suites: each test boots a kernel through vmrun, keeps its
# output, and asserts on it. A suite ends with "N passed, N failed", after "N skipped" when a
# kernel it needs was not there (skip_kernel): a skip is never counted as a pass.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vmrun=$top/tests/vm/vmrun
out_dir=$top/build/vmtests
mkdir -p "$out_dir"
passed=0 failed=0 failures=() skipped=0
# Guests that add or remove hooks while traffic crosses the hooked functions run their 2 (or more)
# vCPUs on one emulator thread (vmrun --smp-mode single). With a host thread per vCPU (MTTCG), QEMU
# 7.2 sometimes keeps executing the int3 that text_poke_bp() put at a patched site after the guest
# kernel has removed it, and the guest spins at <function>+0x0: as often with a module that only
# adds and removes empty hooks (tests/kmod/txqg_nop.c) as with txqguard, and never with one thread
# (tests/vm/smp-study.sh; the figures are in docs/operations.md, "Text patching on a busy host").
# shellcheck disable=SC2034 # used by the suites that source this file
removal_smp_mode=${TXQG_REMOVAL_SMP_MODE:-single}

# run_vm NAME KERNEL TIMEOUT -- cmd...: output in $out_dir/NAME.out, status in $vm_rc.
# vm_smp=N before it sets the guest's vCPU count (default 2), vm_smp_mode=single|multi how TCG runs
# them (default: TXQG_SMP_MODE, else multi; see vmrun); vm_append="ARGS" adds to the guest's kernel
# command line.
run_vm() {
	local name=$1 kernel=$2 timeout=$3 start
	shift 4
	start=$(date +%s)
	set +e
	"$vmrun" --kernel "$kernel" --smp "${vm_smp:-2}" ${vm_smp_mode:+--smp-mode "$vm_smp_mode"} \
		${vm_append:+--append "$vm_append"} --timeout "$timeout" \
		-- "$@" >"$out_dir/$name.out" 2>&1
	vm_rc=$?
	set -e
	vm_secs=$(($(date +%s) - start))
	vm_out=$out_dir/$name.out
}

# Assertions record failures for the current test instead of stopping the suite.
fail() { test_errors+=("$*"); }
expect_rc() { [ "$vm_rc" -eq "$1" ] || fail "vmrun exit $vm_rc, expected $1"; }
expect_line() { grep -Eq "$1" "$vm_out" || fail "no line matching /$1/"; }
expect_no_line() { ! grep -Eq "$1" "$vm_out" || fail "unexpected line: $(grep -Em1 "$1" "$vm_out")"; }
# result KEY: the value of KEY=... in the scenario's last RESULT line.
# A missing line gives an empty value (and a failed expectation), never a suite abort.
result() { { grep '^RESULT ' "$vm_out" || true; } | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
expect_gt() { # KEY MIN
	local v
	v=$(result "$1")
	# shellcheck disable=SC2015 # intended: fail unless numeric and greater
	[[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -gt "$2" ] || fail "$1=${v:-missing}, expected > $2"
}

begin() { test_name=$1; test_errors=(); echo "=== $test_name"; }
end() {
	if [ ${#test_errors[@]} -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS $test_name (${vm_secs}s)"
	else
		failed=$((failed + 1))
		failures+=("$test_name")
		echo "FAIL $test_name (${vm_secs}s)${vm_out:+: output in $vm_out}"
		printf '  - %s\n' "${test_errors[@]}"
		[ -z "${vm_out:-}" ] || tail -5 "$vm_out" | sed 's/^/  | /'
	fi
}
# have_kernel ID: true when scripts/kernel-fetch can give ID. A kernel the archive cannot give and
# nobody prepared (scripts/oe-kernel's, built for tens of minutes) is not there; anything else
# (a download that fails) is an error, which the test that boots it reports.
have_kernel() {
	local rc=0
	"$top/scripts/kernel-fetch" --locate "$1" >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 0 ] && return 0
	"$top/scripts/kernel-fetch" "$1" >/dev/null 2>&1 || rc=$?
	[ "$rc" -ne 3 ]
}
# skip_kernel ID TEST...: the tests not run for want of kernel ID, in one loud line.
skip_kernel() {
	local k=$1
	shift
	skipped=$((skipped + $#))
	echo "SKIPPED $# test(s), kernel $k is not prepared: $*" \
		"(scripts/oe-kernel builds it; README, \"Prebuilt kernels\", says where to place it)"
}
summary() {
	[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[*]}"
	[ "$skipped" -eq 0 ] || echo "$skipped skipped"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
