#!/bin/bash
# Inside a VM booted with debugfs=off: txqguard loads and guards without debugfs, and txqguardctl
# reads it over generic netlink; only selftest=1, whose hook lives in debugfs, is refused. A tap
# floods a datapath (frames with a recorded rx queue) and a port dies under ovs_lock, held through
# txqg_test's parameter (lethal-lab.sh): with --mode off the guest soft-locks in netdev_pick_tx,
# with --mode enforce it must survive.
#   no-debugfs.sh --dir BUILD_DIR --mode off|enforce [--hold-ms MS]
# Prints "ok/not ok" lines and, in enforce mode, "RESULT ovs_output_hazards=N ovs_output_dropped=N
# txhash_hazards=N events_total=N lethal_rntq0=N healthy_window=N".
set -uo pipefail
dir="" mode="" hold=10000
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--hold-ms) hold=$2; shift 2 ;;
	*) echo "no-debugfs.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $mode in off | enforce) ;; *) echo "usage: no-debugfs.sh --dir D --mode off|enforce" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$top/build/ctl/txqguardctl
check_show_output=1
. "$top/tests/scenarios/checks.sh"
. "$top/tests/scenarios/lethal-lab.sh"
# stat KEY: KEY's value in the last txqguardctl stats.
stat() { awk -v k="$1" '$1 == k {print $2}' /tmp/stats; }
# ctl_into FILE ARGS...: txqguardctl ARGS, its output kept in FILE and shown.
ctl_into() {
	local f=$1 rc
	shift
	"$ctl" "$@" >"$f"
	rc=$?
	cat "$f"
	return $rc
}
status_says_mode() {
	ctl_into /tmp/status status
	grep -Eq "^txqguard +loaded, version .*, mode $mode, " /tmp/status
}
stats_over_genl() { ctl_into /tmp/stats stats && grep -Eq '^source +genl$' /tmp/stats; }
events_show_rntq0() { ctl_into /tmp/events events && grep -q ' ifname=vdie .*real_num_tx_queues=0 ' /tmp/events; }
ctl_selftest_refused() {
	local rc
	"$ctl" load --module "$dir/txqguard.ko" --selftest >/tmp/load.out 2>&1
	rc=$?
	cat /tmp/load.out
	[ "$rc" -eq 1 ] && grep -q ': Operation not supported (see dmesg)$' /tmp/load.out
}

check "the kernel was booted with debugfs=off" grep -qw 'debugfs=off' /proc/cmdline
check "debugfs cannot be mounted" fails mount -t debugfs debugfs "$(mktemp -d)"
insmod "$dir/txqg_test.ko" || exit 1
# The reproducer's hook lives in debugfs only: selftest=1 must be refused, leaving nothing.
check "selftest=1 is refused" fails insmod "$dir/txqguard.ko" selftest=1
check "in one error line naming debugfs" \
	sh -c "dmesg --level=err | grep -q 'txqguard: selftest=1 needs debugfs, which is unavailable'"
check "one error line only" test "$(dmesg --level=err | grep -c 'txqguard: ')" -eq 1
check "no module left" fails test -e /sys/module/txqguard
check "no generic netlink family left" fails genl ctrl get name txqguard
check "txqguardctl load --selftest is refused, pointing at the kernel log" ctl_selftest_refused
# unload_hold_s=1: the unload at the end waits little past the last lethal output.
if ! insmod "$dir/txqguard.ko" mode="$mode" unload_hold_s=1; then
	echo "no-debugfs: txqguard.ko refused to load:"
	dmesg | grep 'txqguard: ' | sed 's/^/no-debugfs: kernel: /'
	exit 1
fi
dmesg | grep 'txqguard: ' | sed 's/^/no-debugfs: kernel: /'
check "the module says its data is served over generic netlink only" \
	sh -c "dmesg | grep -q 'txqguard: debugfs unavailable .*generic netlink only'"
check "no debugfs directory of txqguard" fails test -e /sys/kernel/debug/txqguard
check "txqguardctl status reports the module in mode $mode" status_says_mode
check "txqguardctl stats reads generic netlink" stats_over_genl
check "the lab floods a datapath through a tap" lab_up tap

echo "no-debugfs: deleting vdie with ovs_lock held, mode $mode"
check "vdie is unregistering under a held ovs_lock" lab_kill_port "$hold"
# Healthy frames while the dead port's vport is still in the datapath.
ok0=$(lab_rx vok-p)
sleep 2
ok1=$(lab_rx vok-p)
check "ovs_lock was still held after the healthy window" kill -0 "$lab_hold_pid"
lab_wait_port
check "txqguardctl stats reads generic netlink" stats_over_genl
check "txqguardctl events shows vdie with real_num_tx_queues=0" events_show_rntq0
lethal0=$(grep -c ' ifname=vdie .*real_num_tx_queues=0 ' /tmp/events)
check "lethal outputs were dropped" test "$(stat ovs_output_dropped)" -gt 0
check "the healthy port kept receiving during the window" test "$ok1" -gt "$ok0"
echo "RESULT ovs_output_hazards=$(stat ovs_output_hazards) ovs_output_dropped=$(stat ovs_output_dropped)" \
	"txhash_hazards=$(stat txhash_hazards) events_total=$(stat events_total) lethal_rntq0=$lethal0" \
	"healthy_window=$((ok1 - ok0))"
lab_down
check "txqguardctl unload unloads it" "$ctl" unload
check "nothing of txqguard is left" fails sh -c 'test -e /sys/module/txqguard || genl ctrl get name txqguard'
echo "no-debugfs: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
