#!/bin/bash
# Inside a VM: the unload hold. Lethal outputs (lethal-lab.sh: OVS outputs to a port whose device
# is unregistering, kept there by txqg_test.ko holding ovs_lock) must make rmmod fail while they
# arrive, with no file of txqguard's open (the module's reference count is the hold's one
# reference), and rmmod must succeed unload_hold_s after the last one: not before, not much later.
#   hold.sh --dir BUILD_DIR [--attach A] [--hold-s S]
# Prints "ok/not ok" lines and "RESULT refused=N refused_after_window=M hold_deviation_ms=D".
set -uo pipefail
dir="" attach=auto hold_s=6
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--hold-s) hold_s=$2; shift 2 ;;
	*) echo "hold.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
dbg=/sys/kernel/debug/txqguard
check_show_output=1
. "$top/tests/scenarios/checks.sh"
. "$top/tests/scenarios/lethal-lab.sh"
# Fork-free samples (a fork and exec can take a slow guest a few hundred ms): stat_into KEY sets
# val to KEY's value in the stats, ms_now sets ms to CLOCK_REALTIME in ms.
stat_into() {
	local k v
	val=""
	while read -r k v; do [ "$k" != "$1" ] || val=$v; done <$dbg/stats
}
stat() { stat_into "$1"; echo "$val"; }
ms_now() { local us=${EPOCHREALTIME/[.,]/}; ms=$((us / 1000)); }
# The newest recorded lethal event's time (CLOCK_REALTIME), in ms.
last_lethal_ms() { sed -n 's/^time=\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/p' $dbg/events | tail -1; }

insmod "$dir/txqg_test.ko" || exit 1
insmod "$dir/txqguard.ko" attach="$attach" unload_hold_s="$hold_s" || exit 1
check "the lab floods a datapath" lab_up
check "no hold before any lethal output" test "$(stat hold_ms)" -eq 0
check "vdie is unregistering under a held ovs_lock" lab_kill_port 10000
sleep 0.5
check "lethal outputs counted" test "$(stat ovs_output_hazards)" -gt 0
check "an event with real_num_tx_queues=0 on vdie" grep -q ' ifname=vdie .*real_num_tx_queues=0 ' $dbg/events
check "stats report the hold" test "$(stat hold_ms)" -gt 0
# Whoever holds a reference holds it through the module's refcnt: the hold's is the only one.
check "the module's only reference is the hold's (no file of ours is open)" \
	test "$(cat /sys/module/txqguard/refcnt)" -eq 1
# Until rmmod succeeds, each round samples the hold the stats report (hold_ms) and the newest
# lethal event, then tries rmmod. The hold must be what the last lethal packet left of
# unload_hold_s: (now - last) + hold_ms = unload_hold_s, within the events' 20 ms sampling and the
# time between the reads (the closest round counts: a stalled host delays some). rmmod must fail
# while more than 500 ms of it remain, and succeed once it is over. hold_ms is read before rmmod
# runs, and starting rmmod can take a guest on a loaded host over half a second: what remained
# when it succeeded is at least hold_ms less the time rmmod took, and only that is held against it.
refused=0 after_window=0 allowed="" early="" best=""
for _ in $(seq $(((10 + hold_s + 20) * 10))); do
	open=0
	kill -0 "$lab_hold_pid" 2>/dev/null && open=1
	stat_into hold_ms
	h=${val:-0}
	ms_now
	t=$ms last=$(last_lethal_ms)
	if [ "$h" -gt 0 ]; then
		dev=$((t - last + h - hold_s * 1000))
		[ -n "$best" ] && [ "${dev#-}" -ge "${best#-}" ] || best=$dev
	fi
	if rmmod txqguard 2>/tmp/rmmod.err; then
		allowed=$t
		ms_now
		left=$((h - (ms - t)))
		[ "$left" -le 500 ] || early=$left
		break
	fi
	grep -q 'in use' /tmp/rmmod.err || { cat /tmp/rmmod.err; break; }
	[ $open = 1 ] && refused=$((refused + 1)) || after_window=$((after_window + 1))
	sleep 0.1
done
lab_wait_port
echo "hold: refused $refused times in the window, $after_window after it; (now - last lethal) +" \
	"hold_ms - unload_hold_s = ${best:-?} ms at best; allowed $((${allowed:-0} - ${last:-0})) ms" \
	"after the last recorded lethal event"
check "rmmod refused while lethal outputs arrived" test "$refused" -gt 0
check "the hold is what the last lethal packet left of unload_hold_s ($hold_s s)" \
	test -n "$best" -a "${best#-}" -le 250
check "rmmod refused after the window closed, while the hold lasted" test "$after_window" -gt 0
check "rmmod allowed once the hold ended" test -n "$allowed"
check "never while more than 500 ms of it remained" test -z "$early"
check "the kernel log says when unloading was allowed again" \
	sh -c "dmesg | grep -q 'no lethal packet for $hold_s s: unloading is allowed again'"
lab_down
echo "RESULT refused=$refused refused_after_window=$after_window hold_deviation_ms=$best"
echo "hold: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
