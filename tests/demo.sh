#!/usr/bin/env bash
# The demo: a real, unfixed Debian 5.10 kernel under QEMU locks up when OVS outputs to a veth that is
# being deleted; the same kernel and reproducer with txqguard enforcing survives. Then the stats.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
ko=$top/build/$kernel/txqguard.ko
logs=$top/build/demo
mkdir -p "$logs"
run() { # name mode
	local rc=0
	"$top/tests/vm/vmrun" --kernel "$kernel" --timeout 240 -- "$top/tests/scenarios/race.sh" --ko "$ko" --mode "$2" \
		>"$logs/$1.out" 2>&1 || rc=$?
	echo "$rc"
}
show() { grep -E "$2" "$logs/$1.out" | sed 's/^/    /' || true; }

echo "== 1/2  $kernel, txqguard loaded with mode=off (unguarded)"
echo "    tap flood -> OVS datapath -> veth 'vdie' (deleted while ovs_lock is held) + healthy veth 'vok'"
rc=$(run unguarded off)
show unguarded 'race: deleting|watchdog: BUG: soft lockup|RIP: 0010|Kernel panic'
if [ "$rc" != 125 ]; then
	echo "demo: expected the unguarded kernel to lock up (vmrun 125), got $rc; log: $logs/unguarded.out" >&2
	exit 1
fi
echo "    => the kernel soft-locked in the transmit-queue pick (vmrun exit 125)"
echo
echo "== 2/2  same kernel, same reproducer, txqguard mode=enforce"
rc=$(run guarded enforce)
show guarded 'race: deleting|txqguard: .* hazard on' | head -4
if [ "$rc" != 0 ]; then
	echo "demo: the guarded run failed (vmrun $rc); log: $logs/guarded.out" >&2
	exit 1
fi
result=$(grep '^RESULT ' "$logs/guarded.out" | tail -1)
echo "    => survived. $result"
echo
echo "== stats after the guarded run (/sys/kernel/debug/txqguard/stats)"
sed -n '/^--- .*\/stats$/,/^--- /p' "$logs/guarded.out" | grep -v '^---' | sed 's/^/    /'
echo "== last events"
sed -n '/^--- .*events/,/^TXQG-VMRUN-EXIT/p' "$logs/guarded.out" | grep '^time=' | sed 's/^/    /'
