#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fake_host.h"
#include "temp_dir.h"

namespace txqg::testing {
namespace {

std::vector<std::string> dir_entries(const std::filesystem::path &dir)
{
	std::vector<std::string> names;
	for (const auto &e : std::filesystem::directory_iterator(dir))
		names.push_back(e.path().filename().string());
	std::sort(names.begin(), names.end());
	return names;
}

TEST(MetricsCommand, PrintsExpositionToStdout)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"metrics"}), kExitOk);
	EXPECT_NE(host.out().find("txqguard_info{version=\"0.1.0\",mode=\"enforce\","
				  "backend=\"kprobe\",kernel=\"5.10.0-32-amd64\","
				  "srcversion=\"3D5C8F2E1A7B9C0D4E6F812\","
				  "kernel_build=\"#1 SMP Debian 5.10.223-1 (2024-08-10)\"} 1\n"),
		  std::string::npos)
		<< host.out();
	EXPECT_NE(host.out().find("\ntxqguard_exposed 0\n"), std::string::npos);
	EXPECT_NE(host.out().find("\ntxqguard_ovs_output_dropped_total 279096\n"),
		  std::string::npos);
}

TEST(MetricsCommand, TextfileIsReplacedAtomically)
{
	TempDir dir;
	const std::string target = dir.file("txqguard.prom");
	dir.write("txqguard.prom", "old content\n");
	// A reader that opened the old file keeps seeing it whole.
	std::ifstream old_reader(target);

	FakeHost host;
	host.module_loaded();
	ASSERT_EQ(host.run({"metrics", "--textfile", target}), kExitOk) << host.err();
	EXPECT_EQ(host.out(), "");

	FakeHost stdout_host;
	stdout_host.module_loaded();
	ASSERT_EQ(stdout_host.run({"metrics"}), kExitOk);
	EXPECT_EQ(slurp(target), stdout_host.out());
	EXPECT_EQ(dir_entries(dir.path()), std::vector<std::string>{"txqguard.prom"});
	std::string old_line;
	std::getline(old_reader, old_line);
	EXPECT_EQ(old_line, "old content");
	auto perms = std::filesystem::status(target).permissions();
	EXPECT_EQ(perms, std::filesystem::perms(0644));
}

TEST(MetricsCommand, NoFileWhenCountersCannotBeRead)
{
	TempDir dir;
	FakeHost host;
	host.module_loaded();
	host.debugfs_fails(ErrorCode::PermissionDenied, "cannot read stats: permission denied");
	EXPECT_EQ(host.run({"metrics", "--textfile", dir.file("txqguard.prom")}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot read stats: permission denied\n");
	EXPECT_TRUE(dir_entries(dir.path()).empty());
}

TEST(MetricsCommand, UnwritableDirectoryIsAFailure)
{
	FakeHost host;
	EXPECT_EQ(host.run({"metrics", "--textfile", "/nonexistent-dir/txqguard.prom"}),
		  kExitFailure);
	EXPECT_NE(host.err().find("cannot create a temporary file in /nonexistent-dir"),
		  std::string::npos)
		<< host.err();
}

TEST(MetricsCommand, NotLoadedStillReportsExposure)
{
	FakeHost host;
	EXPECT_EQ(host.run({"metrics", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j[0]["name"], "txqguard_module_loaded");
	EXPECT_EQ(j[0]["samples"][0]["value"], 0);
	EXPECT_EQ(j[1]["name"], "txqguard_exposed");
	EXPECT_EQ(j[1]["samples"][0]["value"], 1);
}

}  // namespace
}  // namespace txqg::testing
