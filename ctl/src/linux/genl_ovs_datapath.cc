#include "genl_ovs_datapath.h"

#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstring>

namespace txqg {
namespace {

Result<NlMsgPtr> ovs_request(int family, std::uint8_t cmd, std::uint8_t version, int dp_ifindex,
			     int flags = 0)
{
	void *hdr = nullptr;
	auto msg = GenlSocket::new_request(family, cmd, version, flags, sizeof(ovs_header), &hdr);
	if (msg)
		static_cast<ovs_header *>(hdr)->dp_ifindex = dp_ifindex;
	return msg;
}

Error build_error()
{
	return Error{ErrorCode::Io, "cannot build an Open vSwitch request"};
}

}  // namespace

Result<std::unique_ptr<GenlOvsDatapath>> GenlOvsDatapath::open()
{
	auto sock = GenlSocket::open();
	if (!sock)
		return sock.error();
	int ids[3];
	const char *names[3] = {OVS_DATAPATH_FAMILY, OVS_VPORT_FAMILY, OVS_FLOW_FAMILY};
	for (int i = 0; i < 3; i++) {
		auto id = sock->resolve_family(names[i]);
		if (!id) {
			if (id.error().code == ErrorCode::NotLoaded)
				return Error{ErrorCode::NotLoaded,
					     std::string("Open vSwitch's generic netlink family ") +
					     names[i] + " is not registered (openvswitch not loaded)"};
			return id.error();
		}
		ids[i] = *id;
	}
	return std::unique_ptr<GenlOvsDatapath>(
		new GenlOvsDatapath(std::move(*sock), ids[0], ids[1], ids[2]));
}

Result<void> GenlOvsDatapath::create(const std::string &name)
{
	auto msg = ovs_request(dp_family_, OVS_DP_CMD_NEW, OVS_DATAPATH_VERSION, 0);
	if (!msg)
		return msg.error();
	if (nla_put_string(msg->get(), OVS_DP_ATTR_NAME, name.c_str()) < 0 ||
	    nla_put_u32(msg->get(), OVS_DP_ATTR_UPCALL_PID, 0) < 0)
		return build_error();
	if (auto r = sock_.transact(std::move(*msg), "cannot create datapath " + name); !r)
		return r;
	name_ = name;

	// Later requests address the datapath by its local port's ifindex.
	auto get = ovs_request(dp_family_, OVS_DP_CMD_GET, OVS_DATAPATH_VERSION, 0);
	if (!get)
		return get.error();
	if (nla_put_string(get->get(), OVS_DP_ATTR_NAME, name.c_str()) < 0)
		return build_error();
	auto r = sock_.transact(std::move(*get), "cannot look up datapath " + name,
				[this](const nlmsghdr *nlh) -> Result<void> {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN + sizeof(ovs_header))
			return Error{ErrorCode::Parse, "short datapath reply"};
		const auto *g = static_cast<const genlmsghdr *>(nlmsg_data(const_cast<nlmsghdr *>(nlh)));
		ovs_header h;
		std::memcpy(&h, reinterpret_cast<const unsigned char *>(g) + GENL_HDRLEN, sizeof(h));
		dp_ifindex_ = h.dp_ifindex;
		return {};
	});
	if (!r)
		return r;
	if (dp_ifindex_ <= 0)
		return Error{ErrorCode::Parse, "datapath " + name + " has no ifindex"};
	return {};
}

Result<void> GenlOvsDatapath::add_port(const std::string &ifname, std::uint32_t port_no)
{
	auto msg = ovs_request(vport_family_, OVS_VPORT_CMD_NEW, OVS_VPORT_VERSION, dp_ifindex_);
	if (!msg)
		return msg.error();
	if (nla_put_string(msg->get(), OVS_VPORT_ATTR_NAME, ifname.c_str()) < 0 ||
	    nla_put_u32(msg->get(), OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV) < 0 ||
	    nla_put_u32(msg->get(), OVS_VPORT_ATTR_UPCALL_PID, 0) < 0 ||
	    nla_put_u32(msg->get(), OVS_VPORT_ATTR_PORT_NO, port_no) < 0)
		return build_error();
	return sock_.transact(std::move(*msg), "cannot add " + ifname + " to datapath " + name_);
}

Result<void> GenlOvsDatapath::add_flow(std::uint32_t in_port, const std::vector<std::uint32_t> &outputs)
{
	return put_flow(OVS_FLOW_CMD_NEW, NLM_F_CREATE, in_port, outputs);
}

Result<void> GenlOvsDatapath::set_flow(std::uint32_t in_port, const std::vector<std::uint32_t> &outputs)
{
	// The same key and mask find the flow; only its actions change.
	return put_flow(OVS_FLOW_CMD_SET, 0, in_port, outputs);
}

Result<void> GenlOvsDatapath::put_flow(std::uint8_t cmd, int flags, std::uint32_t in_port,
				       const std::vector<std::uint32_t> &outputs)
{
	auto msg = ovs_request(flow_family_, cmd, OVS_FLOW_VERSION, dp_ifindex_, flags);
	if (!msg)
		return msg.error();
	nl_msg *m = msg->get();
	const ovs_key_ethernet eth{};
	const ovs_key_ipv4 ipv4{};
	// Match in_port and "IPv4", wildcard everything else: the canaries and
	// the flood are all IPv4 frames.
	auto put_match = [&](int type, std::uint32_t port, std::uint16_t ethertype) {
		nlattr *nest = nla_nest_start(m, type);
		return nest && nla_put_u32(m, OVS_KEY_ATTR_IN_PORT, port) >= 0 &&
		       nla_put(m, OVS_KEY_ATTR_ETHERNET, sizeof(eth), &eth) >= 0 &&
		       nla_put_u16(m, OVS_KEY_ATTR_ETHERTYPE, htons(ethertype)) >= 0 &&
		       nla_put(m, OVS_KEY_ATTR_IPV4, sizeof(ipv4), &ipv4) >= 0 &&
		       nla_nest_end(m, nest) >= 0;
	};
	if (!put_match(OVS_FLOW_ATTR_KEY, in_port, 0x0800) ||
	    !put_match(OVS_FLOW_ATTR_MASK, 0xffffffff, 0xffff))
		return build_error();
	nlattr *actions = nla_nest_start(m, OVS_FLOW_ATTR_ACTIONS);
	if (!actions)
		return build_error();
	for (std::uint32_t port : outputs)
		if (nla_put_u32(m, OVS_ACTION_ATTR_OUTPUT, port) < 0)
			return build_error();
	nla_nest_end(m, actions);
	const std::string what = cmd == OVS_FLOW_CMD_SET ? "cannot change a flow of datapath "
							 : "cannot add a flow to datapath ";
	return sock_.transact(std::move(*msg), what + name_);
}

Result<std::vector<std::uint32_t>> GenlOvsDatapath::ports()
{
	auto msg = ovs_request(vport_family_, OVS_VPORT_CMD_GET, OVS_VPORT_VERSION, dp_ifindex_,
			       NLM_F_DUMP);
	if (!msg)
		return msg.error();
	std::vector<std::uint32_t> found;
	auto r = sock_.transact(std::move(*msg), "cannot list the ports of datapath " + name_,
				[&](const nlmsghdr *nlh) -> Result<void> {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN + sizeof(ovs_header))
			return Error{ErrorCode::Parse, "short vport reply"};
		const auto *g = static_cast<const genlmsghdr *>(nlmsg_data(const_cast<nlmsghdr *>(nlh)));
		ovs_header h;
		std::memcpy(&h, reinterpret_cast<const unsigned char *>(g) + GENL_HDRLEN, sizeof(h));
		// The dump is per datapath already; a stray reply must not pass for ours.
		if (h.dp_ifindex != dp_ifindex_)
			return {};
		nlattr *port = nla_find(genlmsg_attrdata(g, sizeof(ovs_header)),
					genlmsg_attrlen(g, sizeof(ovs_header)), OVS_VPORT_ATTR_PORT_NO);
		if (!port || nla_len(port) < static_cast<int>(sizeof(std::uint32_t)))
			return Error{ErrorCode::Parse, "vport reply without a port number"};
		found.push_back(nla_get_u32(port));
		return {};
	});
	if (!r)
		return r.error();
	return found;
}

Result<void> GenlOvsDatapath::destroy()
{
	if (name_.empty())
		return {};
	// By name: it works even if the ifindex lookup after creation failed.
	auto msg = ovs_request(dp_family_, OVS_DP_CMD_DEL, OVS_DATAPATH_VERSION, 0);
	if (!msg)
		return msg.error();
	if (nla_put_string(msg->get(), OVS_DP_ATTR_NAME, name_.c_str()) < 0)
		return build_error();
	auto r = sock_.transact(std::move(*msg), "cannot delete datapath " + name_);
	if (r) {
		name_.clear();
		dp_ifindex_ = 0;
	}
	return r;
}

}  // namespace txqg
