#!/bin/bash
# Inside a VM with several vCPUs: what loading and unloading txqguard costs a busy host. One tap
# flood per CPU crosses an OVS datapath to a 2-queue veth (every frame runs both guarded
# functions); tests/kmod/txqg_stall.ko measures, per CPU, how late a softirq timer and a SCHED_FIFO
# task got to run (the longest time the CPU could do neither), over windows of:
#   idle     a second of the flood alone (the emulator's own noise)
#   load     txqguardctl load, until both guards are armed (and a live patch's transition ends)
#   unload   txqguardctl unload, until the module is gone
# per attachment (txqguard.ko attach=ftrace and attach=kprobe, txqguard_lp.ko) and round.
#   stall.sh --dir BUILD_DIR --ctl PATH [--rounds N] [--backends "ftrace kprobe livepatch"]
# Prints "bench-stall-round backend=B round=R phase=P softirq_us=S task_us=T ms=M" per window and
# "bench-stall backend=B phase=P median_us=... max_us=... rounds=N" (the larger of softirq and task
# per window) per backend and phase.
set -euo pipefail
dir="" ctl="" rounds=5 backends="ftrace kprobe livepatch"
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--ctl) ctl=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--backends) backends=$2; shift 2 ;;
	*) echo "stall.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
st=/sys/kernel/debug/txqg_stall
[ -d /sys/kernel/livepatch ] || backends=${backends//livepatch/}
modprobe openvswitch && modprobe tun && modprobe veth
insmod "$dir/txqg_stall.ko"
ovs-dpctl add-dp stdp
ip link add stq0 numtxqueues 2 type veth peer name stq1 numtxqueues 2
ip link set stq0 up && ip link set stq1 up
ovs-dpctl add-if stdp stq0
flows=""
ncpu=$(nproc)
for ((c = 0; c < ncpu; c++)); do
	ip tuntap add dev sttap$c mode tap && ip link set sttap$c up && ovs-dpctl add-if stdp sttap$c
done
port() { ovs-dpctl show stdp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
for ((c = 0; c < ncpu; c++)); do
	ovs-dpctl add-flow stdp "in_port($(port sttap$c)),eth(),eth_type(0x0800),ipv4()" "$(port stq0)"
	taskset -c "$c" "$top/build/tools/$(uname -m)/tapflood" sttap$c 3600 >/dev/null &
	flows+=" $!"
done
sleep 1
echo start 1000 >$st/ctl

# window PHASE CMD...: the stall while CMD runs.
window() {
	local phase=$1 t0 t1
	shift
	echo reset >$st/ctl
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	# shellcheck disable=SC2046,SC2086 # word splitting intended: the fields of the last line
	set -- $(tail -1 $st/max)
	echo "bench-stall-round backend=$backend round=$r phase=$phase softirq_us=$3 task_us=$5 ms=$(((t1 - t0) / 1000000))"
}
for ((r = 1; r <= rounds; r++)); do
	for backend in $backends; do
		case $backend in
		livepatch) load=(load --backend livepatch --module "$dir") ;;
		*) load=(load --backend kprobe --attach "$backend" --module "$dir/txqguard.ko") ;;
		esac
		window idle sleep 1
		window load "$ctl" "${load[@]}"
		sleep 1
		window unload "$ctl" unload
	done
done | tee /tmp/stall.rounds
echo stop >$st/ctl
# shellcheck disable=SC2086 # word splitting intended: a list of PIDs
kill $flows
wait 2>/dev/null || true
for backend in $backends; do
	for phase in idle load unload; do
		grep "^bench-stall-round backend=$backend round=[0-9]* phase=$phase " /tmp/stall.rounds |
			sed 's/.*softirq_us=\([0-9]*\) task_us=\([0-9]*\).*/\1 \2/' |
			awk '{ print ($1 > $2 ? $1 : $2) }' | sort -n |
			awk -v b="$backend" -v p="$phase" '{ v[NR] = $1 } END {
				if (NR) printf "bench-stall backend=%s phase=%s median_us=%d max_us=%d rounds=%d\n",
					b, p, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR], NR }'
	done
done
echo "bench-stall-done"
