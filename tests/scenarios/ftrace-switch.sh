#!/bin/bash
# Inside a VM: sysctl kernel.ftrace_enabled=0 turns every ftrace call site into a nop, so a guard
# that rides ftrace (our ftrace_ops, our direct calls, a kprobe on ftrace) would stop without a
# word. While txqguard is loaded the switch must be refused; while the switch is off, the load must
# be. Then the reproducer runs under the loaded guard (race.sh --reuse): a switch that went off
# anyway shows as the lockup.
#   ftrace-switch.sh --ko PATH [--attach auto|ftrace|kprobe] [--hold-ms MS]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/scenarios/checks.sh"
. "$top/tests/scenarios/guarded.sh"
guarded_args ftrace-switch.sh "$@"
switch=/proc/sys/kernel/ftrace_enabled
errors() { dmesg --level=err | grep -c 'txqguard: '; }
unloaded() { [ ! -e /sys/module/txqguard ]; }

modprobe openvswitch
dmesg -c >/dev/null
echo 0 >$switch || exit 1
check "with kernel.ftrace_enabled=0 the load is refused" fails insmod "$ko" attach="$attach"
check "in one error line" test "$(errors)" -eq 1
check "that names the switch" sh -c "dmesg --level=err | grep -q 'txqguard: kernel.ftrace_enabled is 0'"
check "leaving nothing" unloaded
# A module that took the load anyway goes, so that what follows still shows what it would do.
unloaded || rmmod txqguard
echo 1 >$switch || exit 1

insmod "$ko" attach="$attach" mode=enforce selftest=1 || exit 1
echo "ftrace-switch: txqguard loaded, attach $(cat /sys/module/txqguard/parameters/attach)"
check "kernel.ftrace_enabled=0 is refused while txqguard is loaded" fails sh -c "echo 0 >$switch"
check "kernel.ftrace_enabled still reads 1" test "$(cat $switch)" = 1
guarded_race
# A lethal packet holds the module for unload_hold_s: retry until the hold ends.
for _ in $(seq 60); do rmmod txqguard 2>/dev/null && break; sleep 1; done
check "txqguard unloads" unloaded
check "once it is gone, kernel.ftrace_enabled=0 is taken again" sh -c "echo 0 >$switch"
echo 1 >$switch
echo "ftrace-switch: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
