#!/usr/bin/env bash
# The module under a debug kernel (make vmtest-debug; not in make test, it takes too long): the same
# 5.10.223 as the unfixed Debian kernel, built by scripts/debug-kernel with KASAN, lockdep (with RCU
# checking), DEBUG_LIST, DEBUG_ATOMIC_SLEEP and kmemleak, booted with panic_on_warn=1. The
# reproducer must still lock up unguarded and survive guarded; churn and unload under fire must
# pass; and nothing may raise a KASAN report, a lockdep splat or a WARN (vmrun fails the run on
# "BUG:", "WARNING:", "Call Trace:" and panics). After each guarded run the module is unloaded in
# the same guest and kmemleak must find nothing it allocated (tests/scenarios/kmemleak-check.sh).
# A kmemleak-test.ko run first proves that the check catches a leak by a module already unloaded.
# About 20 min on a shared 2-core host under TCG (unload under fire is 8 of them), once the kernel is
# built.
#   tests/vm/suite-debug.sh [test-name-regex]
# TXQG_DEBUG_CHURN_CYCLES (100) and TXQG_DEBUG_UNLOAD_CYCLES (30) set the lengths.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${TXQG_KERNEL_DEBUG:-5.10.223-debug-amd64}
churn_cycles=${TXQG_DEBUG_CHURN_CYCLES:-100}
unload_cycles=${TXQG_DEBUG_UNLOAD_CYCLES:-30}
only=${1:-.}
ko=$top/build/$kernel/txqguard.ko
race=$top/tests/scenarios/race.sh
kml=$top/tests/scenarios/kmemleak-check.sh
# vmrun's own list, plus what the debug options print without the words BUG or WARNING.
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:|KASAN|list_(add|del) corruption|DEBUG_LOCKS_WARN_ON|INFO: '
want() { [[ $1 =~ $only ]]; }
# kmemleak-check's verdict line, for the record.
kmemleak_line() { grep -E '^KMEMLEAK ' "$vm_out" | sed 's/^/  /' || true; }
expect_no_leak() {
	expect_line '^KMEMLEAK total=[0-9]+ txqguard=0 unresolved=0$'
	expect_no_line '^kmemleak-check: '"(leak named|leak from|.* refused|.* still loaded|.* missing)"
}

# A WARN is a failure the run must not survive; everything is several times slower than on the
# distribution kernel (KASAN instruments every access, lockdep every lock), hence the timeouts.
# acpi=noirq: on this kernel under TCG, SeaBIOS's PCI routing method (_PRT) runs into ACPI's 30 s
# loop timeout at every boot ("AE_AML_LOOP_TIMEOUT"); virtio uses MSI-X and needs no routing.
vm_append="panic_on_warn=1 acpi=noirq"

# The reproducer holds ovs_lock for 10 s (the most the selftest allows) rather than race.sh's 6: the
# deletion takes longer to reach the zeroing of the queue count on this kernel.
if want debug_off; then
	begin debug_off_locks_up
	run_vm debug_off "$kernel" 900 -- "$race" --ko "$ko" --mode off --hold-ms 10000
	expect_rc 125
	expect_line 'watchdog: BUG: soft lockup'
	expect_line 'RIP: .*(netdev_pick_tx|netdev_core_pick_tx|skb_tx_hash)'
	expect_line 'race: deleting vdie with ovs_lock held'
	expect_no_line 'txqguard: .* hazard on'
	# Nothing but the lockup: no sanitizer or lockdep report on the way there.
	expect_no_line 'KASAN|WARNING:|BUG: (KASAN|sleeping|MAX_LOCK)|list_(add|del) corruption|DEBUG_LOCKS_WARN_ON'
	end
fi

# The negative control of the kmemleak check: kmemleak-test.ko leaks at load on purpose, and once it
# is unloaded its leaks must still be found and attributed, as txqguard's would be.
if want debug_kmemleak_control; then
	begin debug_kmemleak_check_catches_an_unloaded_modules_leak
	run_vm debug_kmemleak_control "$kernel" 600 -- "$kml" --module kmemleak_test -- modprobe kmemleak-test
	expect_rc 1
	expect_no_line "$kernel_report"
	expect_line '^kmemleak-check: kmemleak_test unloaded'
	expect_line '^kmemleak-check: leak from an unloaded module:'
	expect_line '^  0xffffffff[0-9a-f]+ \(\.init\.text\+0x[0-9a-f]+ \[kmemleak_test\] before unloading\)$'
	expect_line '^KMEMLEAK total=[0-9]+ kmemleak_test=0 unresolved=[1-9][0-9]*$'
	end
	kmemleak_line
fi

if want debug_enforce; then
	begin debug_enforce_survives_no_leak
	run_vm debug_enforce "$kernel" 900 -- "$kml" -- "$race" --ko "$ko" --mode enforce --hold-ms 10000
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^txhash [a-z_]+ armed .* ftrace-(ops|direct)$'
	expect_gt ovs_output_hazards 0
	expect_gt healthy_window 0
	expect_no_leak
	end
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
	kmemleak_line
fi

# The txhash guard alone: frames OVS outputs to the dead port reach the pick, whose rx-queue record
# the guard clears.
if want debug_txhash_only; then
	begin debug_txhash_guard_alone_survives_no_leak
	run_vm debug_txhash_only "$kernel" 900 -- "$kml" -- "$race" --ko "$ko" --mode enforce --guards txhash \
		--hold-ms 10000
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_gt txhash_hazards 0
	expect_gt healthy_window 0
	expect_line 'txqguard: txhash hazard on vdie .*real_num_tx_queues 0.*: rxq_cleared'
	expect_no_leak
	end
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
	kmemleak_line
fi

# Seconds per churn cycle on this kernel under TCG, measured with a kernel build beside it: 0.4
# plain, 0.8 netns, plus about a minute to boot and a minute for kmemleak; ample room on top.
for shape in plain netns; do
	want "debug_churn_$shape" || continue
	case $shape in
	plain) args=() timeout=$((600 + churn_cycles * 10)) ;;
	netns) args=(--netns) timeout=$((600 + churn_cycles * 20)) ;;
	esac
	begin "debug_churn_${shape}_${churn_cycles}_no_leak"
	run_vm "debug_churn_$shape" "$kernel" "$timeout" -- "$kml" -- "$top/tests/scenarios/churn.sh" --ko "$ko" \
		--cycles "$churn_cycles" "${args[@]}"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line "^RESULT cycles=$churn_cycles hazards=[0-9]+ dropped=[0-9]+ healthy_rx=[0-9]+ elapsed_ms=[0-9]+ "
	expect_gt healthy_rx 0
	expect_no_leak
	end
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
	kmemleak_line
done

# A refused load under lethal outputs (tests/scenarios/refused-load.sh, suite.sh's klp_busy): the
# live-patch form fails to enable after ovs_output was armed and had opened the unload hold; the
# failed init must undo all of it, leak nothing (kmemleak counts what the gone module left as
# unresolved), and the kprobe form then guards the reproducer.
if want debug_refused_load; then
	begin debug_refused_load_klp_busy_leaves_nothing
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm debug_refused_load "$kernel" 1200 -- "$kml" -- \
		"$top/tests/scenarios/refused-load.sh" --dir "$top/build/$kernel" --case klp-busy
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line '^refused-load: ([0-9]+) of \1 checks passed, reproducer exit 0'
	expect_line 'txqguard_lp: dropping the unload hold a lethal packet opened'
	expect_gt lethal_rntq0 0
	expect_no_leak
	end
	kmemleak_line
fi

# Unload under fire (two vCPUs on one emulator thread: lib.sh says why): load, mode switches, a port deleted and unload
# under a tap flood, alternating the ftrace_ops and kprobe attachments; a hazard window (unloading
# refused) every 5th cycle, openvswitch.ko reloaded under the guard every 10th.
if want debug_unload_fire; then
	windows=$((unload_cycles / 5)) reloads=$((unload_cycles / 10))
	begin "debug_unload_under_fire_${unload_cycles}_no_leak"
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm debug_unload_fire "$kernel" $((600 + unload_cycles * 60)) -- "$kml" -- \
		"$top/tests/scenarios/unload-fire.sh" --ko "$ko" --cycles "$unload_cycles" --attach "auto kprobe" \
		--window-every 5 --ovs-every 10
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_no_line '^not ok'
	expect_line "^RESULT cycles=$unload_cycles failed=0 windows=$windows refused=$windows hazards=[1-9][0-9]* ovs_reloads=$reloads healthy=[1-9]"
	expect_no_leak
	end
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
	kmemleak_line
fi

summary
