#!/usr/bin/env bash
# A build that cannot break on vendor kernels. Two copies of the fetched Debian 5.10 header tree:
#   oe:     what openEuler 22.03 has: CONFIG_LIVEPATCH_WO_FTRACE=y (its .config, auto.conf and
#           autoconf.h) and a livepatch.h that declares klp_register_patch()/klp_unregister_patch()
#           instead of klp_enable_patch(); released as 5.10.0-136.12.0.86.oe2203sp1.x86_64;
#   broken: upstream's live-patch core as far as any probe can tell, but a livepatch.h that does
#           not compile: the optional form fails to build where it was expected to.
# On oe, DKMS (txqguard and txqguard-lp, as the packages run them) installs txqguard.ko alone; on
# both, the kmod RPM (kmod/Makefile: both forms, each in a pass of its own) is built with
# txqguard.ko alone, and nothing fails because of the live-patch form.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
oe_release=5.10.0-136.12.0.86.oe2203sp1.x86_64
broken_release=5.10.0-32.brokenlp.x86_64

"$top/scripts/kernel-fetch" "$kernel" >/dev/null
src=${TXQGUARD_CACHE:-$top/.cache}/kernels/$kernel/root/usr/src
flavour=linux-headers-$kernel common=linux-headers-${kernel%-*}-common

# make_tree NAME: a copy of the two header directories (hard links; every edited file is
# replaced, never written through a link), the flavour's Makefile pointed at the copy's common tree.
make_tree() {
	local d=$work/headers-$1
	rm -rf "$d"
	mkdir -p "$d"
	cp -al "$src/$flavour" "$src/$common" "$d/"
	sed -i "s|[^ ]*/$common/|$d/$common/|g" "$d/$flavour/Makefile"
	grep -q "$d/$common/Makefile" "$d/$flavour/Makefile"
	echo "$d/$flavour"
}
oe=$(make_tree oe)
broken=$(make_tree broken)

# openEuler 22.03's live-patch core: configured without ftrace, klp_register_patch() instead.
for f in "$oe/.config" "$oe/include/config/auto.conf"; do
	sed -i '/^CONFIG_LIVEPATCH=y$/a CONFIG_LIVEPATCH_WO_FTRACE=y\nCONFIG_LIVEPATCH_STOP_MACHINE_CONSISTENCY=y\nCONFIG_LIVEPATCH_RESTRICT_KPROBE=y' "$f"
done
sed -i '/^#define CONFIG_LIVEPATCH 1$/a #define CONFIG_LIVEPATCH_WO_FTRACE 1\n#define CONFIG_LIVEPATCH_STOP_MACHINE_CONSISTENCY 1\n#define CONFIG_LIVEPATCH_RESTRICT_KPROBE 1' \
	"$oe/include/generated/autoconf.h"
lp_h=$work/headers-oe/$common/include/linux/livepatch.h
sed -i 's/^int klp_enable_patch(struct klp_patch \*);$/int klp_register_patch(struct klp_patch *patch);\nint klp_unregister_patch(struct klp_patch *patch);/' "$lp_h"
# (rm first: the file is a hard link into the cache)
rm -f "$oe/include/config/kernel.release" && echo "$oe_release" >"$oe/include/config/kernel.release"
sed -i "s/^#define UTS_RELEASE .*/#define UTS_RELEASE \"$oe_release\"/" "$oe/include/generated/utsrelease.h"
oe_tree_is_oe() {
	grep -qx CONFIG_LIVEPATCH_WO_FTRACE=y "$oe/.config" && grep -qx CONFIG_LIVEPATCH_WO_FTRACE=y "$oe/include/config/auto.conf" &&
		grep -qx '#define CONFIG_LIVEPATCH_WO_FTRACE 1' "$oe/include/generated/autoconf.h" &&
		! grep -q klp_enable_patch "$lp_h" && grep -q 'int klp_register_patch' "$lp_h" &&
		grep -q klp_enable_patch "$src/$common/include/linux/livepatch.h"
}
check "the oe tree says CONFIG_LIVEPATCH_WO_FTRACE=y and declares klp_register_patch, not klp_enable_patch (the cache's tree untouched)" oe_tree_is_oe

# The broken tree: the probes pass, the live-patch form's compile fails.
printf '#error "a vendor livepatch.h this form does not compile against"\n' >>"$work/headers-broken/$common/include/linux/livepatch.h.new"
cat "$work/headers-broken/$common/include/linux/livepatch.h" >>"$work/headers-broken/$common/include/linux/livepatch.h.new"
mv "$work/headers-broken/$common/include/linux/livepatch.h.new" "$work/headers-broken/$common/include/linux/livepatch.h"
# Released under a name of its own, so that its kmod RPM does not replace the one rpm.sh built.
rm -f "$broken/include/config/kernel.release" && echo "$broken_release" >"$broken/include/config/kernel.release"
sed -i "s/^#define UTS_RELEASE .*/#define UTS_RELEASE \"$broken_release\"/" "$broken/include/generated/utsrelease.h"

# DKMS as the packages run it, on a throwaway copy of this machine: txqguard installs; txqguard-lp
# is skipped (DKMS's exit 77) and the guard stays installed. (txqguard's own DKMS module never
# builds the live-patch form, so a broken one cannot touch it; the kmod RPM, whose kmod/Makefile
# tries both, is what the broken tree checks.)
dkms_alone() {
	local tree=$1 rel=$2
	"$top/tests/packaging/scratch-host" "
		set -e
		mkdir -p /lib/modules/$rel
		ln -s '$tree' /lib/modules/$rel/build
		[ -e /usr/bin/gcc-10 ] || ln -s \"\$(command -v gcc)\" /usr/bin/gcc-10
		make -s -C '$top' dkms-sources DESTDIR=/ >/dev/null
		dkms add -m txqguard -v '$version' >/dev/null
		dkms add -m txqguard-lp -v '$version' >/dev/null
		dkms install -m txqguard -v '$version' -k '$rel' --no-depmod
		rc=0; dkms install -m txqguard-lp -v '$version' -k '$rel' --no-depmod || rc=\$?
		echo \"txqguard-lp install: exit \$rc\"
		[ \$rc -eq 77 ]
		dkms status
		dkms status -m txqguard -v '$version' -k '$rel' | grep -q ': installed'
		! dkms status -m txqguard-lp -v '$version' -k '$rel' | grep -q ': installed'
		test -f /lib/modules/$rel/updates/dkms/txqguard.ko
		! find /lib/modules/$rel /var/lib/dkms -name 'txqguard_lp.ko*' | grep .
		modinfo -F vermagic /lib/modules/$rel/updates/dkms/txqguard.ko | grep -q '^$rel '
		dkms remove -m txqguard -v '$version' --all >/dev/null
		dkms remove -m txqguard-lp -v '$version' --all >/dev/null
	"
}
check "oe tree: DKMS installs txqguard.ko alone; txqguard-lp is skipped (exit 77)" dkms_alone "$oe" "$oe_release"

# The kmod RPM from both trees: built, with txqguard.ko alone.
kmod_rpm_alone() {
	local tree=$1 rel=$2 rpmf
	make -s -C "$top" rpm-kmod KERNEL_DIR="$tree" KMOD_MAKE_ARGS=CC=gcc >/dev/null || return 1
	rpmf=$top/build/rpm/kmod-$rel/RPMS/x86_64/kmod-txqguard-$rel-$version-1.x86_64.rpm
	diff <(rpm -qlp --nosignature "$rpmf" 2>/dev/null) - <<EOF
/lib/modules/$rel/extra/txqguard
/lib/modules/$rel/extra/txqguard/txqguard.ko
EOF
}
check "oe tree: make rpm-kmod builds kmod-txqguard-$oe_release with txqguard.ko alone" kmod_rpm_alone "$oe" "$oe_release"
check "broken tree: make rpm-kmod still builds, with txqguard.ko alone" kmod_rpm_alone "$broken" "$broken_release"
oe_requires() {
	rpm -qp --requires --nosignature "$top/build/rpm/kmod-$oe_release/RPMS/x86_64/kmod-txqguard-$oe_release-$version-1.x86_64.rpm" 2>/dev/null |
		grep -qx "kernel-uname-r = $oe_release"
}
check "oe tree: the kmod RPM requires kernel-uname-r = $oe_release, exactly as openEuler's kernel provides it" oe_requires
summary
