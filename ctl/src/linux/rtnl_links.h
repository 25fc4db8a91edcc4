// Links over rtnetlink (libmnl); taps through /dev/net/tun.
#pragma once

#include "links.h"
#include "mnl_socket.h"

namespace txqg {

// A veth pair beyond its names.
struct VethOptions {
	unsigned tx_queues = 1;		// on both ends
	// This end comes up in the same request. The peer cannot: veth opens
	// it before the two are paired (ENOTCONN); set it up in its namespace.
	bool up = false;
	int peer_netns_fd = -1;		// the peer is created in that namespace
};

class RtnlLinks : public Links {
public:
	// The socket, and so every link it touches, is in the calling thread's
	// network namespace.
	static Result<std::unique_ptr<RtnlLinks>> open();

	Result<void> create_veth(const std::string &name, const std::string &peer,
				 unsigned tx_queues) override;
	Result<void> create_dummy(const std::string &name) override;
	Result<std::unique_ptr<Tap>> create_tap(const std::string &name) override;
	Result<void> set_up(const std::string &name, bool up) override;
	Result<void> remove(const std::string &name) override;
	Result<int> ifindex(const std::string &name) override;
	Result<LinkStats> stats(const std::string &name) override;

	// One RTM_NEWLINK for the pair: what `ip link add NAME up numtxqueues Q
	// type veth peer name PEER netns NS` sends.
	Result<void> create_veth_pair(const std::string &name, const std::string &peer,
				      const VethOptions &opts);

private:
	explicit RtnlLinks(MnlSocket sock) : sock_(std::move(sock)) {}
	Result<void> get_link(const std::string &name, int *ifindex, LinkStats *stats);

	MnlSocket sock_;
};

}  // namespace txqg
