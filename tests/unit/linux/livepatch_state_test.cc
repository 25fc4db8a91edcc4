// SysLivepatchState against scratch copies of /sys/kernel/livepatch and /proc.
#include <gtest/gtest.h>

#include <filesystem>

#include "livepatch_state.h"
#include "livepatch_transition.h"
#include "module_form.h"
#include "module_params.h"
#include "sys_livepatch_state.h"
#include "sysfs_module_params.h"
#include "temp_dir.h"

namespace txqg::testing {
namespace {

// A 5.10 patch directory: enabled, transition, force, and per object the
// functions as "name,sympos" directories (6.1 adds an object "patched" file).
void write_patch(const TempDir &dir, const std::string &patch, const std::string &enabled,
		 const std::string &transition, const std::string &func_dir)
{
	dir.write("lp/" + patch + "/enabled", enabled);
	dir.write("lp/" + patch + "/transition", transition);
	dir.write("lp/" + patch + "/force", "");
	std::filesystem::create_directories(dir.path() / "lp" / patch / "vmlinux" / func_dir);
	dir.write("lp/" + patch + "/vmlinux/patched", "1\n");
}

void write_task(const TempDir &dir, int pid, int tid, const std::string &state,
		const std::string &comm, const std::string &stack)
{
	const std::string t = "proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/";
	dir.write(t + "patch_state", state);
	dir.write(t + "comm", comm);
	if (!stack.empty())
		dir.write(t + "stack", stack);
}

TEST(LivepatchParsers, FlagsFunctionDirsTaskStatesAndFrames)
{
	EXPECT_EQ(*parse_patch_flag("1\n", "enabled"), true);
	EXPECT_EQ(*parse_patch_flag("0", "enabled"), false);
	auto bad = parse_patch_flag("Y\n", "/sys/kernel/livepatch/x/enabled");
	ASSERT_FALSE(bad.ok());
	EXPECT_EQ(bad.error().message, "/sys/kernel/livepatch/x/enabled: expected 0 or 1");

	auto f = parse_function_dir("netdev_core_pick_tx,1");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->first, "netdev_core_pick_tx");
	EXPECT_EQ(f->second, 1u);
	EXPECT_FALSE(parse_function_dir("vmlinux"));
	EXPECT_FALSE(parse_function_dir(",1"));
	EXPECT_FALSE(parse_function_dir("f,one"));

	EXPECT_EQ(parse_task_patch_state("-1\n"), -1);
	EXPECT_EQ(parse_task_patch_state("1\n"), 1);
	EXPECT_FALSE(parse_task_patch_state("2\n"));
	EXPECT_FALSE(parse_task_patch_state(""));

	EXPECT_EQ(first_stack_frame("[<0>] __schedule+0x282/0x870\n[<0>] schedule+0x46/0xb0\n"),
		  "__schedule+0x282/0x870");
	EXPECT_EQ(first_stack_frame("do_nanosleep+0x9b/0x160\n"), "do_nanosleep+0x9b/0x160");
	EXPECT_EQ(first_stack_frame(""), "");
}

TEST(SysLivepatchState, ReadsAPatchAndTellsWhenItIsGone)
{
	TempDir dir;
	write_patch(dir, "txqguard_lp", "1\n", "0\n", "netdev_core_pick_tx,1");
	SysLivepatchState lp(dir.file("lp"), dir.file("proc"));
	EXPECT_TRUE(lp.supported());
	auto st = lp.state("txqguard_lp");
	ASSERT_TRUE(st.ok()) << st.error().message;
	EXPECT_TRUE(st->enabled);
	EXPECT_FALSE(st->transition);
	EXPECT_FALSE(st->signal_file);
	EXPECT_EQ(lp.state("other").error().code, ErrorCode::NotFound);

	ASSERT_TRUE(lp.set_enabled("txqguard_lp", false).ok());
	EXPECT_EQ(slurp(dir.file("lp/txqguard_lp/enabled")), "0");
	EXPECT_EQ(lp.set_enabled("other", false).error().code, ErrorCode::NotFound);

	SysLivepatchState none(dir.file("nothing"), dir.file("proc"));
	EXPECT_FALSE(none.supported());
}

TEST(SysLivepatchState, GarbageInAFlagIsAParseError)
{
	TempDir dir;
	write_patch(dir, "txqguard_lp", "1\n", "maybe\n", "netdev_core_pick_tx,1");
	SysLivepatchState lp(dir.file("lp"), dir.file("proc"));
	auto st = lp.state("txqguard_lp");
	ASSERT_FALSE(st.ok());
	EXPECT_EQ(st.error().code, ErrorCode::Parse);
}

TEST(SysLivepatchState, ListsEveryPatchedFunction)
{
	TempDir dir;
	write_patch(dir, "txqguard_lp", "1\n", "0\n", "netdev_core_pick_tx,1");
	write_patch(dir, "kpatch_net_fix", "1\n", "0\n", "netdev_pick_tx,2");
	std::filesystem::create_directories(dir.path() / "lp/kpatch_net_fix/openvswitch/ovs_vport_send,1");
	SysLivepatchState lp(dir.file("lp"), dir.file("proc"));
	auto funcs = lp.patched_functions();
	ASSERT_TRUE(funcs.ok()) << funcs.error().message;
	ASSERT_EQ(funcs->size(), 3u);
	EXPECT_EQ((*funcs)[0].patch, "kpatch_net_fix");
	EXPECT_EQ((*funcs)[0].object, "openvswitch");
	EXPECT_EQ((*funcs)[0].function, "ovs_vport_send");
	EXPECT_EQ((*funcs)[1].function, "netdev_pick_tx");
	EXPECT_EQ((*funcs)[1].sympos, 2u);
	EXPECT_EQ((*funcs)[2].patch, "txqguard_lp");

	SysLivepatchState none(dir.file("nothing"), dir.file("proc"));
	EXPECT_EQ(none.patched_functions().error().code, ErrorCode::NotFound);
}

TEST(SysLivepatchState, PendingTasksAreThoseNotYetAtTheTarget)
{
	TempDir dir;
	write_task(dir, 1, 1, "0\n", "systemd\n", "[<0>] ep_poll+0x2af/0x3e0\n");
	write_task(dir, 812, 812, "1\n", "iperf3\n", "[<0>] __schedule+0x282/0x870\n");
	write_task(dir, 812, 815, "1\n", "iperf3-worker\n", "");	// stack unreadable
	write_task(dir, 900, 900, "-1\n", "idle-ish\n", "");
	write_task(dir, 901, 901, "bogus\n", "odd\n", "");
	dir.write("proc/self/task/1/patch_state", "1\n");	// not a pid: skipped
	dir.write("proc/meminfo", "");
	SysLivepatchState lp(dir.file("lp"), dir.file("proc"));
	auto tasks = lp.pending_tasks(kTaskUnpatched);
	ASSERT_TRUE(tasks.ok()) << tasks.error().message;
	ASSERT_EQ(tasks->size(), 2u);
	EXPECT_EQ(describe_task((*tasks)[0]), "pid 812 (iperf3): __schedule+0x282/0x870");
	EXPECT_EQ(describe_task((*tasks)[1]), "pid 812 tid 815 (iperf3-worker)");
	EXPECT_EQ((*tasks)[1].patch_state, kTaskPatched);

	auto enabling = lp.pending_tasks(kTaskPatched);
	ASSERT_TRUE(enabling.ok());
	ASSERT_EQ(enabling->size(), 1u);
	EXPECT_EQ((*enabling)[0].comm, "systemd");

	SysLivepatchState no_proc(dir.file("lp"), dir.file("noproc"));
	EXPECT_FALSE(no_proc.pending_tasks(kTaskUnpatched).ok());
}

TEST(DisableRemedies, MentionSignalOnlyWhereTheKernelHasIt)
{
	auto r = disable_remedies(PatchState{false, true, false});
	ASSERT_EQ(r.size(), 3u);
	EXPECT_NE(r[0].find("signals the remaining tasks every 15 s"), std::string::npos);
	EXPECT_EQ(r[1], "echo 1 > /sys/kernel/livepatch/txqguard_lp/enabled: reverse the "
			"transition and keep the guard");
	EXPECT_NE(r[2].find("/force"), std::string::npos);
	auto old = disable_remedies(PatchState{false, true, true});
	ASSERT_EQ(old.size(), 4u);
	EXPECT_NE(old[1].find("/signal"), std::string::npos);
}

TEST(SysfsModuleParams, TheLivePatchFormsParametersAnswerWhenItIsLoaded)
{
	TempDir dir;
	dir.write("txqguard_lp/version", "0.1.0\n");
	dir.write("txqguard_lp/parameters/mode", "detect\n");
	dir.write("txqguard_lp/parameters/selftest", "Y\n");
	SysfsModuleParams params(dir.path().string());
	EXPECT_EQ(loaded_form(params), ModuleForm::Livepatch);
	EXPECT_EQ(*params.mode(), "detect");
	EXPECT_EQ(*params.selftest(), true);
	ASSERT_TRUE(params.set_mode("enforce").ok());
	EXPECT_EQ(slurp(dir.file("txqguard_lp/parameters/mode")), "enforce");

	TempDir none;
	SysfsModuleParams absent(none.path().string());
	EXPECT_EQ(loaded_form(absent), std::nullopt);
}

}  // namespace
}  // namespace txqg::testing
