#!/bin/bash
# Inside a VM of a kernel no default test pins (make vmtest-newest): what an operator gets there.
#   --expect refusal    the live-patch form was not verified against this kernel: insmod of
#                       txqguard_lp.ko is refused in one error line and leaves nothing; then
#                       txqguardctl load (auto) falls back to txqguard.ko and verify passes.
#   --expect livepatch  the kernel is on the form's verified list: load (auto) takes the live patch
#                       and verify passes.
#   newest-kernel.sh --dir BUILD_DIR --expect refusal|livepatch
set -uo pipefail
dir="" expect=""
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--expect) expect=$2; shift 2 ;;
	*) echo "newest-kernel.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $expect in refusal | livepatch) ;;
*) echo "usage: newest-kernel.sh --dir D --expect refusal|livepatch" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$top/build/ctl/txqguardctl
. "$top/tests/scenarios/checks.sh"
lp_err_lines() { dmesg --level=err | grep -c 'txqguard_lp: '; }
nothing_left() {
	local p
	for p in /sys/module/txqguard /sys/module/txqguard_lp /sys/kernel/livepatch/txqguard_lp; do
		[ ! -e "$p" ] || { echo "$p is left"; return 1; }
	done
}
# The controller's output, kept for the console after each check: the host matches its lines.
ctl() { "$ctl" "$@" >/tmp/ctl.out 2>&1; }

echo "newest-kernel: $(uname -r), expecting $expect"
dmesg -c >/dev/null
if [ "$expect" = refusal ]; then
	check "txqguard_lp.ko is refused" fails insmod "$dir/txqguard_lp.ko"
	check "the refusal is one error line" test "$(lp_err_lines)" -eq 1
	dmesg --level=err | grep 'txqguard_lp: ' | sed 's/^/newest-kernel: kernel: /'
	check "the refused load left nothing" nothing_left
fi
check "txqguardctl load (auto) loads a form" ctl load --module "$dir"
cat /tmp/ctl.out
check "txqguardctl verify passes" ctl verify
cat /tmp/ctl.out
check "txqguardctl unload unloads it" ctl unload
cat /tmp/ctl.out
check "the unload left nothing" nothing_left
echo "newest-kernel: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
