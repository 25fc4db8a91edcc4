#!/usr/bin/env bash
# The arm64 VM suite: on the unfixed arm64 5.10 the reproducer locks up in the pick without the
# guard and survives with it, through our own ftrace_ops (what attach=auto picks there, since
# kprobes are BRK breakpoints) and through breakpoint kprobes; the module contract holds.
#   tests/vm/suite-arm64.sh [test-name-regex]
# Needs build/<kernel>/txqguard.ko and build/tools/aarch64/tapflood (make vmtest-arm64 builds both).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${TXQG_KERNEL_ARM64:-5.10.0-32-arm64}
only=${1:-.}
race=$top/tests/scenarios/race.sh
ko=$top/build/$kernel/txqguard.ko
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call trace:'

want() { [[ $1 =~ $only ]]; }

if want arm64_off; then
	begin arm64_off_locks_up
	run_vm arm64_off "$kernel" 300 -- "$race" --ko "$ko" --mode off --attach ftrace
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'pc : (netdev_pick_tx|netdev_core_pick_tx)\+'
	expect_line 'race: deleting vdie with ovs_lock held'
	expect_no_line 'txqguard: .* hazard on'
	end
fi

if want arm64_detect; then
	begin arm64_detect_counts_then_locks_up
	run_vm arm64_detect "$kernel" 300 -- "$race" --ko "$ko" --mode detect --attach ftrace
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'pc : (netdev_pick_tx|netdev_core_pick_tx)\+'
	expect_line 'txqguard: (ovs_output|txhash) hazard on vdie .*: detected'
	expect_no_line ': (dropped|rxq_cleared)$'
	end
fi

for attach in ftrace kprobe; do
	want "arm64_enforce_$attach" || continue
	case $attach in ftrace) kind=ftrace-ops ;; kprobe) kind=breakpoint ;; esac
	begin "arm64_enforce_${attach}_survives"
	run_vm "arm64_enforce_$attach" "$kernel" 300 -- "$race" --ko "$ko" --mode enforce --attach "$attach"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line "^txhash netdev_pick_tx armed .* $kind\$"
	expect_line "^ovs_output ovs_vport_send armed .* $kind\$"
	expect_line "^RESULT mode=enforce attach=$attach "
	expect_gt ovs_output_hazards 0
	expect_gt healthy_window 0
	expect_line 'txqguard: ovs_output hazard on vdie .*: dropped'
	end
done

if want arm64_txhash_only; then
	begin arm64_txhash_guard_alone_survives_ftrace
	run_vm arm64_txhash "$kernel" 300 -- "$race" --ko "$ko" --mode enforce --guards txhash --attach ftrace
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_gt txhash_hazards 0
	expect_gt healthy_window 0
	expect_line 'txqguard: txhash hazard on vdie .*real_num_tx_queues 0.*: rxq_cleared'
	end
fi

if want arm64_module; then
	begin arm64_module_contract_auto_is_ftrace
	run_vm arm64_module "$kernel" 300 -- "$top/tests/scenarios/module-basics.sh" --ko "$ko"
	expect_rc 0
	expect_line '^module-basics: ([0-9]+) of \1 checks passed'
	expect_line '^ok [0-9]+ - ovs_output probe kind matches the attachment'
	expect_line '^module-basics: attach=ftrace asked=auto'
	expect_no_line '^not ok'
	expect_no_line "$kernel_report"
	end
fi

summary
