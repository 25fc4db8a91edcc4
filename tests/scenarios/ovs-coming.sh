#!/bin/bash
# Inside a VM: openvswitch.ko loading while txqguard loads. Whatever the order of the two inits,
# the ovs_output guard must end armed. Two ways per round:
#   held:    openvswitch's init waits for RTNL (held by txqg_test.ko) in MODULE_STATE_COMING while
#            txqguard loads, so txqguard registers its module notifier after openvswitch's
#            COMING notification and cannot pin a module that is not live yet: only openvswitch
#            going live can arm it;
#   racing:  modprobe openvswitch and insmod txqguard started together, a few ms apart.
#   ovs-coming.sh --dir BUILD_DIR [--rounds N] [--attach A]
set -uo pipefail
dir="" rounds=5 attach=auto
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	*) echo "ovs-coming.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
dbg=/sys/kernel/debug/txqguard
dbg_test=/sys/kernel/debug/txqg_test
check_show_output=1
. "$top/tests/scenarios/checks.sh"
. "$top/tests/scenarios/ovs-traffic.sh"
ovs_state() { awk '$1 == "ovs_output" {print $3}' $dbg/probes; }
initstate() { cat /sys/module/openvswitch/initstate 2>/dev/null; }
# Loaded once, then removed alone: its dependencies stay, so only openvswitch itself loads below.
modprobe openvswitch && rmmod openvswitch || exit 1
insmod "$dir/txqg_test.ko" || exit 1

# held_round: "waiting" right after insmod (openvswitch still coming), then armed once it is live.
held_round() {
	local hold_pid mod_pid seen=""
	dmesg -c >/dev/null
	echo 4000 >$dbg_test/hold_rtnl_ms &
	hold_pid=$!
	until dmesg | grep -q 'txqg_test: holding RTNL'; do sleep 0.05; done
	modprobe openvswitch &
	mod_pid=$!
	for _ in $(seq 100); do
		[ "$(initstate)" = coming ] && break
		sleep 0.05
	done
	[ "$(initstate)" = coming ] || { echo "openvswitch never reached coming"; return 1; }
	insmod "$dir/txqguard.ko" attach="$attach" || { echo "insmod failed"; return 1; }
	# The round tests the late arm only if openvswitch was still coming after our init.
	seen="$(initstate) $(ovs_state)"
	wait $hold_pid $mod_pid
	echo "after insmod: openvswitch ${seen% *}, ovs_output ${seen#* }; once live: ovs_output $(ovs_state)"
	[ "$seen" = "coming waiting" ] && [ "$(initstate)" = live ] && [ "$(ovs_state)" = armed ]
}

racing_round() {
	local mod_pid
	modprobe openvswitch &
	mod_pid=$!
	sleep "0.0$((RANDOM % 10))"
	insmod "$dir/txqguard.ko" attach="$attach" || { echo "insmod failed"; return 1; }
	wait $mod_pid
	echo "ovs_output $(ovs_state)"
	[ "$(ovs_state)" = armed ]
}

unload_both() { rmmod txqguard && rmmod openvswitch; }

for ((r = 1; r <= rounds; r++)); do
	check "round $r, held: openvswitch coming during txqguard's init, ovs_output armed once live" held_round
	check "round $r: unload both" unload_both
	check "round $r, racing: ovs_output armed" racing_round
	check "round $r: unload both" unload_both
done
check "held once more: ovs_output armed once live" held_round
check "the guard armed when openvswitch went live counts its outputs" ovs_traffic_counted oc
check "unload both" unload_both
echo "ovs-coming: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
