#!/usr/bin/env bash
# The kmod RPM on the unfixed kernel, in a VM (tests/vm/lib.sh's conventions; "N passed, N failed"):
#   kmod_rpm_guards_reproducer: the txqguard.ko of kmod-txqguard-<kernel> (built from the fetched
#     headers by make rpm-kmod, installed with rpm --root by tests/packaging/rpm.sh) survives the
#     deterministic reproducer in enforce mode.
set -euo pipefail
. "$(dirname "$0")/../vm/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'

begin kmod_rpm_guards_reproducer
ko=$top/build/packaging/kmod-root/lib/modules/$kernel/extra/txqguard/txqguard.ko
if [ -f "$ko" ]; then
	run_vm kmod_rpm_guard "$kernel" 240 -- "$top/tests/scenarios/race.sh" --ko "$ko" --mode enforce
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_gt ovs_output_hazards 0
	# The lethal state itself: an event after the dying port's queue count went to 0.
	expect_gt lethal_rntq0 0
	expect_gt healthy_window 0
else
	vm_secs=0
	fail "no $ko (tests/packaging/rpm.sh installs the kmod RPM there)"
fi
end

summary
