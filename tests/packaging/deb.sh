#!/usr/bin/env bash
# The Debian packages (make deb): lintian clean but for the overrides in packaging/debian/*.lintian-
# overrides (each with its reason), versions, dependencies, file lists and maintainer scripts, and
# the packaged binaries audited. Installation, the service, verify and purge run in a VM
# (tests/packaging/deb-vm.sh). Needs make dist and scripts/ship-ctl first (tests/packaging/run.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2015 # intended: skip unless all three tools are there
command -v dpkg-buildpackage >/dev/null && command -v dh_dkms >/dev/null && command -v lintian >/dev/null ||
	{ missing "Debian package checks (debhelper, dh-dkms, lintian: scripts/install-deps)"; summary; exit; }

step "make deb: txqguard, txqguard-dbgsym (amd64, arm64), txqguard-dkms (all)" "$top/scripts/build-deb"
d=$top/build/deb
deb() { echo "$d/${1}_$version-1_$2.deb"; }

# lintian reads the overrides from the packages; --fail-on warning makes anything else fatal. Its
# scratch files go to build/ (it leaves some in TMPDIR).
rm -rf "$work/lintian-tmp" && mkdir -p "$work/lintian-tmp"
check "lintian (pedantic): no tag but the overridden ones" env TMPDIR="$work/lintian-tmp" lintian --pedantic --fail-on warning,pedantic \
	"$d/txqguard_$version-1_amd64.changes" "$d/txqguard_$version-1_arm64.changes"
overrides_explained() {
	local f
	for f in "$top"/packaging/debian/*.lintian-overrides; do
		# Every override line follows a comment that says why.
		awk '/^#/ {c=1; next} /^[^#[:space:]]/ {if (!c) {print FILENAME": "$0; bad=1} c=0} END {exit bad}' "$f" || return 1
	done
}
check "every lintian override has its reason above it" overrides_explained

for arch in amd64 arm64; do
	check "txqguard $arch: version $version-1" test "$(dpkg-deb -f "$(deb txqguard $arch)" Version Architecture | tr '\n' ' ')" = "Version: $version-1 Architecture: $arch "
	depends() {
		local dep
		dep=$(dpkg-deb -f "$(deb txqguard "$1")" Depends)
		echo "$dep"
		grep -q 'libnl-3-200' <<<"$dep" && grep -q 'libnl-genl-3-200' <<<"$dep" && grep -q 'libmnl0' <<<"$dep" &&
			grep -q 'libkmod2' <<<"$dep" && grep -q "txqguard-dkms (= $version-1)" <<<"$dep" &&
			# dpkg-shlibdeps's libc6 bound is the newest symbol version the binary uses.
			grep -Eq 'libc6 \(>= 2\.(1[0-9]|2[0-8])\)' <<<"$dep"
	}
	check "txqguard $arch: depends on libc6 (>= 2.28 or older), libnl, libmnl, libkmod2, txqguard-dkms" depends "$arch"
	audit_deb() {
		local x=$work/deb-x/$1
		rm -rf "$x" && mkdir -p "$x"
		dpkg-deb -x "$(deb txqguard "$1")" "$x" && dpkg-deb -x "$(deb txqguard-dbgsym "$1")" "$x"
		local id
		id=$(readelf -n "$x/usr/sbin/txqguardctl" | sed -n 's/.*Build ID: *//p')
		cp "$x/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" "$x/usr/sbin/txqguardctl.debug"
		"$top/scripts/ship-audit" "$x/usr/sbin/txqguardctl"
	}
	check "txqguard $arch: the packaged binary passes ship-audit; txqguard-dbgsym holds its debug info" audit_deb "$arch"
done
files_main() {
	dpkg-deb -c "$(deb txqguard amd64)" | awk '{print $6}' | grep -v '/$' | sed 's|^\./|/|' | sort |
		diff - <(printf '%s\n' /lib/systemd/system/txqguard-metrics.service /lib/systemd/system/txqguard-metrics.timer \
			/lib/systemd/system/txqguard-verify.service /lib/systemd/system/txqguard-verify.timer \
			/lib/systemd/system/txqguard.service /usr/sbin/txqguardctl /usr/share/doc/txqguard/README.md.gz \
			/usr/share/doc/txqguard/README.txqguardctl.md.gz /usr/share/doc/txqguard/changelog.Debian.gz \
			/usr/share/doc/txqguard/copyright /usr/share/doc/txqguard/install.md.gz \
			/usr/share/doc/txqguard/operations.md.gz /usr/share/lintian/overrides/txqguard \
			/usr/share/man/man8/txqguardctl.8.gz /usr/share/txqguard/txqguard.rules.yml | sort)
}
check "txqguard: file list (controller, five units, man page, alert rules, docs)" files_main
scripts_main() {
	local x=$work/deb-ctl
	rm -rf "$x" && dpkg-deb -e "$(deb txqguard amd64)" "$x"
	# dh_installsystemd: txqguard.service and both timers enabled and started at installation;
	# purge removes the state verify and metrics leave.
	grep -q "deb-systemd-helper enable 'txqguard.service'" "$x/postinst" &&
		grep -q "deb-systemd-invoke \$_dh_action 'txqguard-metrics.timer' 'txqguard-verify.timer'" "$x/postinst" &&
		grep -q "deb-systemd-invoke start 'txqguard.service'" "$x/postinst" &&
		grep -q 'rm -rf /var/lib/txqguard' "$x/postrm" && grep -q "deb-systemd-helper purge 'txqguard.service'" "$x/postrm"
}
check "txqguard: postinst enables and starts the boot unit and the timers; postrm purge removes their state" scripts_main
dkms_deb() {
	local x=$work/deb-dkms
	rm -rf "$x" && mkdir -p "$x" && dpkg-deb -x "$(deb txqguard-dkms all)" "$x/root" && dpkg-deb -e "$(deb txqguard-dkms all)" "$x/ctl"
	# shellcheck disable=SC2016 # '$DKMS_NAME' is literal text of dh_dkms's prerm
	dpkg-deb -f "$(deb txqguard-dkms all)" Depends | grep -q '^dkms' &&
		grep -qx "PACKAGE_VERSION=\"$version\"" "$x/root/usr/src/txqguard-$version/dkms.conf" &&
		grep -qx "PACKAGE_VERSION=\"$version\"" "$x/root/usr/src/txqguard-lp-$version/dkms.conf" &&
		# dh_dkms's part for txqguard, whose failure fails the installation ...
		grep -q '^DKMS_NAME=txqguard$' "$x/ctl/postinst" && grep -q "^DKMS_VERSION=$version\$" "$x/ctl/postinst" &&
		# ... and the live-patch form's, which only warns.
		grep -q "common.postinst txqguard-lp \"\$version\"" "$x/ctl/postinst" && grep -q "^	version=$version\$" "$x/ctl/postinst" &&
		grep -q 'dkms remove -m txqguard-lp' "$x/ctl/prerm" && grep -q 'dkms remove -m $DKMS_NAME' "$x/ctl/prerm"
}
check "txqguard-dkms: both DKMS trees with $version written in; postinst/prerm handle txqguard (dh_dkms) and txqguard-lp (warning only)" dkms_deb
summary
