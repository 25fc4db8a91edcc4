#include <gtest/gtest.h>

#include "events.h"
#include "fake_host.h"
#include "ifname.h"

namespace txqg {
namespace {

TEST(ParseEvents, ReadsEveryField)
{
	auto evs = parse_events(testing::kEventsText);
	ASSERT_TRUE(evs.ok()) << evs.error().message;
	ASSERT_EQ(evs->size(), 1u);
	const Event &e = evs->front();
	EXPECT_EQ(e.time_sec, 1795412345u);
	EXPECT_EQ(e.time_nsec, 123456789u);
	EXPECT_EQ(e.cpu, 0u);
	EXPECT_EQ(e.guard, TXQGUARD_GUARD_OVS_OUTPUT);
	EXPECT_EQ(e.ifname, "vdie");
	EXPECT_EQ(e.ifindex, 6);
	EXPECT_EQ(e.netns, 4026531992u);
	EXPECT_EQ(e.reg_state, 1u);
	EXPECT_EQ(e.real_num_tx_queues, 1u);
	EXPECT_FALSE(e.running);
	EXPECT_FALSE(e.carrier);
	EXPECT_EQ(e.action, TXQGUARD_ACTION_DROPPED);
	EXPECT_EQ(event_time_string(e), "1795412345.123456789");
	EXPECT_EQ(event_time_iso(e), "2026-11-23T05:39:05.123456789Z");
}

TEST(ParseEvents, EmptyFileHasNoEvents)
{
	auto evs = parse_events("");
	ASSERT_TRUE(evs.ok());
	EXPECT_TRUE(evs->empty());
}

TEST(ParseEvents, KeepsOrderAndToleratesNewKeys)
{
	std::string two = std::string(testing::kEventsText) +
			  "time=1795412346.000000001 cpu=3 guard=txhash ifname=eth0 ifindex=2 "
			  "netns=1 reg_state=2 real_num_tx_queues=0 running=1 carrier=1 "
			  "action=rxq_cleared newkey=whatever\n";
	auto evs = parse_events(two);
	ASSERT_TRUE(evs.ok()) << evs.error().message;
	ASSERT_EQ(evs->size(), 2u);
	EXPECT_EQ((*evs)[1].guard, TXQGUARD_GUARD_TXHASH);
	EXPECT_EQ((*evs)[1].action, TXQGUARD_ACTION_RXQ_CLEARED);
	EXPECT_EQ((*evs)[1].time_nsec, 1u);
	EXPECT_TRUE((*evs)[1].running);
}

std::string event_with_ifname(const std::string &ifname)
{
	std::string line = testing::kEventsText;
	line.replace(line.find("ifname=vdie"), 11, "ifname=" + ifname);
	return line;
}

TEST(ParseEvents, UndoesKernelOctalAndSpecialEscapes)
{
	auto evs = parse_events(event_with_ifname(R"(a\001b\ec\177)"));
	ASSERT_TRUE(evs.ok()) << evs.error().message;
	EXPECT_EQ(evs->front().ifname, std::string("a\x01" "b\x1b" "c\x7f"));
	EXPECT_EQ(escape_ifname(evs->front().ifname), R"(a\001b\033c\177)");
}

TEST(ParseEvents, IfnameMayHoldEqualsAndLoneBackslash)
{
	auto evs = parse_events(event_with_ifname(R"(x=y\q)"));
	ASSERT_TRUE(evs.ok()) << evs.error().message;
	EXPECT_EQ(evs->front().ifname, "x=y\\q");
	// Backslash is escaped on the way out so the output is unambiguous.
	EXPECT_EQ(escape_ifname(evs->front().ifname), R"(x=y\134q)");
}

TEST(ParseEvents, HighBytesPassThroughAndAreEscapedOnOutput)
{
	auto evs = parse_events(event_with_ifname("caf\xc3\xa9"));
	ASSERT_TRUE(evs.ok());
	EXPECT_EQ(evs->front().ifname, "caf\xc3\xa9");
	EXPECT_EQ(escape_ifname(evs->front().ifname), R"(caf\303\251)");
}

TEST(Ifname, EscapeRoundTripsThroughKernelUnescape)
{
	std::string all;
	for (int c = 1; c < 256; c++)
		all += static_cast<char>(c);
	EXPECT_EQ(unescape_kernel_string(escape_ifname(all)), all);
}

struct BadEvent {
	const char *name;
	std::string from, to;
	const char *expect_in_message;
};

std::ostream &operator<<(std::ostream &os, const BadEvent &c)
{
	return os << c.name;
}

class ParseEventsMalformed : public ::testing::TestWithParam<BadEvent> {};

TEST_P(ParseEventsMalformed, IsAParseError)
{
	const BadEvent &c = GetParam();
	std::string text = testing::kEventsText;
	size_t at = text.find(c.from);
	ASSERT_NE(at, std::string::npos);
	text.replace(at, c.from.size(), c.to);
	auto evs = parse_events(text);
	ASSERT_FALSE(evs.ok());
	EXPECT_EQ(evs.error().code, ErrorCode::Parse);
	EXPECT_NE(evs.error().message.find(c.expect_in_message), std::string::npos)
		<< evs.error().message;
}

INSTANTIATE_TEST_SUITE_P(
	Cases, ParseEventsMalformed,
	::testing::Values(
		BadEvent{"MissingAction", " action=dropped", "", "action: missing"},
		BadEvent{"UnknownGuard", "guard=ovs_output", "guard=bpf", "unknown guard"},
		BadEvent{"UnknownAction", "action=dropped", "action=shrugged", "unknown action"},
		BadEvent{"NotKeyValue", "cpu=0", "cpu0", "expected key=value"},
		BadEvent{"BadNumber", "ifindex=6", "ifindex=six", "ifindex: not a number"},
		BadEvent{"BadFlag", "running=0", "running=2", "running: not 0 or 1"},
		BadEvent{"BadTime", "time=1795412345.123456789", "time=1795412345",
			 "seconds.nanoseconds"},
		BadEvent{"ShortNanos", "time=1795412345.123456789", "time=1795412345.12",
			 "seconds.nanoseconds"},
		BadEvent{"Duplicate", "cpu=0", "cpu=0 cpu=1", "duplicate key"},
		BadEvent{"IfnameTooLong", "ifname=vdie", "ifname=abcdefghijklmnop",
			 "not an interface name"},
		BadEvent{"IfnameEmpty", "ifname=vdie", "ifname=", "not an interface name"}),
	[](const auto &info) { return std::string(info.param.name); });

}  // namespace
}  // namespace txqg
