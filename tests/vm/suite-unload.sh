#!/usr/bin/env bash
# Unload under fire: txqguard removed and re-inserted three times while a tap flood crosses both
# guards (module-basics.sh --unload-under-traffic), for each attachment. Not in the default run
# yet: with attach=kprobe one run of two soft-locked at netdev_pick_tx+0x0 during rmmod.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
for attach in kprobe ftrace; do
	begin "unload_under_traffic_$attach"
	run_vm "unload_$attach" "$kernel" 240 -- "$top/tests/scenarios/module-basics.sh" \
		--ko "$top/build/$kernel/txqguard.ko" --attach "$attach" --unload-under-traffic
	expect_rc 0
	expect_line '^module-basics: ([0-9]+) of \1 checks passed'
	expect_line '^ok [0-9]+ - unload and reload under traffic through both guards'
	end
done
summary
