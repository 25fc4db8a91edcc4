#!/bin/bash
# Inside a VM: what an unprivileged user can do to txqguard, which is nothing. As nobody (and as
# root of a user namespace of its own, where the kernel allows those) the debugfs files cannot be
# read or written, the mode parameter cannot be written, every generic-netlink command is refused
# with EPERM (txqg-genl-abuse --unprivileged), and txqguardctl says so in one line with exit 1;
# afterwards the module is in the state it was loaded in.
#   security.sh --ko PATH
# Prints "ok N - ..." / "not ok N - ..." lines and "security: X of Y checks passed".
set -uo pipefail
ko=""
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	*) echo "security.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] || { echo "usage: security.sh --ko PATH" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$top/build/ctl/txqguardctl
abuse=$top/build/ctl/txqg-genl-abuse
for f in "$ctl" "$abuse"; do
	[ -x "$f" ] || { echo "security.sh: $f is missing (make ctl)" >&2; exit 1; }
done
# The programs run unprivileged, copied out of the checkout: a checkout in a directory only root
# may enter (a `mktemp -d` clone) stays open to nobody over the guest's 9p root but not to the
# root of a user namespace, which would then fail to start them rather than be refused.
bin=$(mktemp -d /tmp/security.XXXXXX) && chmod 755 "$bin" && cp "$ctl" "$abuse" "$bin/" || exit 1
ctl=$bin/txqguardctl abuse=$bin/txqg-genl-abuse
dbg=/sys/kernel/debug/txqguard
param=/sys/module/txqguard/parameters/mode
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
check_show_output=1
. "$top/tests/scenarios/checks.sh"
# refused CMD...: CMD fails, and says why in the usual words.
refused() { ! "$@" && grep -Eq 'Permission denied|Operation not permitted' /tmp/refused.err; }
as_nobody() { "${nobody[@]}" "$@" 2>/tmp/refused.err; }
# ctl_refused ARGS...: txqguardctl as nobody: exit 1, one line on stderr naming the cause.
ctl_refused() {
	local rc
	"${nobody[@]}" "$ctl" "$@" >/tmp/ctl.out 2>/tmp/ctl.err
	rc=$?
	echo "exit $rc: $(cat /tmp/ctl.err)"
	[ "$rc" -eq 1 ] && [ "$(grep -c . /tmp/ctl.err)" -eq 1 ] &&
		grep -Eq '^txqguardctl: .*Operation not permitted \(run as root\)$' /tmp/ctl.err
}

insmod "$ko" mode=enforce selftest=1 || exit 1
modprobe openvswitch
dmesg -c >/dev/null
check "nobody is not root" test "$("${nobody[@]}" id -u)" = 65534

for f in stats events probes; do
	check "nobody cannot read $f" refused as_nobody cat $dbg/$f
done
# With the debugfs root opened to all, only the files' own modes stand in the way.
check "debugfs remounted mode 0755" mount -o remount,mode=0755 /sys/kernel/debug
for f in stats events probes; do
	check "$f is 0400 root" test "$(stat -c '%a %U' $dbg/$f)" = "400 root"
	check "nobody cannot read $f through an open debugfs" refused as_nobody cat $dbg/$f
done
check "root still reads stats" grep -q '^mode enforce$' $dbg/stats
check "nobody cannot hold ovs_lock through selftest/hold_ovs_lock_ms" \
	refused as_nobody sh -c "echo 100 > $dbg/selftest/hold_ovs_lock_ms"
check "nobody cannot write stats" refused as_nobody sh -c "echo 0 > $dbg/stats"
check "nobody reads the mode parameter" test "$("${nobody[@]}" cat $param)" = enforce
check "nobody cannot write the mode parameter" refused as_nobody sh -c "echo off > $param"

check "nobody: every generic-netlink command is EPERM" "${nobody[@]}" "$abuse" --unprivileged
# GENL_ADMIN_PERM asks for the capability, not the uid: root without CAP_NET_ADMIN is refused.
no_net_admin=(setpriv --bounding-set=-net_admin --inh-caps=-net_admin)
lacks_net_admin() {	# CAP_NET_ADMIN is bit 12
	local eff
	# shellcheck disable=SC2016 # awk's $2: the command is behind an array shellcheck cannot see through
	eff=$("${no_net_admin[@]}" awk '/^CapEff/ {print $2}' /proc/self/status)
	echo "uid $("${no_net_admin[@]}" id -u), CapEff $eff"
	(((0x$eff >> 12 & 1) == 0))
}
check "root without CAP_NET_ADMIN lacks it" lacks_net_admin
check "root without CAP_NET_ADMIN: every generic-netlink command is EPERM" \
	"${no_net_admin[@]}" "$abuse" --unprivileged
check "root without CAP_NET_ADMIN: txqguardctl set-mode off exits 1" \
	sh -c "${no_net_admin[*]} $ctl set-mode off; test \$? -eq 1"
# Root of a user namespace has CAP_NET_ADMIN there, not in the initial one the family lives in.
# (vmrun switches to the guest's root rather than chrooting, where no user namespace is created.)
userns_root_has_net_admin() {
	local eff
	# shellcheck disable=SC2016 # awk's $2: the command is behind an array shellcheck cannot see through
	eff=$("${nobody[@]}" unshare -U -r awk '/^CapEff/ {print $2}' /proc/self/status) || return 1
	echo "nobody in a user namespace of its own: uid $("${nobody[@]}" unshare -U -r id -u), CapEff $eff"
	(((0x$eff >> 12 & 1) == 1))
}
check "nobody creates a user namespace and is root with CAP_NET_ADMIN there" userns_root_has_net_admin
check "user-namespace root: every generic-netlink command is EPERM" \
	"${nobody[@]}" unshare -U -r "$abuse" --unprivileged
check "user-namespace root cannot write the mode parameter" \
	refused as_nobody unshare -U -r sh -c "echo off > $param"

check "nobody: txqguardctl stats exits 1 with one line" ctl_refused stats
check "nobody: txqguardctl set-mode off exits 1 with one line" ctl_refused set-mode off
check "nobody: txqguardctl events exits 1 with one line" ctl_refused events

check "the mode parameter is still enforce" test "$(cat $param)" = enforce
check "txqguardctl stats (root) says mode enforce" sh -c "$ctl stats | grep -Eq '^mode +enforce$'"
check "no mode change was logged" fails sh -c "dmesg | grep -E 'txqguard: mode [a-z]+ -> '"
check "ovs_lock was never held" fails sh -c "dmesg | grep 'selftest: holding ovs_lock'"
echo "security: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
