#!/usr/bin/env bash
# Boot a kernel under QEMU, run tests/bench/forward.sh in it and keep the summary:
#   tests/bench/run.sh <kernel-id> [forward.sh options]   ->  bench/results/<kernel-id>.txt
# Needs build/<kernel-id>/txqguard.ko (and txqguard_lp.ko where the kernel takes live patches),
# the guest's tapflood and pktflood, and the guest's txqguardctl (make bench builds them all).
# TXQG_BENCH_TIMEOUT: seconds the VM may take (default 5400). TXQG_BENCH_TAG: a side run (other
# options, say --guards txhash) goes to bench/results/<kernel-id>.<tag>.txt instead.
# TXQG_BENCH_ICOUNT=1: the guest's clock counts its instructions (vmrun --icount), so rates are
# frames per guest instruction and no longer move with the host's load; the run goes to
# bench/results/<kernel-id>[.<tag>].icount.txt, and frame_cost is instructions per frame.
# The numbers are TCG numbers: compare configurations of one file, not files of two machines.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 <kernel-id> [forward.sh options]" >&2; exit 2; }
kernel=$("$top/scripts/kernel-fetch" --resolve "$1")
shift
icount=${TXQG_BENCH_ICOUNT:-0}
name=$kernel${TXQG_BENCH_TAG:+.$TXQG_BENCH_TAG}
[ "$icount" != 1 ] || name+=.icount
case $name in */* | *' '*) echo "bench: TXQG_BENCH_TAG must be a plain word" >&2; exit 2 ;; esac
out=$top/bench/results/$name.txt
log=$top/build/bench/$name.out
# The modules and the controller are copied first: a rebuild while the VM runs (its files are the
# host's, read over 9p) must not change what is measured half-way.
snap=$top/build/bench/$name
rm -rf "$snap"
mkdir -p "$(dirname "$out")" "$snap"
cp "$top/build/$kernel/txqguard.ko" "$snap/"
args=(--ko "$snap/txqguard.ko")
if [ -f "$top/build/$kernel/txqguard_lp.ko" ]; then
	cp "$top/build/$kernel/txqguard_lp.ko" "$snap/"
	args+=(--lp "$snap/txqguard_lp.ko")
fi
case $("$top/scripts/kernel-fetch" --arch "$kernel") in
arm64) ctl=$top/build/ship/aarch64/txqguardctl ;;
*) ctl=$top/build/ctl/txqguardctl ;;
esac
if [ -x "$ctl" ]; then
	cp "$ctl" "$snap/"
	args+=(--ctl "$snap/txqguardctl")
else
	echo "bench: no $ctl: no controller timings" >&2
fi

# The host's load decides how noisy the rounds are: sample it while the VM runs.
loadlog=$snap/loadavg
cut -d' ' -f1-3 /proc/loadavg >"$loadlog"
(while sleep 15; do cut -d' ' -f1 /proc/loadavg; done >>"$loadlog") &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rc=0
# One vCPU: with two, TCG's vCPU threads and the host's other work make rounds flip between a fast
# and a slow regime (about 100k and 60k frames/s on amd64) whatever the configuration.
vm=(--kernel "$kernel" --smp 1 --timeout "${TXQG_BENCH_TIMEOUT:-5400}")
[ "$icount" != 1 ] || vm+=(--icount)
"$top/tests/vm/vmrun" "${vm[@]}" -- "$top/tests/bench/forward.sh" "${args[@]}" "$@" >"$log" 2>&1 || rc=$?
kill $sampler 2>/dev/null || true
wait $sampler 2>/dev/null || true
trap - EXIT
end_load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$rc" -ne 0 ] || ! grep -q '^bench-done ' "$log"; then
	echo "bench: the guest run failed (vmrun exit $rc); log: $log" >&2
	tail -20 "$log" >&2
	exit 1
fi
# What loading and unloading cost a busy host (tests/bench/stall.sh): a second boot, with 4 vCPUs,
# since a stall is only seen where other CPUs run meanwhile. They share one emulator thread:
# with a thread each, QEMU now and then leaves a vCPU on a stale int3 the kernel's text patching
# already removed (tests/vm/smp-study.sh). A boot that still ends early is counted and retried.
# Not under -icount: a 4-vCPU guest did not get through its boot in 15 minutes that way.
stall_log=$top/build/bench/$name.stall.out
stall_lockups=0
if [ "${TXQG_BENCH_STALL:-1}" = 1 ] && [ "$icount" != 1 ] && [ "$("$top/scripts/kernel-fetch" --arch "$kernel")" = amd64 ] && [ -x "$ctl" ]; then
	cp "$top/build/$kernel/txqg_stall.ko" "$snap/"
	for _ in 1 2 3; do
		src=0
		"$top/tests/vm/vmrun" --kernel "$kernel" --smp 4 --smp-mode single --timeout 1800 -- \
			"$top/tests/bench/stall.sh" --dir "$snap" --ctl "$snap/txqguardctl" \
			--rounds "${TXQG_BENCH_STALL_ROUNDS:-5}" >"$stall_log" 2>&1 || src=$?
		grep -q '^bench-stall-done' "$stall_log" && break
		stall_lockups=$((stall_lockups + 1))
		echo "bench: the stall run ended early (vmrun exit $src; $(grep -m1 -oE 'RIP: 0010:[^ ]+' "$stall_log" || echo '?')): again" >&2
	done
fi
during=$(tail -n +2 "$loadlog" | awk '{ s += $1; if ($1 > m) m = $1 } END { if (NR) printf "mean %.2f, max %.2f over %d samples", s / NR, m, NR; else print "no samples" }')
qemu="qemu-system-x86_64"
[ "$("$top/scripts/kernel-fetch" --arch "$kernel")" = amd64 ] || qemu="qemu-system-aarch64"
{
	echo "# tests/bench/run.sh on $kernel (QEMU TCG, 1 vCPU$([ "$icount" != 1 ] || echo ", -icount shift=0,sleep=on: guest time is instructions"))"
	echo "# date: $start to $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# host: $(uname -m), $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs, $($qemu --version | head -1)"
	echo "# host load average (1, 5, 15 min): $(head -1 "$loadlog") at the start, $end_load at the end; 1-min $during"
	echo "# modules: $(cd "$snap" && sha256sum ./*.ko | awk '{ printf "%s%s %.12s", (NR > 1 ? ", " : ""), substr($2, 3), $1 }') (sha256); checkout $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo ?)"
	echo "# options: ${*:-defaults}"
	echo "# Per workload and configuration, over its rounds: median_efps, frames delivered at the veth peer per"
	echo "# second of what they cost the guest, host preemptions left out (see forward.sh); ratio: that median"
	echo "# over the not-loaded median of the workload; paired_ratio: median over rounds of the round's efps over"
	echo "# the not-loaded round of the same triplet, with its smallest and largest; median_fps, raw_paired_ratio:"
	echo "# the same by the wall clock, which the host's other load moves by tens of percent;"
	echo "# hits_per_frame = (txhash_checked + ovs_output_checked) / frames sent; frame_cost: guest ns per"
	echo "# frame at the median efps (with -icount shift=0, guest instructions per frame)."
	echo "# bench-ctl: milliseconds in the guest, wall clock, from the command's start to its end (load: until"
	echo "# both guards are armed and, for the live patch, its transition is over); stats_per_sample: one more"
	echo "# sample of stats --watch in the same process."
	grep -E '^bench(-summary|-ctl) ' "$log"
	if [ -f "$stall_log" ] && grep -q '^bench-stall-done' "$stall_log"; then
		echo "# bench-stall: the longest time a CPU of 4 could run neither softirqs nor tasks (txqg_stall.ko:"
		echo "# lateness of a 1 ms softirq timer and SCHED_FIFO task per CPU), per window: idle (the flood"
		echo "# alone: the emulator's own noise), txqguardctl load, txqguardctl unload; a tap flood per CPU"
		echo "# through OVS; 4 vCPUs on one TCG thread; boots that ended early: $stall_lockups."
		grep -E '^bench-stall ' "$stall_log"
	fi
	grep -E '^bench(-round|:) ' "$log"
	[ ! -f "$stall_log" ] || grep -E '^bench-stall-round ' "$stall_log" || true
} >"$out"
grep -E '^bench(-summary|-ctl|-stall) ' "$out"
echo "bench: written to $out"
