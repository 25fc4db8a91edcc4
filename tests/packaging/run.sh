#!/usr/bin/env bash
# Every packaging check (make packagetest; part of make test), in order, one combined count:
#   dist.sh            one version source; make dist (reproducible, with checksums)
#   ship.sh            the shipped txqguardctl: built in the Debian 11 root, glibc audit, run there
#   rpm.sh             make rpm / rpm-kmod: rpmlint, rpm -qp, rpm --root, DKMS scriptlets for real
#   vendor-headers.sh  openEuler-like and broken live-patch headers: txqguard.ko alone, nothing fails
#   deb.sh             make deb: lintian, dependencies, files, maintainer scripts
#   kmod-vm.sh         the kmod RPM's module under the reproducer, in a VM
#   deb-vm.sh          the debs installed, started, verified and purged in a VM booted with
#                      systemd (not in the default list: make packagetest-vm, which .ci/run runs)
# Each script's time is printed; TXQG_PACKAGING_ONLY="dist ship" runs a subset.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 broken=()
for s in ${TXQG_PACKAGING_ONLY:-dist ship rpm vendor-headers deb kmod-vm}; do
	echo "##### packaging: $s"
	out=$(mktemp)
	t0=$SECONDS
	"$here/$s.sh" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	echo "##### packaging: $s took $((SECONDS - t0)) s"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	rm -f "$out"
	if [ -z "$line" ]; then
		broken+=("$s")
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + ${line%% passed*}))
	f=${line#*, }
	f=${f%% failed*}
	failed=$((failed + f))
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || { broken+=("$s"); failed=$((failed + 1)); }
done
[ ${#broken[@]} -eq 0 ] || echo "packaging checks that did not finish cleanly: ${broken[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
