#!/bin/bash
# The deterministic reproducer, run inside a VM: a tap port flooded with frames
# (rx queue recorded), a veth port that is deleted while ovs_lock is held, and a
# healthy veth port that must keep receiving.
#
#   race.sh --ko PATH --mode off|detect|enforce [--guards LIST] [--attach auto|kprobe|ftrace]
#           [--hold-ms MS] [--flood-s S] [--reuse]
#
# Prints "txqg-stats ..." lines while the window is open and one "RESULT k=v ..."
# line at the end. --reuse keeps an already loaded txqguard (and sets its mode).
set -euo pipefail

ko="" mode="" guards=txhash,ovs_output attach=auto hold=6000 flood=0 reuse=0
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--guards) guards=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--hold-ms) hold=$2; shift 2 ;;
	--flood-s) flood=$2; shift 2 ;;
	--reuse) reuse=1; shift ;;
	*) echo "race.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $mode in off | detect | enforce) ;; *) echo "race.sh: --mode off|detect|enforce" >&2; exit 2 ;; esac

top=$(cd "$(dirname "$0")/../.." && pwd)
flood_bin=$top/build/tools/$(uname -m)/tapflood
dbg=/sys/kernel/debug/txqguard
dp=txqg0

stat() { awk -v k="$1" '$1 == k {print $2}' $dbg/stats; }
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
show_stats() {
	echo "txqg-stats t=$1 $(awk '{printf "%s=%s ", $1, $2}' $dbg/stats)"
}

# txqguard or its live-patch form txqguard_lp: the same parameters and debugfs.
mod=txqguard
[ -n "$ko" ] && mod=$(basename "$ko" .ko)
if [ "$reuse" = 1 ]; then
	for m in txqguard txqguard_lp; do [ -d /sys/module/$m ] && mod=$m; done
fi
param=/sys/module/$mod/parameters

modprobe openvswitch
modprobe tun
modprobe veth
if [ "$reuse" = 1 ] && [ -d $dbg ]; then
	echo "$mode" >"$param/mode"
else
	insmod "$ko" mode="$mode" guards="$guards" attach="$attach" selftest=1
fi
echo "race: $mod mode $(cat "$param/mode") attach $(cat "$param/attach") backend $(stat backend)"
cat $dbg/probes

ovs-dpctl del-dp $dp 2>/dev/null || true
ip link del vdie 2>/dev/null || true
ip link del vok 2>/dev/null || true
ip tuntap del dev tapin mode tap 2>/dev/null || true
ovs-dpctl add-dp $dp
ip tuntap add dev tapin mode tap
ip link add vdie type veth peer name vdie-p
ip link add vok type veth peer name vok-p
for l in tapin vdie vdie-p vok vok-p; do ip link set "$l" up; done
ovs-dpctl add-if $dp tapin
ovs-dpctl add-if $dp vdie
ovs-dpctl add-if $dp vok
port() { ovs-dpctl show $dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
pin=$(port tapin) pdie=$(port vdie) pok=$(port vok)
ovs-dpctl add-flow $dp "in_port($pin),eth(),eth_type(0x0800),ipv4()" "$pdie,$pok"

# The flood lasts --flood-s, or by default until the window has closed: under a loaded host the
# deletion may take seconds to reach the zeroing of the queue count.
"$flood_bin" tapin "$([ "$flood" -gt 0 ] && echo "$flood" || echo 600)" >/tmp/flood.out &
flood_pid=$!
sleep 1
ok_before=$(rx vok-p)
[ "$ok_before" -gt 0 ] || { echo "race: the healthy port received nothing before the window" >&2; exit 1; }

echo "$hold" >$dbg/selftest/hold_ovs_lock_ms &
hold_pid=$!
for _ in $(seq 50); do
	dmesg | grep -q 'selftest: holding ovs_lock' && break
	sleep 0.1
done
dmesg | grep -q 'selftest: holding ovs_lock' || { echo "race: ovs_lock was never taken" >&2; exit 1; }

echo "race: deleting vdie with ovs_lock held"
ok_t0=$(rx vok-p)
ip link del vdie &
del_pid=$!
t=0
while kill -0 $hold_pid 2>/dev/null; do
	show_stats "$t"
	ok_t1=$(rx vok-p)
	sleep 0.5
	t=$((t + 1))
done
ok_t1=${ok_t1:-$(rx vok-p)}
wait $hold_pid
wait $del_pid
if [ "$flood" -eq 0 ]; then
	sleep 1
	kill -TERM $flood_pid
fi
wait $flood_pid
show_stats end
# The lethal state itself: a recorded event on vdie after its queue count went to 0.
cat $dbg/events >/tmp/events
lethal0=$(grep -c ' ifname=vdie .*real_num_tx_queues=0 ' /tmp/events || true)
echo "RESULT mode=$mode attach=$(cat "$param/attach") backend=$(stat backend) txhash_hazards=$(stat txhash_hazards) ovs_output_hazards=$(stat ovs_output_hazards)" \
	"txhash_checked=$(stat txhash_checked) ovs_output_checked=$(stat ovs_output_checked)" \
	"port_down=$(stat ovs_output_port_down) events_total=$(stat events_total) lethal_rntq0=$lethal0" \
	"healthy_window=$((ok_t1 - ok_t0)) healthy_total=$(rx vok-p) $(sed 's/tapflood: sent \([0-9]*\) frames/injected=\1/' /tmp/flood.out)"
echo "--- $dbg/stats"
cat $dbg/stats
echo "--- $dbg/events (last 3, and the last with real_num_tx_queues=0)"
tail -n 3 /tmp/events
grep ' ifname=vdie .*real_num_tx_queues=0 ' /tmp/events | tail -n 1 || true
ovs-dpctl del-dp $dp
ip link del vok
ip tuntap del dev tapin mode tap
