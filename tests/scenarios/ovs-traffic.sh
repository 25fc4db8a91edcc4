# shellcheck shell=bash
# Sourced by guest scenarios: ovs_traffic_counted NAME sends a second of tap frames through a
# datapath of its own (NAMEdp: NAMEtap -> the veth NAMEv0) and succeeds if txqguard's
# ovs_output_checked grew, i.e. the ovs_output guard is armed on the openvswitch now loaded.
# Needs $dbg (txqguard's debugfs directory). NAME keeps its devices apart from the caller's.
ovs_traffic_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

ovs_traffic_counted() {
	local name=$1 before after rc=0
	modprobe tun && modprobe veth || return 1
	ovs-dpctl add-dp "${name}dp" && ip tuntap add dev "${name}tap" mode tap &&
		ip link add "${name}v0" type veth peer name "${name}v1" &&
		for l in "${name}tap" "${name}v0" "${name}v1"; do ip link set "$l" up; done &&
		ovs-dpctl add-if "${name}dp" "${name}tap" && ovs-dpctl add-if "${name}dp" "${name}v0" &&
		ovs-dpctl add-flow "${name}dp" "in_port(1),eth(),eth_type(0x0800),ipv4()" 2 || rc=1
	# shellcheck disable=SC2154 # dbg is set by the scenario that sources this file
	before=$(awk '$1 == "ovs_output_checked" {print $2}' "$dbg/stats")
	[ $rc -ne 0 ] || "$ovs_traffic_top/build/tools/$(uname -m)/tapflood" "${name}tap" 1 2000 || rc=1
	after=$(awk '$1 == "ovs_output_checked" {print $2}' "$dbg/stats")
	echo "ovs_output_checked $before -> $after"
	ovs-dpctl del-dp "${name}dp"
	ip link del "${name}v0"
	ip tuntap del dev "${name}tap" mode tap
	[ $rc -eq 0 ] && [ "${after:-0}" -gt "${before:-0}" ]
}
