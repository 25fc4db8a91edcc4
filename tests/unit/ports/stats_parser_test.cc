#include <gtest/gtest.h>

#include "fake_host.h"
#include "stats.h"

namespace txqg {
namespace {

TEST(ParseStats, ReadsIdentityAndCountersInOrder)
{
	auto s = parse_stats(testing::kStatsText);
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_EQ(s->version, "0.1.0");
	EXPECT_EQ(s->mode, "enforce");
	EXPECT_EQ(s->backend, "kprobe");
	ASSERT_EQ(s->counters.size(), 9u);
	EXPECT_EQ(s->counters.front().first, "txhash_checked");
	EXPECT_EQ(s->counters.back().first, "events_total");
	EXPECT_EQ(s->counter("ovs_output_checked"), 1184309u);
	EXPECT_EQ(s->counter("ovs_output_dropped"), 279096u);
	EXPECT_EQ(s->counter("ovs_output_port_down"), 5120u);
	EXPECT_EQ(s->counter("ovs_output_port_down_dropped"), 5120u);
	EXPECT_FALSE(s->counter("no_such_counter").has_value());
}

// The unload hold is a countdown, not a counter: no _total metric, no delta.
TEST(ParseStats, HoldMsIsKeptApartFromTheCounters)
{
	std::string text = testing::kStatsText;
	text.replace(text.find("hold_ms 0"), 9, "hold_ms 7250");
	auto s = parse_stats(text);
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_EQ(s->hold_ms, 7250u);
	EXPECT_FALSE(s->counter("hold_ms").has_value());
}

TEST(ParseStats, HoldMsIsOptional)
{
	std::string text = testing::kStatsText;
	text.erase(text.find("hold_ms 0\n"), 10);
	auto s = parse_stats(text);
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_FALSE(s->hold_ms.has_value());
}

TEST(ParseStats, KeepsCountersANewerModuleAdds)
{
	auto s = parse_stats(std::string(testing::kStatsText) + "future_thing 7\n");
	ASSERT_TRUE(s.ok());
	EXPECT_EQ(s->counter("future_thing"), 7u);
}

TEST(ParseStats, AcceptsFullUint64)
{
	std::string text = testing::kStatsText;
	text.replace(text.find("txhash_checked 0"), 16, "txhash_checked 18446744073709551615");
	auto s = parse_stats(text);
	ASSERT_TRUE(s.ok());
	EXPECT_EQ(s->counter("txhash_checked"), 18446744073709551615u);
}

struct BadStats {
	const char *name;
	std::string from, to;
	const char *expect_in_message;
};

std::ostream &operator<<(std::ostream &os, const BadStats &c)
{
	return os << c.name;
}

class ParseStatsMalformed : public ::testing::TestWithParam<BadStats> {};

TEST_P(ParseStatsMalformed, IsAParseError)
{
	const BadStats &c = GetParam();
	std::string text = testing::kStatsText;
	size_t at = text.find(c.from);
	ASSERT_NE(at, std::string::npos);
	text.replace(at, c.from.size(), c.to);
	auto s = parse_stats(text);
	ASSERT_FALSE(s.ok());
	EXPECT_EQ(s.error().code, ErrorCode::Parse);
	EXPECT_NE(s.error().message.find(c.expect_in_message), std::string::npos)
		<< s.error().message;
}

INSTANTIATE_TEST_SUITE_P(
	Cases, ParseStatsMalformed,
	::testing::Values(
		BadStats{"NotANumber", "txhash_hazards 0", "txhash_hazards zero", "not a counter value"},
		BadStats{"Negative", "txhash_hazards 0", "txhash_hazards -1", "not a counter value"},
		BadStats{"Overflow", "txhash_hazards 0", "txhash_hazards 18446744073709551616",
			 "not a counter value"},
		BadStats{"ThreeFields", "txhash_hazards 0", "txhash_hazards 0 1", "expected 'name value'"},
		BadStats{"OneField", "txhash_hazards 0", "txhash_hazards", "expected 'name value'"},
		BadStats{"MissingCounter", "txhash_hazards 0\n", "", "no 'txhash_hazards' counter"},
		BadStats{"MissingPortDown", "ovs_output_port_down 5120\n", "",
			 "no 'ovs_output_port_down' counter"},
		BadStats{"HoldNotU32", "hold_ms 0", "hold_ms 4294967296", "'hold_ms' is not a u32"},
		BadStats{"MissingMode", "mode enforce\n", "", "no 'mode' line"},
		BadStats{"UnknownMode", "mode enforce", "mode paranoid", "unknown mode"},
		BadStats{"Duplicate", "txhash_hazards 0", "txhash_hazards 0\ntxhash_hazards 1",
			 "duplicate"},
		BadStats{"BadName", "txhash_hazards 0", "Txhash-hazards 0", "bad counter name"}),
	[](const auto &info) { return std::string(info.param.name); });

TEST(ParseStats, EmptyInputIsAnError)
{
	EXPECT_FALSE(parse_stats("").ok());
}

TEST(ParseStats, ErrorNamesTheLine)
{
	auto s = parse_stats("version 0.1.0\nmode enforce\nbogus\n");
	ASSERT_FALSE(s.ok());
	EXPECT_NE(s.error().message.find("line 3"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace txqg
