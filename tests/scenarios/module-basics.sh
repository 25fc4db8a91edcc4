#!/bin/bash
# Inside a VM: the module's contract apart from the race. Bad input is refused
# and changes nothing; debugfs is root-only and complete; openvswitch may come
# and go around a loaded txqguard.
#   module-basics.sh --ko PATH
# Prints "ok N - ..." / "not ok N - ..." lines and exits non-zero on any failure.
set -uo pipefail
ko=${2:?usage: module-basics.sh --ko PATH}
dbg=/sys/kernel/debug/txqguard
param=/sys/module/txqguard/parameters
n=0 failed=0
check() {
	local what=$1
	shift
	n=$((n + 1))
	if "$@" >/tmp/check.out 2>&1; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		sed 's/^/#   /' /tmp/check.out
		failed=$((failed + 1))
	fi
}
fails() { ! "$@"; }
loaded() { [ -d /sys/module/txqguard ]; }
probe_state() { awk -v g="$1" '$1 == g {print $3}' $dbg/probes; }
has_line() { grep -q "$2" "$1"; }

modprobe -r openvswitch 2>/dev/null || true
check "mode=bogus is refused" fails insmod "$ko" mode=bogus
check "guards=bogus is refused" fails insmod "$ko" guards=txhash,bogus
check "guards= (empty) is refused" fails insmod "$ko" guards=
check "nothing is left loaded after refusals" fails loaded

check "loads without openvswitch" insmod "$ko" selftest=1
check "txhash probe armed" test "$(probe_state txhash)" = armed
check "ovs_output probe waits for openvswitch" test "$(probe_state ovs_output)" = waiting
check "hold_ovs_lock_ms without openvswitch is ENODEV" \
	bash -c "! echo 100 > $dbg/selftest/hold_ovs_lock_ms 2>/tmp/e; grep -q 'No such device' /tmp/e"
for f in stats events probes; do
	check "$f is root-only (0400)" test "$(stat -c %a $dbg/$f)" = 400
done
for k in version mode backend txhash_checked txhash_hazards txhash_neutralized \
	ovs_output_checked ovs_output_hazards ovs_output_dropped events_total; do
	check "stats has $k" grep -q "^$k " $dbg/stats
done

check "generic netlink family registered" sh -c "genl ctrl get name txqguard | grep -q 'Name: txqguard'"
check "mode param reads enforce" test "$(cat $param/mode)" = enforce
check "mode=bogus at run time is refused" fails sh -c "echo bogus > $param/mode"
check "mode unchanged after a bad write" test "$(cat $param/mode)" = enforce
check "mode=detect at run time" sh -c "echo detect > $param/mode && grep -q '^mode detect' $dbg/stats"
echo enforce >$param/mode

check "openvswitch loaded after txqguard arms the ovs_output probe" \
	sh -c "modprobe openvswitch && test \"\$(awk '\$1 == \"ovs_output\" {print \$3}' $dbg/probes)\" = armed"
for v in 0 10001 abc -5 ' '; do
	check "hold_ovs_lock_ms '$v' is EINVAL" \
		bash -c "! printf '%s' '$v' > $dbg/selftest/hold_ovs_lock_ms 2>/tmp/e; grep -q 'Invalid argument' /tmp/e"
done
check "hold_ovs_lock_ms 200 holds and returns" sh -c "echo 200 > $dbg/selftest/hold_ovs_lock_ms"
check "openvswitch unloads under txqguard" modprobe -r openvswitch
check "ovs_output probe back to waiting" test "$(probe_state ovs_output)" = waiting
check "openvswitch reloads and the probe re-arms" \
	sh -c "modprobe openvswitch && test \"\$(awk '\$1 == \"ovs_output\" {print \$3}' $dbg/probes)\" = armed"
check "unload" rmmod txqguard
check "debugfs gone after unload" fails test -d $dbg
check "generic netlink family gone after unload" fails genl ctrl get name txqguard
check "reload with openvswitch present, selftest off" insmod "$ko"
check "both probes armed" sh -c "test \"\$(awk '{print \$3}' $dbg/probes | sort -u)\" = armed"
check "no selftest hooks without selftest=1" fails test -e $dbg/selftest
check "guards=txhash arms only txhash" \
	sh -c "rmmod txqguard && insmod $ko guards=txhash && awk '\$1 == \"ovs_output\" {print \$3}' $dbg/probes | grep -qx disabled"
check "final unload" rmmod txqguard
echo "module-basics: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
