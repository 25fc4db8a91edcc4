#!/bin/bash
# Inside a VM: what the guards cost a forwarding datapath. Frames written into a tap port at full
# speed cross an OVS datapath to a veth with two tx queues (so every output runs both guarded
# functions: ovs_vport_send() and the pick), and the frames the veth peer receives are counted.
#
#   forward.sh --ko PATH [--attach "ftrace kprobe"] [--rounds N] [--secs S] [--cpu C] [--settle S]
#
# One boot (one vCPU: see run.sh), interleaved rounds: txqguard not loaded, then for each
# attachment loaded with mode=enforce and with mode=detect; the module is inserted and removed
# around every round (for the not-loaded one too, with mode=off, before the flood).
# Prints a "bench-round ..." line per round and a "bench-summary ..." line per configuration with
# the median rate, the ratio to the not-loaded median and the guard calls per delivered frame.
set -euo pipefail

ko="" attaches="ftrace kprobe" rounds=9 secs=3 cpu=1 settle=1
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--attach) attaches=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--settle) settle=$2; shift 2 ;;
	*) echo "forward.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] || { echo "usage: forward.sh --ko PATH [--attach LIST] [--rounds N] [--secs S]" >&2; exit 2; }
[ "$rounds" -ge 1 ] || { echo "forward.sh: --rounds must be >= 1" >&2; exit 2; }

top=$(cd "$(dirname "$0")/../.." && pwd)
flood=$top/build/tools/$(uname -m)/tapflood
dbg=/sys/kernel/debug/txqguard
dp=txqgb
[ -x "$flood" ] || { echo "forward.sh: no $flood (make tools)" >&2; exit 1; }
ncpu=$(nproc)
[ "$cpu" -lt "$ncpu" ] || cpu=0

modprobe openvswitch
modprobe tun
modprobe veth
rmmod txqguard 2>/dev/null || true

ovs-dpctl add-dp $dp
ip tuntap add dev bin mode tap
ip link add bout numtxqueues 2 numrxqueues 2 type veth peer name bpeer numtxqueues 2 numrxqueues 2
for l in bin bout bpeer; do ip link set "$l" up; done
ovs-dpctl add-if $dp bin
ovs-dpctl add-if $dp bout
port() { ovs-dpctl show $dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
ovs-dpctl add-flow $dp "in_port($(port bin)),eth(),eth_type(0x0800),ipv4()" "$(port bout)"
echo "bench: bout real_num_tx_queues $(ls -d /sys/class/net/bout/queues/tx-* | wc -l)"

rx() { cat /sys/class/net/bpeer/statistics/rx_packets; }
ctr() { awk -v k="$1" '$1 == k {print $2}' $dbg/stats; }
checked() { echo $(($(ctr txhash_checked) + $(ctr ovs_output_checked))); }

# One round: NAME [insmod args...]. Leaves the module unloaded.
round() {
	local name=$1 r=$2 rx0 rx1 c0=0 c1=0 sent
	shift 2
	if [ $# -gt 0 ]; then
		insmod "$ko" "$@"
		c0=$(checked)
	else
		# The same load and unload as a guarded round, so what they leave behind (text
		# patched and unpatched, translated code thrown away under TCG) weighs on both.
		insmod "$ko" mode=off
		rmmod txqguard
	fi
	# Module load and unload leave work behind (RCU callbacks, freed trampolines) that would
	# otherwise compete with the flood for the host's CPUs.
	sync
	sleep "$settle"
	rx0=$(rx)
	sent=$(taskset -c "$cpu" "$flood" bin "$secs" | sed -n 's/^tapflood: sent \([0-9]*\) frames$/\1/p')
	rx1=$(rx)
	if [ $# -gt 0 ]; then
		c1=$(checked)
		if [ "$(ctr txhash_hazards)" != 0 ] || [ "$(ctr ovs_output_hazards)" != 0 ]; then
			echo "forward.sh: hazards counted on a healthy port" >&2
			exit 1
		fi
		rmmod txqguard
	fi
	# Frames are forwarded in the writer's own system calls, so every delivered frame falls inside
	# tapflood's run, which lasts $secs by its own clock: process start-up stays out of the rate.
	awk -v n="$name" -v r="$r" -v d=$((rx1 - rx0)) -v s="$sent" -v t="$secs" -v c=$((c1 - c0)) \
		'BEGIN { printf "bench-round config=%s round=%d fps=%.0f delivered=%d injected=%d calls=%d\n", n, r, d / t, d, s, c }'
}

configs=("none")
for a in $attaches; do configs+=("$a-enforce" "$a-detect"); done
run_config() { # CONFIG ROUND
	case $1 in
	none) round none "$2" ;;
	*-enforce) round "$1" "$2" attach="${1%-enforce}" mode=enforce ;;
	*-detect) round "$1" "$2" attach="${1%-detect}" mode=detect ;;
	esac
}

# A discarded warm-up round of each configuration first: page faults, first-use allocations and
# the first module load land there.
for c in "${configs[@]}"; do run_config "$c" 0 >/dev/null; done
for r in $(seq "$rounds"); do
	for c in "${configs[@]}"; do run_config "$c" "$r"; done
done | tee /tmp/bench.rounds

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
median_f() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { grep "config=$1 " /tmp/bench.rounds | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Host load can only slow a round down, so next to the medians the fastest rounds are compared too,
# and each round with the not-loaded round just before it (paired_ratio: the median of those).
base=$(field none fps | median)
best=$(field none fps | sort -n | tail -1)
paired() { # CONFIG: each round's fps over the same round's not-loaded fps, one a line
	awk -v c="$1" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
		f["config"] == "none" { base[f["round"]] = f["fps"] }
		f["config"] == c { fps[f["round"]] = f["fps"] }
		END { for (r in fps) if (base[r]) printf "%.4f\n", fps[r] / base[r] }' /tmp/bench.rounds
}
for c in "${configs[@]}"; do
	m=$(field "$c" fps | median)
	calls=$(field "$c" calls | awk '{ s += $1 } END { print s }')
	frames=$(field "$c" delivered | awk '{ s += $1 } END { print s }')
	awk -v c="$c" -v m="$m" -v b="$base" -v k="$calls" -v f="$frames" -v lo="$(field "$c" fps | sort -n | head -1)" \
		-v hi="$(field "$c" fps | sort -n | tail -1)" -v n="$rounds" \
		-v bb="$best" -v pr="$(paired "$c" | median_f)" \
		'BEGIN { printf "bench-summary config=%s rounds=%d median_fps=%d min_fps=%d max_fps=%d ratio=%.4f best_ratio=%.4f paired_ratio=%.4f calls_per_frame=%.3f\n", c, n, m, lo, hi, m / b, hi / bb, pr, f ? k / f : 0 }'
done

ovs-dpctl del-dp $dp
ip link del bout
ip tuntap del dev bin mode tap
