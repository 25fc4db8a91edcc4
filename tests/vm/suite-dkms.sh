#!/usr/bin/env bash
# The module as DKMS builds and installs it (tests/dkms/roundtrip.sh) loads and guards.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}

begin dkms_roundtrip_then_guard
"$top/tests/dkms/roundtrip.sh" "$kernel" >"$out_dir/dkms_roundtrip.out" 2>&1 || fail "dkms round trip failed (see $out_dir/dkms_roundtrip.out)"
run_vm dkms_guard "$kernel" 240 -- "$top/tests/scenarios/race.sh" --ko "$top/build/dkms/$kernel/txqguard.ko" --mode enforce
expect_rc 0
expect_no_line 'soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'
expect_gt ovs_output_hazards 0
expect_gt lethal_rntq0 0
expect_gt healthy_window 0
end
summary
