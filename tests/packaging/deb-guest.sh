#!/bin/bash
# Inside a `vmrun --systemd` guest on the unfixed kernel: the Debian packages as a host gets them.
# tests/packaging/deb-vm.sh ran the first half with dpkg on a throwaway copy of this machine (the same
# root the guest boots): `dpkg -i txqguard-dkms`, whose DKMS built both forms against the kernel's
# headers, and `dpkg --unpack txqguard`; STATE-TAR holds what that changed. Here, on the kernel:
# `dpkg --configure txqguard`, whose postinst has systemd (PID 1) enable and start txqguard.service;
# then txqguardctl verify; then dpkg --purge of both, after which no file of theirs may be left.
# Ends with one line
#   DEB-GUEST configured=0|1 service=<ActiveState>/<Result> verify=<rc> purged=0|1
#   tests/packaging/deb-guest.sh STATE-TAR DPKG-DB
# DPKG-DB is dpkg's database after that first half, holding only our packages and their
# dependencies, and the kernel's modules are those the test loads (tests/packaging/slim-dpkg-db and
# slim-modules: with all of this machine's, dpkg and depmod read for minutes over 9p).
# No -e: every step runs and the closing line reports each, so a failure says which step it was.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
state=${1:?usage: $0 STATE-TAR DPKG-DB}
dpkg_db=${2:?usage: $0 STATE-TAR DPKG-DB}
kernel=$(uname -r)
configured=0 service=none verify=none purged=0

# Every path named for the packages where packages, DKMS, systemd and dpkg put files (all of /usr
# would take minutes over 9p under emulation), their DKMS modules and their dpkg entries: compared
# before the installation and after the purge.
footprint() {
	find /etc /lib/systemd /usr/sbin /usr/src /usr/share/doc /usr/share/man/man8 /usr/share/lintian \
		/usr/share/txqguard /var/lib "/lib/modules/$kernel/updates" -iname '*txqguard*' 2>/dev/null | sort
	dkms status 2>/dev/null | grep txqguard
	dpkg-query -W -f='${Package} ${Status}\n' 'txqguard*' 2>/dev/null | grep -v 'not-installed'
}

# vmrun arms the soft-lockup watchdog at 4 s to catch the lockup fast. This test runs dpkg, DKMS
# and systemd under emulation on a shared host, where an idle vCPU can starve for seconds; its
# question is the packages, not the lockup. 20 s still catches a real one, and vmrun still fails.
echo 10 >/proc/sys/kernel/watchdog_thresh
"$top/tests/packaging/kernel-here" "$kernel" || exit 1
footprint >/tmp/before
# What dpkg -i txqguard-dkms and dpkg --unpack txqguard left on the copy of this machine.
tar -xpf "$state" -C / --keep-directory-symlink || exit 1
mount -t tmpfs -o mode=0755 tmpfs /var/lib/dpkg && cp -a "$dpkg_db/." /var/lib/dpkg/ || exit 1
"$top/tests/packaging/slim-modules" openvswitch dummy veth tun || exit 1
# This machine's root, which the guest boots, carries a Docker-style policy-rc.d that forbids
# starting any service; a host has none.
rm -f /usr/sbin/policy-rc.d
# man-db's trigger rebuilds its index over 9p under emulation for minutes; Debian's opt-out.
rm -f /var/lib/man-db/auto-update
systemctl daemon-reload
echo "=== dkms status (built and installed by dpkg -i txqguard-dkms) [${SECONDS}s]"
dkms status
echo "=== dpkg --configure txqguard [${SECONDS}s]"
if dpkg --configure txqguard; then configured=1; fi
echo "=== txqguard.service"
systemctl --no-pager status txqguard.service
service="$(systemctl show -p ActiveState --value txqguard.service)/$(systemctl show -p Result --value txqguard.service)"
journalctl --no-pager -b -u txqguard.service | tail -40
echo "=== enabled"
systemctl is-enabled txqguard.service txqguard-verify.timer txqguard-metrics.timer
echo "=== txqguardctl verify [${SECONDS}s]"
txqguardctl verify
verify=$?
txqguardctl status
lsmod | grep -E '^txqguard' || true

echo "=== dpkg --purge txqguard txqguard-dkms [${SECONDS}s]"
dpkg --purge txqguard txqguard-dkms
systemctl daemon-reload
echo "=== purged [${SECONDS}s]"
footprint >/tmp/after
if diff /tmp/before /tmp/after; then purged=1; else echo "left after purge: see above"; fi
# The module stays loaded: removal never unloads it (docs/install.md).
lsmod | grep -E '^txqguard' || true
echo "DEB-GUEST [${SECONDS}s] configured=$configured service=$service verify=$verify purged=$purged"
