#include "genl_socket.h"

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "netlink_error.h"

namespace txqg {
namespace {

// Replies are small, but GET_EVENTS carries the whole ring.
constexpr int kReceiveTimeoutSeconds = 10;

struct NlCbDeleter {
	void operator()(nl_cb *cb) const { nl_cb_put(cb); }
};
using NlCbPtr = std::unique_ptr<nl_cb, NlCbDeleter>;

struct Exchange {
	const MessageHandler *handler = nullptr;
	bool done = false;
	std::optional<NetlinkAck> ack;
	std::optional<Error> handler_error;
};

void deliver(Exchange *ex, const nlmsghdr *nlh)
{
	if (!ex->handler || !*ex->handler || ex->handler_error)
		return;
	try {
		if (auto r = (*ex->handler)(nlh); !r)
			ex->handler_error = r.error();
	} catch (const std::exception &e) {
		ex->handler_error = Error{ErrorCode::Parse, e.what()};
	}
}

int on_valid(nl_msg *msg, void *arg)
{
	deliver(static_cast<Exchange *>(arg), nlmsg_hdr(msg));
	return NL_OK;
}

// Notifications carry sequence number 0, not ours.
int accept_any_sequence(nl_msg *, void *)
{
	return NL_OK;
}

int on_ack(nl_msg *, void *arg)
{
	static_cast<Exchange *>(arg)->done = true;
	return NL_STOP;
}

int on_error(sockaddr_nl *, nlmsgerr *err, void *arg)
{
	auto *ex = static_cast<Exchange *>(arg);
	// libnl hands over the payload; the header sits right before it.
	const auto *nlh = reinterpret_cast<const nlmsghdr *>(
		reinterpret_cast<const unsigned char *>(err) - NLMSG_HDRLEN);
	ex->ack = decode_netlink_ack(nlh, nlh->nlmsg_len);
	if (!ex->ack)
		ex->ack = NetlinkAck{err->error, {}, {}};
	ex->done = true;
	return NL_STOP;
}

Error libnl_error(std::string_view what, int nlerr)
{
	if (nlerr == -NLE_PERM)
		return netlink_errno_error(what, EPERM);
	return Error{ErrorCode::Io, std::string(what) + ": " + nl_geterror(nlerr)};
}

}  // namespace

void NlSockDeleter::operator()(nl_sock *sock) const
{
	nl_socket_free(sock);
}

void NlMsgDeleter::operator()(nl_msg *msg) const
{
	nlmsg_free(msg);
}

Result<GenlSocket> GenlSocket::open()
{
	NlSockPtr sock(nl_socket_alloc());
	if (!sock)
		return Error{ErrorCode::Io, "cannot allocate a netlink socket"};
	if (int err = genl_connect(sock.get()); err < 0)
		return libnl_error("cannot open a generic netlink socket", err);
	enable_extended_ack(nl_socket_get_fd(sock.get()));
	nl_socket_enable_msg_peek(sock.get());
	timeval tv{kReceiveTimeoutSeconds, 0};
	(void)::setsockopt(nl_socket_get_fd(sock.get()), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return GenlSocket(std::move(sock));
}

int GenlSocket::fd() const
{
	return nl_socket_get_fd(sock_.get());
}

Result<int> GenlSocket::resolve_family(const std::string &family)
{
	int id = genl_ctrl_resolve(sock_.get(), family.c_str());
	if (id == -NLE_OBJ_NOTFOUND)
		return Error{ErrorCode::NotLoaded,
			     "generic netlink family " + family + " is not registered"};
	if (id < 0)
		return libnl_error("cannot look up generic netlink family " + family, id);
	return id;
}

Result<int> GenlSocket::resolve_group(const std::string &family, const std::string &group)
{
	int id = genl_ctrl_resolve_grp(sock_.get(), family.c_str(), group.c_str());
	if (id == -NLE_OBJ_NOTFOUND)
		return Error{ErrorCode::NotLoaded, "generic netlink family " + family +
			     " has no multicast group " + group};
	if (id < 0)
		return libnl_error("cannot look up multicast group " + family + "/" + group, id);
	return id;
}

Result<void> GenlSocket::join_group(int group)
{
	if (int err = nl_socket_add_membership(sock_.get(), group); err < 0)
		return libnl_error("cannot join multicast group", err);
	return {};
}

Result<NlMsgPtr> GenlSocket::new_request(int family, std::uint8_t cmd, std::uint8_t version,
					 int flags, std::size_t user_hdr_len, void **user_hdr)
{
	NlMsgPtr msg(nlmsg_alloc());
	if (!msg)
		return Error{ErrorCode::Io, "cannot allocate a netlink message"};
	void *hdr = genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family,
				static_cast<int>(user_hdr_len), flags, cmd, version);
	if (!hdr)
		return Error{ErrorCode::Io, "cannot build a netlink message"};
	if (user_hdr_len)
		std::memset(hdr, 0, user_hdr_len);
	if (user_hdr)
		*user_hdr = hdr;
	return msg;
}

Result<void> GenlSocket::transact(NlMsgPtr msg, std::string_view what,
				  const MessageHandler &on_reply)
{
	NlCbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (!cb)
		return Error{ErrorCode::Io, "cannot allocate netlink callbacks"};
	Exchange ex;
	ex.handler = &on_reply;
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
	nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_ack, &ex);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &ex);

	if (int err = nl_send_auto(sock_.get(), msg.get()); err < 0)
		return libnl_error(what, err);
	// A receive timeout makes libnl return 0 with nothing read; two in a
	// row mean the kernel is not answering.
	int idle = 0;
	while (!ex.done) {
		int err = nl_recvmsgs(sock_.get(), cb.get());
		if (ex.done)
			break;
		if (err < 0)
			return libnl_error(what, err);
		if (err == 0 && ++idle > 1)
			return Error{ErrorCode::Timeout, std::string(what) + ": no answer from the kernel"};
	}
	if (ex.ack && ex.ack->error != 0)
		return netlink_error(what, *ex.ack);
	if (ex.handler_error)
		return Error{ex.handler_error->code,
			     std::string(what) + ": " + ex.handler_error->message};
	return {};
}

Result<bool> GenlSocket::receive(std::chrono::milliseconds timeout, const MessageHandler &on_message)
{
	pollfd pfd{fd(), POLLIN, 0};
	int n = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
	if (n < 0)
		return errno == EINTR ? Result<bool>(Error{ErrorCode::Interrupted, "interrupted"})
				      : Result<bool>(netlink_errno_error("poll", errno));
	if (n == 0)
		return false;

	NlCbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (!cb)
		return Error{ErrorCode::Io, "cannot allocate netlink callbacks"};
	Exchange ex;
	ex.handler = &on_message;
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
	nl_cb_set(cb.get(), NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_sequence, nullptr);
	int err = nl_recvmsgs(sock_.get(), cb.get());
	if (err == -NLE_NOMEM) {
		// ENOBUFS: the socket overran and dropped notifications.
		deliver(&ex, nullptr);
	} else if (err < 0) {
		return libnl_error("cannot receive from generic netlink", err);
	}
	if (ex.handler_error)
		return *ex.handler_error;
	return true;
}

}  // namespace txqg
