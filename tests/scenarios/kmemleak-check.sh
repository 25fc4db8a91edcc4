#!/bin/bash
# Inside a VM of a kmemleak kernel (scripts/debug-kernel): run a scenario, unload the module, and
# ask kmemleak whether anything the module allocated is left unreferenced.
#
#   kmemleak-check.sh [--module NAME] [--unload-wait S] [-- scenario args...]
#
# The scenario runs first (its exit status is this script's unless the check fails). Then the
# module is unloaded, retried for up to --unload-wait seconds because unloading is refused while a
# hazard window is open (unload_hold_s), and kmemleak scans twice: it reports only objects older
# than 5 s, and a second scan drops those a pointer in flight hid from the first.
# A leak is the module's when its allocation backtrace names the module, or, because a module's
# addresses print as bare hex once it is gone, holds an address in module space that no loaded
# module owns (the unloaded module's last range is resolved from its saved kallsyms).
# Prints each such leak in full, a one-line summary of the others, and
# "KMEMLEAK total=N <module>=M unresolved=U", and fails when M or U is above zero.
set -uo pipefail
mod=txqguard wait_s=60
while [ $# -gt 0 ]; do
	case $1 in
	--module) mod=$2; shift 2 ;;
	--unload-wait) wait_s=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "kmemleak-check.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
km=/sys/kernel/debug/kmemleak
rc=0
if [ $# -gt 0 ]; then
	"$@"
	rc=$?
fi
fail() {
	echo "kmemleak-check: $*"
	[ "$rc" -ne 0 ] || rc=1
}
[ -r $km ] || { fail "$km is missing: not a kmemleak kernel, or kmemleak switched itself off"; exit $rc; }

syms=/tmp/kmemleak-$mod.syms
core=(0 0) init=(0 0)
if [ -d "/sys/module/$mod" ]; then
	# Where it lives and its symbols, kept for the report: after rmmod kmemleak prints its return
	# addresses as bare hex. Once init ran only the address of its init code is left (no symbols,
	# and initsize reads 0): 64 KiB from there is taken as init code.
	grep "\[$mod\]\$" /proc/kallsyms | sort >"$syms" || true
	core=("$(awk -v m="$mod" '$1 == m {print $6}' /proc/modules)" "$(cat "/sys/module/$mod/coresize")")
	[ ! -r "/sys/module/$mod/sections/.init.text" ] || init=("$(cat "/sys/module/$mod/sections/.init.text")" 65536)
	for ((i = 0; i < wait_s * 5; i++)); do
		rmmod "$mod" 2>/dev/null && break
		sleep 0.2
	done
	[ -d "/sys/module/$mod" ] && { fail "$mod still loaded after ${wait_s}s of rmmod"; exit $rc; }
	echo "kmemleak-check: $mod unloaded"
fi

# Objects younger than 5 s are never reported.
sleep 6
for pass in 1 2; do
	echo scan >$km || { fail "kmemleak refused scan $pass (disabled itself?)"; exit $rc; }
	[ $pass = 2 ] || sleep 6
done
cat $km >/tmp/kmemleak.txt

# Module space on x86_64 without KASLR; anything there that %pS printed as a bare address belongs
# to a module that is no longer loaded.
modspace='0xffffffff[a-f][0-9a-f]{7}'
name_of() { # ADDR: where ADDR was in the module before it was unloaded, or nothing
	local a=$(($1)) s="" line
	if [ "$a" -ge $((core[0])) ] && [ "$a" -lt $((core[0] + core[1])) ]; then
		while read -r line; do
			# shellcheck disable=SC2086 # word splitting intended: the fields of the line
			set -- $line
			[ $((0x$1)) -le "$a" ] || break
			s="$3+0x$(printf %x $((a - 0x$1)))"
		done <"$syms"
	elif [ "$a" -ge $((init[0])) ] && [ "$a" -lt $((init[0] + init[1])) ]; then
		s=".init.text+0x$(printf %x $((a - init[0])))"
	fi
	[ -z "$s" ] || echo " ($s [$mod] before unloading)"
}
total=0 mine=0 unresolved=0 shown=0
block=""
flush() {
	[ -n "$block" ] || return 0
	total=$((total + 1))
	local raw
	raw=$(printf '%s\n' "$block" | grep -Eo "\] $modspace\$" | grep -Eo "$modspace" || true)
	if printf '%s\n' "$block" | grep -q "\[$mod\]"; then
		mine=$((mine + 1))
		echo "kmemleak-check: leak named $mod:"
		printf '%s\n' "$block" | sed 's/^/  /'
	elif [ -n "$raw" ]; then
		unresolved=$((unresolved + 1))
		echo "kmemleak-check: leak from an unloaded module:"
		printf '%s\n' "$block" | sed 's/^/  /'
		for a in $raw; do echo "  $a$(name_of "$a")"; done
	elif [ $shown -lt 30 ]; then
		shown=$((shown + 1))
		# Size, task and the first caller past the allocator, for the record.
		printf '%s\n' "$block" | awk '
			NR == 1 { size = $0; sub(/.*\(size /, "", size); sub(/\).*/, "", size) }
			/^ *comm / { comm = $0; sub(/^ *comm "/, "", comm); sub(/".*/, "", comm) }
			/\] / && !from && $0 !~ /(kmem_cache_alloc|kmalloc|__kmalloc|slab_post_alloc|kmemleak_alloc|krealloc|kzalloc|kvmalloc|__alloc|alloc_pages|vmalloc|__vmalloc|pcpu_)/ {
				from = $NF
			}
			END { printf "kmemleak-check: other leak: size %s, comm %s, from %s\n", size, comm, from }'
	fi
	block=""
}
while IFS= read -r line; do
	case $line in
	"unreferenced object "*) flush; block=$line ;;
	*) [ -z "$block" ] || block+=$'\n'"$line" ;;
	esac
done </tmp/kmemleak.txt
flush
[ $total -le $((shown + mine + unresolved)) ] || echo "kmemleak-check: ... $((total - shown - mine - unresolved)) more not named"
echo "KMEMLEAK total=$total $mod=$mine unresolved=$unresolved"
[ $mine -eq 0 ] || fail "$mine unreferenced objects allocated by $mod"
[ $unresolved -eq 0 ] || fail "$unresolved unreferenced objects allocated by an unloaded module"
exit $rc
