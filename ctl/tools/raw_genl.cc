#include "raw_genl.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "netlink_error.h"
#include "uapi/linux/txqguard.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace txqg {
namespace {

template <typename T>
void put_at(std::vector<std::uint8_t> &buf, std::size_t at, const T &v)
{
	std::memcpy(buf.data() + at, &v, sizeof(v));
}

}  // namespace

NlBuilder &NlBuilder::message(std::uint16_t type, std::uint16_t flags, std::uint32_t seq)
{
	finish();
	msg_ = buf_.size();
	nlmsghdr h{};
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	return raw(&h, sizeof(h));
}

NlBuilder &NlBuilder::genl(std::uint8_t cmd, std::uint8_t version)
{
	genlmsghdr g{};
	g.cmd = cmd;
	g.version = version;
	return raw(&g, sizeof(g));
}

NlBuilder &NlBuilder::attr(std::uint16_t type, const void *data, std::size_t len)
{
	nlattr a{};
	a.nla_type = type;
	// Oversized payloads wrap nla_len on purpose, as a broken sender would.
	a.nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + len);
	raw(&a, sizeof(a));
	raw(data, len);
	buf_.resize(NLA_ALIGN(buf_.size()), 0);
	return *this;
}

NlBuilder &NlBuilder::raw(const void *data, std::size_t len)
{
	const auto *p = static_cast<const std::uint8_t *>(data);
	buf_.insert(buf_.end(), p, p + len);
	return *this;
}

NlBuilder &NlBuilder::nest_begin(std::uint16_t type)
{
	nests_.push_back(buf_.size());
	nlattr a{};
	a.nla_type = type | NLA_F_NESTED;
	return raw(&a, sizeof(a));
}

NlBuilder &NlBuilder::nest_end()
{
	const std::size_t at = nests_.back();
	nests_.pop_back();
	nlattr a;
	std::memcpy(&a, buf_.data() + at, sizeof(a));
	a.nla_len = static_cast<std::uint16_t>(buf_.size() - at);
	put_at(buf_, at, a);
	return *this;
}

NlBuilder &NlBuilder::claim_length(std::uint32_t len)
{
	claimed_ = len;
	return *this;
}

NlBuilder &NlBuilder::cut(std::size_t len)
{
	finish();
	buf_.resize(std::min(len, buf_.size()));
	return *this;
}

void NlBuilder::finish()
{
	if (!msg_)
		return;
	const std::uint32_t len =
		claimed_ ? *claimed_ : static_cast<std::uint32_t>(buf_.size() - *msg_);
	put_at(buf_, *msg_ + offsetof(nlmsghdr, nlmsg_len), len);
	msg_.reset();
	claimed_.reset();
}

std::vector<std::uint8_t> NlBuilder::bytes()
{
	finish();
	return buf_;
}

Result<RawGenl> RawGenl::open()
{
	UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
	if (!fd)
		return netlink_errno_error("cannot open a generic netlink socket", errno);
	sockaddr_nl local{};
	local.nl_family = AF_NETLINK;
	if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&local), sizeof(local)) != 0)
		return netlink_errno_error("cannot bind a generic netlink socket", errno);
	// Capped: an error must not echo a 64 KiB request back at us.
	enable_extended_ack(fd.get());
	return RawGenl(std::move(fd));
}

Result<void> RawGenl::set_receive_buffer(int bytes)
{
	if (::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0)
		return {};
	if (::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) == 0)
		return {};
	return netlink_errno_error("cannot size the receive buffer", errno);
}

Result<void> RawGenl::join_group(unsigned group)
{
	if (::setsockopt(fd_.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) !=
	    0)
		return netlink_errno_error("cannot join the multicast group", errno);
	return {};
}

Result<void> RawGenl::send(const std::vector<std::uint8_t> &datagram)
{
	sockaddr_nl kernel{};
	kernel.nl_family = AF_NETLINK;
	ssize_t n = ::sendto(fd_.get(), datagram.data(), datagram.size(), 0,
			     reinterpret_cast<sockaddr *>(&kernel), sizeof(kernel));
	if (n < 0)
		return netlink_errno_error("cannot send", errno);
	if (static_cast<std::size_t>(n) != datagram.size())
		return Error{ErrorCode::Io, "short send"};
	return {};
}

void RawGenl::absorb(const std::uint8_t *data, std::size_t len,
		     std::map<std::uint32_t, Answer> &out)
{
	while (len >= NLMSG_HDRLEN) {
		nlmsghdr h;
		std::memcpy(&h, data, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len)
			return;
		const auto *nlh = reinterpret_cast<const nlmsghdr *>(data);
		Answer &a = out[h.nlmsg_seq];
		if (h.nlmsg_type == NLMSG_ERROR) {
			if (auto ack = decode_netlink_ack(nlh, h.nlmsg_len)) {
				a.acked = true;
				a.error = ack->error;
				a.extack = ack->message;
			}
		} else if (h.nlmsg_type >= NLMSG_MIN_TYPE) {
			a.replied = true;
			// Attributes after the generic header; the mode is all we read.
			std::size_t at = NLMSG_HDRLEN + GENL_HDRLEN;
			while (at + NLA_HDRLEN <= h.nlmsg_len) {
				nlattr na;
				std::memcpy(&na, data + at, sizeof(na));
				if (na.nla_len < NLA_HDRLEN || at + na.nla_len > h.nlmsg_len)
					break;
				if ((na.nla_type & NLA_TYPE_MASK) == TXQGUARD_A_MODE &&
				    na.nla_len == NLA_HDRLEN + sizeof(std::uint32_t)) {
					std::uint32_t m;
					std::memcpy(&m, data + at + NLA_HDRLEN, sizeof(m));
					a.mode = m;
				}
				at += NLA_ALIGN(na.nla_len);
			}
		}
		const std::size_t step = std::min<std::size_t>(NLMSG_ALIGN(h.nlmsg_len), len);
		data += step;
		len -= step;
	}
}

Result<std::map<std::uint32_t, Answer>> RawGenl::collect(const std::vector<std::uint32_t> &want,
							 std::chrono::milliseconds timeout)
{
	std::map<std::uint32_t, Answer> out;
	std::vector<std::uint8_t> buf(1 << 16);
	const auto deadline = std::chrono::steady_clock::now() + timeout;
	auto all_acked = [&] {
		return std::all_of(want.begin(), want.end(), [&](std::uint32_t s) {
			auto it = out.find(s);
			return it != out.end() && it->second.acked;
		});
	};
	while (want.empty() || !all_acked()) {
		const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
			deadline - std::chrono::steady_clock::now());
		if (left.count() <= 0)
			break;
		pollfd pfd{fd_.get(), POLLIN, 0};
		int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
		if (n < 0 && errno != EINTR)
			return netlink_errno_error("poll", errno);
		if (n <= 0)
			continue;
		ssize_t got = ::recv(fd_.get(), buf.data(), buf.size(), 0);
		if (got < 0) {
			if (errno == ENOBUFS) {
				overruns_++;
				continue;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return netlink_errno_error("cannot receive", errno);
		}
		absorb(buf.data(), static_cast<std::size_t>(got), out);
	}
	return out;
}

}  // namespace txqg
