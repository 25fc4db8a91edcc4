#!/usr/bin/env bash
# The debs on the unfixed kernel, in a VM (tests/vm/lib.sh's conventions; "N passed, N failed"):
#   deb_install_service_verify_purge: dpkg -i txqguard-dkms builds both forms with DKMS at
#     installation (on a throwaway copy of this machine: see below); then, with systemd as the
#     guest's PID 1 (vmrun --systemd), dpkg --configure txqguard starts txqguard.service, verify
#     passes, and dpkg --purge leaves nothing.
set -euo pipefail
. "$(dirname "$0")/../vm/lib.sh"
kernel=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
version=$(sed -n 's/^#define TXQGUARD_VERSION "\(.*\)"$/\1/p' "$top/include/uapi/linux/txqguard.h")
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'

begin deb_install_service_verify_purge
deb_dkms=$top/build/deb/txqguard-dkms_$version-1_all.deb deb_main=$top/build/deb/txqguard_$version-1_amd64.deb
state=$top/build/packaging/deb-host
if [ -f "$deb_dkms" ] && [ -f "$deb_main" ]; then
	start=$(date +%s)
	# The first half on a throwaway copy of this machine, the root the guest boots, with the kernel
	# installed as its packages install it: dpkg -i txqguard-dkms, whose DKMS builds both forms
	# against the fetched headers, and dpkg --unpack txqguard. Not in the guest: TCG compiles the
	# two forms in more than 20 minutes, this machine in about one.
	rm -rf "$state" && mkdir -p "$state"
	set +e
	TXQG_SCRATCH_KEEP=$state "$top/tests/packaging/scratch-host" "
		set -e
		'$top/tests/packaging/kernel-here' '$kernel'
		# man-db's trigger (rebuilding its index) is Debian's documented opt-out and not the test.
		rm -f /var/lib/man-db/auto-update
		dpkg -i '$deb_dkms'
		dkms status
		dpkg --unpack '$deb_main'
		dpkg-query -W -f='\${Package} \${Status}\n' txqguard txqguard-dkms
	" >"$out_dir/deb_host.out" 2>&1
	host_rc=$?
	# What that changed, for the guest: no overlay whiteouts (character devices; nothing the test
	# needs was deleted) and no copy of the kernel's own modules (the guest has them).
	(cd "$state/upper" && find . -type c >"$state/whiteouts" &&
		tar -cf "$state/installed.tar" --exclude-from="$state/whiteouts" --exclude="./usr/lib/modules/$kernel/kernel" \
			--exclude="./lib/modules/$kernel/kernel" .)
	tar_rc=$?
	# The guest's dpkg database: this machine's with what the copy's dpkg changed, holding only our
	# packages and their dependencies (tests/packaging/slim-dpkg-db says why).
	rm -rf "$state/merged" && mkdir -p "$state/merged" && cp -a /var/lib/dpkg "$state/merged/dpkg" &&
		tar -xf "$state/installed.tar" -C "$state/merged" ./var/lib/dpkg &&
		cp -a "$state/merged/var/lib/dpkg/." "$state/merged/dpkg/" &&
		"$top/tests/packaging/slim-dpkg-db" --admindir "$state/merged/dpkg" "$state/dpkg" "$deb_dkms" "$deb_main" ||
		tar_rc=1
	"$vmrun" --kernel "$kernel" --systemd --smp 2 --timeout 900 -- \
		"$top/tests/packaging/deb-guest.sh" "$state/installed.tar" "$state/dpkg" >"$out_dir/deb_guest.out" 2>&1
	vm_rc=$?
	set -e
	vm_secs=$(($(date +%s) - start))
	[ "$host_rc" -eq 0 ] || fail "dpkg -i txqguard-dkms / --unpack txqguard on the copy of this machine: exit $host_rc (see $out_dir/deb_host.out)"
	[ "$tar_rc" -eq 0 ] || fail "could not pack what dpkg installed ($state)"
	# DKMS built and installed both forms at dpkg -i, against the fetched headers.
	grep -q "^txqguard/$version, $kernel, x86_64: installed" "$out_dir/deb_host.out" ||
		fail "dpkg -i txqguard-dkms did not leave txqguard installed for $kernel"
	grep -q "^txqguard-lp/$version, $kernel, x86_64: installed" "$out_dir/deb_host.out" ||
		fail "dpkg -i txqguard-dkms did not leave txqguard-lp installed for $kernel"
	grep -q '^txqguard install ok unpacked$' "$out_dir/deb_host.out" || fail "txqguard was not left unpacked"
	vm_out=$out_dir/deb_guest.out
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line ' configured=1 '
	expect_line ' service=active/success '
	expect_line ' verify=0 '
	expect_line '^result: both guards live'
	expect_line ' purged=1$'
else
	vm_secs=0
	fail "no debs in build/deb (tests/packaging/deb.sh builds them)"
fi
end
summary
