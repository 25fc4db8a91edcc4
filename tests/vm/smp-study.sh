#!/usr/bin/env bash
# Hook removal under traffic, per emulator mode, vCPU count and module: how often does the guest
# lock up? Each cell boots guests running tests/scenarios/cycle.sh until --cycles load/unload
# cycles have run (a guest that locks up counts its cycles so far and a lockup; the next guest
# goes on). Prints one line per cell and a table at the end:
#   mode vcpus module lockups/cycles  where the lockups stopped (RIP)
#   tests/vm/smp-study.sh [--kernel ID] [--cycles N] [--modes "multi single"] [--vcpus "2 4"]
#                         [--modules "txqguard:ftrace txqguard:kprobe txqguard_lp:ftrace txqg_nop:ftrace txqg_nop:kprobe"]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=5.10.0-32-amd64 cycles=40 modes="multi single" vcpus="2 4"
modules="txqguard:ftrace txqguard:kprobe txqguard_lp:ftrace txqg_nop:ftrace txqg_nop:kprobe"
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--vcpus) vcpus=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	*) echo "usage: $0 [--kernel ID] [--cycles N] [--modes M] [--vcpus V] [--modules M]" >&2; exit 2 ;;
	esac
done
# The modules as they are now: rebuilding while the study runs must not change what it measures.
frozen=$top/build/smp-study/$kernel
rm -rf "$frozen" && mkdir -p "$frozen" && cp "$top/build/$kernel"/*.ko "$frozen/"
table=()
for mode in $modes; do
	for n in $vcpus; do
		for spec in $modules; do
			mod=${spec%%:*} attach=${spec#*:}
			done_=0 lockups=0 boots=0 where=()
			while [ "$done_" -lt "$cycles" ] && [ "$boots" -lt $((cycles / 2 + 2)) ]; do
				boots=$((boots + 1))
				name=smp-$mode-$n-$mod-$attach-$boots
				vm_smp=$n vm_smp_mode=$mode run_vm "$name" "$kernel" $(((cycles - done_) * 15 + 120)) -- \
					"$top/tests/scenarios/cycle.sh" --dir "$frozen" --module "$mod" \
					--attach "$attach" --cycles $((cycles - done_))
				ran=$(grep -c '^cycle [0-9]* unload$' "$vm_out" || true)
				if grep -q '^RESULT cycles=' "$vm_out"; then
					done_=$((done_ + ran))
				else
					# The cycle in progress when the guest stopped counts as run.
					done_=$((done_ + ran))
					[ "$(grep -c '^cycle [0-9]* load$' "$vm_out" || true)" -gt "$ran" ] && done_=$((done_ + 1))
					lockups=$((lockups + 1))
					rip=$(grep -m1 -oE 'RIP: 0010:[^ ]+' "$vm_out" || echo "vmrun exit $vm_rc")
					phase=$(grep -E '^cycle [0-9]+ (load|unload)$' "$vm_out" | tail -1 | awk '{print $3}')
					where+=("${rip#RIP: 0010:}@${phase:-boot}")
				fi
			done
			line=$(printf '%-6s %5s %-20s %3d/%-4d %s' "$mode" "$n" "$mod:$attach" "$lockups" "$done_" "${where[*]:-}")
			echo "smp-study: $line"
			table+=("$line")
		done
	done
done
echo
printf '%-6s %5s %-20s %s\n' mode vcpus module "lockups/cycles  (where)"
printf '%s\n' "${table[@]}"
