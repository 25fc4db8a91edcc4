#!/bin/bash
# Inside a VM: the operator's session with the txqguardctl built for this machine (the shipped
# one, build/ship/<uname -m>/txqguardctl): status, load, status, verify, stats, metrics, status,
# unload, status. Each step prints the command's output, then "RC <step> <status>" and
# "TIME <step> <ms>"; the suite matches those lines.
#   ctl-lifecycle.sh --ko PATH
set -u
ko=""
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	*) echo "ctl-lifecycle.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] || { echo "usage: ctl-lifecycle.sh --ko PATH" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$top/build/ship/$(uname -m)/txqguardctl
[ -x "$ctl" ] || { echo "ctl-lifecycle.sh: no $ctl (make ship-ctl)" >&2; exit 2; }

echo "BOOT uptime=$(cut -d' ' -f1 /proc/uptime)s"
run() { # NAME ARGS...
	local name=$1 rc t0 t1
	shift
	echo "=== $name: txqguardctl $*"
	t0=$(date +%s%N)
	"$ctl" "$@"
	rc=$?
	t1=$(date +%s%N)
	echo "RC $name $rc"
	echo "TIME $name $(((t1 - t0) / 1000000))ms"
}
run status-before status
run load load --module "$ko"
run status status
run verify verify
run stats stats
run metrics metrics
run status-after-verify status
# verify's canaries to the admin-down port are port-down drops, not lethal: nothing holds the module.
echo "REFCNT $(cat /sys/module/txqguard/refcnt)"
run unload unload
if [ -d /sys/module/txqguard ]; then echo "STILL LOADED"; else echo "GONE"; fi
run status-unloaded status
