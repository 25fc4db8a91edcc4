// The real sysfs/debugfs implementations, pointed at a scratch tree.
#include <gtest/gtest.h>

#include "debugfs_reader.h"
#include "debugfs_stats_source.h"
#include "fake_host.h"
#include "kernel_info.h"
#include "module_params.h"
#include "sys_kernel_info.h"
#include "sysfs_module_params.h"
#include "temp_dir.h"

namespace txqg::testing {
namespace {

TEST(FsDebugfsReader, ReadsTheModuleFiles)
{
	TempDir dir;
	dir.write("txqguard/stats", kStatsText);
	dir.write("txqguard/probes", kProbesArmed);
	dir.write("txqguard/events", "");
	FsDebugfsReader reader(dir.path().string(), false);
	DebugfsStatsSource source(reader);
	auto stats = source.stats();
	ASSERT_TRUE(stats.ok()) << stats.error().message;
	EXPECT_EQ(stats->counter("ovs_output_hazards"), 279096u);
	auto probes = source.probes();
	ASSERT_TRUE(probes.ok());
	EXPECT_EQ(probes->size(), 2u);
	EXPECT_TRUE(source.events().ok());
}

TEST(FsDebugfsReader, MissingFileSaysWhichAndWhy)
{
	TempDir dir;
	FsDebugfsReader reader(dir.path().string(), false);
	auto r = reader.read(DebugfsFile::Events);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ErrorCode::NotFound);
	EXPECT_EQ(r.error().message,
		  dir.file("txqguard/events") + " does not exist: is txqguard loaded?");
}

TEST(FsDebugfsReader, NotDebugfsMeansNotMounted)
{
	TempDir dir;	// a tmpfs or disk directory, not debugfs
	FsDebugfsReader reader(dir.path().string(), true);
	auto r = reader.read(DebugfsFile::Stats);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ErrorCode::NotMounted);
	EXPECT_NE(r.error().message.find("debugfs is not mounted on"), std::string::npos);
}

TEST(SysfsModuleParams, ReadsAndWritesTheParameters)
{
	TempDir dir;
	dir.write("txqguard/version", "0.1.0\n");
	dir.write("txqguard/parameters/mode", "enforce\n");
	dir.write("txqguard/parameters/selftest", "N\n");
	dir.write("txqguard/srcversion", "3D5C8F2E1A7B9C0D4E6F812\n");
	dir.write("openvswitch/refcnt", "1\n");
	SysfsModuleParams params(dir.path().string());
	EXPECT_TRUE(params.loaded("txqguard"));
	EXPECT_TRUE(params.loaded("openvswitch"));
	EXPECT_FALSE(params.loaded("nf_tables"));
	EXPECT_EQ(*params.version(), "0.1.0");
	EXPECT_EQ(*params.mode(), "enforce");
	EXPECT_EQ(*params.selftest(), false);
	EXPECT_EQ(*params.srcversion(), "3D5C8F2E1A7B9C0D4E6F812");
	ASSERT_TRUE(params.set_mode("detect").ok());
	EXPECT_EQ(slurp(dir.file("txqguard/parameters/mode")), "detect");
}

TEST(SysfsModuleParams, NotLoaded)
{
	TempDir dir;
	SysfsModuleParams params(dir.path().string());
	EXPECT_FALSE(params.loaded("txqguard"));
	auto r = params.set_mode("off");
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ErrorCode::NotLoaded);
	EXPECT_FALSE(params.version().ok());
}

TEST(SysKernelInfo, DescribesThisKernel)
{
	SysKernelInfo info;
	auto u = info.uname();
	ASSERT_TRUE(u.ok());
	EXPECT_FALSE(u->release.empty());
	EXPECT_FALSE(u->machine.empty());
	EXPECT_FALSE(u->build.empty());
	auto v = info.proc_version();
	ASSERT_TRUE(v.ok());
	EXPECT_NE(v->find(u->release), std::string::npos);
	// /proc/version ends with uname -v: the build verify's verdict is tied to.
	EXPECT_NE(v->find(u->build), std::string::npos);
	auto id = info.boot_id();
	ASSERT_TRUE(id.ok()) << id.error().message;
	EXPECT_EQ(id->size(), 36u);
}

TEST(SysKernelInfo, BootIdIsTrimmedAndAnEmptyOneIsAnError)
{
	TempDir dir;
	dir.write("boot_id", "0b5e7f8a-1c2d-4e3f-9a8b-7c6d5e4f3a2b\n");
	EXPECT_EQ(*SysKernelInfo(dir.file("boot_id")).boot_id(),
		  "0b5e7f8a-1c2d-4e3f-9a8b-7c6d5e4f3a2b");
	dir.write("empty", "\n");
	EXPECT_FALSE(SysKernelInfo(dir.file("empty")).boot_id().ok());
	EXPECT_FALSE(SysKernelInfo(dir.file("missing")).boot_id().ok());
}

}  // namespace
}  // namespace txqg::testing
