#include "netlink_error.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "file_io.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace txqg {
namespace {

std::string with_hint(int err, std::string msg)
{
	if ((err == EPERM || err == EACCES) && ::geteuid() != 0)
		msg += " (run as root)";
	return msg;
}

}  // namespace

std::optional<NetlinkAck> decode_netlink_ack(const nlmsghdr *nlh, std::size_t len)
{
	if (len < NLMSG_HDRLEN || nlh->nlmsg_type != NLMSG_ERROR)
		return std::nullopt;
	len = std::min<std::size_t>(len, nlh->nlmsg_len);
	if (len < NLMSG_HDRLEN + sizeof(nlmsgerr))
		return std::nullopt;
	const auto *base = reinterpret_cast<const unsigned char *>(nlh);
	nlmsgerr err;
	std::memcpy(&err, base + NLMSG_HDRLEN, sizeof(err));

	NetlinkAck ack;
	ack.error = err.error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return ack;

	std::size_t payload = sizeof(nlmsgerr);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && err.msg.nlmsg_len >= NLMSG_HDRLEN)
		payload += err.msg.nlmsg_len - NLMSG_HDRLEN;
	std::size_t at = NLMSG_HDRLEN + NLMSG_ALIGN(payload);
	while (at + sizeof(nlattr) <= len) {
		nlattr a;
		std::memcpy(&a, base + at, sizeof(a));
		if (a.nla_len < sizeof(nlattr) || at + a.nla_len > len)
			break;
		const unsigned char *data = base + at + NLA_HDRLEN;
		std::size_t data_len = a.nla_len - NLA_HDRLEN;
		switch (a.nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			ack.message.assign(reinterpret_cast<const char *>(data),
					   strnlen(reinterpret_cast<const char *>(data), data_len));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (data_len >= sizeof(std::uint32_t)) {
				std::uint32_t off;
				std::memcpy(&off, data, sizeof(off));
				ack.bad_attr_offset = off;
			}
			break;
		default:
			break;
		}
		at += NLA_ALIGN(a.nla_len);
	}
	return ack;
}

Error netlink_error(std::string_view what, const NetlinkAck &ack)
{
	// Any int can arrive in the error field, and INT_MIN has no negation.
	const int err = ack.error == INT_MIN ? INT_MAX : std::abs(ack.error);
	std::string msg = std::string(what) + ": " + std::strerror(err);
	if (!ack.message.empty())
		msg += " (kernel: " + ack.message + ")";
	return Error{error_code_from_errno(err), with_hint(err, std::move(msg))};
}

Error netlink_errno_error(std::string_view what, int err)
{
	return Error{error_code_from_errno(err),
		     with_hint(err, std::string(what) + ": " + std::strerror(err))};
}

void enable_extended_ack(int fd)
{
	int one = 1;
	// Older kernels lack these options; the errno alone is then the answer.
	(void)::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

}  // namespace txqg
