// What the kernel says in an NLMSG_ERROR message, extended ack included, for
// the generic-netlink (libnl) and rtnetlink (libmnl) clients alike.
#pragma once

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "result.h"

namespace txqg {

struct NetlinkAck {
	int error = 0;				// negative errno; 0 is a plain ACK
	std::string message;			// NLMSGERR_ATTR_MSG
	std::optional<std::uint32_t> bad_attr_offset;	// NLMSGERR_ATTR_OFFS
};

// nlh..nlh+len is one NLMSG_ERROR message as received. nullopt when it is
// not one or is too short to hold a struct nlmsgerr; malformed TLVs after
// it are ignored, since the errno alone is still the answer.
std::optional<NetlinkAck> decode_netlink_ack(const nlmsghdr *nlh, std::size_t len);

// "<what>: <strerror> (kernel: <extack message>)", with a hint for EPERM.
Error netlink_error(std::string_view what, const NetlinkAck &ack);
// For failures before any reply (socket, send, receive): err is an errno.
Error netlink_errno_error(std::string_view what, int err);

// Asks the kernel for extended acks, capped (no echo of our request).
void enable_extended_ack(int fd);

}  // namespace txqg
