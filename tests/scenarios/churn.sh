#!/bin/bash
# Inside a VM: OVS port churn under a tap flood. txqg-churn (ctl/tools/churn.cc) runs the cycles in
# one process: create a veth, attach it, point the flood's flow at it and at a healthy port, let
# traffic run, delete it (or, with --netns, the namespace that holds its peer). This script loads
# the module, starts the flood and judges the result.
#
#   churn.sh --ko PATH [--cycles N] [--netns] [--mode M] [--attach A] [--guards LIST] [--pps N]
#            [--dwell-ms MS]
# Passes on txqg-churn's "RESULT cycles=N hazards=H dropped=D healthy_rx=R elapsed_ms=E ..." line
# when every cycle ran, lethal packets (hazards: outputs to a dying port) were caught and the
# healthy port received frames.
set -euo pipefail
ko="" cycles=100 mode=enforce attach=auto guards=txhash,ovs_output pps=5000 churn_args=()
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	--netns) churn_args+=(--netns); shift ;;
	--mode) mode=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--guards) guards=$2; shift 2 ;;
	--pps) pps=$2; shift 2 ;;
	--dwell-ms) churn_args+=(--dwell-ms "$2"); shift 2 ;;
	*) echo "churn.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] || { echo "usage: churn.sh --ko PATH [--cycles N] [--netns] [--mode M] [--pps N]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
flood_bin=$top/build/tools/$(uname -m)/tapflood
churn_bin=$top/build/ctl/txqg-churn
for f in "$flood_bin" "$churn_bin"; do
	[ -x "$f" ] || { echo "churn.sh: $f is missing (make tools ctl)" >&2; exit 1; }
done
tap=cqtap

modprobe openvswitch
modprobe tun
modprobe veth
# A second run in the same guest keeps the module: it may refuse to unload right after hazards.
if [ -d /sys/module/txqguard ]; then
	echo "$mode" >/sys/module/txqguard/parameters/mode
else
	insmod "$ko" mode="$mode" attach="$attach" guards="$guards"
fi
echo "churn.sh: txqguard mode $(cat /sys/module/txqguard/parameters/mode) attach $(cat /sys/module/txqguard/parameters/attach)"
ip tuntap add dev $tap mode tap
ip link set $tap up
# A bounded rate leaves the vCPUs time for the churn itself; the flood outlives any run.
"$flood_bin" $tap 3600 "$pps" >/tmp/flood.out &
flood_pid=$!
cleanup() {
	kill "$flood_pid" 2>/dev/null || true
	wait "$flood_pid" 2>/dev/null || true
	ip tuntap del dev $tap mode tap 2>/dev/null || true
}
trap cleanup EXIT

set +e
"$churn_bin" --tap $tap --cycles "$cycles" "${churn_args[@]}" | tee /tmp/churn.out
rc=${PIPESTATUS[0]}
set -e
cleanup
trap - EXIT

result=$(grep '^RESULT ' /tmp/churn.out | tail -1)
[ "$rc" -eq 0 ] || { echo "churn.sh: txqg-churn failed (exit $rc)" >&2; exit 1; }
value() { printf '%s\n' "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
[ "$(value cycles)" = "$cycles" ] || { echo "churn.sh: $(value cycles) of $cycles cycles ran" >&2; exit 1; }
hazards=$(value hazards) healthy=$(value healthy_rx)
events=$(grep -c . /sys/kernel/debug/txqguard/events || true)
echo "churn.sh: $hazards lethal packets over $cycles cycles ($events events listed, $(grep -c 'real_num_tx_queues=0 ' /sys/kernel/debug/txqguard/events || true) with real_num_tx_queues=0), healthy port received $healthy frames"
# A churn that never reached a dying port's output tested nothing the guard is for.
[ "${hazards:-0}" -gt 0 ] || { echo "churn.sh: no lethal packet in $cycles cycles: the race was never reached" >&2; exit 1; }
[ "${healthy:-0}" -gt 0 ] || { echo "churn.sh: the healthy port received nothing" >&2; exit 1; }
