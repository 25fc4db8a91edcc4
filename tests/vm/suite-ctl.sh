#!/usr/bin/env bash
# txqguardctl in real guests: the operator's session, verify and its
# reproducer, event following, and the ways a command can be refused.
#   tests/vm/suite-ctl.sh [test-name-regex]
# Needs build/ctl/txqguardctl and build/<kernel>/txqguard.ko; prints the
# latencies measured inside the guest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

unfixed=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
k61=${TXQG_KERNEL_61:-6.1.0-56-amd64}
only=${1:-.}
ctl=$top/build/ctl/txqguardctl
kernel_report='soft lockup|BUG:|WARNING:|Oops|Kernel panic|Call Trace:'
want() { [[ $1 =~ $only ]]; }

for f in "$ctl" "$top/build/$unfixed/txqguard.ko" "$top/build/$k61/txqguard.ko"; do
	[ -e "$f" ] || { echo "suite-ctl: $f is missing (build it first)" >&2; exit 1; }
done
command -v promtool >/dev/null || "$top/scripts/install-deps"
command -v promtool >/dev/null || { echo "suite-ctl: promtool is missing (scripts/install-deps as root)" >&2; exit 1; }

# Guest scripts live in the checkout, which the guest sees at the same path.
scripts=$out_dir/ctl-scripts
mkdir -p "$scripts"
# guest NAME: the script on stdin, prefixed with helpers, becomes $scripts/NAME.sh.
guest() {
	{
		cat <<EOF
#!/bin/bash
set -u
ctl=$ctl
top_ctl=$ctl
ko=$top/build/\$(uname -r)/txqguard.ko
EOF
		cat <<'EOF'
# run NAME ARGS...: the command's output, then "RC NAME status".
run() {
	local name=$1 rc
	shift
	echo "=== $name: txqguardctl $*"
	"$ctl" "$@"
	rc=$?
	echo "RC $name $rc"
}
# As nobody: stderr is kept to count its lines.
as_nobody() {
	local name=$1 rc err
	shift
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl" "$@" 2>&1 >/dev/null)
	rc=$?
	echo "NOBODY $name rc=$rc lines=$(printf '%s\n' "$err" | grep -c .): $err"
}
# latency NAME N ARGS...: N timed runs, output discarded.
latency() {
	local name=$1 n=$2 i t0 t1 all=()
	shift 2
	for ((i = 0; i < n; i++)); do
		t0=$(date +%s%N)
		"$ctl" "$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		all+=($(((t1 - t0) / 1000000)))
	done
	# No /dev/fd in the guest, so no process substitution.
	all=($(printf '%s\n' "${all[@]}" | sort -n))
	echo "LATENCY $name n=$n min=${all[0]}ms median=${all[$((n / 2))]}ms max=${all[$((n - 1))]}ms"
}
EOF
		cat
	} >"$scripts/$1.sh"
	chmod +x "$scripts/$1.sh"
	echo "$scripts/$1.sh"
}
expect_rc_of() { expect_line "^RC $1 $2\$"; }

if want lifecycle; then
	begin ctl_lifecycle_5.10
	script=$(guest lifecycle <<'EOF'
run status-before status
run load load --module "$ko"
run status status
run verify verify
run stats stats
"$ctl" metrics >/tmp/metrics.prom
echo "RC metrics $?"
promtool check metrics </tmp/metrics.prom
echo "RC promtool $?"
cat /tmp/metrics.prom
run status-after-verify status
# Timed from guest memory, stripped as installed, so the 9p share and
# debug info do not dominate; --version is the bare process start.
strip -o /tmp/txqguardctl "$ctl" && ctl=/tmp/txqguardctl
latency startup 10 --version
latency stats 10 stats
# 50 samples in one process: the genl round trip without the process start.
latency stats-x50 3 stats --watch 0.001 --count 50
latency metrics 10 metrics
latency status 10 status
latency verify 3 verify
ctl=$top_ctl
run detect set-mode detect
echo "MODE $(cat /sys/module/txqguard/parameters/mode)"
run enforce set-mode enforce
echo "MODE $(cat /sys/module/txqguard/parameters/mode)"
run unload unload
run status-unloaded status
[ -d /sys/module/txqguard ] && echo "STILL LOADED" || echo "GONE"
EOF
)
	run_vm ctl_lifecycle "$unfixed" 300 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of status-before 3
	expect_rc_of load 0
	expect_line '^  txhash armed'
	expect_rc_of status 0
	expect_line '^verdict +protected: the txhash guard is enforcing'
	expect_rc_of verify 0
	expect_line '^  txhash guard +live: txhash_checked \+[0-9]+ for [1-9][0-9]* frames'
	expect_line '^  ovs_output guard +live: '
	expect_line '^  kernel fix +not fixed \(by behaviour\): .*\(ovs_output_port_down \+[1-9][0-9]* for [0-9]+ canaries\)'
	expect_line '^  lethal hazards +none during the run$'
	expect_line '^  cleanup +datapath, links and namespace removed'
	expect_line '^result: both guards live'
	expect_rc_of stats 0
	expect_line '^source +genl$'
	# The canaries to the admin-down port are port-down drops: no hazard, no hold.
	expect_line '^ovs_output_hazards +0$'
	expect_line '^ovs_output_port_down +[1-9][0-9]*$'
	expect_line '^unload_hold_ms +0$'
	expect_line '^RC metrics 0$'
	expect_line '^RC promtool 0$'
	expect_line '^txqguard_probe_armed\{guard="ovs_output"\} 1$'
	expect_line '^txqguard_enforcing 1$'
	expect_line '^txqguard_openvswitch_loaded 1$'
	expect_line '^txqguard_verify_passed 1$'
	expect_line '^txqguard_verify_kernel_fix\{verdict="not fixed"\} 1$'
	expect_line '^txqguard_info\{.*,srcversion="[0-9A-F]+",kernel_build="#[^"]+"\} 1$'
	expect_line '^  kernel fix   not fixed \(by behaviour\)'
	expect_rc_of detect 0
	expect_line '^mode enforce -> detect$'
	expect_line '^MODE detect$'
	expect_rc_of enforce 0
	expect_line '^MODE enforce$'
	expect_rc_of unload 0
	expect_rc_of status-unloaded 3
	expect_line '^GONE$'
	expect_line '^LATENCY verify '
	end
	grep '^LATENCY ' "$vm_out" | sed 's/^/  /' || true
fi

if want reproduce; then
	begin ctl_verify_reproduce_5.10
	script=$(guest reproduce <<'EOF'
run load load --module "$ko" --selftest
run reproduce verify --reproduce
run reproduce-json verify --reproduce --json --hold-ms 2000 --flood-after 1
EOF
)
	run_vm ctl_reproduce "$unfixed" 300 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of reproduce 0
	expect_line '^  hazards +[1-9][0-9]* \(ovs_output [0-9]+, txhash [0-9]+\)'
	expect_line '^  healthy in window +[1-9][0-9]* frames to tqr-ok'
	expect_line '^  port down +[0-9]+ outputs while the port was down but registered'
	expect_line '^result: PASS$'
	expect_rc_of reproduce-json 0
	expect_line '"passed": true'
	end
	grep -E '^  (frames injected|hazards|neutralized|healthy in window) ' "$vm_out" | sed 's/^/  /' || true
fi

if want follow; then
	begin ctl_events_follow_sees_the_race
	script=$(guest follow <<'EOF'
run load load --module "$ko" --selftest
"$ctl" events --follow --count 1 --timeout 120 >/tmp/follow.out 2>/tmp/follow.err &
follower=$!
sleep 1
run reproduce verify --reproduce
wait $follower
echo "RC follow $?"
sed 's/^/FOLLOW /' /tmp/follow.out
sed 's/^/FOLLOW-ERR /' /tmp/follow.err
EOF
)
	run_vm ctl_follow "$unfixed" 300 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of reproduce 0
	expect_rc_of follow 0
	expect_line '^FOLLOW .* guard=ovs_output action=dropped ifname=tqr-die .*running=0'
	[ "$(grep -c '^FOLLOW ' "$vm_out")" -eq 1 ] || fail "expected exactly one followed event"
	expect_no_line '^FOLLOW-ERR '	# more hazards than asked for are no loss
	end
fi

if want bad_input; then
	begin ctl_bad_input
	script=$(guest bad_input <<'EOF'
run unknown frobnicate
run load load --module "$ko"
run badmode set-mode loud
echo "MODE $(cat /sys/module/txqguard/parameters/mode)"
as_nobody status status
as_nobody stats stats
as_nobody set-mode set-mode detect
as_nobody verify verify
as_nobody follow events --follow --timeout 1
echo "MODE $(cat /sys/module/txqguard/parameters/mode)"
run unload unload
run missing-stats stats
run missing-events events
run missing-verify verify
run missing-follow events --follow --count 1 --timeout 2
run missing-install load
EOF
)
	run_vm ctl_bad_input "$unfixed" 240 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of unknown 2
	expect_line "^txqguardctl: unknown command 'frobnicate' \(see txqguardctl --help\)$"
	expect_rc_of badmode 2
	expect_line "^txqguardctl: unknown mode 'loud' \(expected off, detect or enforce\)$"
	[ "$(grep -c '^MODE enforce$' "$vm_out")" -eq 2 ] || fail "the mode changed"
	expect_line '^NOBODY status rc=0 lines=0'
	for c in stats set-mode verify follow; do
		expect_line "^NOBODY $c rc=1 lines=1: txqguardctl: .*Operation not permitted \(run as root\)$"
	done
	expect_rc_of missing-stats 1
	expect_line '^txqguardctl: txqguard is not loaded$'
	expect_rc_of missing-events 1
	expect_rc_of missing-verify 1
	expect_line '^txqguardctl: txqguard is not loaded \(txqguardctl load\)$'
	expect_rc_of missing-follow 1
	expect_rc_of missing-install 1
	expect_line '^txqguardctl: cannot load txqguard: not installed for this kernel \(install it, or pass --module PATH\)$'
	end
fi

if want no_debugfs; then
	begin ctl_without_debugfs
	script=$(guest no_debugfs <<'EOF'
run load load --module "$ko" --selftest
umount /sys/kernel/debug && echo "DEBUGFS unmounted"
run stats stats
run events events
run verify verify
run reproduce verify --reproduce --hold-ms 500
run unload unload
run stats-unloaded stats
run follow-unloaded events --follow --timeout 1
EOF
)
	run_vm ctl_no_debugfs "$unfixed" 240 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^DEBUGFS unmounted$'
	expect_rc_of stats 0
	expect_line '^source +genl$'
	expect_rc_of events 0
	expect_rc_of verify 0
	expect_rc_of reproduce 1
	expect_line '^txqguardctl: reproducer failed: .*hold_ovs_lock_ms is missing: load txqguard with selftest=1 \(and debugfs mounted\)$'
	expect_rc_of unload 0
	expect_rc_of stats-unloaded 1
	expect_rc_of follow-unloaded 1
	[ "$(grep -c '^txqguardctl: txqguard is not loaded$' "$vm_out")" -eq 2 ] || fail "expected two 'not loaded' errors"
	end
fi

if want no_openvswitch; then
	begin ctl_without_openvswitch
	script=$(guest no_openvswitch <<'EOF'
run load load --module "$ko"
[ -d /sys/module/openvswitch ] && echo "OVS loaded" || echo "OVS absent"
# Nothing left to load it from.
mount -t tmpfs none "/lib/modules/$(uname -r)"
run verify verify
[ -d /sys/module/openvswitch ] && echo "OVS loaded" || echo "OVS absent"
run status status
EOF
)
	run_vm ctl_no_openvswitch "$unfixed" 240 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	[ "$(grep -c '^OVS absent$' "$vm_out")" -eq 2 ] || fail "openvswitch was present"
	expect_rc_of verify 1
	expect_line '^txqguardctl: Open vSwitch is not available: cannot load openvswitch: '
	[ "$(grep -c '^txqguardctl: ' "$vm_out")" -eq 1 ] || fail "expected a one-line error"
	expect_rc_of status 0
	end
fi

if want kernel_message; then
	# The kernel's extended-ack text reaches the user: no veth driver to be had.
	begin ctl_kernel_error_message
	script=$(guest kernel_message <<'EOF'
run load load --module "$ko"
modprobe openvswitch && modprobe tun && echo "OVS and tun loaded"
mount -t tmpfs none "/lib/modules/$(uname -r)"
run verify verify
[ -d /sys/module/veth ] && echo "VETH loaded" || echo "VETH absent"
EOF
)
	run_vm ctl_kernel_message "$unfixed" 240 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^OVS and tun loaded$'
	expect_line '^VETH absent$'
	expect_rc_of verify 1
	expect_line '^txqguardctl: cannot create veth tqv-veth: Operation not supported \(kernel: Unknown device type\)$'
	end
fi

if want interrupt; then
	begin ctl_interrupt_cleans_up
	script=$(guest interrupt <<'EOF'
run load load --module "$ko" --selftest
"$ctl" verify --reproduce --hold-ms 3000 >/tmp/int.out 2>&1 &
pid=$!
# Interrupt in the middle of the race window.
for _ in $(seq 100); do
	dmesg | grep -q 'selftest: holding ovs_lock' && break
	sleep 0.1
done
kill -INT $pid
wait $pid
echo "RC interrupted $?"
sed 's/^/INT /' /tmp/int.out
echo "MODE $(cat /sys/module/txqguard/parameters/mode)"
echo "DATAPATHS $(ovs-dpctl dump-dps 2>/dev/null | wc -l)"
run again verify
EOF
)
	run_vm ctl_interrupt "$unfixed" 240 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_line '^RC interrupted 1$'
	expect_line '^INT txqguardctl: interrupted; datapath, links and namespace removed$'
	expect_line '^MODE enforce$'
	expect_line '^DATAPATHS 0$'
	expect_rc_of again 0
	end
fi

if want fixed; then
	begin "ctl_fixed_${k61}"
	script=$(guest fixed <<'EOF'
run load load --module "$ko" --selftest
run verify verify
run status status
run reproduce verify --reproduce --hold-ms 2000
run stats stats
EOF
)
	run_vm ctl_fixed "$k61" 300 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of verify 0
	expect_line '^  kernel fix +fixed \(by behaviour\): .*\(ovs_output_port_down \+0\)'
	expect_line '^  lethal hazards +none during the run$'
	expect_line '^result: both guards live'
	expect_line '^fix +fixed: '
	# The fixed kernel drops output to the dying port itself: nothing for
	# the guard to do, and healthy traffic flows through the window.
	expect_rc_of reproduce 1
	expect_line '^  hazards +0 '
	expect_line '^  healthy in window +[1-9][0-9]* frames'
	expect_line '^result: FAIL: no hazard was seen'
	end
fi

if want livepatch; then
	# The live-patch form through txqguardctl: load, the refusals, verify,
	# foreign hooks as the kernel lists them, unload under a flood whose
	# frames all take the patched pick, and auto choosing the form.
	begin ctl_livepatch_5.10
	script=$(guest livepatch <<'EOF'
dir=$(dirname "$ko")
top=${ko%/build/*}
lp=/sys/kernel/livepatch/txqguard_lp
tracing=/sys/kernel/debug/tracing
timed() { # NAME ARGS...: run, with the wall time of the command
	local name=$1 t0 t1
	t0=$(date +%s%N)
	run "$@"
	t1=$(date +%s%N)
	echo "TIME $name $(((t1 - t0) / 1000000))ms"
}
flood_up() {
	modprobe openvswitch && modprobe tun && modprobe veth || return 1
	ovs-dpctl add-dp lpdp
	ip tuntap add dev lptap mode tap
	ip link add lpok type veth peer name lpok-p
	# Multi-queue, so every frame goes through the pick the patch replaced.
	ip link add lpmq numtxqueues 4 numrxqueues 4 type veth peer name lpmq-p \
		numtxqueues 4 numrxqueues 4
	for l in lptap lpok lpok-p lpmq lpmq-p; do ip link set "$l" up; done
	for l in lptap lpok lpmq; do ovs-dpctl add-if lpdp $l; done
	port() { ovs-dpctl show lpdp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }
	ovs-dpctl add-flow lpdp "in_port($(port lptap)),eth(),eth_type(0x0800),ipv4()" \
		"$(port lpok),$(port lpmq)"
	"$top/build/tools/$(uname -m)/tapflood" lptap 600 >/dev/null &
	flood=$!
	sleep 1
}
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
pick() { awk '$1 == "txhash_checked" {print $2}' /sys/kernel/debug/txqguard/stats; }
# Times from guest memory, stripped as installed: not the 9p share's.
strip -o /tmp/txqguardctl "$ctl" && ctl=/tmp/txqguardctl

run status-before status
timed load-livepatch load --backend livepatch --module "$dir/txqguard_lp.ko"
echo "REFCNT $(cat /sys/module/txqguard_lp/refcnt)"
run status status
run again load --backend livepatch --module "$dir/txqguard_lp.ko"
run again-kprobe load --backend kprobe --module "$ko"
run verify verify
# Someone else's kprobe on a guarded function: a warning, not a failure.
echo 'p:txqg_foreign netdev_pick_tx' >$tracing/kprobe_events &&
	echo 1 >$tracing/events/kprobes/txqg_foreign/enable && echo "FOREIGN kprobe set"
run status-foreign status
run verify-foreign verify
echo 0 >$tracing/events/kprobes/txqg_foreign/enable
echo '-:txqg_foreign' >>$tracing/kprobe_events

flood_up && echo "FLOOD up"
p0=$(pick) ok0=$(rx lpok-p)
sleep 1
p1=$(pick)
echo "PICKS before unload: $((p1 - p0))"
timed unload-traffic unload
ok1=$(rx lpok-p)
[ -d $lp ] && echo "PATCH still there" || echo "PATCH gone"
[ -d /sys/module/txqguard_lp ] && echo "MODULE still loaded" || echo "MODULE gone"
kill -0 $flood && echo "FLOOD running"
sleep 1
echo "HEALTHY after unload: $(($(rx lpok-p) - ok1)) (during: $((ok1 - ok0)))"
timed load-auto load --backend auto --module "$dir"
run status-auto status --json
timed unload-auto unload
# The kprobe form under the same flood, for the times.
timed load-kprobe load --backend kprobe --module "$ko"
timed unload-kprobe unload
kill $flood
wait $flood
echo "MODULES $(ls -d /sys/module/txqguard* 2>/dev/null | wc -l)"
EOF
)
	# Two vCPUs on one emulator thread, as for every unload under traffic (lib.sh).
	vm_smp=2 vm_smp_mode=$removal_smp_mode run_vm ctl_livepatch "$unfixed" 900 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of status-before 3
	expect_rc_of load-livepatch 0
	expect_line '^loaded txqguard_lp [^ ]+, mode enforce, backend livepatch$'
	expect_line '^  txhash armed \(netdev_core_pick_tx\)$'
	expect_line '^  livepatch enabled, every task switched in [0-9.]+ s$'
	expect_line '^REFCNT 1$'
	expect_rc_of status 0
	expect_line '^txqguard +loaded as txqguard_lp, version [^ ]+, mode enforce, backend livepatch$'
	expect_line '^  livepatch +enabled 1, transition 0$'
	expect_line '^  txhash +armed on netdev_core_pick_tx(\+0x0/0x[0-9a-f]+)? \(livepatch\)$'
	expect_line '^hooks +none but txqguard.s on netdev_core_pick_tx netdev_pick_tx ovs_vport_send$'
	expect_rc_of again 1
	expect_rc_of again-kprobe 1
	[ "$(grep -c '^txqguardctl: txqguard_lp is already loaded (unload it first, or use set-mode)$' "$vm_out")" -eq 2 ] ||
		fail "expected two 'txqguard_lp is already loaded' refusals"
	expect_rc_of verify 0
	expect_line '^  txhash guard +live: txhash_checked \+[0-9]+ for [1-9][0-9]* frames'
	expect_line '^result: both guards live'
	expect_line '^FOREIGN kprobe set$'
	expect_rc_of status-foreign 0
	expect_line '^warning +1 kprobe on netdev_pick_tx \(netdev_pick_tx\+0x0( \[FTRACE\])?\)$'
	expect_rc_of verify-foreign 0
	expect_line '^  warning +1 kprobe on netdev_pick_tx '
	expect_line '^FLOOD up$'
	grep -Eq '^PICKS before unload: [1-9][0-9]*$' "$vm_out" || fail "the patched pick did not run under the flood"
	expect_rc_of unload-traffic 0
	expect_line '^unloaded txqguard_lp \(live patch disabled, transition [0-9.]+ s\)$'
	expect_line '^PATCH gone$'
	expect_line '^MODULE gone$'
	expect_line '^FLOOD running$'
	expect_line '^HEALTHY after unload: [1-9][0-9]* \(during: [1-9][0-9]*\)$'
	expect_rc_of load-auto 0
	[ "$(grep -c '^loaded txqguard_lp .*backend livepatch$' "$vm_out")" -eq 2 ] ||
		fail "load --backend auto did not load the live-patch form"
	expect_line '"backend": "livepatch"'
	expect_rc_of unload-auto 0
	expect_rc_of load-kprobe 0
	expect_line '^loaded txqguard [^ ]+, mode enforce, backend (kprobe|ftrace)$'
	expect_rc_of unload-kprobe 0
	expect_line '^unloaded txqguard$'
	expect_line '^MODULES 0$'
	end
	grep -E '^(TIME|PICKS|HEALTHY) ' "$vm_out" | sed 's/^/  /' || true
fi

if want livepatch; then
	begin "ctl_livepatch_auto_${k61}"
	script=$(guest livepatch61 <<'EOF'
dir=$(dirname "$ko")
timed() {
	local name=$1 t0 t1
	t0=$(date +%s%N)
	run "$@"
	t1=$(date +%s%N)
	echo "TIME $name $(((t1 - t0) / 1000000))ms"
}
strip -o /tmp/txqguardctl "$ctl" && ctl=/tmp/txqguardctl
timed load-auto load --module "$dir"
run status status
run verify verify
timed unload unload
[ -d /sys/kernel/livepatch/txqguard_lp ] || [ -d /sys/module/txqguard_lp ] && echo "STILL THERE" || echo "GONE"
EOF
)
	run_vm ctl_livepatch61 "$k61" 600 -- "$script"
	expect_rc 0
	expect_no_line "$kernel_report"
	expect_rc_of load-auto 0
	expect_line '^loaded txqguard_lp [^ ]+, mode enforce, backend livepatch$'
	expect_rc_of status 0
	expect_line '^  livepatch +enabled 1, transition 0$'
	expect_line '^fix +fixed: '
	expect_rc_of verify 0
	expect_line '^  kernel fix +fixed \(by behaviour\)'
	expect_line '^result: both guards live'
	expect_rc_of unload 0
	expect_line '^unloaded txqguard_lp \(live patch disabled, transition [0-9.]+ s\)$'
	expect_line '^GONE$'
	end
	grep -E '^TIME ' "$vm_out" | sed 's/^/  /' || true
fi

summary
