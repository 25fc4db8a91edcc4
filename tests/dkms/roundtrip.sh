#!/usr/bin/env bash
# DKMS round trip with Debian's real dkms, in a throwaway mount namespace so the host's /usr/src and
# /var/lib/dkms are untouched: add, build and install for a fetched Debian kernel, status, remove.
# The installed module is copied to build/dkms/<kernel>/txqguard.ko for the VM test that loads it.
#   tests/dkms/roundtrip.sh [kernel-id]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=$("$top/scripts/kernel-fetch" --resolve "${1:-5.10.0-32-amd64}")

if [ -z "${TXQG_DKMS_NS:-}" ]; then
	command -v dkms >/dev/null || { echo "roundtrip: dkms is not installed" >&2; exit 1; }
	"$top/scripts/kernel-fetch" "$kernel" >/dev/null
	exec env TXQG_DKMS_NS=1 unshare -m "$0" "$kernel"
fi

# The one version source (dkms.conf reads it from there when DKMS sources it).
ver=$(sed -n 's/^#define TXQGUARD_VERSION "\(.*\)"/\1/p' "$top/include/uapi/linux/txqguard.h")
hdr=$("$top/scripts/kernel-fetch" --locate "$kernel")/root/usr/src/linux-headers-$kernel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mount --make-rprivate /
mount -t tmpfs tmpfs /usr/src
mount -t tmpfs tmpfs /var/lib/dkms
mkdir -p "$tmp/modules/$kernel" "$tmp/bin"
# Debian's 5.10 headers name gcc-10; this machine's gcc builds working 5.10 modules.
case $kernel in 5.10.*) ln -s "$(command -v gcc)" "$tmp/bin/gcc-10"; export PATH=$tmp/bin:$PATH ;; esac

# Both DKMS modules: txqguard, and txqguard-lp, the optional live-patch form (dkms-lp.conf).
make -s -C "$top" dkms-sources DESTDIR=/ >/dev/null
[ -f "/usr/src/txqguard-$ver/dkms.conf" ] || { echo "roundtrip: dkms-source installed nothing" >&2; exit 1; }

fail() { echo "roundtrip: $*" >&2; exit 1; }
# Every step names the headers: dkms reads dkms.conf per step, and the live-patch entry depends on
# the kernel's .config, which dkms would otherwise look for under /lib/modules/<kernel>/build.
dk() { dkms "$@" --installtree "$tmp/modules" --kernelsourcedir "$hdr"; }
dk add -m txqguard -v "$ver" >/dev/null
dk status -m txqguard | grep -q "^txqguard/$ver: added" || fail "status after add: $(dk status -m txqguard)"
dk build -m txqguard -v "$ver" -k "$kernel" >/dev/null ||
	{ cat "/var/lib/dkms/txqguard/$ver/build/make.log" >&2; fail "build failed"; }
dk install -m txqguard -v "$ver" -k "$kernel" --no-depmod >/dev/null || fail "install failed"
st=$(dk status -m txqguard -k "$kernel")
echo "roundtrip: dkms status: $st"
[[ $st == "txqguard/$ver, $kernel, x86_64: installed"* ]] || fail "unexpected status"
ko=$tmp/modules/$kernel/updates/dkms/txqguard.ko
[ -f "$ko" ] || fail "no module at $ko"
modinfo -F version "$ko" | grep -qx "$ver" || fail "MODULE_VERSION is not $ver"
# The live-patch form, a DKMS module of its own, where the kernel has upstream's live-patch core.
lp=$tmp/modules/$kernel/updates/dkms/txqguard_lp.ko
[ ! -e "$lp" ] || fail "txqguard's own DKMS module installed the live-patch form"
dk add -m txqguard-lp -v "$ver" >/dev/null
if grep -qs '^CONFIG_LIVEPATCH=y' "$hdr/.config"; then
	dk install -m txqguard-lp -v "$ver" -k "$kernel" --no-depmod >/dev/null ||
		{ cat "/var/lib/dkms/txqguard-lp/$ver/build/make.log" >&2; fail "txqguard-lp install failed"; }
	[ -f "$lp" ] || fail "no live-patch module at $lp"
	modinfo -F livepatch "$lp" | grep -qx Y || fail "$lp is not marked as a live patch"
	modinfo -F version "$lp" | grep -qx "$ver" || fail "MODULE_VERSION of txqguard_lp is not $ver"
else
	[ ! -e "$lp" ] || fail "a live-patch module was built for a kernel without CONFIG_LIVEPATCH"
fi
mkdir -p "$top/build/dkms/$kernel"
cp "$ko" "$top/build/dkms/$kernel/txqguard.ko"
dk remove -m txqguard-lp -v "$ver" --all >/dev/null || fail "remove of txqguard-lp failed"
dk remove -m txqguard -v "$ver" --all >/dev/null || fail "remove failed"
[ -z "$(dk status -m txqguard)" ] || fail "status after remove: $(dk status -m txqguard)"
# shellcheck disable=SC2015 # intended: fail unless both are gone
[ ! -e "$ko" ] && [ ! -e "$lp" ] || fail "module still installed after remove"
echo "roundtrip: add, build, install, status, remove passed for $kernel"
