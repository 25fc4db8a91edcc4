// gmock fakes of the netlink-facing interfaces: the txqguard family, the
// link socket, the OVS datapath and the private namespace around them.
#pragma once

#include <gmock/gmock.h>

#include <functional>

#include "guard_control.h"
#include "links.h"
#include "ovs_datapath.h"
#include "sandbox.h"
#include "selftest_hooks.h"
#include "stats_source.h"

namespace txqg::testing {

class MockStatsSource : public StatsSource {
public:
	MOCK_METHOD(std::string_view, name, (), (const, override));
	MOCK_METHOD(Result<Stats>, stats, (), (override));
	MOCK_METHOD(Result<std::vector<Event>>, events, (), (override));
	MOCK_METHOD(Result<std::vector<Probe>>, probes, (), (override));
};

class MockGuardControl : public GuardControl {
public:
	MOCK_METHOD(Result<void>, set_mode, (txqguard_mode mode), (override));
	MOCK_METHOD(Result<EventBatch>, event_batch, (), (override));
	MOCK_METHOD(Result<std::unique_ptr<EventStream>>, subscribe_events, (), (override));
};

class MockEventStream : public EventStream {
public:
	MOCK_METHOD(Result<bool>, wait, (std::chrono::milliseconds timeout), (override));
};

class MockTap : public Tap {
public:
	MOCK_METHOD(Result<void>, write_frame, (std::span<const std::uint8_t> frame), (override));
	MOCK_METHOD(void, destroyed, ());
	~MockTap() override { destroyed(); }
};

class MockLinks : public Links {
public:
	MOCK_METHOD(Result<void>, create_veth,
		    (const std::string &name, const std::string &peer, unsigned tx_queues), (override));
	MOCK_METHOD(Result<void>, create_dummy, (const std::string &name), (override));
	MOCK_METHOD(Result<std::unique_ptr<Tap>>, create_tap, (const std::string &name), (override));
	MOCK_METHOD(Result<void>, set_up, (const std::string &name, bool up), (override));
	MOCK_METHOD(Result<void>, remove, (const std::string &name), (override));
	MOCK_METHOD(Result<int>, ifindex, (const std::string &name), (override));
	MOCK_METHOD(Result<LinkStats>, stats, (const std::string &name), (override));
};

class MockOvsDatapath : public OvsDatapath {
public:
	MOCK_METHOD(Result<void>, create, (const std::string &name), (override));
	MOCK_METHOD(Result<void>, add_port, (const std::string &ifname, std::uint32_t port_no),
		    (override));
	MOCK_METHOD(Result<void>, add_flow,
		    (std::uint32_t in_port, const std::vector<std::uint32_t> &outputs), (override));
	MOCK_METHOD(Result<void>, destroy, (), (override));
};

class MockSelftestHooks : public SelftestHooks {
public:
	MOCK_METHOD(Result<void>, watch_kernel_log, (), (override));
	MOCK_METHOD(Result<void>, hold_ovs_lock, (std::chrono::milliseconds hold), (override));
	MOCK_METHOD(Result<void>, wait_hold_taken, (std::chrono::milliseconds timeout), (override));
};

// A namespace made of mocks: body runs in the caller's thread.
class FakeSandbox : public Sandbox {
public:
	static constexpr std::uint32_t kNetnsIno = 4026532500u;

	FakeSandbox();
	Result<void> run(const std::function<void(Lab &)> &body) override;

	::testing::NiceMock<MockLinks> links;
	::testing::NiceMock<MockOvsDatapath> ovs;
	// What open_links() hands out (once).
	std::unique_ptr<::testing::NiceMock<MockLinks>> second_links =
		std::make_unique<::testing::NiceMock<MockLinks>>();
	MockTap *last_tap = nullptr;
	int taps_alive = 0;
	int runs = 0;
	std::optional<Error> setup_error;	// run() fails before body
};

}  // namespace txqg::testing
