#!/usr/bin/env bash
# What a host does with the tarball `make dkms-tarball` builds: Debian's dkms loads it, and dkms's
# own `mktarball --source-only` of the loaded source holds the same files. Runs in a throwaway
# mount namespace, so the machine's /usr/src and /var/lib/dkms are untouched. Needs root.
#   tests/install/dkms-tarball.sh TARBALL
set -euo pipefail
if [ -z "${TXQG_DKMS_NS:-}" ]; then
	exec env TXQG_DKMS_NS=1 unshare -m "$0" "$@"
fi
tarball=$(realpath "$1")
fail() { echo "dkms-tarball: $*" >&2; exit 1; }

mount --make-rprivate /
mount -t tmpfs tmpfs /usr/src
mount -t tmpfs tmpfs /var/lib/dkms
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dkms ldtarball "$tarball" >"$tmp/ldtarball.log" 2>&1 || { cat "$tmp/ldtarball.log" >&2; fail "ldtarball failed"; }
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' /usr/src/txqguard-*/dkms.conf)
st=$(dkms status -m txqguard)
# dkms 3.x says "txqguard/0.1.0: added", 2.x "txqguard, 0.1.0: added".
[[ $st =~ ^txqguard(/|,\ )$ver:\ added$ ]] || fail "status after ldtarball: $st"

dkms mktarball -m txqguard -v "$ver" --source-only --archive="$tmp/ref.dkms.tar.gz" >/dev/null 2>&1 ||
	fail "dkms mktarball --source-only failed"
mkdir "$tmp/ours" "$tmp/ref"
tar -xzf "$tarball" -C "$tmp/ours"
tar -xzf "$tmp/ref.dkms.tar.gz" -C "$tmp/ref"
diff -r "$tmp/ref" "$tmp/ours" >&2 || fail "differs from dkms mktarball --source-only"
echo "dkms-tarball: ldtarball added txqguard/$ver; same files as dkms mktarball --source-only"
