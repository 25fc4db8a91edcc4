#!/bin/bash
# Inside a VM: unload under fire. A tap flood crosses an OVS datapath to a healthy veth the whole
# time. Each cycle loads txqguard, switches modes, deletes a port on the flood's flow and unloads.
# Every --window-every cycles the port is deleted while ovs_lock is held (by txqg_test.ko, beside
# the module under test, so no file of txqguard's is open), so OVS keeps outputting to its dying
# device: unloading must be refused while those lethal outputs arrive, and allowed once they
# stopped. Every --ovs-every cycles openvswitch.ko itself is removed and reloaded under the guard,
# whose probe must re-arm.
#
#   unload-fire.sh --ko PATH [--cycles N] [--attach "auto kprobe"] [--window-every N] [--ovs-every N]
# Prints "not ok" lines for failures, a progress line per cycle and one "RESULT k=v ..." line.
set -euo pipefail
ko="" cycles=10 attaches=auto window_every=5 ovs_every=5
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	--attach) attaches=$2; shift 2 ;;
	--window-every) window_every=$2; shift 2 ;;
	--ovs-every) ovs_every=$2; shift 2 ;;
	*) echo "unload-fire.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
dbg_test=/sys/kernel/debug/txqg_test
flood_bin=$top/build/tools/$(uname -m)/tapflood
dbg=/sys/kernel/debug/txqguard
param=/sys/module/txqguard/parameters
dp=ufdp
hold_s=2
failed=0 refused=0 hazards=0 windows=0 ovs_reloads=0
bad() { echo "not ok - cycle $c: $*"; failed=$((failed + 1)); }
stat() { awk -v k="$1" '$1 == k {print $2}' $dbg/stats; }
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
port() { ovs-dpctl show $dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
armed() { awk -v g="$1" '$1 == g {print $3}' $dbg/probes | grep -qx armed; }

datapath_up() {
	ovs-dpctl add-dp $dp
	ovs-dpctl add-if $dp tapin
	ovs-dpctl add-if $dp vok
	flow="in_port($(port tapin)),eth(),eth_type(0x0800),ipv4()"
	ovs-dpctl add-flow $dp "$flow" "$(port vok)"
}

modprobe openvswitch
modprobe tun
modprobe veth
insmod "$(dirname "$ko")/txqg_test.ko" || exit 1
ip tuntap add dev tapin mode tap
ip link add vok type veth peer name vok-p
for l in tapin vok vok-p; do ip link set "$l" up; done
datapath_up
"$flood_bin" tapin 3600 >/dev/null &
flood_pid=$!
sleep 1
ok0=$(rx vok-p)
t0=$(date +%s%N)
read -r -a attach_list <<<"$attaches"
for ((c = 1; c <= cycles; c++)); do
	attach=${attach_list[(c - 1) % ${#attach_list[@]}]}
	kill -0 $flood_pid || { bad "the flood stopped"; break; }
	insmod "$ko" attach="$attach" unload_hold_s=$hold_s mode=off || { bad "insmod"; continue; }
	# shellcheck disable=SC2015 # intended: complain unless both probes are armed
	armed txhash && armed ovs_output || bad "probes not armed after insmod"
	for m in detect enforce; do echo $m >$param/mode; done
	grep -qx enforce $param/mode || bad "mode switch"

	# A multi-queue port, put on the flood's flow only for a hazard window.
	ip link add vdie numtxqueues 2 type veth peer name vdie-p numtxqueues 2
	ip link set vdie up && ip link set vdie-p up
	ovs-dpctl add-if $dp vdie
	if [ $((c % window_every)) -ne 0 ]; then
		ip link del vdie
		rmmod txqguard || bad "unload with no hazard window"
		echo "unload-fire: cycle $c attach=$attach"
		continue
	fi
	windows=$((windows + 1))
	ovs-dpctl mod-flow $dp "$flow" "$(port vok),$(port vdie)"
	h0=$(($(stat txhash_hazards) + $(stat ovs_output_hazards)))
	echo 5000 >$dbg_test/hold_ovs_lock_ms &
	hold_pid=$!
	sleep 0.3
	ip link del vdie &
	del_pid=$!
	# The window is open while ovs_lock keeps the dead vport: wait for its hazards.
	for _ in $(seq 50); do
		h1=$(($(stat txhash_hazards) + $(stat ovs_output_hazards)))
		[ "$h1" -gt "$h0" ] && break
		sleep 0.1
	done
	[ "$h1" -gt "$h0" ] || bad "no lethal packet while the port died ($h0 -> $h1)"
	[ "$(cat /sys/module/txqguard/refcnt)" -eq 1 ] || bad "references besides the hold's: $(cat /sys/module/txqguard/refcnt)"
	if rmmod txqguard 2>/dev/null; then
		bad "unloaded while hazards kept arriving"
		wait $hold_pid $del_pid || true
		continue
	fi
	h1=$(($(stat txhash_hazards) + $(stat ovs_output_hazards)))
	hazards=$((hazards + h1 - h0))
	refused=$((refused + 1))
	wait $hold_pid $del_pid || true
	ovs-dpctl mod-flow $dp "$flow" "$(port vok)"
	unloaded=0
	for _ in $(seq $(((hold_s + 8) * 5))); do
		rmmod txqguard 2>/dev/null && { unloaded=1; break; }
		sleep 0.2
	done
	[ $unloaded = 1 ] || { bad "still refused $((hold_s + 8)) s after the window closed"; break; }

	if [ $((c % ovs_every)) -eq 0 ]; then
		insmod "$ko" attach="$attach" unload_hold_s=$hold_s
		ovs-dpctl del-dp $dp
		modprobe -r openvswitch || bad "openvswitch does not unload under txqguard"
		awk '$1 == "ovs_output" {print $3}' $dbg/probes | grep -qx waiting || bad "ovs_output probe not waiting"
		modprobe openvswitch
		armed ovs_output || bad "ovs_output probe did not re-arm"
		datapath_up
		ovs_reloads=$((ovs_reloads + 1))
		rmmod txqguard || bad "unload after the openvswitch reload"
	fi
	echo "unload-fire: cycle $c attach=$attach hazards=$((h1 - h0)) healthy=$(($(rx vok-p) - ok0))"
done
elapsed=$((($(date +%s%N) - t0) / 1000000))
ok1=$(rx vok-p)
kill $flood_pid
wait $flood_pid || true
[ "$ok1" -gt "$ok0" ] || bad "the healthy port received nothing"
echo "RESULT cycles=$cycles failed=$failed windows=$windows refused=$refused hazards=$hazards ovs_reloads=$ovs_reloads" \
	"healthy=$((ok1 - ok0)) elapsed_ms=$elapsed"
[ "$failed" -eq 0 ]
