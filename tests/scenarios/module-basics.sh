#!/bin/bash
# Inside a VM: the module's contract apart from the race. Bad input is refused
# and changes nothing; debugfs is root-only and complete; openvswitch may come
# and go around a loaded txqguard.
#   module-basics.sh --ko PATH [--attach auto|kprobe|ftrace] [--unload-under-traffic]
# --unload-under-traffic adds the unload/reload cycles under a tap flood (tests/vm/suite-unload.sh).
# Prints "ok N - ..." / "not ok N - ..." lines and exits non-zero on any failure.
set -uo pipefail
ko="" attach=auto under_traffic=0
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--unload-under-traffic) under_traffic=1; shift ;;
	*) echo "module-basics.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] || { echo "usage: module-basics.sh --ko PATH [--attach auto|kprobe|ftrace]" >&2; exit 2; }
dbg=/sys/kernel/debug/txqguard
param=/sys/module/txqguard/parameters
. "$(dirname "$0")/checks.sh"
. "$(dirname "$0")/ovs-traffic.sh"
loaded() { [ -d /sys/module/txqguard ]; }
probe_state() { awk -v g="$1" '$1 == g {print $3}' $dbg/probes; }
probe_kind() { awk -v g="$1" '$1 == g && $3 == "armed" {print $NF}' $dbg/probes; }
# The kind an armed probe must show for the attachment the module chose.
kind_ok() {
	local k
	k=$(probe_kind "$1")
	case $(cat $param/attach) in
	ftrace) [ "$k" = ftrace-ops ] || [ "$k" = ftrace-direct ] ;;
	kprobe) [ "$k" = kprobe-ftrace ] || [ "$k" = breakpoint ] ;;
	*) false ;;
	esac || { echo "$1 kind '$k' with attach=$(cat $param/attach)"; false; }
}
has_line() { grep -q "$2" "$1"; }
# Unload and reload while tap frames cross a datapath to a two-queue veth, so both guards' handlers
# run on one CPU while the other removes them: nothing may be left running in freed module text.
unload_under_traffic() {
	local rc=0 top pid i
	top=$(cd "$(dirname "$0")/../.." && pwd)
	ovs-dpctl add-dp mbdp && ip tuntap add dev mbtap mode tap &&
		ip link add mbq0 numtxqueues 2 type veth peer name mbq1 &&
		for l in mbtap mbq0 mbq1; do ip link set "$l" up; done &&
		ovs-dpctl add-if mbdp mbtap && ovs-dpctl add-if mbdp mbq0 &&
		ovs-dpctl add-flow mbdp "in_port(1),eth(),eth_type(0x0800),ipv4()" 2 || rc=1
	if [ $rc -eq 0 ]; then
		"$top/build/tools/$(uname -m)/tapflood" mbtap 4 >/dev/null &
		pid=$!
		for i in 1 2 3; do
			sleep 0.5
			rmmod txqguard || rc=1
			sleep 0.2
			insmod "$ko" attach="$attach" || rc=1
		done
		wait $pid || rc=1
	fi
	echo "ovs_output_checked after the last reload: $(awk '$1 == "ovs_output_checked" {print $2}' $dbg/stats)"
	ovs-dpctl del-dp mbdp
	ip link del mbq0
	ip tuntap del dev mbtap mode tap
	return $rc
}

modprobe -r openvswitch 2>/dev/null || true
check "mode=bogus is refused" fails insmod "$ko" mode=bogus
check "guards=bogus is refused" fails insmod "$ko" guards=txhash,bogus
check "guards= (empty) is refused" fails insmod "$ko" guards=
check "attach=bogus is refused" fails insmod "$ko" attach=bogus
check "unload_hold_s=3601 is refused" fails insmod "$ko" unload_hold_s=3601
check "nothing is left loaded after refusals" fails loaded

check "loads without openvswitch (attach=$attach)" insmod "$ko" selftest=1 attach="$attach"
check "attach reads back kprobe or ftrace" grep -Eqx 'kprobe|ftrace' $param/attach
echo "module-basics: attach=$(cat $param/attach 2>/dev/null) asked=$attach"
if [ "$attach" != auto ]; then
	check "attach reads back $attach" test "$(cat $param/attach)" = "$attach"
fi
check "stats backend is the attachment" test "$(awk '$1 == "backend" {print $2}' $dbg/stats)" = "$(cat $param/attach)"
check "txhash probe armed" test "$(probe_state txhash)" = armed
check "txhash probe kind matches the attachment" kind_ok txhash
check "ovs_output probe waits for openvswitch" test "$(probe_state ovs_output)" = waiting
check "hold_ovs_lock_ms without openvswitch is ENODEV" \
	bash -c "! echo 100 > $dbg/selftest/hold_ovs_lock_ms 2>/tmp/e; grep -q 'No such device' /tmp/e"
for f in stats events probes; do
	check "$f is root-only (0400)" test "$(stat -c %a $dbg/$f)" = 400
done
for k in version mode backend txhash_checked txhash_hazards txhash_neutralized \
	ovs_output_checked ovs_output_hazards ovs_output_dropped ovs_output_port_down \
	ovs_output_port_down_dropped events_total hold_ms; do
	check "stats has $k" grep -q "^$k " $dbg/stats
done

check "generic netlink family registered" sh -c "genl ctrl get name txqguard | grep -q 'Name: txqguard'"
check "mode param reads enforce" test "$(cat $param/mode)" = enforce
check "mode=bogus at run time is refused" fails sh -c "echo bogus > $param/mode"
check "mode unchanged after a bad write" test "$(cat $param/mode)" = enforce
check "unload_hold_s reads its default 10" test "$(cat $param/unload_hold_s)" = 10
for v in -1 3601 ten; do
	check "unload_hold_s '$v' at run time is refused" fails sh -c "echo $v > $param/unload_hold_s"
done
check "unload_hold_s unchanged after bad writes" test "$(cat $param/unload_hold_s)" = 10
check "mode=detect at run time" sh -c "echo detect > $param/mode && grep -q '^mode detect' $dbg/stats"
echo enforce >$param/mode

check "openvswitch loaded after txqguard arms the ovs_output probe" \
	sh -c "modprobe openvswitch && test \"\$(awk '\$1 == \"ovs_output\" {print \$3}' $dbg/probes)\" = armed"
check "ovs_output probe kind matches the attachment" kind_ok ovs_output
for v in 0 10001 abc -5 ' '; do
	check "hold_ovs_lock_ms '$v' is EINVAL" \
		bash -c "! printf '%s' '$v' > $dbg/selftest/hold_ovs_lock_ms 2>/tmp/e; grep -q 'Invalid argument' /tmp/e"
done
check "hold_ovs_lock_ms 200 holds and returns" sh -c "echo 200 > $dbg/selftest/hold_ovs_lock_ms"
# Reload openvswitch until it lands where an earlier copy was: a probe the kernel left behind
# at that address (a kprobe on ftrace killed by the kprobes core instead of unregistered by us)
# silences the re-armed guard and makes ftrace WARN and turn itself off.
seen=" " repeated=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	check "openvswitch unload $i under txqguard" modprobe -r openvswitch
	check "reload $i: ovs_output probe back to waiting" test "$(probe_state ovs_output)" = waiting
	check "reload $i: openvswitch reloads and the probe re-arms" \
		sh -c "modprobe openvswitch && test \"\$(awk '\$1 == \"ovs_output\" {print \$3}' $dbg/probes)\" = armed"
	check "reload $i: re-armed ovs_output probe kind matches the attachment" kind_ok ovs_output
	check "reload $i: the re-armed guard sees OVS outputs" ovs_traffic_counted mb
	addr=$(awk '$3 == "ovs_vport_send" && $4 == "[openvswitch]" {print $1}' /proc/kallsyms)
	echo "module-basics: reload $i: ovs_vport_send at $addr"
	case $seen in *" $addr "*) repeated=1; break ;; esac
	seen="$seen$addr "
done
check "openvswitch came back at an address it had before" test "$repeated" = 1
check "unload" rmmod txqguard
check "debugfs gone after unload" fails test -d $dbg
check "generic netlink family gone after unload" fails genl ctrl get name txqguard
check "reload with openvswitch present, selftest off" insmod "$ko" attach="$attach"
check "both probes armed" sh -c "test \"\$(awk '{print \$3}' $dbg/probes | sort -u)\" = armed"
[ "$under_traffic" = 0 ] || check "unload and reload under traffic through both guards" unload_under_traffic
check "txhash kind after reload" kind_ok txhash
check "ovs_output kind after reload" kind_ok ovs_output
check "no selftest hooks without selftest=1" fails test -e $dbg/selftest
check "guards=txhash arms only txhash" \
	sh -c "rmmod txqguard && insmod $ko guards=txhash attach=$attach && awk '\$1 == \"ovs_output\" {print \$3}' $dbg/probes | grep -qx disabled"
check "final unload" rmmod txqguard
echo "module-basics: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
