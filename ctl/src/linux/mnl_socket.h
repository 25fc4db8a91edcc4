// A netlink socket on libmnl for rtnetlink requests, after ethtool's
// netlink/ helpers: one request at a time, replies handed to a callback,
// NLMSG_ERROR decoded with its extended ack.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "genl_socket.h"
#include "result.h"

struct mnl_socket;

namespace txqg {

class MnlSocket {
public:
	// Bound in the calling thread's network namespace.
	static Result<MnlSocket> open(int bus);

	// A buffer for building one request; valid until the next call.
	nlmsghdr *new_request(std::uint16_t type, std::uint16_t flags);
	// Sends nlh (with NLM_F_REQUEST | NLM_F_ACK) and returns once the kernel
	// acknowledged it, after handing each reply to on_reply.
	Result<void> request(nlmsghdr *nlh, std::string_view what,
			     const MessageHandler &on_reply = {});

private:
	struct Deleter {
		void operator()(mnl_socket *sock) const;
	};
	MnlSocket(std::unique_ptr<mnl_socket, Deleter> sock, unsigned portid);

	std::unique_ptr<mnl_socket, Deleter> sock_;
	unsigned portid_ = 0;
	unsigned seq_ = 0;
	std::vector<unsigned char> tx_;
	std::vector<unsigned char> rx_;
};

}  // namespace txqg
