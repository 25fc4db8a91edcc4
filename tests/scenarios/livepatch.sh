#!/bin/bash
# Inside a VM: the live-patch form's life cycle under a tap flood. Each cycle
# enables the patch (insmod), checks what ops tooling reads (sysfs, taint K),
# that the other form is refused while it is loaded, then disables it through
# sysfs, waits for the transition and removes it. The healthy port must keep
# receiving throughout.
#
#   livepatch.sh --ko DIR [--cycles N]    (DIR holds txqguard.ko and txqguard_lp.ko)
# Prints one "ok"/"not ok" line per check and one "RESULT k=v ..." line.
set -euo pipefail
dir="" cycles=3
while [ $# -gt 0 ]; do
	case $1 in
	--ko) dir=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	*) echo "livepatch.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f "$dir/txqguard_lp.ko" ] || { echo "livepatch.sh: no $dir/txqguard_lp.ko" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
flood_bin=$top/build/tools/$(uname -m)/tapflood
lp=/sys/kernel/livepatch/txqguard_lp
dp=txqg0
. "$top/tests/scenarios/checks.sh"
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
# Waits up to $2 tenths of a second for the command in $1 to succeed.
wait_for() {
	local i
	for ((i = 0; i < $2; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
no_transition() { [ "$(cat $lp/transition 2>/dev/null)" = 0 ]; }
tainted_k() { [ $(($(cat /proc/sys/kernel/tainted) & 32768)) -ne 0 ]; }
other_refused() {
	! insmod "$dir/txqguard.ko" 2>/dev/null &&
		dmesg | grep -q 'txqguard: generic netlink family txqguard exists'
}
gone() { [ ! -d /sys/module/txqguard_lp ] && [ ! -d $lp ]; }
unload() {
	echo 0 >$lp/enabled
	wait_for '[ ! -d '$lp' ] || no_transition' 300 || return 1
	# The live-patch core drops its module reference just after the transition.
	wait_for 'rmmod txqguard_lp 2>/dev/null' 30
}

modprobe openvswitch
modprobe tun
modprobe veth
ovs-dpctl add-dp $dp
ip tuntap add dev tapin mode tap
ip link add vok type veth peer name vok-p
ip link add vmq numtxqueues 4 numrxqueues 4 type veth peer name vmq-p numtxqueues 4 numrxqueues 4
for l in tapin vok vok-p vmq vmq-p; do ip link set "$l" up; done
for l in tapin vok vmq; do ovs-dpctl add-if $dp $l; done
port() { ovs-dpctl show $dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
# The multi-queue port makes the pick (and so the patched function) run per frame.
ovs-dpctl add-flow $dp "in_port($(port tapin)),eth(),eth_type(0x0800),ipv4()" "$(port vok),$(port vmq)"

# Long enough for any cycle under emulation; stopped once the cycles are done.
"$flood_bin" tapin 3600 >/dev/null &
flood_pid=$!
sleep 1
ok0=$(rx vok-p)
t0=$(date +%s%N)
for ((c = 1; c <= cycles; c++)); do
	check "cycle $c: the flood is running" kill -0 $flood_pid
	l0=$(date +%s%N)
	check "cycle $c: insmod txqguard_lp" insmod "$dir/txqguard_lp.ko"
	check "cycle $c: $lp/enabled is 1" grep -qx 1 $lp/enabled
	check "cycle $c: transition completes" wait_for no_transition 300
	l1=$(date +%s%N)
	check "cycle $c: kernel tainted K" tainted_k
	check "cycle $c: netdev_core_pick_tx listed" test -d "$lp/vmlinux/netdev_core_pick_tx,1"
	check "cycle $c: backend livepatch in debugfs" grep -qx 'backend livepatch' /sys/kernel/debug/txqguard/stats
	c0=$(awk '$1 == "txhash_checked" {print $2}' /sys/kernel/debug/txqguard/stats)
	sleep 1
	c1=$(awk '$1 == "txhash_checked" {print $2}' /sys/kernel/debug/txqguard/stats)
	check "cycle $c: the patched pick runs ($c0 -> $c1)" test "$c1" -gt "$c0"
	check "cycle $c: txqguard.ko refused while txqguard_lp is loaded" other_refused
	u0=$(date +%s%N)
	check "cycle $c: disable, transition, rmmod" unload
	u1=$(date +%s%N)
	check "cycle $c: module and sysfs gone" gone
	echo "livepatch: cycle $c enable_ms=$(((l1 - l0) / 1000000)) unload_ms=$(((u1 - u0) / 1000000))"
done
elapsed=$((($(date +%s%N) - t0) / 1000000))
ok1=$(rx vok-p)
kill $flood_pid
wait $flood_pid || true
check "healthy port kept receiving ($ok0 -> $ok1)" test "$ok1" -gt "$ok0"
echo "RESULT cycles=$cycles passed=$((n - failed)) failed=$failed healthy=$((ok1 - ok0)) elapsed_ms=$elapsed"
ovs-dpctl del-dp $dp
[ "$failed" -eq 0 ]
