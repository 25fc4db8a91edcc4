#!/bin/bash
# Inside a VM, as root: txqguard's generic-netlink family fed malformed requests, a burst and an
# overrun by txqg-genl-abuse (ctl/tools/genl_abuse.cc). Each must be refused clearly and the mode
# must stay where it was; the kernel must not warn (vmrun turns any WARN/BUG into exit 125).
#   genl-abuse.sh --ko PATH [--mode M]
# Prints the tool's "ok N - ..." lines and "genl-abuse: X of Y checks passed".
set -euo pipefail
ko="" mode=enforce
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	*) echo "genl-abuse.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] || { echo "usage: genl-abuse.sh --ko PATH [--mode M]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
abuse=$top/build/ctl/txqg-genl-abuse
[ -x "$abuse" ] || { echo "genl-abuse.sh: $abuse is missing (make ctl)" >&2; exit 1; }

insmod "$ko" mode="$mode"
dmesg -c >/dev/null
rc=0
"$abuse" || rc=$?
echo "genl-abuse.sh: mode $(cat /sys/module/txqguard/parameters/mode) (loaded with $mode)"
# A mode change logs "mode A -> B": none may have happened.
if dmesg | grep -E 'txqguard: mode [a-z]+ -> '; then
	echo "genl-abuse.sh: the mode changed during the run" >&2
	rc=1
fi
[ "$(cat /sys/module/txqguard/parameters/mode)" = "$mode" ] || rc=1
exit $rc
