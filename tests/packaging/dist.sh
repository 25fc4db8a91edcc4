#!/usr/bin/env bash
# One version source and the source tarball: TXQGUARD_VERSION in include/uapi/linux/txqguard.h is
# what dkms.conf, dkms-lp.conf, the installed DKMS trees, the RPM spec and the tarball say, and no
# packaging file spells the version itself; make dist gives the same bytes twice, with checksums.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -n "$version" ] || { fail "TXQGUARD_VERSION found in include/uapi/linux/txqguard.h"; summary; exit 1; }

# DKMS sources its dkms.conf files with bash: they must find the header next to them.
sourced_version() { (cd / && bash -c '. "$1"; printf %s "$PACKAGE_VERSION"' _ "$1"); }
check "dkms.conf, sourced as DKMS does, says $version" test "$(sourced_version "$top/dkms.conf")" = "$version"
check "dkms-lp.conf, sourced as DKMS does, says $version" test "$(sourced_version "$top/dkms-lp.conf")" = "$version"

dest=$work/dkms-sources
rm -rf "$dest"
installed_literal() {
	make -s -C "$top" dkms-sources DESTDIR="$dest" &&
		grep -qx "PACKAGE_VERSION=\"$version\"" "$dest/usr/src/txqguard-$version/dkms.conf" &&
		grep -qx 'PACKAGE_NAME="txqguard"' "$dest/usr/src/txqguard-$version/dkms.conf" &&
		grep -qx "PACKAGE_VERSION=\"$version\"" "$dest/usr/src/txqguard-lp-$version/dkms.conf" &&
		grep -qx 'PACKAGE_NAME="txqguard-lp"' "$dest/usr/src/txqguard-lp-$version/dkms.conf" &&
		test -f "$dest/usr/src/txqguard-lp-$version/include/uapi/linux/txqguard.h"
}
check "make dkms-sources writes $version into /usr/src/txqguard{,-lp}-$version/dkms.conf" installed_literal

# Only the header spells the version: a packaging file that did would be a second source.
no_second_source() {
	! grep -rnF -- "$version" "$top/dkms.conf" "$top/dkms-lp.conf" "$top/packaging/rpm" "$top/packaging/debian" \
		"$top/scripts" "$top/Makefile" "$top/mk"
}
check "no packaging file spells $version (the header is the one source)" no_second_source

step "make dist" make -s -C "$top" dist
tarball=$top/build/dist/txqguard-$version.tar.gz
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "build/dist/SHA256SUMS verifies the tarball" bash -c 'cd "$1" && grep -q " txqguard-$2.tar.gz$" SHA256SUMS && sha256sum --quiet -c SHA256SUMS' _ "$top/build/dist" "$version"
holds() {
	local list f
	list=$(tar -tzf "$tarball")
	for f in include/uapi/linux/txqguard.h dkms.conf dkms-lp.conf Makefile mk/build.mk kmod/Kbuild kmod/Makefile ctl/CMakeLists.txt \
		packaging/rpm/txqguard.spec packaging/debian/control packaging/debian/rules packaging/systemd/txqguard.service \
		packaging/man/txqguardctl.8.scd docs/install.md; do
		grep -qx "txqguard-$version/$f" <<<"$list" || { echo "missing $f"; return 1; }
	done
	! grep -v "^txqguard-$version/" <<<"$list"
}
check "the tarball holds the sources every package builds from, under txqguard-$version/" holds
cp "$tarball" "$work/first.tar.gz"
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "make dist twice gives the same bytes" bash -c 'make -s -C "$1" dist >/dev/null && cmp "$2" "$3"' _ "$top" "$work/first.tar.gz" "$tarball"
spec_version() {
	rpmspec -q --srpm --qf '%{VERSION}\n' --define "_sourcedir $top/build/dist" "$top/packaging/rpm/txqguard.spec"
}
check "the RPM spec reads $version from the tarball" test "$(spec_version 2>/dev/null)" = "$version"
summary
