#!/usr/bin/env bash
# The shipped txqguardctl (scripts/ship-ctl): built in the Debian 11 root for x86_64 and aarch64,
# audited like a manylinux wheel (no GLIBC_ symbol version above 2.28, C++ runtime linked in, only
# sonames the fleet's hosts have), and run in that older userland: the amd64 binary in the root,
# the arm64 one under qemu-aarch64 with the root's arm64 glibc (2.31).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

step "scripts/ship-ctl x86_64 aarch64 (Debian 11 root, cached in .cache/)" "$top/scripts/ship-ctl" x86_64 aarch64
root=$("$top/scripts/bullseye-root")
x86=$top/build/ship/x86_64/txqguardctl arm=$top/build/ship/aarch64/txqguardctl

for bin in "$x86" "$arm"; do
	check "ship-audit $(basename "$(dirname "$bin")"): GLIBC_ <= 2.28, no shared C++ runtime, fleet sonames, stripped, debug file matches" \
		"$top/scripts/ship-audit" "$bin"
done
"$top/scripts/ship-audit" "$x86" "$arm" 2>/dev/null | sed -n 's/^ship-audit: ok /  /p'

# The negative control: what this machine's own toolchain links (glibc 2.36) fails the audit, and
# the failure names the symbol.
neg=$work/host-built
audit_refuses_host_build() {
	printf '#include <stdio.h>\nint main(void) { puts("x"); return 0; }\n' >"$neg.c"
	gcc -O2 -o "$neg" "$neg.c"
	! "$top/scripts/ship-audit" "$neg" >"$neg.out" 2>&1 && grep -q '__libc_start_main@GLIBC_2.34' "$neg.out"
}
check "ship-audit refuses a binary linked by this machine's toolchain (__libc_start_main@GLIBC_2.34)" audit_refuses_host_build

in_root_version() { "$top/scripts/bullseye-root" --run "'$x86' --version"; }
check "the x86_64 binary runs in the Debian 11 root: --version says $version" \
	test "$(in_root_version 2>&1)" = "txqguardctl $version"
# status exits 0, or 3 when it judges the host exposed; anything else (127: a missing library or
# symbol version) is a failure.
in_root_status() {
	local rc=0
	"$top/scripts/bullseye-root" --run "'$x86' status" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]
}
check "the x86_64 binary runs in the Debian 11 root: status" in_root_status
in_root_json() { "$top/scripts/bullseye-root" --run "'$x86' status --json" | jq -e '.kernel.release' >/dev/null; }
check "the x86_64 binary runs in the Debian 11 root: status --json is JSON" in_root_json
if command -v qemu-aarch64 >/dev/null; then
	arm_version() { qemu-aarch64 -L "$root" "$arm" --version; }
	check "the aarch64 binary runs on the root's arm64 glibc 2.31 (qemu-aarch64): --version says $version" \
		test "$(arm_version 2>&1)" = "txqguardctl $version"
else
	missing "the aarch64 binary under qemu-aarch64 (qemu-user is not installed)"
fi
libkmod_in_root() {
	ls "$root"/lib/x86_64-linux-gnu/libkmod.so.2 "$root"/lib/aarch64-linux-gnu/libkmod.so.2 ||
		ls "$root"/usr/lib/x86_64-linux-gnu/libkmod.so.2 "$root"/usr/lib/aarch64-linux-gnu/libkmod.so.2
}
check "libkmod.so.2, which txqguardctl opens at its first load, exists in the root for both arches" libkmod_in_root
tarballs() {
	local a
	for a in x86_64 aarch64; do
		tar -tzf "$top/build/dist/txqguardctl-$version-linux-$a.tar.gz" | sort | tr '\n' ' ' |
			grep -qx "txqguardctl-$version-linux-$a/txqguardctl txqguardctl-$version-linux-$a/txqguardctl.debug " || return 1
	done
	(cd "$top/build/dist" && sha256sum --quiet -c SHA256SUMS && grep -c 'txqguardctl-' SHA256SUMS | grep -qx 2)
}
check "build/dist has both binary tarballs (binary and debug file), in SHA256SUMS" tarballs
summary
