#!/usr/bin/env bash
# The arm64 VM suite: on the unfixed arm64 5.10 the reproducer locks up in the pick without the
# guard and survives with it, through our own ftrace_ops (what attach=auto picks there, since
# kprobes are BRK breakpoints) and through breakpoint kprobes; the module contract holds; the
# cross-built txqguardctl runs the operator's session there.
#   tests/vm/suite-arm64.sh [test-name-regex]
# Needs build/<kernel>/txqguard.ko, build/tools/aarch64/tapflood and build/ship/aarch64/txqguardctl
# (make ship-ctl: the aarch64 txqguardctl the packages ship)
# (make vmtest-arm64 builds them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${TXQG_KERNEL_ARM64:-5.10.0-32-arm64}
only=${1:-.}
race=$top/tests/scenarios/race.sh
# The arm64 guest is several times slower under TCG: on a loaded host the deletion can take longer
# than race.sh's default hold to reach the zeroing of the queue count.
hold=10000
ko=$top/build/$kernel/txqguard.ko
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call trace:'

want() { [[ $1 =~ $only ]]; }

if want arm64_off; then
	begin arm64_off_locks_up
	run_vm arm64_off "$kernel" 300 -- "$race" --ko "$ko" --hold-ms "$hold" --mode off --attach ftrace
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'pc : (netdev_pick_tx|netdev_core_pick_tx)\+'
	expect_line 'race: deleting vdie with ovs_lock held'
	expect_no_line 'txqguard: .* hazard on'
	end
fi

if want arm64_detect; then
	begin arm64_detect_counts_then_locks_up
	run_vm arm64_detect "$kernel" 300 -- "$race" --ko "$ko" --hold-ms "$hold" --mode detect --attach ftrace
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
	run_vm "arm64_enforce_$attach" "$kernel" 300 -- "$race" --ko "$ko" --hold-ms "$hold" --mode enforce --attach "$attach"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line "^txhash netdev_pick_tx armed .* $kind\$"
	expect_line "^ovs_output ovs_vport_send armed .* $kind\$"
	expect_line "^RESULT mode=enforce attach=$attach "
	expect_gt ovs_output_hazards 0
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	expect_line 'txqguard: ovs_output hazard on vdie .*: dropped'
	end
done

# Tuning baselines set kernel.ftrace_enabled=0, which would silence our ftrace_ops: while loaded,
# txqguard must make the sysctl refuse; while it is 0, the load is refused.
if want arm64_ftrace_switch; then
	begin arm64_ftrace_enabled_0_refused_guard_holds
	run_vm arm64_ftrace_switch "$kernel" 300 -- "$top/tests/scenarios/ftrace-switch.sh" --ko "$ko" --hold-ms "$hold"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^ftrace-switch: ([0-9]+) of \1 checks passed'
	expect_line '^ftrace-switch: txqguard loaded, attach ftrace$'
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	end
fi

# An operator's function_graph tracer on the guarded functions while enforce drops lethal outputs.
if want arm64_graph_tracer; then
	begin arm64_graph_tracer_beside_enforce_survives
	run_vm arm64_graph_tracer "$kernel" 300 -- "$top/tests/scenarios/graph-tracer.sh" --ko "$ko" --hold-ms "$hold"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^graph-tracer: ([0-9]+) of \1 checks passed'
	expect_line '^graph-tracer: graphing .*ovs_vport_send'
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	end
fi

if want arm64_txhash_only; then
	begin arm64_txhash_guard_alone_survives_ftrace
	run_vm arm64_txhash "$kernel" 300 -- "$race" --ko "$ko" --hold-ms "$hold" --mode enforce --guards txhash --attach ftrace
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_gt txhash_hazards 0
	expect_gt lethal_rntq0 0
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

if want arm64_ctl; then
	begin arm64_ctl_lifecycle_5.10
	[ -x "$top/build/ship/aarch64/txqguardctl" ] || fail "build/ship/aarch64/txqguardctl is missing (make ship-ctl)"
	run_vm arm64_ctl "$kernel" 420 -- "$top/tests/scenarios/ctl-lifecycle.sh" --ko "$ko"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^txqguardctl: '
	expect_line '^RC status-before 3$'
	expect_line "^kernel +$kernel aarch64 "
	expect_line '^fix +vulnerable: fixed in 5\.10\.237$'
	expect_line '^verdict +EXPOSED: '
	expect_line '^RC load 0$'
	expect_line '^loaded txqguard [0-9.]+, mode enforce(, backend ftrace)?$'
	expect_line '^  txhash armed \(netdev_pick_tx\)$'
	expect_line '^  ovs_output waiting$'
	expect_line '^RC status 0$'
	expect_line '^verdict +protected: the txhash guard is enforcing$'
	expect_line '^RC verify 0$'
	expect_line '^  canaries +([1-9][0-9]*) sent, \1 delivered to the healthy port$'
	expect_line '^  txhash guard +live: txhash_checked \+[1-9][0-9]* for [1-9][0-9]* frames'
	expect_line '^  ovs_output guard +live: ovs_output_checked \+[1-9][0-9]* for [1-9][0-9]* frames'
	expect_line '^  kernel fix +not fixed \(by behaviour\): '
	expect_line '^  mode +enforce \(unchanged\)$'
	expect_line '^  cleanup +datapath, links and namespace removed$'
	expect_line '^result: both guards live$'
	expect_no_line 'NOT LIVE'
	expect_line '^RC stats 0$'
	expect_line '^source +genl$'
	# attach=auto is the module's own ftrace_ops on arm64, where kprobes would be breakpoints.
	expect_line '^backend +ftrace$'
	# The module's counters hold at least what verify saw its canaries add.
	for guard in txhash ovs_output; do
		seen=$(sed -n "s/^  $guard guard .*live: ${guard}_checked +\([0-9]*\) .*/\1/p" "$vm_out" | head -1)
		count=$(sed -n "s/^${guard}_checked  *\([0-9]*\)\$/\1/p" "$vm_out" | head -1)
		# shellcheck disable=SC2015 # intended: fail unless both numeric and count >= seen
		[[ "$seen" =~ ^[1-9][0-9]*$ && "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge "$seen" ] ||
			fail "stats ${guard}_checked=${count:-missing}, verify saw +${seen:-missing}"
	done
	expect_line '^RC metrics 0$'
	expect_line '^txqguard_module_loaded 1$'
	expect_line '^txqguard_exposed 0$'
	expect_line "^txqguard_info\{version=\"[0-9.]+\",mode=\"enforce\",backend=\"ftrace\",kernel=\"$kernel\",srcversion=\"[0-9A-F]+\",kernel_build=\"#1 SMP Debian [^\"]+\"\} 1\$"
	expect_line '^txqguard_ovs_output_port_down_total [1-9][0-9]*$'
	expect_line '^txqguard_ovs_output_hazards_total 0$'
	expect_line '^txqguard_probe_armed\{guard="txhash"\} 1$'
	expect_line '^txqguard_probe_armed\{guard="ovs_output"\} 1$'
	expect_line '^txqguard_txhash_checked_total [1-9][0-9]*$'
	expect_line '^txqguard_ovs_output_checked_total [1-9][0-9]*$'
	expect_line '^RC status-after-verify 0$'
	expect_line '^  txhash +armed on netdev_pick_tx \(ftrace-ops\)$'
	# verify loaded openvswitch, and the module notifier armed the waiting guard.
	expect_line '^  ovs_output +armed on ovs_vport_send \(ftrace-ops\)$'
	expect_line '^verify +[^ ]+: txhash live ovs_output live$'
	expect_line '^REFCNT 0$'
	expect_line '^RC unload 0$'
	expect_line '^unloaded txqguard$'
	expect_line '^GONE$'
	expect_line '^RC status-unloaded 3$'
	end
	echo "  boot $(sed -n 's/^BOOT uptime=//p' "$vm_out" | head -1) (guest uptime when the session began), whole test ${vm_secs}s"
	sed -n 's/^TIME \(.*\)/  \1/p' "$vm_out"
fi

summary
