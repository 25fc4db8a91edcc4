# shellcheck shell=bash
# Helpers for the packaging checks: PASS/FAIL lines, one closing "N passed, N failed" per script.
# A tool a check needs and the machine lacks is a SKIP for a developer and a FAIL in CI (CI=true or
# TXQG_CI=1), as in tests/install/check.sh: there a skipped check would pass for a checked one.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
version=$(sed -n 's/^#define TXQGUARD_VERSION "\(.*\)"$/\1/p' "$top/include/uapi/linux/txqguard.h")
work=$top/build/packaging
mkdir -p "$work"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0 skipped=0
ci=0
if [ "${CI:-}" = true ] || [ "${TXQG_CI:-}" = 1 ]; then ci=1; fi

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }
missing() { if [ "$ci" = 1 ]; then fail "$* (CI: every check must run)"; else skip "$*"; fi; }
# check NAME CMD...: PASS when CMD succeeds; otherwise FAIL with the end of its output, indented.
check() {
	local name=$1
	shift
	if "$@" >"$log" 2>&1; then
		pass "$name"
	else
		fail "$name"
		tail -n 25 "$log" | sed 's/^/    /'
	fi
}
# step NAME CMD...: a step the checks after it need; its failure ends the script.
step() {
	local name=$1 t0=$SECONDS
	shift
	if "$@" >"$log" 2>&1; then
		pass "$name ($((SECONDS - t0)) s)"
	else
		fail "$name"
		tail -n 40 "$log" | sed 's/^/    /'
		summary
		exit 1
	fi
}
summary() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
