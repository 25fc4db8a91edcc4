// Links over rtnetlink (libmnl); taps through /dev/net/tun.
#pragma once

#include "links.h"
#include "mnl_socket.h"

namespace txqg {

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

private:
	explicit RtnlLinks(MnlSocket sock) : sock_(std::move(sock)) {}
	Result<void> get_link(const std::string &name, int *ifindex, LinkStats *stats);

	MnlSocket sock_;
};

}  // namespace txqg
