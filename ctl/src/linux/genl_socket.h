// A generic-netlink socket on libnl-3: owned handles, family and group
// lookup, and request/reply exchanges whose failures carry the kernel's
// extended-ack message.
#pragma once

#include <linux/netlink.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "result.h"

struct nl_sock;
struct nl_msg;

namespace txqg {

struct NlSockDeleter {
	void operator()(nl_sock *sock) const;
};
struct NlMsgDeleter {
	void operator()(nl_msg *msg) const;
};
using NlSockPtr = std::unique_ptr<nl_sock, NlSockDeleter>;
using NlMsgPtr = std::unique_ptr<nl_msg, NlMsgDeleter>;

// Called with each message the kernel sends back; nullptr after the socket
// overran, when messages were lost.
using MessageHandler = std::function<Result<void>(const nlmsghdr *)>;

class GenlSocket {
public:
	// The socket belongs to the calling thread's network namespace for good.
	static Result<GenlSocket> open();

	// NotLoaded when the family is not registered in this namespace.
	Result<int> resolve_family(const std::string &family);
	Result<int> resolve_group(const std::string &family, const std::string &group);
	// For listeners; receive() takes what the group sends.
	Result<void> join_group(int group);

	// A request with user_hdr_len zeroed bytes of family header after the
	// generic header (struct ovs_header, say), returned through user_hdr.
	static Result<NlMsgPtr> new_request(int family, std::uint8_t cmd, std::uint8_t version,
					    int flags = 0, std::size_t user_hdr_len = 0,
					    void **user_hdr = nullptr);

	// Sends msg, hands each reply to on_reply and returns once the kernel
	// acknowledged it; what names the request in errors.
	Result<void> transact(NlMsgPtr msg, std::string_view what,
			      const MessageHandler &on_reply = {});

	// Waits up to timeout for messages (multicast), handing each to
	// on_message. false on timeout; Interrupted when a signal came.
	Result<bool> receive(std::chrono::milliseconds timeout, const MessageHandler &on_message);

	int fd() const;

private:
	explicit GenlSocket(NlSockPtr sock) : sock_(std::move(sock)) {}
	NlSockPtr sock_;
};

}  // namespace txqg
