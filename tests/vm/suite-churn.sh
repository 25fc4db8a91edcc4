#!/usr/bin/env bash
# Port churn at length (make churn; not in make test): txqg-churn under a tap flood for 1000 cycles
# in each shape, one VM boot per shape. plain deletes the churned veth itself; netns deletes a
# namespace that holds its peer and a datapath of its own, so the kernel unregisters the pair in
# a batch; txhash_only repeats plain with only the txhash guard armed, so frames OVS still outputs
# to the dying port reach the transmit-queue pick. The default suite runs 100 plain cycles.
#   tests/vm/suite-churn.sh [test-name-regex]     (TXQG_CHURN_CYCLES overrides 1000)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
cycles=${TXQG_CHURN_CYCLES:-1000}
only=${1:-.}
ko=$top/build/$kernel/txqguard.ko
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'
want() { [[ $1 =~ $only ]]; }

for shape in plain netns txhash_only; do
	want "churn_$shape" || continue
	# Seconds per cycle under TCG, measured: about 0.1-0.2 plain, 0.5 netns; ample room on top.
	case $shape in
	plain) args=() timeout=$((120 + cycles)) ;;
	netns) args=(--netns) timeout=$((120 + cycles * 3)) ;;
	txhash_only) args=(--guards txhash) timeout=$((120 + cycles)) ;;
	esac
	begin "churn_${shape}_$cycles"
	run_vm "churn_$shape" "$kernel" "$timeout" -- "$top/tests/scenarios/churn.sh" --ko "$ko" \
		--cycles "$cycles" "${args[@]}"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line "^RESULT cycles=$cycles hazards=[0-9]+ dropped=[0-9]+ healthy_rx=[0-9]+ elapsed_ms=[0-9]+ "
	expect_gt healthy_rx 0
	[ "$shape" != txhash_only ] || expect_no_line 'ovs_output hazard on'
	end
	grep '^RESULT ' "$vm_out" | sed 's/^/  /' || true
done
summary
