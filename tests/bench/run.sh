#!/usr/bin/env bash
# Boot a kernel under QEMU, run tests/bench/forward.sh in it and keep the summary:
#   tests/bench/run.sh <kernel-id> [forward.sh options]   ->  bench/results/<kernel-id>.txt
# Needs build/<kernel-id>/txqguard.ko and the guest's tapflood (make bench builds both).
# The numbers are TCG numbers: compare configurations of one file, not files of two machines.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 <kernel-id> [forward.sh options]" >&2; exit 2; }
kernel=$("$top/scripts/kernel-fetch" --resolve "$1")
shift
out=$top/bench/results/$kernel.txt
log=$top/build/bench/$kernel.out
mkdir -p "$(dirname "$out")" "$(dirname "$log")"
rc=0
# One vCPU: with two, TCG's vCPU threads and the host's other work make rounds flip between a fast
# and a slow regime (about 100k and 60k frames/s on amd64) whatever the configuration.
"$top/tests/vm/vmrun" --kernel "$kernel" --smp 1 --timeout 1500 -- \
	"$top/tests/bench/forward.sh" --ko "$top/build/$kernel/txqguard.ko" "$@" >"$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || ! grep -q '^bench-summary ' "$log"; then
	echo "bench: the guest run failed (vmrun exit $rc); log: $log" >&2
	tail -20 "$log" >&2
	exit 1
fi
{
	echo "# tests/bench/forward.sh on $kernel (QEMU TCG, 1 vCPU)"
	echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# host: $(uname -m), $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs, $(qemu-system-x86_64 --version | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# options: ${*:-defaults}"
	echo "# ratio = median frames/s delivered at the veth peer over the not-loaded median; best_ratio:"
	echo "# fastest round over fastest not-loaded round; paired_ratio: median over rounds of the round's"
	echo "# rate over the not-loaded rate of the same round (the least sensitive to other host load);"
	echo "# calls_per_frame = (txhash_checked + ovs_output_checked) / frames delivered"
	grep -E '^bench(-summary|-round|:) ' "$log"
} >"$out"
grep '^bench-summary ' "$out"
echo "bench: written to $out"
