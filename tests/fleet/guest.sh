#!/usr/bin/env bash
# One host of the fleet test, inside a `vmrun --systemd --net-ssh PORT` guest: makes the guest look
# like a host that packages and Ansible can manage, starts sshd, and waits until told to stop.
#   tests/fleet/guest.sh AUTHORIZED-KEYS DPKG-DB
# - the running kernel installed as its packages install it (tests/packaging/kernel-here: a writable
#   /lib/modules/<kernel> in guest memory, where depmod and packages can write);
# - dpkg's database DPKG-DB (tests/packaging/slim-dpkg-db: this machine's, holding only what our
#   packages depend on) and, in /lib/modules/<kernel>, only the modules a host of this test loads:
#   each dpkg run reads every installed package's file list and the modules package's scripts run
#   depmod, which reads every module; with this machine's 1,100 packages and the kernel's 3,900
#   modules over 9p under emulation, one dpkg -i took 5.5 minutes;
# - no policy-rc.d (this machine's root, which the guest boots, may forbid starting services);
# - the NIC vmrun gave it up, at 10.0.2.15/24 (QEMU's user network, restrict=on);
# - sshd from this machine's openssh-server, with host keys made now and AUTHORIZED-KEYS as root's
#   only key, in the guest's memory (nothing of it reaches this machine's disk);
# then "FLEET-GUEST-READY" on the console, and it runs until /run/txqg-fleet-stop exists (the test
# creates it over ssh), which ends the command and so the VM.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
keys=${1:?usage: $0 AUTHORIZED-KEYS DPKG-DB}
dpkg_db=${2:?usage: $0 AUTHORIZED-KEYS DPKG-DB}
kernel=$(uname -r)

# vmrun arms the soft-lockup watchdog at 2 s to catch the lockup fast; dpkg, python and systemd
# under emulation on a shared machine can starve a vCPU that long. 10 s still catches a real one.
echo 10 >/proc/sys/kernel/watchdog_thresh
"$top/tests/packaging/kernel-here" "$kernel" >/dev/null
mount -t tmpfs -o mode=0755 tmpfs /var/lib/dpkg
cp -a "$dpkg_db/." /var/lib/dpkg/
# What txqguardctl verify creates (dummy, veth) and what the guard and this guest load.
"$top/tests/packaging/slim-modules" openvswitch dummy veth tun virtio_net >/dev/null
rm -f /usr/sbin/policy-rc.d
# man-db's trigger rebuilds its index over 9p for minutes at every dpkg run (Debian's opt-out).
rm -f /var/lib/man-db/auto-update

modprobe virtio_net
ip link set lo up
dev=""
for _ in $(seq 50); do
	dev=$(ip -o link show | awk -F': ' '$2 != "lo" {print $2; exit}' | cut -d@ -f1)
	[ -n "$dev" ] && break
	sleep 0.2
done
[ -n "$dev" ] || { echo "fleet-guest: no network interface"; exit 1; }
ip addr add 10.0.2.15/24 dev "$dev"
ip link set "$dev" up

conf=/run/txqg-fleet
mkdir -p "$conf" /run/sshd /root/.ssh
# Root's shell files as on a fresh Debian host: sshd's bash reads ~/.bashrc for every command, and
# this machine's (developer tools' set-up) takes seconds under emulation.
cp /etc/skel/.bashrc /etc/skel/.profile /root/
chmod 0700 /root/.ssh
install -m 0600 "$keys" /root/.ssh/authorized_keys
ssh-keygen -q -t ed25519 -N '' -f "$conf/ssh_host_ed25519_key"
cat >"$conf/sshd_config" <<EOF
Port 22
ListenAddress 0.0.0.0
HostKey $conf/ssh_host_ed25519_key
PidFile $conf/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile /root/.ssh/authorized_keys
UsePAM no
UseDNS no
PrintMotd no
Subsystem sftp internal-sftp
EOF
/usr/sbin/sshd -f "$conf/sshd_config" -E "$conf/sshd.log"
echo "FLEET-GUEST-READY kernel=$kernel dev=$dev"

while [ ! -e /run/txqg-fleet-stop ]; do sleep 1; done
echo "FLEET-GUEST-STOP"
