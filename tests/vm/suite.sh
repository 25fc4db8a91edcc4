#!/usr/bin/env bash
# The default VM suite: the reproducer on a real unfixed 5.10 locks up without
# the guard and survives with it, in the same run; fixed kernels stay healthy.
#   tests/vm/suite.sh [test-name-regex]
#   TXQG_SUITE_SHARD=I/N tests/vm/suite.sh   every Nth test from the Ith: tests/vm/all.sh runs the
#                                           suite in N parts beside the other suites
set -euo pipefail
. "$(dirname "$0")/lib.sh"

unfixed=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
fixed=${TXQG_KERNEL_FIXED:-5.10.0-44-amd64}
k61=${TXQG_KERNEL_61:-6.1.0-56-amd64}
only=${1:-.}
race=$top/tests/scenarios/race.sh
ko() { echo "$top/build/$1/txqguard.ko"; }
unlisted=${TXQG_KERNEL_UNLISTED:-5.10.0-30-amd64}
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'

shard=${TXQG_SUITE_SHARD:-1/1}
if ! [[ $shard =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] || [ "${BASH_REMATCH[1]}" -gt "${BASH_REMATCH[2]}" ]; then
	echo "suite.sh: TXQG_SUITE_SHARD must be I/N with 1 <= I <= N" >&2
	exit 2
fi
shard_i=${BASH_REMATCH[1]} shard_n=${BASH_REMATCH[2]} nth=0
# One call per test, in the suite's order: the Nth call decides the Nth test, so each test falls
# in exactly one shard.
want() {
	nth=$((nth + 1))
	[ $(((nth - 1) % shard_n + 1)) -eq "$shard_i" ] && [[ $1 =~ $only ]]
}

if want unfixed_off; then
	begin unfixed_off_locks_up
	run_vm unfixed_off "$unfixed" 240 -- "$race" --ko "$(ko "$unfixed")" --mode off
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'RIP: .*netdev_pick_tx'
	expect_line 'race: deleting vdie with ovs_lock held'
	expect_no_line 'txqguard: .* hazard on'
	end
fi

if want unfixed_detect; then
	begin unfixed_detect_counts_then_locks_up
	run_vm unfixed_detect "$unfixed" 240 -- "$race" --ko "$(ko "$unfixed")" --mode detect
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'RIP: .*netdev_pick_tx'
	expect_line 'txqguard: (ovs_output|txhash) hazard on vdie .*: detected'
	expect_no_line ': (dropped|rxq_cleared)$'
	end
fi

# attach=auto is the ftrace attachment, direct calls of our trampolines on x86_64 5.10; the kprobe
# (riding ftrace on x86) must hold as well.
for attach in auto kprobe; do
	want "unfixed_enforce_$attach" || continue
	case $attach in auto) kind=ftrace-direct ;; kprobe) kind=kprobe-ftrace ;; esac
	begin "unfixed_enforce_${attach}_survives"
	run_vm "unfixed_enforce_$attach" "$unfixed" 240 -- "$race" --ko "$(ko "$unfixed")" --mode enforce --attach "$attach"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line "^txhash netdev_pick_tx armed .* $kind\$"
	expect_line "^ovs_output ovs_vport_send armed .* $kind\$"
	expect_gt ovs_output_hazards 0
	# The lethal state itself, not merely a closed port: an event after the count went to 0.
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	expect_line 'txqguard: ovs_output hazard on vdie .*: dropped'
	end
done

if want unfixed_txhash_only; then
	begin unfixed_txhash_guard_alone_survives
	run_vm unfixed_txhash "$unfixed" 240 -- "$race" --ko "$(ko "$unfixed")" --mode enforce --guards txhash
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_gt txhash_hazards 0
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	expect_line 'txqguard: txhash hazard on vdie .*real_num_tx_queues 0.*: rxq_cleared'
	end
fi

# kernel.ftrace_enabled=0 silences ftrace call sites: x86's kprobes ride them. While loaded,
# txqguard must make the sysctl refuse; while it is 0, the load is refused.
if want unfixed_ftrace_switch; then
	begin unfixed_ftrace_enabled_0_refused_kprobe_holds
	run_vm unfixed_ftrace_switch "$unfixed" 240 -- "$top/tests/scenarios/ftrace-switch.sh" --ko "$(ko "$unfixed")" --attach kprobe
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^ftrace-switch: ([0-9]+) of \1 checks passed'
	expect_line '^ftrace-switch: txqguard loaded, attach kprobe$'
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	end
fi

# An operator's function_graph tracer on the guarded functions while enforce drops lethal outputs.
if want unfixed_graph_tracer; then
	begin unfixed_graph_tracer_beside_enforce_survives
	run_vm unfixed_graph_tracer "$unfixed" 240 -- "$top/tests/scenarios/graph-tracer.sh" --ko "$(ko "$unfixed")"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^graph-tracer: ([0-9]+) of \1 checks passed'
	expect_line '^graph-tracer: graphing .*ovs_vport_send'
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	end
fi

# Booted with debugfs=off: the module loads and guards all the same, and txqguardctl reads it over
# generic netlink; txqg_test holds ovs_lock through its parameter.
no_debugfs=$top/tests/scenarios/no-debugfs.sh
if want no_debugfs_unguarded; then
	begin no_debugfs_unguarded_locks_up
	vm_append="debugfs=off" run_vm no_debugfs_off "$unfixed" 240 -- "$no_debugfs" --dir "$top/build/$unfixed" --mode off
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'RIP: .*netdev_pick_tx'
	expect_line 'txqguard: version .* loaded, mode off'
	expect_line '^no-debugfs: deleting vdie with ovs_lock held, mode off$'
	expect_no_line '^not ok'
	end
fi

if want no_debugfs_enforce; then
	begin no_debugfs_enforce_survives
	vm_append="debugfs=off" run_vm no_debugfs_enforce "$unfixed" 240 -- "$no_debugfs" --dir "$top/build/$unfixed" --mode enforce
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^no-debugfs: ([0-9]+) of \1 checks passed'
	expect_no_line '^not ok'
	expect_gt ovs_output_hazards 0
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
	end
fi

for attach in auto kprobe; do
	want "unfixed_module_$attach" || continue
	begin "unfixed_module_contract_$attach"
	# It unloads and reloads under a tap flood: two vCPUs on one emulator thread (lib.sh).
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm "unfixed_module_$attach" "$unfixed" 240 -- "$top/tests/scenarios/module-basics.sh" --ko "$(ko "$unfixed")" --attach "$attach"
	expect_rc 0
	expect_line '^module-basics: ([0-9]+) of \1 checks passed'
	expect_line "^module-basics: attach=$([ $attach = auto ] && echo ftrace || echo $attach) asked=$attach"
	expect_no_line '^not ok'
	expect_no_line "$kernel_report"
	end
done

# 6.1's ftrace callbacks take struct ftrace_regs, not struct pt_regs (attach=auto is ftrace_ops);
# the fixed 5.10 runs the kprobe.
for k in "$fixed" "$k61"; do
	want "fixed_$k" || continue
	attach=auto
	[ "$k" != "$fixed" ] || attach=kprobe
	begin "fixed_${k}_survives_off_and_enforce_attach_$attach"
	run_vm "fixed_$k" "$k" 300 -- sh -c "$race --ko $(ko "$k") --attach $attach --mode off && $race --ko $(ko "$k") --mode enforce --reuse"
	expect_rc 0
	expect_no_line "$kernel_report"
	[ "$(grep -c '^RESULT ' "$vm_out")" -eq 2 ] || fail "expected two RESULT lines"
	grep -q '^RESULT mode=off .*healthy_window=[1-9]' "$vm_out" || fail "no healthy traffic with mode=off"
	grep -q '^RESULT mode=enforce .*healthy_window=[1-9]' "$vm_out" || fail "no healthy traffic with mode=enforce"
	grep -q "^RESULT mode=off attach=$([ $attach = auto ] && echo ftrace || echo $attach) " "$vm_out" || fail "not attached with $attach"
	end
done

# Unload under fire: load, mode switches and unload while the flood runs and ports die; unloading
# is refused while lethal outputs arrive. The long run is make vmtest-unload.
if want unfixed_unload_fire; then
	begin unfixed_unload_under_fire_refused_in_window
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm unfixed_unload_fire "$unfixed" 400 -- \
		"$top/tests/scenarios/unload-fire.sh" --ko "$(ko "$unfixed")" --cycles 6 --window-every 3 --ovs-every 3
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^RESULT cycles=6 failed=0 windows=2 refused=2 hazards=[1-9][0-9]* ovs_reloads=2 healthy=[1-9]'
	end
fi

# The live-patch form (txqguard_lp.ko): the same reproducer, then its life cycle under traffic.
lp() { echo "$top/build/$1/txqguard_lp.ko"; }
if want unfixed_lp_enforce; then
	begin unfixed_livepatch_enforce_survives
	run_vm unfixed_lp_enforce "$unfixed" 240 -- "$race" --ko "$(lp "$unfixed")" --mode enforce
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^txhash netdev_core_pick_tx armed .* livepatch$'
	expect_line '^RESULT mode=enforce .*backend=livepatch '
	expect_gt ovs_output_hazards 0
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	end
fi

if want unfixed_lp_txhash_only; then
	begin unfixed_livepatch_txhash_guard_alone_survives
	run_vm unfixed_lp_txhash "$unfixed" 240 -- "$race" --ko "$(lp "$unfixed")" --mode enforce --guards txhash
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_gt txhash_hazards 0
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
	expect_line 'txqguard_lp: txhash hazard on vdie .*real_num_tx_queues 0.*: rxq_cleared'
	end
fi

if want unfixed_lp_cycle; then
	begin unfixed_livepatch_enable_disable_unload_under_traffic
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm unfixed_lp_cycle "$unfixed" 300 -- \
		"$top/tests/scenarios/livepatch.sh" --ko "$top/build/$unfixed" --cycles 3
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^RESULT cycles=3 passed=[1-9][0-9]* failed=0 healthy=[1-9]'
	end
fi

if want k61_lp; then
	begin "k61_${k61}_livepatch_loads_and_is_harmless"
	run_vm k61_lp "$k61" 300 -- "$race" --ko "$(lp "$k61")" --mode enforce
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^txhash netdev_core_pick_tx armed .* livepatch$'
	expect_line '^RESULT mode=enforce .*backend=livepatch txhash_hazards=0 ovs_output_hazards=0 '
	expect_gt healthy_window 0
	end
fi

# A refused load leaves nothing behind while lethal outputs arrive (tests/scenarios/refused-load.sh):
# the live-patch form on a kernel it was not verified against, the live-patch form failing to
# enable after ovs_output was armed and had opened the unload hold, and txqguard.ko whose kprobe
# cannot claim ovs_vport_send from another IP-modifying hook. Each then runs the reproducer.
for spec in "unlisted $unlisted auto txqguard" "klp_busy $unfixed auto txqguard" \
	"ovs_busy_kprobe $unfixed kprobe txqguard"; do
	# shellcheck disable=SC1010 # then is a variable name here, read's last argument
	read -r case_ k attach then <<<"$spec"
	want "refused_load_$case_" || continue
	begin "refused_load_${case_}_${k}_leaves_nothing"
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm "refused_load_$case_" "$k" 300 -- \
		"$top/tests/scenarios/refused-load.sh" --dir "$top/build/$k" --case "$(echo "${case_%_kprobe}" | tr _ -)" \
		--attach "$attach" --then "$then"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^refused-load: ([0-9]+) of \1 checks passed, reproducer exit 0'
	[ "$case_" != klp_busy ] || expect_line 'txqguard_lp: dropping the unload hold a lethal packet opened'
	expect_gt lethal_rntq0 0
	end
done

# openvswitch.ko loading while txqguard loads: ovs_output ends armed every time.
if want ovs_coming; then
	begin ovs_loading_during_load_ends_armed
	run_vm ovs_coming "$unfixed" 300 -- "$top/tests/scenarios/ovs-coming.sh" --dir "$top/build/$unfixed" --rounds 4
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^ovs-coming: ([0-9]+) of \1 checks passed'
	expect_line 'after insmod: openvswitch coming, ovs_output waiting; once live: ovs_output armed'
	end
fi

# Signals mean what they say: ports that are merely down are counted drops, nothing lethal, no
# hold; lethal outputs hold the module until unload_hold_s after the last one, no file of ours open.
if want signals; then
	begin down_ports_are_drops_lethal_outputs_hold
	# hold.sh unloads while the lab's flood runs: two vCPUs on one emulator thread (lib.sh).
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm signals "$unfixed" 300 -- sh -c "$top/tests/scenarios/down-port.sh --ko $(ko "$unfixed") &&
		$top/tests/scenarios/hold.sh --dir $top/build/$unfixed"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^down-port: ([0-9]+) of \1 checks passed'
	expect_line '^hold: ([0-9]+) of \1 checks passed'
	grep -E '^RESULT ' "$vm_out" | sed 's/^/  /' || true
	end
fi

# Port churn under a tap flood, 100 cycles in one process (txqg-churn): create a 2-queue veth,
# attach it, point the flood's flow at it and a healthy port, delete it under traffic.
if want churn_100; then
	begin churn_100
	run_vm churn_100 "$unfixed" 300 -- "$top/tests/scenarios/churn.sh" --ko "$(ko "$unfixed")" --cycles 100
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^RESULT cycles=100 hazards=[0-9]+ dropped=[0-9]+ healthy_rx=[0-9]+ elapsed_ms=[0-9]+ '
	# Lethal packets: the churn reached dying ports' outputs (churn.sh fails on none).
	expect_gt hazards 0
	expect_gt healthy_rx 0
	end
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
fi

# Malformed generic netlink (txqg-genl-abuse): every request refused clearly, the mode unmoved.
if want genl_abuse; then
	begin genl_abuse_refused_mode_unchanged
	run_vm genl_abuse "$unfixed" 240 -- "$top/tests/scenarios/genl-abuse.sh" --ko "$(ko "$unfixed")"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^genl-abuse: ([0-9]+) of \1 checks passed'
	expect_no_line '^not ok'
	expect_line '^ok [0-9]+ - SET_MODE without TXQGUARD_A_MODE: Invalid argument \(kernel: txqguard: TXQGUARD_A_MODE is required\)$'
	expect_line '^ok [0-9]+ - burst of 1000 requests, read afterwards: 1000 answered as expected'
	expect_line '^ok [0-9]+ - the mode is unchanged over generic netlink: enforce -> enforce$'
	end
fi

# An unprivileged user (and user-namespace root) can neither read nor change anything.
if want security; then
	begin security_unprivileged_refused
	run_vm security "$unfixed" 240 -- "$top/tests/scenarios/security.sh" --ko "$(ko "$unfixed")"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^security: ([0-9]+) of \1 checks passed'
	expect_no_line '^not ok'
	for cmd in GET_STATS GET_PROBES GET_EVENTS 'SET_MODE off'; do
		expect_line "^#   ok [0-9]+ - $cmd is refused: Operation not permitted\$"
	done
	expect_line '^ok [0-9]+ - nobody: txqguardctl set-mode off exits 1 with one line'
	expect_line '^ok [0-9]+ - the mode parameter is still enforce'
	end
fi

summary
