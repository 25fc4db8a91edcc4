#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "fake_host.h"
#include "netlink_mocks.h"

namespace txqg::testing {
namespace {

using ::testing::_;
using ::testing::Return;

Event named(const std::string &ifname)
{
	Event e;
	e.guard = TXQGUARD_GUARD_OVS_OUTPUT;
	e.action = TXQGUARD_ACTION_DROPPED;
	e.ifname = ifname;
	return e;
}

EventBatch batch(std::uint64_t total, std::vector<std::string> names)
{
	EventBatch b{total, {}};
	for (auto &n : names)
		b.events.push_back(named(n));
	return b;
}

struct FollowEvents : ::testing::Test {
	FakeHost host;
	::testing::NiceMock<MockGuardControl> control;
	MockEventStream *stream = nullptr;
	std::chrono::steady_clock::time_point clock{};
	bool caught = false;

	FollowEvents()
	{
		host.module_loaded();
		host.env.control = &control;
		host.env.catch_interrupts = [this] { caught = true; };
		// Each look at the clock is half a second later.
		host.env.now = [this] { return clock += std::chrono::milliseconds(500); };
		ON_CALL(control, subscribe_events()).WillByDefault([this] {
			auto s = std::make_unique<::testing::NiceMock<MockEventStream>>();
			stream = s.get();
			ON_CALL(*s, wait(_)).WillByDefault(Return(Result<bool>(true)));
			return Result<std::unique_ptr<EventStream>>(std::unique_ptr<EventStream>(std::move(s)));
		});
	}
};

TEST_F(FollowEvents, PrintsOnlyNewHazardsAndStopsAtCount)
{
	EXPECT_CALL(control, event_batch())
		.WillOnce(Return(Result<EventBatch>(batch(3, {"old1", "old2", "old3"}))))
		.WillOnce(Return(Result<EventBatch>(batch(3, {"old1", "old2", "old3"}))))
		.WillOnce(Return(Result<EventBatch>(batch(5, {"old1", "old2", "old3", "new4", "new5"}))));
	EXPECT_EQ(host.run({"events", "--follow", "--count", "2"}), kExitOk) << host.err();
	const std::string out = host.out();
	EXPECT_EQ(out.find("old"), std::string::npos) << out;
	EXPECT_NE(out.find("ifname=new4"), std::string::npos) << out;
	EXPECT_NE(out.find("ifname=new5"), std::string::npos) << out;
	EXPECT_TRUE(caught);
}

TEST_F(FollowEvents, CountCutsABatch)
{
	EXPECT_CALL(control, event_batch())
		.WillOnce(Return(Result<EventBatch>(batch(0, {}))))
		.WillOnce(Return(Result<EventBatch>(batch(3, {"a", "b", "c"}))));
	EXPECT_EQ(host.run({"events", "--follow", "--count", "1"}), kExitOk);
	EXPECT_NE(host.out().find("ifname=a "), std::string::npos) << host.out();
	EXPECT_EQ(host.out().find("ifname=b"), std::string::npos);
}

TEST_F(FollowEvents, TimeoutBeforeCountIsAFailure)
{
	ON_CALL(control, event_batch()).WillByDefault(Return(Result<EventBatch>(batch(9, {"x"}))));
	EXPECT_EQ(host.run({"events", "--follow", "--count", "1", "--timeout", "2"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: saw 0 of 1 events before the timeout\n");
	EXPECT_EQ(host.out(), "");
}

TEST_F(FollowEvents, TimeoutWithoutCountIsFine)
{
	ON_CALL(control, event_batch()).WillByDefault(Return(Result<EventBatch>(batch(0, {}))));
	EXPECT_EQ(host.run({"events", "--follow", "--timeout", "1.5"}), kExitOk);
}

TEST_F(FollowEvents, OverwrittenEventsAreReported)
{
	std::vector<std::string> ring(64, "r");
	EXPECT_CALL(control, event_batch())
		.WillOnce(Return(Result<EventBatch>(batch(0, {}))))
		.WillRepeatedly(Return(Result<EventBatch>(batch(100, ring))));
	EXPECT_EQ(host.run({"events", "--follow", "--count", "100", "--timeout", "3"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: 36 events were overwritten before they could be read\n"
			      "txqguardctl: saw 64 of 100 events before the timeout\n");
}

TEST_F(FollowEvents, OverwrittenBeyondTheCountIsNoNews)
{
	std::vector<std::string> ring(64, "r");
	EXPECT_CALL(control, event_batch())
		.WillOnce(Return(Result<EventBatch>(batch(0, {}))))
		.WillOnce(Return(Result<EventBatch>(batch(100, ring))));
	EXPECT_EQ(host.run({"events", "--follow", "--count", "1"}), kExitOk);
	EXPECT_EQ(host.err(), "");
	EXPECT_EQ(host.out().find("ifname=r"), host.out().rfind("ifname=r"));
}

TEST_F(FollowEvents, JsonIsOneObjectPerLine)
{
	EXPECT_CALL(control, event_batch())
		.WillOnce(Return(Result<EventBatch>(batch(1, {"a"}))))
		.WillOnce(Return(Result<EventBatch>(batch(3, {"a", "b", "c"}))));
	EXPECT_EQ(host.run({"events", "--follow", "--json", "--count", "2"}), kExitOk);
	std::istringstream lines(host.out());
	std::string line;
	std::vector<std::string> names;
	while (std::getline(lines, line))
		names.push_back(nlohmann::json::parse(line)["ifname"]);
	EXPECT_EQ(names, (std::vector<std::string>{"b", "c"}));
}

TEST_F(FollowEvents, InterruptEndsQuietly)
{
	ON_CALL(control, event_batch()).WillByDefault(Return(Result<EventBatch>(batch(0, {}))));
	ON_CALL(control, subscribe_events()).WillByDefault([] {
		auto s = std::make_unique<::testing::NiceMock<MockEventStream>>();
		ON_CALL(*s, wait(_)).WillByDefault(Return(Result<bool>(Error{ErrorCode::Interrupted, "interrupted"})));
		return Result<std::unique_ptr<EventStream>>(std::unique_ptr<EventStream>(std::move(s)));
	});
	EXPECT_EQ(host.run({"events", "--follow"}), kExitOk);
	EXPECT_EQ(host.err(), "");
}

TEST_F(FollowEvents, NeedsTheFamily)
{
	host.env.control = nullptr;
	EXPECT_EQ(host.run({"events", "--follow"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: following events needs txqguard's generic netlink family\n");
}

TEST_F(FollowEvents, FamilyAbsentIsOneLine)
{
	ON_CALL(control, subscribe_events()).WillByDefault([] {
		return Result<std::unique_ptr<EventStream>>(Error{ErrorCode::NotLoaded,
			"txqguard's generic netlink family is not registered (module not loaded)"});
	});
	EXPECT_EQ(host.run({"events", "--follow"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot follow events: txqguard's generic netlink family "
			      "is not registered (module not loaded)\n");
}

TEST_F(FollowEvents, CountAndTimeoutNeedFollow)
{
	EXPECT_EQ(host.run({"events", "--count", "1"}), kExitUsage);
	EXPECT_EQ(host.run({"events", "--timeout", "3"}), kExitUsage);
	EXPECT_EQ(host.run({"events", "--follow", "--count", "0"}), kExitUsage);
}

TEST(SetModeOverGenl, UsesTheFamilyWhenPresent)
{
	FakeHost host;
	host.module_loaded();
	::testing::NiceMock<MockGuardControl> control;
	host.env.control = &control;
	std::string mode = "enforce";
	ON_CALL(host.params, mode()).WillByDefault([&mode] { return Result<std::string>(mode); });
	EXPECT_CALL(control, set_mode(TXQGUARD_MODE_DETECT)).WillOnce([&mode](txqguard_mode) {
		mode = "detect";
		return Result<void>();
	});
	EXPECT_CALL(host.params, set_mode(_)).Times(0);
	EXPECT_EQ(host.run({"set-mode", "detect"}), kExitOk);
	EXPECT_EQ(host.out(), "mode enforce -> detect\n");
}

TEST(SetModeOverGenl, FallsBackToSysfsWithoutTheFamily)
{
	FakeHost host;
	host.module_loaded();
	::testing::NiceMock<MockGuardControl> control;
	host.env.control = &control;
	std::string mode = "enforce";
	ON_CALL(host.params, mode()).WillByDefault([&mode] { return Result<std::string>(mode); });
	EXPECT_CALL(control, set_mode(_))
		.WillOnce(Return(Result<void>(Error{ErrorCode::NotLoaded, "family absent"})));
	EXPECT_CALL(host.params, set_mode(std::string_view("off"))).WillOnce([&mode](std::string_view) {
		mode = "off";
		return Result<void>();
	});
	EXPECT_EQ(host.run({"set-mode", "off"}), kExitOk) << host.err();
}

TEST(SetModeOverGenl, KernelRefusalIsOneLineWithItsMessage)
{
	FakeHost host;
	host.module_loaded();
	::testing::NiceMock<MockGuardControl> control;
	host.env.control = &control;
	EXPECT_CALL(control, set_mode(_))
		.WillOnce(Return(Result<void>(Error{ErrorCode::Invalid,
			"cannot change txqguard's mode over generic netlink: Invalid argument (kernel: integer out of range)"})));
	EXPECT_CALL(host.params, set_mode(_)).Times(0);
	EXPECT_EQ(host.run({"set-mode", "detect"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot change txqguard's mode over generic netlink: Invalid argument "
			      "(kernel: integer out of range)\n");
}

}  // namespace
}  // namespace txqg::testing
