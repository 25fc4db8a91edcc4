#include "rtnl_links.h"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "file_io.h"
#include "netlink_error.h"
#include "unique_fd.h"

namespace txqg {
namespace {

ifinfomsg *put_ifinfo(nlmsghdr *nlh)
{
	auto *ifi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
	ifi->ifi_family = AF_UNSPEC;
	return ifi;
}

Result<void> check_name(const std::string &name)
{
	if (name.empty() || name.size() >= IFNAMSIZ)
		return Error{ErrorCode::Invalid, "bad interface name '" + name + "'"};
	return {};
}

class FdTap : public Tap {
public:
	FdTap(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {}

	Result<void> write_frame(std::span<const std::uint8_t> frame) override
	{
		ssize_t n = ::write(fd_.get(), frame.data(), frame.size());
		if (n < 0)
			return errno_error(errno, "cannot write a frame into " + name_);
		if (static_cast<size_t>(n) != frame.size())
			return Error{ErrorCode::Io, "short write into " + name_};
		return {};
	}

private:
	UniqueFd fd_;
	std::string name_;
};

}  // namespace

Result<std::unique_ptr<RtnlLinks>> RtnlLinks::open()
{
	auto sock = MnlSocket::open(NETLINK_ROUTE);
	if (!sock)
		return sock.error();
	return std::unique_ptr<RtnlLinks>(new RtnlLinks(std::move(*sock)));
}

Result<void> RtnlLinks::create_veth(const std::string &name, const std::string &peer,
				    unsigned tx_queues)
{
	return create_veth_pair(name, peer, VethOptions{.tx_queues = tx_queues});
}

Result<void> RtnlLinks::create_veth_pair(const std::string &name, const std::string &peer,
					 const VethOptions &opts)
{
	if (auto r = check_name(name); !r)
		return r;
	if (auto r = check_name(peer); !r)
		return r;
	nlmsghdr *nlh = sock_.new_request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifinfomsg *ifi = put_ifinfo(nlh);
	if (opts.up) {
		// Only the up flag is meant, as `ip link add ... up` says.
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, opts.tx_queues);
	nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	nlattr *peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	// The peer's attributes follow its own struct ifinfomsg.
	std::memset(mnl_nlmsg_get_payload_tail(nlh), 0, MNL_ALIGN(sizeof(ifinfomsg)));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.c_str());
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, opts.tx_queues);
	if (opts.peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<std::uint32_t>(opts.peer_netns_fd));
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return sock_.request(nlh, "cannot create veth " + name);
}

Result<void> RtnlLinks::create_dummy(const std::string &name)
{
	if (auto r = check_name(name); !r)
		return r;
	nlmsghdr *nlh = sock_.new_request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	put_ifinfo(nlh);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
	nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "dummy");
	mnl_attr_nest_end(nlh, info);
	return sock_.request(nlh, "cannot create dummy " + name);
}

Result<std::unique_ptr<Tap>> RtnlLinks::create_tap(const std::string &name)
{
	if (auto r = check_name(name); !r)
		return r.error();
	UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK));
	if (!fd)
		return errno_error(errno, "cannot open /dev/net/tun");
	ifreq ifr{};
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	std::memcpy(ifr.ifr_name, name.c_str(), name.size());
	if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0)
		return errno_error(errno, "cannot create tap " + name);
	return std::unique_ptr<Tap>(std::make_unique<FdTap>(std::move(fd), name));
}

Result<void> RtnlLinks::set_up(const std::string &name, bool up)
{
	if (auto r = check_name(name); !r)
		return r;
	nlmsghdr *nlh = sock_.new_request(RTM_NEWLINK, 0);
	ifinfomsg *ifi = put_ifinfo(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
	return sock_.request(nlh, std::string("cannot set ") + name + (up ? " up" : " down"));
}

Result<void> RtnlLinks::remove(const std::string &name)
{
	if (auto r = check_name(name); !r)
		return r;
	nlmsghdr *nlh = sock_.new_request(RTM_DELLINK, 0);
	put_ifinfo(nlh);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
	return sock_.request(nlh, "cannot delete " + name);
}

Result<void> RtnlLinks::get_link(const std::string &name, int *ifindex, LinkStats *stats)
{
	if (auto r = check_name(name); !r)
		return r;
	nlmsghdr *nlh = sock_.new_request(RTM_GETLINK, 0);
	put_ifinfo(nlh);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
	bool found = false, have_stats = false;
	auto r = sock_.request(nlh, "cannot read link " + name, [&](const nlmsghdr *reply) -> Result<void> {
		if (reply->nlmsg_type != RTM_NEWLINK)
			return {};
		const auto *ifi = static_cast<const ifinfomsg *>(mnl_nlmsg_get_payload(reply));
		found = true;
		if (ifindex)
			*ifindex = ifi->ifi_index;
		const auto *tail = static_cast<const char *>(mnl_nlmsg_get_payload_tail(reply));
		for (auto *a = static_cast<const nlattr *>(mnl_nlmsg_get_payload_offset(reply, sizeof(ifinfomsg)));
		     mnl_attr_ok(a, static_cast<int>(tail - reinterpret_cast<const char *>(a)));
		     a = mnl_attr_next(a)) {
			if (mnl_attr_get_type(a) != IFLA_STATS64 || !stats)
				continue;
			rtnl_link_stats64 s{};
			std::memcpy(&s, mnl_attr_get_payload(a),
				    std::min<size_t>(sizeof(s), mnl_attr_get_payload_len(a)));
			stats->rx_packets = s.rx_packets;
			stats->tx_packets = s.tx_packets;
			stats->rx_dropped = s.rx_dropped;
			stats->tx_dropped = s.tx_dropped;
			have_stats = true;
		}
		return {};
	});
	if (!r)
		return r;
	if (!found)
		return Error{ErrorCode::NotFound, "no link " + name};
	if (stats && !have_stats)
		return Error{ErrorCode::Parse, "link " + name + " came without statistics"};
	return {};
}

Result<int> RtnlLinks::ifindex(const std::string &name)
{
	int idx = 0;
	if (auto r = get_link(name, &idx, nullptr); !r)
		return r.error();
	return idx;
}

Result<LinkStats> RtnlLinks::stats(const std::string &name)
{
	LinkStats s;
	if (auto r = get_link(name, nullptr, &s); !r)
		return r.error();
	return s;
}

}  // namespace txqg
