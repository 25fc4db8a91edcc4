#!/usr/bin/env bash
# Unload under fire, the long run (make vmtest-unload): 200 load / mode switch / unload cycles
# while a tap flood runs and ports are deleted, a hazard window every 10th cycle (unloading must be
# refused in it), openvswitch.ko reloaded under the guard every 20th, alternating the ftrace_ops
# and kprobe attachments; then the quick unload/reload under traffic through both guards, per
# attachment. The default suite runs 10 cycles (tests/vm/suite.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
cycles=${TXQG_UNLOAD_CYCLES:-200}
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'

# TXQG_UNLOAD_SMP vCPUs (2) on one emulator thread (lib.sh says why); TXQG_REMOVAL_SMP_MODE=multi
# shows the emulator's stale-int3 lockup at a probed site within a few dozen unloads.
begin "unload_under_fire_${cycles}_cycles"
vm_smp=${TXQG_UNLOAD_SMP:-2} vm_smp_mode=$removal_smp_mode run_vm unload_fire "$kernel" $((cycles * 20 + 300)) -- "$top/tests/scenarios/unload-fire.sh" \
	--ko "$top/build/$kernel/txqguard.ko" --cycles "$cycles" --attach "auto kprobe" \
	--window-every 10 --ovs-every 20
expect_rc 0
expect_no_line "$kernel_report"
expect_no_line '^not ok'
expect_line "^RESULT cycles=$cycles failed=0 windows=$((cycles / 10)) refused=$((cycles / 10)) "
grep '^RESULT ' "$vm_out" || true
end

for attach in kprobe ftrace; do
	begin "unload_under_traffic_$attach"
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm "unload_$attach" "$kernel" 240 -- \
		"$top/tests/scenarios/module-basics.sh" \
		--ko "$top/build/$kernel/txqguard.ko" --attach "$attach" --unload-under-traffic
	expect_rc 0
	expect_line '^module-basics: ([0-9]+) of \1 checks passed'
	expect_line '^ok [0-9]+ - unload and reload under traffic through both guards'
	end
done
summary
