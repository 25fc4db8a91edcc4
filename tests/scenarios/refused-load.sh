#!/bin/bash
# Inside a VM: a refused load leaves nothing behind, even when lethal outputs arrive while it
# runs. Open vSwitch keeps outputting to a port whose device is unregistering (lethal-lab.sh, no
# recorded rx queue, so the guest does not lock up unguarded), then a form of txqguard is loaded
# and must be refused:
#   --case unlisted    the live-patch form on a kernel it was not verified against (refused by its
#                      pre-arm check, before any guard is armed);
#   --case klp-busy    the live-patch form while an IP-modifying ftrace_ops owns netdev_core_pick_tx:
#                      ovs_output is armed and sees lethal outputs, which open the unload hold, then
#                      enabling the patch fails;
#   --case ovs-busy    txqguard.ko while an IP-modifying ftrace_ops owns ovs_vport_send: the txhash
#                      guard is armed, then ovs_output cannot be (with --attach kprobe this is the
#                      kprobe's own IPMODIFY claim).
# Then it waits past unload_hold_s (a hold left behind fires into freed memory), checks that no
# module, family, debugfs directory, ftrace user or kprobe of ours is left, removes the conflict and
# runs the reproducer (race.sh) with the form named by --then.
#   refused-load.sh --dir BUILD_DIR --case C [--attach A] [--then txqguard|txqguard_lp] [--hold-s S]
set -uo pipefail
dir="" case_="" attach=auto then=txqguard hold_s=10
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--case) case_=$2; shift 2 ;;
	--attach) attach=$2; shift 2 ;;
	--then) then=$2; shift 2 ;;
	--hold-s) hold_s=$2; shift 2 ;;
	*) echo "refused-load.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $case_ in unlisted | klp-busy) form=txqguard_lp ;; ovs-busy) form=txqguard ;;
*) echo "usage: refused-load.sh --dir D --case unlisted|klp-busy|ovs-busy" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
dbg_test=/sys/kernel/debug/txqg_test
. "$top/tests/scenarios/checks.sh"
. "$top/tests/scenarios/lethal-lab.sh"
ours() { dmesg | grep -E "(txqguard|txqguard_lp): "; }

insmod "$dir/txqg_test.ko" || exit 1
modprobe openvswitch
case $case_ in
klp-busy) echo netdev_core_pick_tx >$dbg_test/ipmodify || exit 1 ;;
ovs-busy) echo ovs_vport_send >$dbg_test/ipmodify || exit 1 ;;
esac
check "the lab floods a datapath" lab_up
check "vdie is unregistering under a held ovs_lock" lab_kill_port 9000
rx0=$(lab_rx vok-p)
dmesg -c >/dev/null
echo "refused-load: insmod $form.ko attach=$attach unload_hold_s=$hold_s while lethal outputs arrive"
check "$form.ko is refused" fails insmod "$dir/$form.ko" attach="$attach" unload_hold_s="$hold_s"
# insmod returns once the failed init has unwound: from here on the module must say nothing.
ours >/tmp/ours.at-refusal
sed 's/^/refused-load: kernel: /' /tmp/ours.at-refusal
check "the refusal is logged in one error line" test "$(dmesg --level=err | grep -cE '(txqguard|txqguard_lp): ')" -eq 1
if [ "$case_" = klp-busy ]; then
	check "lethal outputs had opened the unload hold, and the failed init dropped it" \
		sh -c "dmesg | grep -q 'dropping the unload hold a lethal packet opened'"
fi
echo "refused-load: waiting $((hold_s + 6)) s, past unload_hold_s"
sleep $((hold_s + 6))
check "the healthy port kept receiving" test "$(lab_rx vok-p)" -gt "$rx0"
check "no txqguard module is left" fails sh -c 'ls -d /sys/module/txqguard /sys/module/txqguard_lp 2>/dev/null | grep .'
check "no generic netlink family txqguard is left" fails genl ctrl get name txqguard
check "no debugfs directory is left" fails test -e /sys/kernel/debug/txqguard
check "no kprobe of ours is left" fails grep -E 'netdev_pick_tx|netdev_core_pick_tx|ovs_vport_send' \
	/sys/kernel/debug/kprobes/list
# The test module's own ops is the one allowed entry.
enabled_left() {
	grep -E '^(netdev_pick_tx|netdev_core_pick_tx|ovs_vport_send)' /sys/kernel/debug/tracing/enabled_functions |
		grep -v "^$(cat $dbg_test/ipmodify) "
}
check "no ftrace user of ours is left" fails enabled_left
nothing_since_refusal() { ours | diff /tmp/ours.at-refusal -; }
check "nothing of ours was logged after insmod returned" nothing_since_refusal
lab_wait_port
lab_down
echo - >$dbg_test/ipmodify
echo "refused-load: the conflict is gone; the reproducer with $then.ko"
"$top/tests/scenarios/race.sh" --ko "$dir/$then.ko" --mode enforce --attach "$attach"
rc=$?
echo "refused-load: $((n - failed)) of $n checks passed, reproducer exit $rc"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
