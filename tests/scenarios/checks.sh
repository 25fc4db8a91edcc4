# shellcheck shell=bash
# Sourced by the guest scenarios that report TAP-like lines: check WHAT COMMAND... runs COMMAND,
# prints "ok N - WHAT" or "not ok N - WHAT" and counts failures in $failed. The command's output
# is kept in /tmp/check.out and shown, indented, under a failure (under every check when
# check_show_output=1, for scenarios whose output is the record).
n=0 failed=0
check_show_output=${check_show_output:-0}
check() {
	local what=$1 ok=1
	shift
	n=$((n + 1))
	"$@" >/tmp/check.out 2>&1 || ok=0
	if [ "$ok" -eq 1 ]; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=$((failed + 1))
	fi
	if [ "$ok" -eq 0 ] || [ "$check_show_output" -eq 1 ]; then
		sed 's/^/#   /' /tmp/check.out
	fi
}
fails() { ! "$@"; }
