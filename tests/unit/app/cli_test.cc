#include <gtest/gtest.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "contract.h"
#include "fake_host.h"

namespace txqg::testing {
namespace {

TEST(Cli, UnknownCommandIsAUsageError)
{
	FakeHost host;
	EXPECT_EQ(host.run({"frobnicate"}), kExitUsage);
	EXPECT_EQ(host.err(), "txqguardctl: unknown command 'frobnicate' (see txqguardctl --help)\n");
	EXPECT_EQ(host.out(), "");
}

TEST(Cli, NoCommandIsAUsageError)
{
	FakeHost host;
	EXPECT_EQ(host.run({}), kExitUsage);
	EXPECT_EQ(host.err(), "txqguardctl: no command given (see txqguardctl --help)\n");
}

TEST(Cli, UnknownOptionIsAUsageError)
{
	FakeHost host;
	EXPECT_EQ(host.run({"status", "--verbose"}), kExitUsage);
	const std::string err = host.err();
	EXPECT_NE(err.find("--verbose"), std::string::npos) << err;
	EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(Cli, StrayArgumentAfterACommandIsAUsageError)
{
	FakeHost host;
	EXPECT_EQ(host.run({"status", "now"}), kExitUsage);
	EXPECT_NE(host.err().find("now"), std::string::npos) << host.err();
}

TEST(Cli, JsonMayComeBeforeTheCommand)
{
	FakeHost host;
	host.kernel("6.13.1", "");
	EXPECT_EQ(host.run({"--json", "status"}), kExitOk);
	EXPECT_EQ(nlohmann::json::parse(host.out())["kernel"]["fix"]["status"], "fixed");
}

TEST(Cli, CountNeedsWatch)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"stats", "--count", "2"}), kExitUsage);
	EXPECT_EQ(host.out(), "");
}

TEST(Cli, WatchMustBePositive)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"stats", "--watch", "0"}), kExitUsage);
	EXPECT_EQ(host.run({"stats", "--watch", "soon"}), kExitUsage);
}

TEST(Cli, SecondsMustBeFiniteAndInRange)
{
	// nan passes a plain comparison check, and 1e300 s overflows the
	// commands' conversions to milliseconds and nanoseconds.
	const std::vector<std::vector<std::string>> cases = {
		{"stats", "--watch", "nan", "--count", "1"},
		{"stats", "--watch", "1e300", "--count", "1"},
		{"events", "--follow", "--timeout", "nan"},
		{"events", "--follow", "--timeout", "1e300"},
		{"verify", "--reproduce", "--flood-after", "nan"},
		{"verify", "--reproduce", "--flood-after", "61"},
	};
	for (const auto &args : cases) {
		FakeHost host;
		host.module_loaded();
		EXPECT_EQ(host.run(args), kExitUsage) << args[1] << " " << args.back();
		EXPECT_EQ(host.out(), "");
	}
}

TEST(Cli, SetModeNeedsAMode)
{
	FakeHost host;
	EXPECT_EQ(host.run({"set-mode"}), kExitUsage);
}

TEST(Cli, Version)
{
	FakeHost host;
	EXPECT_EQ(host.run({"--version"}), kExitOk);
	EXPECT_EQ(host.out(), "txqguardctl " + std::string(kCtlVersion) + "\n");

	FakeHost json_host;
	EXPECT_EQ(json_host.run({"--version", "--json"}), kExitOk);
	EXPECT_EQ(nlohmann::json::parse(json_host.out())["version"], TXQGUARD_VERSION);
}

TEST(Cli, HelpExitsZeroAndListsCommands)
{
	FakeHost host;
	EXPECT_EQ(host.run({"--help"}), kExitOk);
	for (const char *cmd : {"status", "stats", "events", "load", "unload", "set-mode", "metrics"})
		EXPECT_NE(host.out().find(cmd), std::string::npos) << cmd;
}

}  // namespace
}  // namespace txqg::testing
