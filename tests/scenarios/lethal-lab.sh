# shellcheck shell=bash
# Sourced by the guest scenarios that need OVS to output to a dying port without the guest locking
# up first: frames enter the datapath through a veth (txqg-inj) from an AF_PACKET socket on its
# peer, so no rx queue is recorded on them (a pick cannot spin on them), while the datapath's flow
# outputs each to the doomed veth vdie and to the healthy veth vok. With txqg_test.ko holding
# ovs_lock, deleting vdie leaves its vport in the datapath after its queue count went to 0: every
# frame is then a lethal output. `lab_up tap` floods a tap instead, whose frames carry a recorded
# rx queue: that lab locks the unguarded kernel up. Needs $top and txqg_test.ko loaded (its
# parameters, which a kernel booted with debugfs=off has too).
lab_dp=txqglab
# shellcheck disable=SC2154 # top is set by the scenario that sources this file
lab_flood=$top/build/tools/$(uname -m)/tapflood
lab_rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
lab_port() { ovs-dpctl show $lab_dp | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }

# lab_up [tap]: the datapath, its ports and the flow; the flood from the injection veth's peer,
# or with "tap" into the tap txqg-tap.
lab_up() {
	local in=txqg-inj flood=(-p txqg-inj-p) l
	modprobe openvswitch && modprobe veth || return 1
	ovs-dpctl add-dp $lab_dp || return 1
	if [ "${1:-}" = tap ]; then
		in=txqg-tap flood=(txqg-tap)
		modprobe tun && ip tuntap add dev $in mode tap || return 1
	else
		ip link add $in type veth peer name txqg-inj-p && ip link set txqg-inj-p up || return 1
	fi
	ip link add vdie numtxqueues 2 type veth peer name vdie-p numtxqueues 2 &&
		ip link add vok type veth peer name vok-p || return 1
	for l in $in vdie vdie-p vok vok-p; do ip link set "$l" up || return 1; done
	for l in $in vdie vok; do ovs-dpctl add-if $lab_dp "$l" || return 1; done
	ovs-dpctl add-flow $lab_dp "in_port($(lab_port $in)),eth(),eth_type(0x0800),ipv4()" \
		"$(lab_port vdie),$(lab_port vok)" || return 1
	"$lab_flood" "${flood[@]}" 600 >/tmp/lab-flood.out &
	lab_flood_pid=$!
	sleep 1
	[ "$(lab_rx vok-p)" -gt 0 ] || { echo "lab: the healthy port received nothing"; return 1; }
}

# lab_kill_port MS: hold ovs_lock for MS ms (in the background) and delete vdie under it; returns
# once vdie's queue count is 0 (its sysfs entry goes in the same step) with ovs_lock still held.
lab_kill_port() {
	lab_t0=$(date +%s%N)
	echo "$1" >/sys/module/txqg_test/parameters/hold_ovs_lock_ms &
	lab_hold_pid=$!
	for _ in $(seq 50); do
		dmesg | grep -q 'txqg_test: holding ovs_lock' && break
		sleep 0.1
	done
	ip link del vdie &
	lab_del_pid=$!
	for _ in $(seq 100); do
		[ -e /sys/class/net/vdie ] || break
		sleep 0.05
	done
	# shellcheck disable=SC2015 # intended: fail unless vdie is gone and the holder still runs
	! [ -e /sys/class/net/vdie ] && kill -0 "$lab_hold_pid" 2>/dev/null || {
		echo "lab: vdie did not reach a zero queue count while ovs_lock was held"
		return 1
	}
	echo "lab: vdie unregistered, queue count 0, vport still in $lab_dp (ovs_lock held)" \
		"$((($(date +%s%N) - lab_t0) / 1000000)) ms into the hold"
}

lab_wait_port() { wait "$lab_hold_pid" "$lab_del_pid"; }

lab_down() {
	kill "$lab_flood_pid" 2>/dev/null
	wait "$lab_flood_pid" 2>/dev/null
	ovs-dpctl del-dp $lab_dp 2>/dev/null
	for l in txqg-inj txqg-tap vdie vok; do ip link del "$l" 2>/dev/null; done
	true
}
