#!/bin/bash
# Inside a VM: hooks added and removed while traffic crosses the hooked functions. A tap flood
# crosses an OVS datapath to a 2-queue veth, so every frame runs both ovs_vport_send and
# netdev_pick_tx; meanwhile a module is loaded and unloaded --cycles times:
#   txqguard     txqguard.ko (--attach ftrace or kprobe)
#   txqguard_lp  txqguard_lp.ko: enable by insmod, disable through sysfs, wait, rmmod
#   txqg_nop     the control: empty hooks on the same two functions (--attach ftrace or kprobe)
# Prints "cycle N load" and "cycle N unload" before each step (a guest that locks up ends there)
# and "RESULT cycles=N" at the end.
#   cycle.sh --dir BUILD_DIR --module M [--attach A] [--cycles N]
set -euo pipefail
dir="" module="" attach=ftrace cycles=20
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	*) echo "cycle.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
lp=/sys/kernel/livepatch/txqguard_lp
modprobe openvswitch && modprobe tun && modprobe veth
ovs-dpctl add-dp cydp
ip tuntap add dev cytap mode tap
ip link add cyq0 numtxqueues 2 type veth peer name cyq1 numtxqueues 2
for l in cytap cyq0 cyq1; do ip link set "$l" up; done
ovs-dpctl add-if cydp cytap
ovs-dpctl add-if cydp cyq0
ovs-dpctl add-flow cydp "in_port(1),eth(),eth_type(0x0800),ipv4()" 2
"$top/build/tools/$(uname -m)/tapflood" cytap 3600 >/dev/null &
sleep 1

load() {
	case $module in
	txqguard | txqg_nop) insmod "$dir/$module.ko" attach="$attach" ;;
	txqguard_lp) insmod "$dir/txqguard_lp.ko" attach="$attach" ;;
	esac
}
unload() {
	if [ "$module" = txqguard_lp ]; then
		echo 0 >$lp/enabled
		for _ in $(seq 300); do [ "$(cat $lp/transition 2>/dev/null || echo 0)" = 0 ] && break; sleep 0.1; done
	fi
	for _ in $(seq 100); do rmmod "$module" 2>/dev/null && return 0; sleep 0.1; done
	rmmod "$module"
}
for ((c = 1; c <= cycles; c++)); do
	echo "cycle $c load"
	load
	sleep 0.3
	echo "cycle $c unload"
	unload
	sleep 0.2
done
echo "RESULT cycles=$cycles rx=$(cat /sys/class/net/cyq1/statistics/rx_packets)"
