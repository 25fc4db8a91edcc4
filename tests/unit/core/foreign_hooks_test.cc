// The kernel's hook lists and what in them is not txqguard's.
#include <gtest/gtest.h>

#include "foreign_hooks.h"
#include "fs_hook_lists.h"
#include "hook_lists.h"
#include "mocks.h"
#include "temp_dir.h"

namespace txqg::testing {
namespace {

using ::testing::NiceMock;
using ::testing::Return;

// As kernel/kprobes.c prints them: a core symbol, a module symbol, a
// disabled kretprobe, and an address hidden from the unprivileged.
constexpr const char *kKprobesList =
	"ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n"
	"ffffffffc0a81234  k  ovs_vport_send+0x0  openvswitch [FTRACE]\n"
	"ffffffff8a5c1e44  r  netdev_pick_tx+0x4    [DISABLED]\n"
	"0000000000000000  k  dev_queue_xmit+0x12    [OPTIMIZED]\n";

constexpr const char *kEnabledFunctions =
	"netdev_core_pick_tx (2) R I   \ttramp: 0xffffffffc0b1e000 "
	"(klp_ftrace_handler+0x0/0x150) ->ftrace_ops_assist_func+0x0/0xf0\n"
	"ovs_vport_send [openvswitch] (1) R     \ttramp: 0xffffffffc0a2f000 "
	"(kprobe_ftrace_handler+0x0/0x1a0) ->ftrace_ops_assist_func+0x0/0xf0\n"
	"tcp_sendmsg (1)     D   \n"
	"\tdirect-->bpf_trampoline_6442+0x0/0x1000\n";

std::vector<Probe> probes(const char *text)
{
	return *parse_probes(text);
}

// txqguard.ko with both guards on kprobes riding ftrace.
const char *const kOursKprobe =
	"txhash netdev_pick_tx armed netdev_pick_tx+0x0/0x280 0 kprobe-ftrace\n"
	"ovs_output ovs_vport_send armed ovs_vport_send+0x0/0x120 [openvswitch] 0 "
	"kprobe-ftrace\n";
// txqguard_lp.ko.
const char *const kOursLivepatch =
	"txhash netdev_core_pick_tx armed netdev_core_pick_tx+0x0/0xc0 0 livepatch\n"
	"ovs_output ovs_vport_send armed ovs_vport_send+0x0/0x120 [openvswitch] 0 "
	"kprobe-ftrace\n";

TEST(KprobesList, ParsesCoreAndModuleSymbolsAndFlags)
{
	auto k = parse_kprobes_list(kKprobesList);
	ASSERT_TRUE(k.ok()) << k.error().message;
	ASSERT_EQ(k->size(), 4u);
	EXPECT_EQ((*k)[0].function, "netdev_pick_tx");
	EXPECT_EQ((*k)[0].offset, 0u);
	EXPECT_TRUE((*k)[0].ftrace);
	EXPECT_TRUE((*k)[0].module.empty());
	EXPECT_TRUE((*k)[0].active());
	EXPECT_EQ((*k)[1].module, "openvswitch");
	EXPECT_TRUE((*k)[2].retprobe);
	EXPECT_EQ((*k)[2].offset, 4u);
	EXPECT_FALSE((*k)[2].active());
	EXPECT_EQ((*k)[3].offset, 0x12u);
	EXPECT_TRUE((*k)[3].optimized);
}

TEST(KprobesList, EmptyAndBareAddressesAreFine)
{
	EXPECT_TRUE(parse_kprobes_list("").ok());
	auto k = parse_kprobes_list("ffffffff8a5c1e40  k  0xffffffff8a5c1e40 [GONE]\n");
	ASSERT_TRUE(k.ok()) << k.error().message;
	EXPECT_TRUE((*k)[0].function.empty());
	EXPECT_TRUE((*k)[0].gone);
}

TEST(KprobesList, MalformedLinesAreErrorsWithTheLineNumber)
{
	for (const char *text : {"ffffffff8a5c1e40  x  netdev_pick_tx+0x0\n",
				 "\nnot-hex  k  netdev_pick_tx+0x0\n",
				 "ffffffff8a5c1e40  k\n",
				 "ffffffff8a5c1e40  k  netdev_pick_tx+12\n",
				 "ffffffff8a5c1e40  k  netdev_pick_tx+0x0 one two\n"}) {
		auto k = parse_kprobes_list(text);
		ASSERT_FALSE(k.ok()) << text;
		EXPECT_EQ(k.error().code, ErrorCode::Parse);
		EXPECT_NE(k.error().message.find("malformed kprobes/list line"), std::string::npos);
	}
}

TEST(EnabledFunctions, ParsesUsersFlagsModulesAndHandlers)
{
	auto r = parse_enabled_functions(kEnabledFunctions);
	ASSERT_TRUE(r.ok()) << r.error().message;
	ASSERT_EQ(r->size(), 3u);	// the direct continuation line is no record
	const FtraceRecord &core = (*r)[0];
	EXPECT_EQ(core.function, "netdev_core_pick_tx");
	EXPECT_EQ(core.users, 2u);
	EXPECT_EQ(core.flags, "RI");
	EXPECT_TRUE(core.ipmodify());
	EXPECT_EQ(core.handlers, std::vector<std::string>{"klp_ftrace_handler"});
	EXPECT_EQ((*r)[1].module, "openvswitch");
	EXPECT_FALSE((*r)[1].ipmodify());
	EXPECT_EQ((*r)[2].flags, "D");
	EXPECT_TRUE((*r)[2].handlers.empty());
}

TEST(EnabledFunctions, MalformedLinesAreErrors)
{
	for (const char *text : {"netdev_pick_tx R I\n", "netdev_pick_tx (x) R\n",
				 "netdev_pick_tx (1) R lower\n", "(1) R\n"}) {
		auto r = parse_enabled_functions(text);
		ASSERT_FALSE(r.ok()) << text;
		EXPECT_NE(r.error().message.find("malformed enabled_functions line 1"),
			  std::string::npos);
	}
}

HookInputs inputs(const char *kprobes, const char *ftrace,
		  std::vector<PatchedFunction> patches = {})
{
	HookInputs in;
	in.patches = std::move(patches);
	in.kprobes = *parse_kprobes_list(kprobes);
	in.ftrace = *parse_enabled_functions(ftrace);
	return in;
}

TEST(ForeignHooks, TxqguardsOwnKprobesAreNotForeign)
{
	auto in = inputs("ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n"
			 "ffffffffc0a81234  k  ovs_vport_send+0x0  openvswitch [FTRACE]\n",
			 "netdev_pick_tx (1) R   \n"
			 "ovs_vport_send [openvswitch] (1) R   \n");
	EXPECT_TRUE(find_foreign_hooks(in, probes(kOursKprobe)).empty());
}

TEST(ForeignHooks, AnotherKprobeBesideOursIsReported)
{
	auto in = inputs("ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n"
			 "ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n"
			 "ffffffff8a5c1e44  r  netdev_pick_tx+0x4    [DISABLED]\n",
			 "netdev_pick_tx (1) R   \n");
	auto hooks = find_foreign_hooks(in, probes(kOursKprobe));
	ASSERT_EQ(hooks.size(), 1u);
	EXPECT_EQ(hooks[0].source, "kprobe");
	EXPECT_EQ(hooks[0].function, "netdev_pick_tx");
	EXPECT_EQ(hooks[0].detail, "1 kprobe on netdev_pick_tx besides txqguard's "
				   "(netdev_pick_tx+0x0 [FTRACE], netdev_pick_tx+0x0 [FTRACE])");
}

TEST(ForeignHooks, EveryKprobeIsForeignWithoutTxqguard)
{
	auto in = inputs(kKprobesList, "");
	auto hooks = find_foreign_hooks(in, {});
	ASSERT_EQ(hooks.size(), 2u);
	EXPECT_EQ(hooks[0].detail, "1 kprobe on netdev_pick_tx (netdev_pick_tx+0x0 [FTRACE])");
	EXPECT_EQ(hooks[1].function, "ovs_vport_send");
}

TEST(ForeignHooks, AnotherLivePatchOfThePickIsReportedOnce)
{
	// The kprobe form is loaded; someone's live patch replaced the pick.
	auto in = inputs("ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n",
			 "netdev_core_pick_tx (1) R I   \ttramp: 0xffffffffc0b1e000 "
			 "(klp_ftrace_handler+0x0/0x150) ->ftrace_ops_assist_func+0x0/0xf0\n"
			 "netdev_pick_tx (1) R   \n",
			 {{"kpatch_net_fix", "vmlinux", "netdev_core_pick_tx", 1}});
	auto hooks = find_foreign_hooks(in, probes(kOursKprobe));
	ASSERT_EQ(hooks.size(), 1u);
	EXPECT_EQ(hooks[0].source, "livepatch");
	EXPECT_EQ(hooks[0].owner, "kpatch_net_fix");
	EXPECT_EQ(hooks[0].detail,
		  "live patch kpatch_net_fix replaces netdev_core_pick_tx (vmlinux, sympos 1)");
}

TEST(ForeignHooks, OurOwnLivePatchIsNotForeign)
{
	auto in = inputs("ffffffffc0a81234  k  ovs_vport_send+0x0  openvswitch [FTRACE]\n",
			 "netdev_core_pick_tx (1) R I   \ttramp: 0xffffffffc0b1e000 "
			 "(klp_ftrace_handler+0x0/0x150) ->ftrace_ops_assist_func+0x0/0xf0\n"
			 "ovs_vport_send [openvswitch] (1) R   \n",
			 {{"txqguard_lp", "vmlinux", "netdev_core_pick_tx", 1}});
	EXPECT_TRUE(find_foreign_hooks(in, probes(kOursLivepatch)).empty());
}

TEST(ForeignHooks, ASecondFtraceUserOnOurLivePatchIsReported)
{
	auto in = inputs("", kEnabledFunctions, {{"txqguard_lp", "vmlinux", "netdev_core_pick_tx", 1}});
	auto hooks = find_foreign_hooks(in, probes(kOursLivepatch));
	ASSERT_EQ(hooks.size(), 1u);
	EXPECT_EQ(hooks[0].source, "ftrace");
	EXPECT_EQ(hooks[0].detail, "2 ftrace users on netdev_core_pick_tx, 1 of them accounted "
				   "for by txqguard and the hooks above (klp_ftrace_handler)");
}

TEST(ForeignHooks, IpmodifyHeldBySomeoneElseIsReported)
{
	auto in = inputs("ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n",
			 "netdev_pick_tx (1) R I   \n");
	auto hooks = find_foreign_hooks(in, probes(kOursKprobe));
	ASSERT_EQ(hooks.size(), 1u);
	EXPECT_EQ(hooks[0].detail, "an ftrace user that is not txqguard's may redirect "
				   "netdev_pick_tx (IPMODIFY)");
}

TEST(ForeignHooks, UntargetedFunctionsAreIgnored)
{
	auto in = inputs("ffffffff8a5c1e40  k  dev_queue_xmit+0x0    [FTRACE]\n",
			 "tcp_sendmsg (3) R I   \n", {{"other", "vmlinux", "tcp_sendmsg", 1}});
	EXPECT_TRUE(find_foreign_hooks(in, {}).empty());
}

class Lists : public HookLists {
public:
	Result<std::string> kprobes = std::string(kKprobesList);
	Result<std::string> ftrace = std::string("");
	Result<std::string> kprobes_list() override { return kprobes; }
	Result<std::string> enabled_functions() override { return ftrace; }
};

TEST(CheckForeignHooks, UnreadableOrMalformedListsAreUncheckedNotFatal)
{
	Lists lists;
	lists.kprobes = Error{ErrorCode::PermissionDenied,
			      "cannot open /sys/kernel/debug/kprobes/list: Permission denied"};
	lists.ftrace = std::string("garbage\n");
	const std::vector<Probe> none;
	auto report = check_foreign_hooks(nullptr, &lists, &none);
	EXPECT_TRUE(report.hooks.empty());
	ASSERT_EQ(report.unchecked.size(), 2u);
	EXPECT_EQ(report.unchecked[0],
		  "kprobes: cannot open /sys/kernel/debug/kprobes/list: Permission denied");
	EXPECT_NE(report.unchecked[1].find("ftrace: malformed enabled_functions line 1"),
		  std::string::npos);
}

TEST(CheckForeignHooks, WithoutOurProbesOnlyLivePatchesAreJudged)
{
	Lists lists;
	NiceMock<MockLivepatchState> lp;
	ON_CALL(lp, supported()).WillByDefault(Return(true));
	ON_CALL(lp, patched_functions())
		.WillByDefault(Return(Result<std::vector<PatchedFunction>>(std::vector<PatchedFunction>{
			{"kpatch_net_fix", "vmlinux", "netdev_core_pick_tx", 1}})));
	auto report = check_foreign_hooks(&lp, &lists, nullptr);
	ASSERT_EQ(report.hooks.size(), 1u);
	EXPECT_NE(report.livepatch_on("netdev_core_pick_tx"), nullptr);
	EXPECT_EQ(report.livepatch_on("netdev_pick_tx"), nullptr);
	EXPECT_EQ(report.unchecked,
		  std::vector<std::string>{"kprobes and ftrace: txqguard's own probes are unknown"});
	auto j = to_json(report);
	EXPECT_EQ(j["hooks"][0]["owner"], "kpatch_net_fix");
	EXPECT_EQ(j["hooks"][0]["source"], "livepatch");
}

TEST(FsHookLists, FallsBackToTracingUnderDebugfs)
{
	TempDir dir;
	dir.write("debug/kprobes/list", kKprobesList);
	dir.write("debug/tracing/enabled_functions", kEnabledFunctions);
	FsHookLists lists(dir.file("debug"), dir.file("tracing"));
	EXPECT_EQ(*lists.kprobes_list(), kKprobesList);
	EXPECT_EQ(*lists.enabled_functions(), kEnabledFunctions);
	dir.write("tracing/enabled_functions", "");
	EXPECT_EQ(*lists.enabled_functions(), "");
}

TEST(FsHookLists, MissingListsAreNotFound)
{
	TempDir dir;
	FsHookLists lists(dir.file("debug"), dir.file("tracing"));
	EXPECT_EQ(lists.kprobes_list().error().code, ErrorCode::NotFound);
	EXPECT_EQ(lists.enabled_functions().error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace txqg::testing
