#!/bin/bash
# Inside a VM: ports that are merely down are no lockup. A tap flood (rx queue recorded) crosses an
# OVS datapath to an admin-down 2-queue veth, to a veth without carrier (its peer is down) and to a
# healthy veth. Enforce mode drops the outputs to the down ports as upstream does, counted as
# port_down; nothing is lethal: no hazard, no event, no log line, no hold, unloading allowed at
# once. Detect mode counts them and lets them through, and the txhash guard sees the admin-down
# port's picks without calling them lethal.
#   down-port.sh --ko PATH [--attach A] [--flood-s S]
# Prints "ok/not ok" lines and one "RESULT mode=... port_down=... hazards=..." line per mode.
set -uo pipefail
ko="" attach=auto flood_s=4
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--flood-s) flood_s=$2; shift 2 ;;
	*) echo "down-port.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
dbg=/sys/kernel/debug/txqguard
dp=downdp
check_show_output=1
. "$top/tests/scenarios/checks.sh"
stat() { awk -v k="$1" '$1 == k {print $2}' $dbg/stats; }
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
port() { ovs-dpctl show $dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }

modprobe openvswitch && modprobe tun && modprobe veth || exit 1
ovs-dpctl add-dp $dp
ip tuntap add dev dtap mode tap
ip link add vdown numtxqueues 2 type veth peer name vdown-p numtxqueues 2
ip link add vnocar type veth peer name vnocar-p
ip link add vok type veth peer name vok-p
for l in dtap vdown-p vnocar vok vok-p; do ip link set "$l" up; done
for l in dtap vdown vnocar vok; do ovs-dpctl add-if $dp "$l"; done
# Attaching brings a port up: take the two down again.
ip link set vdown down
ip link set vnocar-p down
ovs-dpctl add-flow $dp "in_port($(port dtap)),eth(),eth_type(0x0800),ipv4()" \
	"$(port vdown),$(port vnocar),$(port vok)"
# shellcheck disable=SC2015 # intended: fail unless both ports are in their states
ip -o link show vdown | grep -q 'state DOWN' && ip -o link show vnocar | grep -q 'NO-CARRIER' ||
	{ echo "down-port: the ports are not in the intended states"; ip -o link show; exit 1; }

for mode in enforce detect; do
	dmesg -c >/dev/null
	insmod "$ko" mode=$mode attach="$attach" || exit 1
	ok0=$(rx vok-p)
	"$top/build/tools/$(uname -m)/tapflood" dtap "$flood_s" >/tmp/flood.out
	down=$(stat ovs_output_port_down) ddrop=$(stat ovs_output_port_down_dropped)
	echo "RESULT mode=$mode port_down=$down port_down_dropped=$ddrop" \
		"ovs_output_hazards=$(stat ovs_output_hazards) txhash_hazards=$(stat txhash_hazards)" \
		"txhash_checked=$(stat txhash_checked) events_total=$(stat events_total) hold_ms=$(stat hold_ms)" \
		"healthy=$(($(rx vok-p) - ok0)) $(cat /tmp/flood.out)"
	# Two down ports per frame.
	check "$mode: outputs to the down ports counted as port_down" test "$down" -gt 0
	if [ $mode = enforce ]; then
		check "enforce: each dropped, as upstream does" test "$ddrop" -eq "$down"
	else
		check "detect: none dropped" test "$ddrop" -eq 0
		check "detect: the txhash guard saw the admin-down port's picks" test "$(stat txhash_checked)" -gt 0
	fi
	check "$mode: the healthy port received the flood" test "$(($(rx vok-p) - ok0))" -gt 0
	check "$mode: no lethal ovs_output" test "$(stat ovs_output_hazards)" -eq 0
	check "$mode: no lethal txhash" test "$(stat txhash_hazards)" -eq 0
	check "$mode: no event recorded" test "$(stat events_total)" -eq 0
	check "$mode: no event listed" test -z "$(cat $dbg/events)"
	check "$mode: no hold" test "$(stat hold_ms)" -eq 0
	check "$mode: no hazard or hold logged" fails sh -c "dmesg | grep -E 'txqguard: .*(hazard|lethal|unloading)'"
	check "$mode: unloading allowed at once" rmmod txqguard
done
ovs-dpctl del-dp $dp
for l in vdown vnocar vok; do ip link del "$l"; done
ip tuntap del dev dtap mode tap
echo "down-port: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
