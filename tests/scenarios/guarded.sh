# shellcheck shell=bash
# Sourced by the scenarios that load txqguard themselves, change something around it, then run the
# reproducer under it (ftrace-switch.sh, graph-tracer.sh). Their arguments:
#   --ko PATH [--attach auto|ftrace|kprobe] [--hold-ms MS]
# and the reproducer's run as one check. Needs checks.sh sourced first; sets ko, attach, hold.
# shellcheck disable=SC2034 # attach is the sourcing scenario's, for its insmod
guarded_args() {
	local me=$1
	shift
	ko="" attach=auto hold=6000
	while [ $# -gt 0 ]; do
		case $1 in
		--ko) ko=$2; shift 2 ;;
		--attach) attach=$2; shift 2 ;;
		--hold-ms) hold=$2; shift 2 ;;
		*) echo "$me: unknown argument $1" >&2; exit 2 ;;
		esac
	done
	[ -n "$ko" ] || { echo "usage: $me --ko PATH [--attach A] [--hold-ms MS]" >&2; exit 2; }
}

# The reproducer's window under the loaded guard (loaded with selftest=1): a guard that stopped
# shows as the lockup, which the host sees.
guarded_race() {
	# shellcheck disable=SC2154 # top: the sourcing scenario's checkout
	"$top/tests/scenarios/race.sh" --reuse --mode enforce --hold-ms "$hold"
	local rc=$?
	check "the reproducer ran to its end under the guard" test "$rc" -eq 0
}
