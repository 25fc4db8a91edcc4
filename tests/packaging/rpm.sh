#!/usr/bin/env bash
# The RPMs (make rpm, make rpm-kmod): rpmlint findings fixed or filtered with a reason
# (packaging/rpm/txqguard.rpmlintrc), versions, file lists, dependencies and scriptlets asserted
# with rpm -qp, installation into a scratch root with rpm --root, the DKMS package's scriptlets run
# for real on a throwaway copy of this machine, and the kmod package built from a fetched Debian
# kernel's headers. Needs make dist and scripts/ship-ctl first (tests/packaging/run.sh orders them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
command -v rpmbuild >/dev/null || { missing "RPM checks (rpm is not installed: scripts/install-deps)"; summary; exit; }

step "make rpm: txqguard, -debuginfo (x86_64, aarch64), -dkms (noarch), SRPM" "$top/scripts/build-rpm"
rpms=$top/build/rpm/topdir
main() { echo "$rpms/RPMS/$1/txqguard-$version-1.$1.rpm"; }
dbg() { echo "$rpms/RPMS/$1/txqguard-debuginfo-$version-1.$1.rpm"; }
dkms_rpm=$rpms/RPMS/noarch/txqguard-dkms-$version-1.noarch.rpm
srpm=$rpms/SRPMS/txqguard-$version-1.src.rpm

# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "rpmlint: no finding but those txqguard.rpmlintrc explains" bash -c \
	'out=$(rpmlint -c "$1" "${@:2}" 2>&1); echo "$out"; grep -q " 0 errors, 0 warnings" <<<"$out"' _ \
	"$top/packaging/rpm/txqguard.rpmlintrc" "$(main x86_64)" "$(main aarch64)" "$(dbg x86_64)" "$(dbg aarch64)" "$dkms_rpm" "$srpm"

q() { rpm -qp --nosignature "$@" 2>/dev/null; }
for arch in x86_64 aarch64; do
	check "txqguard.$arch: version $version, architecture $arch" test "$(q --qf '%{VERSION} %{ARCH}' "$(main $arch)")" = "$version $arch"
	files_main() {
		diff <(q -l "$(main "$1")") - <<EOF
/usr/lib/systemd/system-preset/90-txqguard.preset
/usr/lib/systemd/system/txqguard-metrics.service
/usr/lib/systemd/system/txqguard-metrics.timer
/usr/lib/systemd/system/txqguard-verify.service
/usr/lib/systemd/system/txqguard-verify.timer
/usr/lib/systemd/system/txqguard.service
/usr/sbin/txqguardctl
/usr/share/doc/txqguard-$version
/usr/share/doc/txqguard-$version/README.md
/usr/share/doc/txqguard-$version/README.txqguardctl.md
/usr/share/doc/txqguard-$version/install.md
/usr/share/doc/txqguard-$version/operations.md
/usr/share/man/man8/txqguardctl.8.gz
/usr/share/txqguard
/usr/share/txqguard/txqguard.rules.yml
EOF
	}
	check "txqguard.$arch: file list (controller, five units, preset, man page, alert rules, docs)" files_main "$arch"
	requires_main() {
		local r
		r=$(q --requires "$(main "$1")")
		echo "$r"
		for need in 'libnl-3.so.200()(64bit)' 'libnl-genl-3.so.200()(64bit)' 'libmnl.so.0()(64bit)' \
			'libkmod.so.2()(64bit)' '(txqguard-dkms = '"$version"'-1 or txqguard-kmod = '"$version"'-1)'; do
			grep -qxF "$need" <<<"$r" || { echo "missing: $need"; return 1; }
		done
		# No glibc symbol version above 2.28, no shared C++ runtime.
		! grep -E 'GLIBC_2\.(29|[3-9][0-9])|libstdc\+\+|libgcc_s' <<<"$r"
	}
	check "txqguard.$arch: requires libnl, libmnl, libkmod (dlopen), the module; nothing above GLIBC_2.28" requires_main "$arch"
	audit_packaged() {
		local d=$work/rpm-x/$1
		rm -rf "$d" && mkdir -p "$d"
		(cd "$d" && rpm2cpio "$(main "$1")" | cpio -idm --quiet && rpm2cpio "$(dbg "$1")" | cpio -idm --quiet)
		cp "$d/usr/lib/debug/usr/sbin/txqguardctl.debug" "$d/usr/sbin/txqguardctl.debug"
		"$top/scripts/ship-audit" "$d/usr/sbin/txqguardctl" || return 1
		# The build-id link of -debuginfo leads to the debug file of this very binary.
		local id
		id=$(readelf -n "$d/usr/sbin/txqguardctl" | sed -n 's/.*Build ID: *//p')
		test -f "$d/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
	}
	check "txqguard.$arch: the packaged binary passes ship-audit; -debuginfo's build-id link fits it" audit_packaged "$arch"
done

scripts_main() {
	local s
	s=$(q --scripts "$(main x86_64)")
	echo "$s"
	grep -q 'systemctl --no-reload preset txqguard.service' <<<"$s" &&
		grep -q 'systemctl --no-reload disable --now txqguard.service' <<<"$s" &&
		grep -q 'try-restart txqguard-metrics.timer txqguard-verify.timer' <<<"$s" &&
		! grep -q 'systemctl start' <<<"$s"
}
check "txqguard: scriptlets preset (enable) at install, disable at removal, start nothing" scripts_main
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "txqguard: the preset enables the boot unit and both timers" bash -c \
	'rpm2cpio "$1" | cpio -i --quiet --to-stdout ./usr/lib/systemd/system-preset/90-txqguard.preset | grep -v "^#" | sort | tr "\n" " " |
	 grep -qx "enable txqguard-metrics.timer enable txqguard-verify.timer enable txqguard.service "' _ "$(main x86_64)"

check "txqguard-dkms: noarch, version $version" test "$(q --qf '%{VERSION} %{ARCH}' "$dkms_rpm")" = "$version noarch"
requires_dkms() {
	local r
	r=$(q --requires "$dkms_rpm")
	echo "$r"
	grep -qx dkms <<<"$r" && grep -qx kernel-devel <<<"$r"
}
check "txqguard-dkms: requires dkms and kernel-devel" requires_dkms
files_dkms() {
	local l
	l=$(q -l "$dkms_rpm")
	grep -qx "/usr/src/txqguard-$version/dkms.conf" <<<"$l" &&
		grep -qx "/usr/src/txqguard-lp-$version/dkms.conf" <<<"$l" &&
		grep -qx "/usr/src/txqguard-$version/kmod/Kbuild" <<<"$l" &&
		grep -qx "/usr/src/txqguard-$version/include/uapi/linux/txqguard.h" <<<"$l" &&
		! grep -v "^/usr/src/txqguard-\(lp-\)\?$version" <<<"$l"
}
check "txqguard-dkms: the two DKMS trees and nothing else" files_dkms
scripts_dkms() {
	local s
	s=$(q --scripts "$dkms_rpm")
	echo "$s"
	# Added, built and installed for each kernel with its devel tree after the transaction; the
	# live-patch form's failure only warns; removal takes both away; no scriptlet can fail.
	# shellcheck disable=SC2016 # '$k' is literal text of the spec's scriptlet
	grep -q '^posttrans scriptlet' <<<"$s" && grep -q 'dkms install -m txqguard -v '"$version"' -k' <<<"$s" &&
		grep -q 'dkms install -m txqguard-lp -v '"$version"' -k "$k" >/dev/null 2>&1 ||' <<<"$s" &&
		grep -q 'dkms remove -m txqguard -v '"$version"' --all' <<<"$s" &&
		grep -q 'dkms remove -m txqguard-lp -v '"$version"' --all' <<<"$s"
}
check "txqguard-dkms: %posttrans dkms install (txqguard, then txqguard-lp only warning), %preun dkms remove" scripts_dkms

# rpm --root into an empty scratch root. --nodeps: that root has no glibc, libnl or dkms package
# (the dependencies are asserted above); --noscripts: it has no shell or systemctl for them (the
# DKMS scriptlets run for real below).
# The database where RPM distributions keep it (Debian's rpm defaults to ~/.rpmdb).
scratch=$work/rpm-root
rr=(rpm --root "$scratch" --dbpath /var/lib/rpm)
root_install() {
	rm -rf "$scratch" && mkdir -p "$scratch"
	"${rr[@]}" --initdb &&
		"${rr[@]}" -i --nodeps --noscripts --nosignature "$(main x86_64)" "$(dbg x86_64)" "$dkms_rpm" &&
		"${rr[@]}" -qa | sort | tr '\n' ' ' | grep -q "txqguard-$version-1.x86_64 txqguard-debuginfo-$version-1.x86_64 txqguard-dkms-$version-1.noarch" &&
		"${rr[@]}" -V --nodeps --nosignature txqguard txqguard-debuginfo txqguard-dkms &&
		test -x "$scratch/usr/sbin/txqguardctl" && test -f "$scratch/usr/lib/systemd/system/txqguard.service" &&
		test -f "$scratch/usr/src/txqguard-$version/dkms.conf" &&
		"${rr[@]}" -e --nodeps --noscripts txqguard txqguard-debuginfo txqguard-dkms &&
		test -z "$(find "$scratch" -path "$scratch/var/lib/rpm" -prune -o \( -type f -o -type l \) -print)"
}
check "rpm --root: install txqguard, -debuginfo, -dkms into a scratch root, verify, erase, nothing left" root_install

# The DKMS package as a host gets it: rpm -i with its scriptlets, on a throwaway copy of this
# machine where the fetched Debian kernel is installed (its modules and headers); then rpm -e.
"$top/scripts/kernel-fetch" "$kernel" >/dev/null
dkms_scriptlets() {
	"$top/tests/packaging/scratch-host" "
		set -e
		'$top/tests/packaging/kernel-here' '$kernel'
		rpm -i --nodeps --nosignature '$dkms_rpm'
		echo '--- dkms status after rpm -i:'; dkms status
		dkms status -m txqguard -v '$version' -k '$kernel' | grep -q ': installed'
		dkms status -m txqguard-lp -v '$version' -k '$kernel' | grep -q ': installed'
		ls -l /lib/modules/$kernel/updates/dkms/
		test -f /lib/modules/$kernel/updates/dkms/txqguard.ko
		test -f /lib/modules/$kernel/updates/dkms/txqguard_lp.ko
		modinfo -F vermagic /lib/modules/$kernel/updates/dkms/txqguard.ko | grep -q '^$kernel '
		rpm -e --nodeps txqguard-dkms
		echo '--- after rpm -e:'; dkms status; ls /usr/src /lib/modules/$kernel/updates 2>&1 || true
		test -z \"\$(dkms status)\"
		! ls /lib/modules/$kernel/updates/dkms/txqguard*.ko 2>/dev/null
		! ls -d /usr/src/txqguard* 2>/dev/null
	"
}
check "txqguard-dkms scriptlets on a copy of this machine with $kernel: rpm -i builds and installs both forms, rpm -e removes them" dkms_scriptlets

# kmod-txqguard-<release> from the fetched Debian headers.
hdr=$("$top/scripts/kernel-fetch" --locate "$kernel")/root/usr/src/linux-headers-$kernel
step "make rpm-kmod KERNEL_DIR=<$kernel headers> KMOD_MAKE_ARGS=CC=gcc" make -s -C "$top" rpm-kmod KERNEL_DIR="$hdr" KMOD_MAKE_ARGS=CC=gcc
kmod_rpm=$top/build/rpm/kmod-$kernel/RPMS/x86_64/kmod-txqguard-$kernel-$version-1.x86_64.rpm
check "kmod-txqguard-$kernel: built" test -f "$kmod_rpm"
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "kmod-txqguard-$kernel: rpmlint clean but the explained findings" bash -c \
	'out=$(rpmlint -c "$1" "$2" 2>&1); echo "$out"; grep -q " 0 errors, 0 warnings" <<<"$out"' _ "$top/packaging/rpm/txqguard.rpmlintrc" "$kmod_rpm"
check "kmod-txqguard-$kernel: both forms under /lib/modules/$kernel/extra/txqguard/" diff <(q -l "$kmod_rpm") - <<EOF
/lib/modules/$kernel/extra/txqguard
/lib/modules/$kernel/extra/txqguard/txqguard.ko
/lib/modules/$kernel/extra/txqguard/txqguard_lp.ko
EOF
kmod_deps() {
	local r p
	r=$(q --requires "$kmod_rpm")
	p=$(q --provides "$kmod_rpm")
	echo "$r"
	echo "$p"
	# Debian's release has a second '-', which an RPM version cannot: the spec turns it into '_'.
	# shellcheck disable=SC2001 # sed's 2g (every '-' from the second on) has no ${//} form
	grep -qx "kernel-uname-r = $(echo "$kernel" | sed 's/-/_/2g')" <<<"$r" && grep -qx "txqguard-kmod = $version-1" <<<"$p" &&
		grep -qx "kmod-txqguard = $version-1" <<<"$p" && q --conflicts "$kmod_rpm" | grep -qx txqguard-dkms
}
check "kmod-txqguard-$kernel: requires exactly kernel-uname-r $kernel, provides txqguard-kmod, conflicts with -dkms" kmod_deps
kmod_scripts() {
	local s
	s=$(q --scripts "$kmod_rpm")
	echo "$s"
	grep -q "depmod -a $kernel" <<<"$s" && [ "$(grep -c "depmod -a $kernel" <<<"$s")" -eq 2 ] && ! grep -q weak-modules <<<"$s"
}
check "kmod-txqguard-$kernel: depmod in %post and %postun, no weak-modules" kmod_scripts
kroot=$work/kmod-root
kmod_root_install() {
	rm -rf "$kroot" && mkdir -p "$kroot"
	rpm --root "$kroot" --dbpath /var/lib/rpm --initdb &&
		rpm --root "$kroot" --dbpath /var/lib/rpm -i --nodeps --noscripts --nosignature "$kmod_rpm" &&
		modinfo -F vermagic "$kroot/lib/modules/$kernel/extra/txqguard/txqguard.ko" | grep -q "^$kernel " &&
		modinfo -F version "$kroot/lib/modules/$kernel/extra/txqguard/txqguard.ko" | grep -qx "$version" &&
		modinfo -F livepatch "$kroot/lib/modules/$kernel/extra/txqguard/txqguard_lp.ko" | grep -qx Y
}
# Kept for the VM test (tests/packaging/kmod-vm.sh), which runs the reproducer against this module.
check "kmod-txqguard-$kernel: rpm --root installs it (--nodeps: no kernel package there); vermagic $kernel, version $version" kmod_root_install
summary
