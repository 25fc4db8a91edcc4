// The module's counters, probes and events over its generic-netlink family,
// plus what only the family can do (mode changes, lethal-event notifications).
#pragma once

#include <optional>

#include "genl_socket.h"
#include "guard_control.h"
#include "stats_source.h"

namespace txqg {

class GenlStatsSource : public StatsSource, public GuardControl {
public:
	std::string_view name() const override { return "genl"; }
	Result<Stats> stats() override;
	Result<std::vector<Event>> events() override;
	Result<std::vector<Probe>> probes() override;

	Result<void> set_mode(txqguard_mode mode) override;
	Result<EventBatch> event_batch() override;
	Result<std::unique_ptr<EventStream>> subscribe_events() override;

private:
	// Opened on first use and only kept once the family was found, so a
	// module loaded by this very process is picked up. The socket stays in
	// the namespace of the thread that opened it: the family exists only in
	// the initial one, so callers touch it there first (verify does).
	Result<GenlSocket *> socket();
	Result<void> request(std::uint8_t cmd, std::string_view what, const MessageHandler &on_reply);
	template <typename T, typename Decoder>
	Result<T> fetch(std::uint8_t cmd, std::string_view what, Decoder decode);

	std::optional<GenlSocket> sock_;
	int family_ = -1;
};

}  // namespace txqg
