#include "netlink_error.h"

#include <libmnl/libmnl.h>
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

int read_ack_attr(const nlattr *attr, void *data)
{
	auto &ack = *static_cast<NetlinkAck *>(data);
	const std::uint16_t len = mnl_attr_get_payload_len(attr);
	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG: {
		// Not mnl_attr_get_str: the text may lack its NUL, and nothing past the attribute
		// is ours to read.
		const auto *text = static_cast<const char *>(mnl_attr_get_payload(attr));
		ack.message.assign(text, strnlen(text, len));
		break;
	}
	case NLMSGERR_ATTR_OFFS:
		// Not mnl_attr_validate(MNL_TYPE_U32), which also refuses a longer attribute:
		// the first four bytes of one have always been taken.
		if (len >= sizeof(std::uint32_t))
			ack.bad_attr_offset = mnl_attr_get_u32(attr);
		break;
	default:	// NLMSGERR_ATTR_COOKIE and newer ones: nothing we report
		break;
	}
	return MNL_CB_OK;
}

}  // namespace

std::optional<NetlinkAck> decode_netlink_ack(const nlmsghdr *nlh, std::size_t len)
{
	if (len < NLMSG_HDRLEN || nlh->nlmsg_type != NLMSG_ERROR)
		return std::nullopt;
	// The header's length may claim more than was received, or less (a batch).
	len = std::min<std::size_t>(len, nlh->nlmsg_len);
	if (len < NLMSG_HDRLEN + sizeof(nlmsgerr))
		return std::nullopt;
	const auto *err = static_cast<const nlmsgerr *>(mnl_nlmsg_get_payload(nlh));

	NetlinkAck ack;
	ack.error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return ack;

	// The TLVs follow the echoed request unless the kernel capped it to its header.
	std::size_t payload = sizeof(nlmsgerr);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && err->msg.nlmsg_len >= NLMSG_HDRLEN)
		payload += err->msg.nlmsg_len - NLMSG_HDRLEN;
	const std::size_t at = NLMSG_HDRLEN + NLMSG_ALIGN(payload);
	// Not mnl_attr_parse, which walks to nlmsg_len: that may claim more than was received.
	// The walk stops at the first attribute that does not fit; the errno alone is still
	// the answer.
	if (at < len)
		(void)mnl_attr_parse_payload(reinterpret_cast<const char *>(nlh) + at, len - at,
					     read_ack_attr, &ack);
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
