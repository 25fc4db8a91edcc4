#!/usr/bin/env bash
# kmod/insn_scan.h on the real objects of the kernels the project builds or fetches: for each
# kernel, build/kmod-unit/real_objects (tests/kmod-unit/real_objects.c) runs the module's own scans
# on the bytes of ovs_vport_send() in its openvswitch.ko and of netdev_core_pick_tx() and
# __dev_queue_xmit() in its kernel image, one TAP line per check:
#   tests/kmod-unit/real-objects.sh KERNEL-ID...   (make kmod-scan passes the pinned ids)
# net_device::mtu's offset comes from each kernel's own headers (tests/kmod-unit/netdev_offsets.c,
# compiled to assembly by kbuild), every run: nothing is cached but what kernel-fetch keeps. Each
# kernel also gets a negative: its ovs_vport_send judged against a wrong layout (mtu 4 bytes on)
# must be refused. Test doubles (tests/kmod-unit/objects_double.c, both arches) run the ELF paths
# the openEuler builds take (a vmlinux with its symbol table) on every machine.
# A kernel kernel-fetch can only locate (the openEuler builds of scripts/oe-kernel) and nobody
# prepared is reported in one SKIPPED line, never passed.
# Needs gcc, aarch64-linux-gnu-gcc, objdump, aarch64-linux-gnu-objdump, xz; network the first time a
# Debian kernel is fetched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
prog=${TXQG_REAL_OBJECTS:-$top/build/kmod-unit/real_objects}
fetch=$top/scripts/kernel-fetch
if [ ! -x "$prog" ]; then
	echo "real-objects: $prog is missing (make build/kmod-unit/real_objects)" >&2
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0 failed=0 skipped=()

# fail NAME WHAT: a check that could not run is a failed one.
fail() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1 $2"
}

# run NAME ARGS...: the program on one kernel's objects, its lines numbered on from the last.
run() {
	local name=$1 out rc=0
	shift
	out=$("$prog" --name "$name" --first $((n + 1)) "$@") || rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	n=$((n + $(grep -cE '^(not )?ok ' <<<"$out" || true)))
	failed=$((failed + $(grep -c '^not ok ' <<<"$out" || true)))
	[ "$rc" -le 1 ] || fail "$name" "real_objects exited $rc"
}

# le32 FILE OFFSET: the little-endian u32 at OFFSET.
le32() { od -An -tu4 --endian=little -j "$2" -N4 "$1" | tr -d ' '; }

# decompress FILE: its contents uncompressed to stdout, by the stream's magic, or fail.
decompress() {
	local magic
	magic=$(od -An -tx1 -N6 "$1" | tr -d ' \n')
	case $magic in
	fd377a585a00) xz -dc "$1" ;;
	1f8b*) gzip -dc "$1" ;;
	28b52ffd*) zstd -qdc "$1" ;;
	02214c18*) lz4 -dc "$1" ;;
	*) echo "real-objects: $1: no known compression (magic $magic)" >&2; return 1 ;;
	esac
}

# unpack_bzimage BZIMAGE OUT: the ELF vmlinux an x86 bzImage carries, found through its setup
# header (payload_offset, payload_length; the payload ends in its 4-byte uncompressed size).
unpack_bzimage() {
	local f=$1 out=$2 setup off len
	if [ "$(od -An -c -j 514 -N4 "$f" | tr -d ' ')" != HdrS ]; then
		echo "real-objects: $f is no bzImage" >&2
		return 1
	fi
	setup=$(od -An -tu1 -j $((0x1f1)) -N1 "$f" | tr -d ' ')
	[ "$setup" -ne 0 ] || setup=4
	off=$(le32 "$f" $((0x248)))
	len=$(le32 "$f" $((0x24c)))
	dd if="$f" of="$out.z" iflag=skip_bytes,count_bytes skip=$(((setup + 1) * 512 + off)) \
		count=$((len - 4)) status=none || return 1
	decompress "$out.z" >"$out" || return 1
	rm -f "$out.z"
}

# image ID KDIR ARCH: "vmlinux PATH" (an ELF) or "image PATH" (an arm64 raw Image), the kernel's
# image for real_objects: a vmlinux with symbols where the build left one (the openEuler builds),
# else the packaged vmlinuz unpacked.
image() {
	local id=$1 kdir=$2 arch=$3 v z out=$work/$1/vmlinux
	for v in "$kdir/root/usr/lib/debug/lib/modules/$id/vmlinux" "$kdir/root/boot/vmlinux-$id"; do
		if [ -f "$v" ]; then
			echo "vmlinux $v"
			return
		fi
	done
	z=$kdir/root/boot/vmlinuz-$id
	[ -f "$z" ] || { echo "real-objects: $id has neither a vmlinux nor $z" >&2; return 1; }
	if [ "$arch" = x86_64 ]; then
		unpack_bzimage "$z" "$out" || return 1
		echo "vmlinux $out"
	elif [ "$(od -An -c -j 56 -N4 "$z" | tr -d ' ')" = 'ARMd' ]; then
		echo "image $z"
	else
		decompress "$z" >"$out" || return 1
		echo "image $out"
	fi
}

# mtu_offset ID KDIR: offsetof(struct net_device, mtu) from the kernel's own headers.
mtu_offset() {
	local id=$1 d=$work/$1/offsets args=(CC=gcc)
	[ "$(arch_of "$id")" = x86_64 ] ||
		args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=aarch64-linux-gnu-gcc)
	mkdir -p "$d"
	cp "$here/netdev_offsets.c" "$d/"
	echo 'obj-m := netdev_offsets.o' >"$d/Kbuild"
	# Run from make kmod-scan: not a sub-make of it (its flags, its jobserver).
	if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$2/root/usr/src/linux-headers-$id" \
		M="$d" "${args[@]}" netdev_offsets.s >"$d/log" 2>&1; then
		echo "real-objects: kbuild against $id's headers failed:" >&2
		tail -5 "$d/log" >&2
		return 1
	fi
	sed -n 's/.*"->TXQG_NET_DEVICE_MTU [$#]*\([0-9][0-9]*\) .*/\1/p' "$d/netdev_offsets.s" | grep .
}

arch_of() {
	case $("$fetch" --arch "$1") in
	amd64) echo x86_64 ;;
	arm64) echo arm64 ;;
	esac
}

# openvswitch.ko of ID, decompressed where the package compressed it.
ovs_ko() {
	local id=$1 ko
	ko=$(find "$2/root/lib/modules/$id/kernel/net/openvswitch" -maxdepth 1 -name 'openvswitch.ko*' \
		2>/dev/null | head -1)
	case $ko in
	'') echo "real-objects: $id has no openvswitch.ko" >&2; return 1 ;;
	*.ko) echo "$ko" ;;
	*) decompress "$ko" >"$work/$id/openvswitch.ko" && echo "$work/$id/openvswitch.ko" ;;
	esac
}

scan_kernel() {
	local id=$1 kdir=$2 a mtu ko img lp start=$SECONDS
	local -a opts=()
	a=$(arch_of "$id")
	mkdir -p "$work/$id"
	if ! mtu=$(mtu_offset "$id" "$kdir"); then
		fail "$id" "net_device::mtu's offset: not read from its headers (above)"
	elif ! ko=$(ovs_ko "$id" "$kdir"); then
		fail "$id" "ovs_layout: no openvswitch.ko"
	else
		echo "# $id: net_device::mtu at $mtu ($(printf %#x "$mtu")), from its headers"
		opts=(--ko "$ko" --mtu "$mtu")
	fi
	if ! img=$(image "$id" "$kdir" "$a"); then
		fail "$id" "txhash_pick, lp_pair: the kernel image not read (above)"
		img=
	fi
	# livepatch.c's verified table: { "<release>", <size> },
	lp=$(sed -n "s/^[[:space:]]*{ \"${id//./\\.}\", \([0-9][0-9]*\) },.*/\1/p" "$top/kmod/livepatch.c")
	if [ -n "$lp" ]; then
		[ -z "$img" ] || opts+=(--lp-size "$lp")
	else
		echo "# $id: not in livepatch.c's verified table: the live-patch form refuses it anyway"
	fi
	[ -z "$img" ] || opts+=("--${img%% *}" "${img#* }")
	[ ${#opts[@]} -eq 0 ] || run "$id" --arch "$a" "${opts[@]}"
	# The negative: the same bytes judged against a wrong layout must be refused.
	[ -z "${mtu:-}" ] || [ -z "${ko:-}" ] ||
		run "$id" --arch "$a" --expect-refused --ko "$ko" --mtu $((mtu + 4))
	echo "# $id: $((SECONDS - start)) s"
}

# The doubles: the shapes the module arms on, then (-DWRONG) those it must refuse.
for a in x86_64 arm64; do
	cc=gcc
	[ "$a" = x86_64 ] || cc=aarch64-linux-gnu-gcc
	for v in ok wrong; do
		flags=(-O2 -fno-pie -no-pie -fno-stack-protector -DMTU_OFF=560)
		[ "$v" = ok ] || flags+=(-DWRONG)
		d=$work/double-$a-$v
		if ! { "$cc" "${flags[@]}" -c -o "$d.o" "$here/objects_double.c" &&
			"$cc" "${flags[@]}" -nostdlib -static -o "$d" "$here/objects_double.c"; }; then
			fail "double-$a-$v" "not built with $cc"
			continue 2
		fi
	done
	run "double-$a" --arch "$a" --ko "$work/double-$a-ok.o" --mtu 560 --vmlinux "$work/double-$a-ok"
	run "double-$a-wrong" --arch "$a" --expect-refused --ko "$work/double-$a-wrong.o" --mtu 560 \
		--vmlinux "$work/double-$a-wrong"
done

for id in "$@"; do
	rc=0
	kdir=$("$fetch" "$id" 2>"$work/fetch.err") || rc=$?
	if [ "$rc" -eq 3 ]; then
		skipped+=("$id")
	elif [ "$rc" -ne 0 ]; then
		cat "$work/fetch.err" >&2
		fail "$id" "scripts/kernel-fetch failed (exit $rc)"
	else
		scan_kernel "$id" "$kdir"
	fi
done

[ ${#skipped[@]} -eq 0 ] || echo "SKIPPED ${#skipped[@]} kernel(s), not prepared: ${skipped[*]}" \
	"(scripts/oe-kernel builds them; README, \"Prebuilt kernels\", says where to place them)"
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
