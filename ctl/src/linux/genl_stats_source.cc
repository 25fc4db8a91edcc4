#include "genl_stats_source.h"

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "genl_decode.h"

namespace txqg {
namespace {

const std::string kFamily = TXQGUARD_GENL_NAME;

Error family_absent()
{
	return Error{ErrorCode::NotLoaded,
		     "txqguard's generic netlink family is not registered here "
		     "(module not loaded, too old, or not the initial network namespace)"};
}

class GenlEventStream : public EventStream {
public:
	explicit GenlEventStream(GenlSocket sock) : sock_(std::move(sock)) {}

	Result<bool> wait(std::chrono::milliseconds timeout) override
	{
		bool nudged = false;
		auto r = sock_.receive(timeout, [&nudged](const nlmsghdr *nlh) -> Result<void> {
			// nullptr: notifications were lost, which is news too.
			if (!nlh || decode_genl_events_total(nlh))
				nudged = true;
			return {};
		});
		if (!r)
			return r.error();
		return nudged;
	}

private:
	GenlSocket sock_;
};

}  // namespace

Result<GenlSocket *> GenlStatsSource::socket()
{
	if (sock_)
		return &*sock_;
	auto sock = GenlSocket::open();
	if (!sock)
		return sock.error();
	auto id = sock->resolve_family(kFamily);
	if (!id)
		return id.error().code == ErrorCode::NotLoaded ? family_absent() : id.error();
	family_ = *id;
	sock_.emplace(std::move(*sock));
	return &*sock_;
}

Result<void> GenlStatsSource::request(std::uint8_t cmd, std::string_view what,
				      const MessageHandler &on_reply)
{
	auto sock = socket();
	if (!sock)
		return sock.error();
	auto msg = GenlSocket::new_request(family_, cmd, TXQGUARD_GENL_VERSION);
	if (!msg)
		return msg.error();
	return (*sock)->transact(std::move(*msg), what, on_reply);
}

template <typename T, typename Decoder>
Result<T> GenlStatsSource::fetch(std::uint8_t cmd, std::string_view what, Decoder decode)
{
	std::optional<Result<T>> out;
	auto r = request(cmd, what, [&](const nlmsghdr *nlh) -> Result<void> {
		out.emplace(decode(nlh));
		return {};
	});
	if (!r)
		return r.error();
	if (!out)
		return Error{ErrorCode::Parse, std::string(what) + ": no reply"};
	return std::move(*out);
}

Result<Stats> GenlStatsSource::stats()
{
	return fetch<Stats>(TXQGUARD_CMD_GET_STATS,
			    "cannot read txqguard's counters over generic netlink",
			    decode_genl_stats);
}

Result<std::vector<Probe>> GenlStatsSource::probes()
{
	return fetch<std::vector<Probe>>(TXQGUARD_CMD_GET_PROBES,
					 "cannot read txqguard's probes over generic netlink",
					 decode_genl_probes);
}

Result<EventBatch> GenlStatsSource::event_batch()
{
	return fetch<EventBatch>(TXQGUARD_CMD_GET_EVENTS,
				 "cannot read txqguard's events over generic netlink",
				 decode_genl_events);
}

Result<std::vector<Event>> GenlStatsSource::events()
{
	auto batch = event_batch();
	if (!batch)
		return batch.error();
	return std::move(batch->events);
}

Result<void> GenlStatsSource::set_mode(txqguard_mode mode)
{
	auto sock = socket();
	if (!sock)
		return sock.error();
	auto msg = GenlSocket::new_request(family_, TXQGUARD_CMD_SET_MODE, TXQGUARD_GENL_VERSION);
	if (!msg)
		return msg.error();
	if (nla_put_u32(msg->get(), TXQGUARD_A_MODE, mode) < 0)
		return Error{ErrorCode::Io, "cannot build the set-mode request"};
	return (*sock)->transact(std::move(*msg), "cannot change txqguard's mode over generic netlink");
}

Result<std::unique_ptr<EventStream>> GenlStatsSource::subscribe_events()
{
	auto sock = GenlSocket::open();
	if (!sock)
		return sock.error();
	auto group = sock->resolve_group(kFamily, TXQGUARD_GENL_MCGRP_EVENTS);
	if (!group)
		return group.error().code == ErrorCode::NotLoaded ? family_absent() : group.error();
	if (auto r = sock->join_group(*group); !r)
		return r.error();
	return std::unique_ptr<EventStream>(std::make_unique<GenlEventStream>(std::move(*sock)));
}

}  // namespace txqg
