#!/bin/bash
# Inside a VM: what the guards cost the packet path, and how fast the controller is.
#
#   forward.sh --ko PATH [--lp PATH] [--ctl PATH] [--backends LIST] [--workloads LIST]
#              [--rounds N] [--secs S] [--settle S] [--cpu C] [--guards LIST] [--ctl-runs N]
#
# Workloads, each counted in frames delivered at a veth peer:
#   ovs     frames written into a tap port cross an OVS datapath to a veth with two tx queues, so
#           every frame runs both guarded functions (ovs_vport_send() and the queue pick)
#   veth    frames sent through an AF_PACKET socket on a single-queue veth: the ordinary transmit
#           of a host's own traffic, which must reach neither guard
#   mq      the same on a veth with two tx queues: dev_queue_xmit() picks a queue for every frame
#   pktgen  the kernel's packet generator (xmit_mode queue_xmit) on that two-queue veth
# Backends: ftrace and kprobe (txqguard.ko attach=...), livepatch (--lp, txqguard_lp.ko: the
# pick replaced by a live patch, ovs_vport_send() still probed). Default: ftrace kprobe, and
# livepatch when --lp is given and the kernel takes live patches.
#
# Rates: under TCG the guest's clock is the host's, so frames per second ("fps") fall with whatever
# else the host runs, by tens of percent from one round to the next. pktflood times every frame
# and takes a trimmed mean that leaves the host's preemptions out (tests/tools/pktflood.c);
# "efps" is frames delivered over the frames' trimmed cost, and a round lasts --secs of that cost.
# pktgen sends from a kernel thread, so there stallmon (tests/tools/stallmon.c) notices the host's
# preemptions by late wake-ups and efps leaves those out: a coarser estimate.
#
# One boot, one vCPU (see run.sh). Each round runs, per workload and backend, a triplet: not
# loaded, loaded in enforce mode, loaded in detect mode, in an order rotated from round to round
# so that no mode always comes first. Every guarded round is compared with the not-loaded round
# of its own triplet (paired_ratio).
# --guards arms only those guards (guards=txhash or guards=ovs_output: what each costs alone).
# With --ctl, load-to-armed times and controller latencies follow the rounds.
#
# Prints "bench-round ..." per round, "bench-summary ..." per workload and configuration,
# "bench-ctl ..." per controller measurement, and "bench-done ..." once all of it is out.
set -euo pipefail
shopt -s inherit_errexit

ko="" lp_ko="" ctl="" backends="" workloads="ovs veth mq pktgen" rounds=5 secs=2 settle=1 cpu=1
guards="" ctl_runs=10
usage() {
	echo "usage: forward.sh --ko PATH [--lp PATH] [--ctl PATH] [--backends LIST] [--workloads LIST]" \
		"[--rounds N] [--secs S] [--settle S] [--cpu C] [--guards LIST] [--ctl-runs N]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--lp) lp_ko=$2; shift 2 ;;
	--ctl) ctl=$2; shift 2 ;;
	--backends | --attach) backends=$2; shift 2 ;;
	--workloads) workloads=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	--settle) settle=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--guards) guards=$2; shift 2 ;;
	--ctl-runs) ctl_runs=$2; shift 2 ;;
	*) echo "forward.sh: unknown argument $1" >&2; usage ;;
	esac
done
[ -n "$ko" ] || usage
[ "$rounds" -ge 1 ] || { echo "forward.sh: --rounds must be >= 1" >&2; exit 2; }
lpdir=/sys/kernel/livepatch/txqguard_lp
if [ -z "$backends" ]; then
	backends="ftrace kprobe"
	[ -n "$lp_ko" ] && [ -d /sys/kernel/livepatch ] && backends+=" livepatch"
fi
for b in $backends; do
	case $b in
	ftrace | kprobe) ;;
	livepatch) [ -f "$lp_ko" ] || { echo "forward.sh: backend livepatch needs --lp PATH" >&2; exit 2; } ;;
	*) echo "forward.sh: unknown backend $b (ftrace, kprobe, livepatch)" >&2; exit 2 ;;
	esac
done
for w in $workloads; do
	case $w in ovs | veth | mq | pktgen) ;; *) echo "forward.sh: unknown workload $w" >&2; exit 2 ;; esac
done

top=$(cd "$(dirname "$0")/../.." && pwd)
tools=$top/build/tools/$(uname -m)
dbg=/sys/kernel/debug/txqguard
dp=txqgb
for t in pktflood stallmon; do
	[ -x "$tools/$t" ] || { echo "forward.sh: no $tools/$t (make bench builds it)" >&2; exit 1; }
done
[ "$cpu" -lt "$(nproc)" ] || cpu=0

die() { echo "forward.sh: $*" >&2; exit 1; }
# Waits up to $2 hundredths of a second for the command in $1 to succeed. By the clock, not by
# tries: under TCG on a loaded host one try can take far longer than the sleep between them.
wait_for() {
	local end=$((${EPOCHREALTIME/./} + $2 * 10000))
	until eval "$1"; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.01
	done
}
# Until every task has switched, some still run the unpatched pick: only then is it armed.
lp_settled() { [ ! -d $lpdir ] || [ "$(cat $lpdir/transition 2>/dev/null)" = 0 ]; }
all_armed() { [ "$(awk '$3 == "armed"' $dbg/probes 2>/dev/null | wc -l)" = 2 ] && lp_settled; }

# load BACKEND MODE [GUARDS]: the module as the bench runs it.
load() {
	local args=(mode="$2")
	[ -z "${3:-}" ] || args+=(guards="$3")
	case $1 in
	livepatch)
		insmod "$lp_ko" "${args[@]}"
		wait_for lp_settled 6000 || die "the live patch's transition did not end in 60 s"
		;;
	*) insmod "$ko" attach="$1" "${args[@]}" ;;
	esac
}
# The live-patch form goes only through sysfs: disable, let every task switch back, then remove.
unload() {
	if [ -d /sys/module/txqguard_lp ]; then
		if [ -d $lpdir ]; then
			echo 0 >$lpdir/enabled
			wait_for lp_settled 6000 || die "the live patch's disable transition did not end in 60 s"
		fi
		# The core drops its module reference just after the transition.
		wait_for 'rmmod txqguard_lp 2>/dev/null' 300 || die "cannot remove txqguard_lp"
	fi
	if [ -d /sys/module/txqguard ]; then rmmod txqguard; fi
}

ctr() { awk -v k="$1" '$1 == k {print $2}' $dbg/stats; }
checked() { echo $(($(ctr txhash_checked) + $(ctr ovs_output_checked))); }
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
# shellcheck disable=SC2012 # counting sysfs entries named tx-N: no odd file names
txqs() { ls -d "/sys/class/net/$1/queues/tx-"* | wc -l; }

modprobe openvswitch
modprobe tun
modprobe veth
unload
# No IPv6 autoconfiguration traffic on the test devices: nothing but the workload's frames may
# reach a guard, or the veth workload could not show that it reaches none.
sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1

setup_ovs() {
	ovs-dpctl add-dp $dp
	ip tuntap add dev bin mode tap
	ip link add bout numtxqueues 2 numrxqueues 2 type veth peer name bpeer numtxqueues 2 numrxqueues 2
	for l in bin bout bpeer; do ip link set "$l" up; done
	ovs-dpctl add-if $dp bin
	ovs-dpctl add-if $dp bout
	port() { ovs-dpctl show $dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
	ovs-dpctl add-flow $dp "in_port($(port bin)),eth(),eth_type(0x0800),ipv4()" "$(port bout)"
	echo "bench: ovs: tap bin -> datapath $dp -> veth bout, $(txqs bout) tx queues"
}
setup_veth() {
	ip link add sq0 type veth peer name sq0p
	for l in sq0 sq0p; do ip link set "$l" up; done
	[ "$(txqs sq0)" = 1 ] || die "sq0 has $(txqs sq0) tx queues, not 1"
	echo "bench: veth: AF_PACKET on veth sq0, 1 tx queue"
}
setup_mq() {
	[ ! -d /sys/class/net/mq0 ] || return 0
	ip link add mq0 numtxqueues 2 numrxqueues 2 type veth peer name mq0p numtxqueues 2 numrxqueues 2
	for l in mq0 mq0p; do ip link set "$l" up; done
	echo "bench: mq: AF_PACKET on veth mq0, $(txqs mq0) tx queues"
}
pg() {
	echo "$2" >"/proc/net/pktgen/$1"
	grep -q '^Result: OK' "/proc/net/pktgen/$1" ||
		die "pktgen $1 '$2': $(grep '^Result' "/proc/net/pktgen/$1")"
}
setup_pktgen() {
	setup_mq
	modprobe pktgen
	pg "kpktgend_$cpu" rem_device_all
	pg "kpktgend_$cpu" "add_device mq0"
	# queue_xmit: dev_queue_xmit() as a socket's frame takes it (the default, start_xmit, calls
	# the driver directly and never picks a queue). It needs a fresh skb per frame (clone_skb 0).
	for c in "clone_skb 0" "xmit_mode queue_xmit" "count 0" "delay 0" "pkt_size 60" \
		"dst 10.0.0.2" "dst_mac 02:00:00:00:00:02"; do
		pg mq0 "$c"
	done
	echo "bench: pktgen: kpktgend_$cpu queue_xmit on veth mq0, $(txqs mq0) tx queues"
}
teardown() {
	ovs-dpctl del-dp $dp 2>/dev/null || true
	ip link del bout 2>/dev/null || true
	ip tuntap del dev bin mode tap 2>/dev/null || true
	ip link del sq0 2>/dev/null || true
	if [ -d /proc/net/pktgen ]; then echo rem_device_all >"/proc/net/pktgen/kpktgend_$cpu"; fi
	ip link del mq0 2>/dev/null || true
}
# The ovs workload's datapath stays for all of them: OVS is loaded, its guard armed, on a real host.
setup_ovs
for w in $workloads; do
	case $w in veth) setup_veth ;; mq) setup_mq ;; pktgen) setup_pktgen ;; esac
done

# measure WORKLOAD SECONDS: prints "delivered injected elapsed_us cpu_us", cpu_us the time the
# frames cost with the host's preemptions left out.
measure() {
	local dev peer out pid
	case $1 in
	ovs | veth | mq)
		case $1 in
		ovs) dev="-t bin" peer=bpeer ;;
		veth) dev=sq0 peer=sq0p ;;
		mq) dev=mq0 peer=mq0p ;;
		esac
		# Every frame is delivered inside the sender's own system call on this one vCPU, so the
		# peer counts exactly the frames of the sender's run, which it timed itself.
		local rx0 rx1
		rx0=$(rx $peer)
		# shellcheck disable=SC2086 # word splitting intended: dev holds pktflood's arguments (-t bin)
		out=$(taskset -c "$cpu" "$tools/pktflood" $dev "$2")
		rx1=$(rx $peer)
		# "pktflood: sent N frames elapsed_us E frame_ns F median_ns M left_out L"
		# shellcheck disable=SC2086 # word splitting intended: the fields of the result line
		set -- $out
		[ "${1:-}" = pktflood: ] || die "pktflood: $out"
		echo "$((rx1 - rx0)) $3 $6 $(awk -v n="$3" -v f="$8" 'BEGIN { printf "%.0f", n * f / 1000 }')"
		;;
	pktgen)
		# Writing start returns only once the run is stopped. stallmon times a window in the
		# middle of the run and counts the frames the peer received in it.
		echo start >/proc/net/pktgen/pgctrl &
		pid=$!
		sleep 0.5
		out=$(taskset -c "$cpu" "$tools/stallmon" /sys/class/net/mq0p/statistics/rx_packets $(($2 * 2)))
		echo stop >/proc/net/pktgen/pgctrl
		wait $pid || die "pktgen start failed"
		# "Result: OK: 3000211(c2999873+d338) usec, 285123 (60byte,0frags)"
		local sent
		sent=$(sed -n 's/^Result: OK: [0-9]*(.*) usec, \([0-9]*\) .*/\1/p' /proc/net/pktgen/mq0)
		[ -n "$sent" ] || die "pktgen: $(grep '^Result' /proc/net/pktgen/mq0)"
		# "stallmon: frames F elapsed_us E stalled_us S stalls K wakeups W"
		# shellcheck disable=SC2086 # word splitting intended: the fields of the result line
		set -- $out
		[ "${1:-}" = stallmon: ] || die "stallmon: $out"
		echo "$3 $sent $5 $(($5 - $7))"
		;;
	esac
}

# round WORKLOAD BACKEND MODE ROUND SECONDS: one measured run. Leaves the module unloaded.
round() {
	local w=$1 b=$2 m=$3 r=$4 c0=0 c1=0 res t0=${EPOCHREALTIME/./}
	if [ "$m" = none ]; then
		# The same load and unload as a guarded round, so what they leave behind (text patched
		# and unpatched, translated code thrown away under TCG) weighs on both.
		insmod "$ko" mode=off
		unload
	else
		load "$b" "$m" "$guards"
		c0=$(checked)
	fi
	# Load and unload leave work behind (RCU callbacks, freed trampolines) that would otherwise
	# compete with the traffic for the vCPU.
	sync
	sleep "$settle"
	res=$(measure "$w" "$5")
	if [ "$m" != none ]; then
		c1=$(checked)
		if [ "$(ctr txhash_hazards)" != 0 ] || [ "$(ctr ovs_output_hazards)" != 0 ]; then
			die "hazards counted on a healthy port"
		fi
		unload
	fi
	# shellcheck disable=SC2086 # word splitting intended: the fields of the result line
	set -- $res
	# wall_s: the whole round, load and unload included.
	awk -v w="$w" -v b="$b" -v m="$m" -v r="$r" -v d="$1" -v s="$2" -v t="$3" -v cpu="$4" -v c=$((c1 - c0)) \
		-v wall=$((${EPOCHREALTIME/./} - t0)) \
		'BEGIN { printf "bench-round workload=%s backend=%s mode=%s round=%d efps=%.0f fps=%.0f delivered=%d injected=%d elapsed_us=%d cpu_us=%d calls=%d wall_s=%.1f\n", w, b, m, r, d * 1e6 / cpu, d * 1e6 / t, d, s, t, cpu, c, wall / 1e6 }'
}

modes=(none enforce detect)
all_rounds() {
	local r w b i
	for r in $(seq "$rounds"); do
		for w in $workloads; do
			for b in $backends; do
				for i in 0 1 2; do
					round "$w" "$b" "${modes[(i + r) % 3]}" "$r" "$secs"
				done
			done
		done
	done
}
rounds_file=/tmp/bench.rounds
: >$rounds_file
echo "bench: backends $backends; workloads $workloads; $rounds rounds of ${secs} s; guards ${guards:-all}; $(nproc) vCPU"
# A discarded warm-up: each form loaded once and each workload run once, so page faults,
# first-use allocations and each form's first load land outside the rounds.
if [ -n "$workloads" ]; then
	for b in $backends; do round "${workloads%% *}" "$b" enforce 0 1 >/dev/null; done
	for w in $workloads; do round "$w" - none 0 1 >/dev/null; done
fi
all_rounds | tee $rounds_file

# vals FIELD KEY=VALUE...: FIELD of every round that matches all the pairs, one a line.
vals() {
	local f=$1
	shift
	awk -v f="$f" -v want="$*" '
		BEGIN { n = split(want, w, " ") }
		$1 == "bench-round" {
			split("", kv)
			for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
			for (i = 1; i <= n; i++) { split(w[i], p, "="); if (kv[p[1]] != p[2]) next }
			print kv[f]
		}' $rounds_file
}
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.4f\n", !NR ? 0 : NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
# Each guarded round's rate over the not-loaded round of its own triplet, one a line.
paired() { # FIELD WORKLOAD BACKEND MODE
	awk -v f="$1" -v w="$2" -v b="$3" -v m="$4" '
		$1 == "bench-round" {
			split("", kv)
			for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
			if (kv["workload"] != w || kv["backend"] != b) next
			if (kv["mode"] == "none") base[kv["round"]] = kv[f]
			if (kv["mode"] == m) v[kv["round"]] = kv[f]
		}
		END { for (r in v) if (base[r]) printf "%.4f\n", v[r] / base[r] }' $rounds_file
}
summary() { # WORKLOAD BACKEND MODE
	local w=$1 b=$2 m=$3 sel base pr rpr
	sel=(workload="$w" mode="$m")
	[ "$m" = none ] || sel+=(backend="$b")
	base=$(vals efps workload="$w" mode=none | median)
	if [ "$m" = none ]; then
		pr=1 rpr=1
	else
		pr=$(paired efps "$w" "$b" "$m")
		rpr=$(paired fps "$w" "$b" "$m" | median)
	fi
	awk -v w="$w" -v c="$([ "$m" = none ] && echo none || echo "$b-$m")" -v base="$base" \
		-v n="$(vals efps "${sel[@]}" | wc -l)" -v med="$(vals efps "${sel[@]}" | median)" \
		-v lo="$(vals efps "${sel[@]}" | sort -g | head -1)" -v hi="$(vals efps "${sel[@]}" | sort -g | tail -1)" \
		-v pm="$(echo "$pr" | median)" -v plo="$(echo "$pr" | sort -g | head -1)" \
		-v phi="$(echo "$pr" | sort -g | tail -1)" -v raw="$(vals fps "${sel[@]}" | median)" -v rpr="$rpr" \
		-v k="$(vals calls "${sel[@]}" | sum)" -v f="$(vals injected "${sel[@]}" | sum)" \
		'BEGIN { printf "bench-summary workload=%s config=%s rounds=%d median_efps=%.0f min_efps=%d max_efps=%d ratio=%.4f paired_ratio=%.4f paired_min=%.4f paired_max=%.4f median_fps=%.0f raw_paired_ratio=%.4f hits_per_frame=%.4f frame_cost=%.0f\n",
			w, c, n, med, lo, hi, base ? med / base : 0, pm, plo, phi, raw, rpr, f ? k / f : 0, med ? 1e9 / med : 0 }'
}
for w in $workloads; do
	summary "$w" - none
	for b in $backends; do
		for m in enforce detect; do summary "$w" "$b" "$m"; done
	done
done

# The controller: how long `txqguardctl load` takes to leave both guards armed (it returns only
# after checking them; for the live-patch form, after the transition), the same through insmod,
# and how long the read-only commands take with each form loaded.
ms_line() { # LABEL (microseconds on stdin)
	sort -g | awk -v l="$1" '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "bench-ctl %s runs=%d median_ms=%.2f min_ms=%.2f max_ms=%.2f\n", l, NR, m / 1000, v[1] / 1000, v[NR] / 1000 }'
}
ctl_load() { # BACKEND: keeps what it said in /tmp/ctl.said
	case $1 in
	ftrace) "$ctl" load --backend kprobe --module "$ko" >/tmp/ctl.said ;;
	livepatch) "$ctl" load --backend livepatch --module "$lp_ko" >/tmp/ctl.said ;;
	esac
}
# Times come from $EPOCHREALTIME, which costs no fork inside the interval.
timed() { # COMMAND...: prints the microseconds it took; fails with it
	local t0=${EPOCHREALTIME/./}
	"$@" >/dev/null
	echo $((${EPOCHREALTIME/./} - t0))
}
load_to_armed() { # BACKEND VIA
	local t0=${EPOCHREALTIME/./}
	if [ "$2" = txqguardctl ]; then ctl_load "$1"; else load "$1" enforce; fi
	wait_for all_armed 3000 || die "$1 not armed 30 s after load"
	echo $((${EPOCHREALTIME/./} - t0))
}
ctl_bench() {
	local b i c t via vias rc cmd
	for b in $backends; do
		# txqguardctl load passes no attach=: it loads the default (auto: ftrace) or the live
		# patch, so attach=kprobe is timed through insmod alone.
		vias=insmod
		[ "$b" = kprobe ] || vias="txqguardctl insmod"
		for via in $vias; do
			rm -f /tmp/ctl.load /tmp/ctl.unload
			# Run 0 is a warm-up: the controller's first start reads it from 9p.
			for ((i = 0; i <= ctl_runs; i++)); do
				t=$(load_to_armed "$b" "$via")
				[ "$i" = 0 ] || echo "$t" >>/tmp/ctl.load
				[ "$b" != ftrace ] || [ "$(ctr backend)" = ftrace ] || die "loaded backend $(ctr backend), not ftrace"
				t=$(timed "$ctl" unload)
				[ "$i" = 0 ] || echo "$t" >>/tmp/ctl.unload
				unload
			done
			ms_line "backend=$b what=load_to_armed via=$via" </tmp/ctl.load
			ms_line "backend=$b what=unload via=txqguardctl loaded_via=$via" </tmp/ctl.unload
			if [ "$via" = txqguardctl ]; then
				echo "bench: txqguardctl load said: $(tr '\n' ';' </tmp/ctl.said)"
			fi
		done
		load "$b" enforce
		wait_for all_armed 3000 || die "$b not armed"
		# --version and /bin/true: what starting the controller, and any program, costs here.
		for c in stats metrics status --version true; do
			rc=0
			cmd=("$ctl" "$c")
			[ "$c" != true ] || cmd=(/bin/true)
			"${cmd[@]}" >/dev/null || rc=$?
			rm -f /tmp/ctl.lat
			for ((i = 0; i < ctl_runs; i++)); do
				t=${EPOCHREALTIME/./}
				"${cmd[@]}" >/dev/null || rc=$?
				echo $((${EPOCHREALTIME/./} - t)) >>/tmp/ctl.lat
			done
			ms_line "backend=$b what=${c#--} via=${cmd[0]##*/} exit=$rc" </tmp/ctl.lat
		done
		# stats --watch with a zero-length sleep: many samples in one process, so what is left
		# after subtracting a one-sample run is the per-sample cost without process start-up.
		rm -f /tmp/ctl.lat
		for ((i = 0; i < 3; i++)); do
			t=$(timed "$ctl" stats --watch 0.0001 --count 1)
			t=$(($(timed "$ctl" stats --watch 0.0001 --count 1001) - t))
			echo $((t / 1000)) >>/tmp/ctl.lat
		done
		ms_line "backend=$b what=stats_per_sample via=in_process" </tmp/ctl.lat
		unload
	done
}
if [ -n "$ctl" ] && [ "$ctl_runs" -gt 0 ]; then
	[ -x "$ctl" ] || die "no $ctl"
	ctl_bench
fi

teardown
# run.sh keeps a run only with this line: every part asked for has printed its figures.
echo "bench-done workloads=$(printf %s "$workloads" | wc -w) ctl=$([ -n "$ctl" ] && echo yes || echo no)"
