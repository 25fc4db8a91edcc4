#!/usr/bin/env bash
# Opt-in (make vmtest-newest, not make test): a kernel no default test pins, usually the newest 6.1
# in the archive today. Archive drift is information here, not a red CI: on a kernel the live-patch
# form was not verified against (kmod/livepatch.c), the form refuses in one line, txqguardctl load
# (auto) loads txqguard.ko and verify passes; on a listed one, auto loads the live patch.
#   TXQG_KERNEL_NEWEST=<id> tests/vm/suite-newest.sh   (build/<id>/ built by scripts/build-kmod)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=${TXQG_KERNEL_NEWEST:?set TXQG_KERNEL_NEWEST to a built kernel id (make vmtest-newest does)}
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'
for f in "$top/build/ctl/txqguardctl" "$top/build/$k/txqguard.ko" "$top/build/$k/txqguard_lp.ko"; do
	[ -e "$f" ] || { echo "suite-newest: $f is missing (make vmtest-newest builds it)" >&2; exit 1; }
done
if grep -Eq "^[[:space:]]*\{ \"$k\", [0-9]+ \}," "$top/kmod/livepatch.c"; then
	expect=livepatch
	echo "suite-newest: $k is on the live-patch form's verified list: auto must load the live patch"
else
	expect=refusal
	echo "suite-newest: $k is not on the live-patch form's verified list: the form must refuse it"
	echo "suite-newest: (README, \"Adding a kernel to the live-patch form's verified list\")"
fi

begin "newest_${k}_${expect}"
run_vm newest "$k" 300 -- "$top/tests/scenarios/newest-kernel.sh" --dir "$top/build/$k" --expect "$expect"
expect_rc 0
expect_no_line "$kernel_report"
expect_no_line '^not ok'
expect_line '^newest-kernel: ([0-9]+) of \1 checks passed'
if [ "$expect" = refusal ]; then
	expect_line "txqguard_lp: netdev_core_pick_tx of $k \([0-9]+ bytes\) is not one this live patch was verified against; refusing to load"
	expect_line '^live-patch form refused \(.*\); loaded the kprobe form$'
	expect_line '^loaded txqguard [^ ]+, mode enforce, backend ftrace$'
else
	expect_line '^loaded txqguard_lp [^ ]+, mode enforce, backend livepatch$'
fi
expect_line '^result: both guards live'
end
summary
