#include "mnl_socket.h"

#include <libmnl/libmnl.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

#include "netlink_error.h"

namespace txqg {
namespace {

// Requests are small; a link dump entry with statistics stays under 4 KiB,
// the receive buffer leaves room for a few of them per datagram.
constexpr size_t kTxSize = 4096;
constexpr size_t kRxSize = 32768;

struct Exchange {
	const MessageHandler *handler = nullptr;
	std::optional<NetlinkAck> ack;
	std::optional<Error> handler_error;
};

int on_data(const nlmsghdr *nlh, void *data)
{
	auto *ex = static_cast<Exchange *>(data);
	if (ex->handler && *ex->handler && !ex->handler_error) {
		try {
			if (auto r = (*ex->handler)(nlh); !r)
				ex->handler_error = r.error();
		} catch (const std::exception &e) {
			ex->handler_error = Error{ErrorCode::Parse, e.what()};
		}
	}
	return MNL_CB_OK;
}

int on_error(const nlmsghdr *nlh, void *data)
{
	auto *ex = static_cast<Exchange *>(data);
	ex->ack = decode_netlink_ack(nlh, nlh->nlmsg_len);
	if (!ex->ack)
		ex->ack = NetlinkAck{-EBADMSG, "truncated error message", {}};
	// An ACK (error 0) ends the exchange as cleanly as an error does.
	return ex->ack->error ? MNL_CB_ERROR : MNL_CB_STOP;
}

int on_done(const nlmsghdr *, void *)
{
	return MNL_CB_STOP;
}

}  // namespace

void MnlSocket::Deleter::operator()(mnl_socket *sock) const
{
	mnl_socket_close(sock);
}

MnlSocket::MnlSocket(std::unique_ptr<mnl_socket, Deleter> sock, unsigned portid)
	: sock_(std::move(sock)), portid_(portid), seq_(static_cast<unsigned>(std::time(nullptr))),
	  tx_(kTxSize), rx_(kRxSize)
{
}

Result<MnlSocket> MnlSocket::open(int bus)
{
	std::unique_ptr<mnl_socket, Deleter> sock(mnl_socket_open2(bus, SOCK_CLOEXEC));
	if (!sock)
		return netlink_errno_error("cannot open a netlink socket", errno);
	if (mnl_socket_bind(sock.get(), 0, MNL_SOCKET_AUTOPID) < 0)
		return netlink_errno_error("cannot bind a netlink socket", errno);
	enable_extended_ack(mnl_socket_get_fd(sock.get()));
	unsigned portid = mnl_socket_get_portid(sock.get());
	return MnlSocket(std::move(sock), portid);
}

nlmsghdr *MnlSocket::new_request(std::uint16_t type, std::uint16_t flags)
{
	std::memset(tx_.data(), 0, tx_.size());
	nlmsghdr *nlh = mnl_nlmsg_put_header(tx_.data());
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nlh;
}

Result<void> MnlSocket::request(nlmsghdr *nlh, std::string_view what, const MessageHandler &on_reply)
{
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq_;
	if (mnl_socket_sendto(sock_.get(), nlh, nlh->nlmsg_len) < 0)
		return netlink_errno_error(what, errno);

	Exchange ex;
	ex.handler = &on_reply;
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {};
	ctl[NLMSG_ERROR] = on_error;
	ctl[NLMSG_DONE] = on_done;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sock_.get(), rx_.data(), rx_.size());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return netlink_errno_error(what, errno);
		}
		int r = mnl_cb_run2(rx_.data(), static_cast<size_t>(n), nlh->nlmsg_seq, portid_,
				    on_data, &ex, ctl, NLMSG_MIN_TYPE);
		if (r == MNL_CB_OK)
			continue;
		if (ex.ack && ex.ack->error)
			return netlink_error(what, *ex.ack);
		if (r < 0)
			return netlink_errno_error(what, errno);
		break;
	}
	if (ex.handler_error)
		return Error{ex.handler_error->code,
			     std::string(what) + ": " + ex.handler_error->message};
	return {};
}

}  // namespace txqg
