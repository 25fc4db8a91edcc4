// load, unload, status and metrics with the live-patch form.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "commands.h"
#include "fake_host.h"
#include "usage_error.h"

namespace txqg::testing {
namespace {

using ::testing::_;
using ::testing::InSequence;
using ::testing::Invoke;
using ::testing::Return;

// Module stats whose unload hold has ms left.
std::string with_hold(std::string stats, unsigned ms)
{
	stats.replace(stats.find("hold_ms 0"), 9, "hold_ms " + std::to_string(ms));
	return stats;
}

size_t line_count(const std::string &s)
{
	return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

auto loads_livepatch(FakeHost &host, PatchState state = {true, false, false})
{
	return Invoke([&host, state](const std::string &, const std::string &) {
		host.livepatch_loaded(state);
		return Result<void>();
	});
}

auto loads_kprobe(FakeHost &host)
{
	return Invoke([&host](const std::string &, const std::string &) {
		host.module_loaded();
		return Result<void>();
	});
}

Result<void> refused(const std::string &what, const std::string &why)
{
	return with_kernel_log(contextual_error(ErrorCode::Io, "cannot load " + what, why));
}

Result<std::vector<PatchedFunction>> foreign_patch()
{
	return std::vector<PatchedFunction>{{"kpatch_net_fix", "vmlinux", "netdev_core_pick_tx", 1}};
}

Result<PatchState> patch(bool enabled, bool transition)
{
	return PatchState{enabled, transition, false};
}

TEST(LoadBackend, AutoLoadsTheLivePatchFormWhereTheKernelTakesIt)
{
	FakeHost host;
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_by_name("txqguard_lp", "")).WillOnce(loads_livepatch(host));
	EXPECT_EQ(host.run({"load"}), kExitOk) << host.err();
	EXPECT_EQ(host.out(), "loaded txqguard_lp 0.1.0, mode enforce, backend livepatch\n"
			      "  txhash armed (netdev_core_pick_tx)\n"
			      "  ovs_output armed (ovs_vport_send)\n"
			      "  livepatch enabled, every task switched in 0.0 s\n");
	EXPECT_EQ(host.err(), "");
}

TEST(LoadBackend, AutoWithoutLivePatchSupportLoadsTheKprobeForm)
{
	FakeHost host;	// no /sys/kernel/livepatch
	EXPECT_CALL(host.loader, load_by_name("txqguard", "")).WillOnce(loads_kprobe(host));
	EXPECT_EQ(host.run({"load", "--backend", "auto"}), kExitOk);
	EXPECT_EQ(host.out().find("loaded txqguard 0.1.0, mode enforce, backend kprobe\n"), 0u)
		<< host.out();
}

TEST(LoadBackend, AutoFallsBackWhenTheLivePatchFormRefuses)
{
	FakeHost host;
	host.livepatch_supported(true);
	{
		InSequence order;
		EXPECT_CALL(host.loader, load_from_path("/b/txqguard_lp.ko", "mode=detect"))
			.WillOnce(Return(refused("/b/txqguard_lp.ko", "Operation not supported")));
		EXPECT_CALL(host.loader, load_from_path("/b/txqguard.ko", "mode=detect"))
			.WillOnce(loads_kprobe(host));
	}
	EXPECT_EQ(host.run({"load", "--module", "/b/txqguard_lp.ko", "--mode", "detect"}), kExitOk);
	EXPECT_EQ(host.out().find("live-patch form refused (Operation not supported: see the "
				  "kernel log); loaded the kprobe form\n"
				  "loaded txqguard 0.1.0"),
		  0u)
		<< host.out();
	EXPECT_EQ(host.err(), "");
}

TEST(LoadBackend, AutoMovesOnSilentlyWhenTheLivePatchFormIsNotInstalled)
{
	FakeHost host;
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_by_name("txqguard_lp", _))
		.WillOnce(Return(Result<void>(Error{ErrorCode::NotFound,
						    "cannot load txqguard_lp: not installed for "
						    "this kernel"})));
	EXPECT_CALL(host.loader, load_by_name("txqguard", _)).WillOnce(loads_kprobe(host));
	EXPECT_EQ(host.run({"load", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["module"], "txqguard");
	EXPECT_EQ(j["backend"], "kprobe");
	EXPECT_TRUE(j["notes"].empty());
	EXPECT_TRUE(j["livepatch"].is_null());
}

TEST(LoadBackend, NeitherFormInstalledSaysSoForTheKprobeForm)
{
	FakeHost host;
	host.livepatch_supported(true);
	Error missing_lp{ErrorCode::NotFound, "cannot load txqguard_lp: not installed for this kernel"};
	Error missing{ErrorCode::NotFound, "cannot load txqguard: not installed for this kernel"};
	EXPECT_CALL(host.loader, load_by_name("txqguard_lp", _)).WillOnce(Return(Result<void>(missing_lp)));
	EXPECT_CALL(host.loader, load_by_name("txqguard", _)).WillOnce(Return(Result<void>(missing)));
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot load txqguard: not installed for this kernel "
			      "(install it, or pass --module PATH)\n");
}

TEST(LoadBackend, BothFormsRefusedReportsBoth)
{
	FakeHost host;
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_from_path("/b/txqguard_lp.ko", _))
		.WillOnce(Return(refused("/b/txqguard_lp.ko", "Operation not supported")));
	EXPECT_CALL(host.loader, load_from_path("/b/txqguard.ko", _))
		.WillOnce(Return(refused("/b/txqguard.ko", "No such device")));
	EXPECT_EQ(host.run({"load", "--module", "/b/txqguard_lp.ko"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot load /b/txqguard.ko: No such device (see dmesg) "
			      "(the live-patch form was refused: Operation not supported: see the "
			      "kernel log)\n");
}

TEST(LoadBackend, PermissionDeniedDoesNotTryTheOtherForm)
{
	FakeHost host;
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_by_name("txqguard_lp", _))
		.WillOnce(Return(Result<void>(Error{ErrorCode::PermissionDenied,
						    "cannot load txqguard_lp: permission denied "
						    "(run as root)"})));
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot load txqguard_lp: permission denied (run as root)\n");
}

TEST(LoadBackend, ExplicitLivepatchDoesNotFallBack)
{
	FakeHost host;
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_from_path("/b/txqguard_lp.ko", ""))
		.WillOnce(Return(refused("/b/txqguard_lp.ko", "Operation not supported")));
	EXPECT_EQ(host.run({"load", "--backend", "livepatch", "--module", "/b/txqguard.ko"}),
		  kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot load /b/txqguard_lp.ko: Operation not supported "
			      "(see dmesg)\n");
}

TEST(LoadBackend, ExplicitLivepatchNeedsLivePatchSupport)
{
	FakeHost host;	// StrictMock loader: nothing is loaded
	EXPECT_EQ(host.run({"load", "--backend", "livepatch"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: refusing to load: this kernel takes no live patches "
			      "(no /sys/kernel/livepatch)\n");
}

TEST(LoadBackend, ExplicitKprobeSkipsTheLivePatchForm)
{
	FakeHost host;
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_from_path("/b/txqguard.ko", "")).WillOnce(loads_kprobe(host));
	EXPECT_EQ(host.run({"load", "--backend", "kprobe", "--module", "/b/txqguard_lp.ko"}), kExitOk);
}

TEST(LoadBackend, UnknownBackendIsAUsageError)
{
	FakeHost host;
	EXPECT_EQ(host.run({"load", "--backend", "ftrace"}), kExitUsage);
	EXPECT_EQ(host.err(), "txqguardctl: unknown backend 'ftrace' (expected auto, livepatch or "
			      "kprobe)\n");
}

TEST(LoadBackend, EitherFormAlreadyLoadedLoadsNothing)
{
	FakeHost lp_host;
	lp_host.livepatch_loaded();
	EXPECT_EQ(lp_host.run({"load", "--backend", "kprobe"}), kExitFailure);
	EXPECT_EQ(lp_host.err(), "txqguardctl: txqguard_lp is already loaded (unload it first, or "
				 "use set-mode)\n");

	FakeHost kp_host;
	kp_host.module_loaded();
	kp_host.livepatch_supported(true);
	EXPECT_EQ(kp_host.run({"load", "--backend", "livepatch"}), kExitFailure);
	EXPECT_EQ(kp_host.err(), "txqguardctl: txqguard is already loaded (unload it first, or "
				 "use set-mode)\n");
}

TEST(LoadBackend, AForeignLivePatchOfThePickRefusesTheLivePatchForm)
{
	FakeHost host;	// StrictMock loader: nothing is loaded
	host.livepatch_supported(true);
	ON_CALL(host.livepatch, patched_functions()).WillByDefault(Return(foreign_patch()));
	EXPECT_EQ(host.run({"load", "--backend", "livepatch"}), kExitRefused);
	EXPECT_EQ(host.err(), "txqguardctl: refusing to load txqguard_lp: live patch kpatch_net_fix "
			      "replaces netdev_core_pick_tx (vmlinux, sympos 1), and a second live "
			      "patch would take its place (--backend kprobe guards beside it)\n");
	EXPECT_EQ(host.out(), "");
}

TEST(LoadBackend, AForeignLivePatchMakesAutoLoadTheKprobeFormWithAWarning)
{
	FakeHost host;
	host.livepatch_supported(true);
	ON_CALL(host.livepatch, patched_functions()).WillByDefault(Return(foreign_patch()));
	EXPECT_CALL(host.loader, load_by_name("txqguard", _)).WillOnce(loads_kprobe(host));
	EXPECT_EQ(host.run({"load"}), kExitOk);
	EXPECT_EQ(host.err(), "txqguardctl: warning: live patch kpatch_net_fix replaces "
			      "netdev_core_pick_tx (vmlinux, sympos 1)\n");
	EXPECT_EQ(host.out().find("live-patch form not tried (live patch kpatch_net_fix replaces "
				  "netdev_core_pick_tx (vmlinux, sympos 1)); loaded the kprobe form\n"),
		  0u)
		<< host.out();
}

TEST(LoadBackend, ForeignKprobesAreWarnedAbout)
{
	FakeHost host;
	ON_CALL(host.hook_lists, kprobes_list())
		.WillByDefault(Return(Result<std::string>(
			"ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n")));
	EXPECT_CALL(host.loader, load_by_name("txqguard", _)).WillOnce(loads_kprobe(host));
	EXPECT_EQ(host.run({"load"}), kExitOk);
	EXPECT_EQ(host.err(), "txqguardctl: warning: 1 kprobe on netdev_pick_tx "
			      "(netdev_pick_tx+0x0 [FTRACE])\n");
}

TEST(LoadBackend, WaitsForTheEnableTransition)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_by_name("txqguard_lp", _))
		.WillOnce(loads_livepatch(host, {true, true, false}));
	EXPECT_CALL(host.livepatch, state(std::string_view("txqguard_lp")))
		.WillOnce(Return(patch(true, true)))
		.WillOnce(Return(patch(true, true)))
		.WillRepeatedly(Return(patch(true, false)));
	EXPECT_EQ(host.run({"load", "--json"}), kExitOk) << host.err();
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["module"], "txqguard_lp");
	EXPECT_EQ(j["backend"], "livepatch");
	EXPECT_EQ(j["livepatch"]["enabled"], true);
	EXPECT_EQ(j["livepatch"]["transition"], false);
	EXPECT_EQ(host.sleeps, 2);
}

TEST(LoadBackend, AnEnableTransitionThatDoesNotEndIsAWarning)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_supported(true);
	EXPECT_CALL(host.loader, load_by_name("txqguard_lp", _))
		.WillOnce(loads_livepatch(host, {true, true, false}));
	EXPECT_EQ(host.run({"load", "--timeout", "2"}), kExitOk);
	EXPECT_EQ(host.err(), "txqguardctl: warning: the live patch is still switching tasks after "
			      "2.0 s; those not yet switched run netdev_core_pick_tx unguarded until "
			      "it ends (status shows the transition)\n");
	EXPECT_NE(host.out().find("  livepatch enabled, transition still pending\n"),
		  std::string::npos);
	EXPECT_GE(host.slept, std::chrono::milliseconds(2000));
	EXPECT_LT(host.slept, std::chrono::milliseconds(2200));
}

TEST(UnloadLivepatch, DisablesWaitsAndRemovesRetryingWhileBusy)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_loaded();
	{
		InSequence order;
		EXPECT_CALL(host.livepatch, state(_)).WillOnce(Return(patch(true, false)));
		EXPECT_CALL(host.livepatch, set_enabled(std::string_view("txqguard_lp"), false))
			.WillOnce(Return(Result<void>()));
		EXPECT_CALL(host.livepatch, state(_))
			.Times(2)
			.WillRepeatedly(Return(patch(false, true)));
		EXPECT_CALL(host.livepatch, state(_)).WillOnce(Return(patch(false, false)));
		EXPECT_CALL(host.loader, remove("txqguard_lp"))
			.WillOnce(Return(Result<void>(Error{ErrorCode::Busy, "cannot unload txqguard_lp: it is in use"})));
		EXPECT_CALL(host.loader, remove("txqguard_lp")).WillOnce(Return(Result<void>()));
	}
	EXPECT_EQ(host.run({"unload"}), kExitOk) << host.err();
	EXPECT_EQ(host.out(), "unloaded txqguard_lp (live patch disabled, transition 0.1 s)\n");
	EXPECT_EQ(host.err(), "");
}

TEST(UnloadLivepatch, ATransitionThatDoesNotEndIsReportedAndNothingIsRemoved)
{
	FakeHost host;	// StrictMock loader: remove() must not be called
	host.fake_clock();
	host.livepatch_loaded({false, true, false});	// an earlier unload timed out
	EXPECT_CALL(host.livepatch, set_enabled(_, _)).Times(0);
	EXPECT_CALL(host.livepatch, pending_tasks(kTaskUnpatched))
		.WillOnce(Return(Result<std::vector<PendingTask>>(std::vector<PendingTask>{
			{812, 812, "iperf3", 1, "__schedule+0x282/0x870"},
			{4711, 4713, "handler1", 1, ""}})));
	EXPECT_EQ(host.run({"unload", "--timeout", "1.5"}), kExitFailure);
	EXPECT_EQ(host.out(),
		  "txqguard_lp: tasks the live-patch transition is waiting for (after 1.5 s):\n"
		  "  pid 812 (iperf3): __schedule+0x282/0x870\n"
		  "  pid 4711 tid 4713 (handler1)\n"
		  "The module stays loaded with its patch disabled. Options:\n"
		  "  - wait, then run txqguardctl unload again: the kernel retries the transition "
		  "every second and signals the remaining tasks every 15 s\n"
		  "  - echo 1 > /sys/kernel/livepatch/txqguard_lp/enabled: reverse the transition "
		  "and keep the guard\n"
		  "  - echo 1 > /sys/kernel/livepatch/txqguard_lp/force: finish at once, unsafe for "
		  "tasks still inside the copy; the module can then not be removed until reboot\n");
	EXPECT_EQ(host.err(), "txqguardctl: txqguard_lp's live patch is disabled, but its transition "
			      "did not end in 1.5 s (2 tasks still inside its copy of "
			      "netdev_core_pick_tx); nothing was removed\n");
	EXPECT_GE(host.slept, std::chrono::milliseconds(1500));
}

TEST(UnloadLivepatch, TimeoutReportInJson)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_loaded({true, false, false});
	ON_CALL(host.livepatch, set_enabled(_, false)).WillByDefault([&host](std::string_view, bool) {
		ON_CALL(host.livepatch, state(_)).WillByDefault(Return(patch(false, true)));
		return Result<void>();
	});
	EXPECT_CALL(host.livepatch, pending_tasks(_))
		.WillOnce(Return(Result<std::vector<PendingTask>>(
			Error{ErrorCode::PermissionDenied, "cannot list /proc: Permission denied"})));
	EXPECT_EQ(host.run({"unload", "--json", "--timeout", "1"}), kExitFailure);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["unloaded"], false);
	EXPECT_TRUE(j["pending_tasks"].is_null());
	EXPECT_EQ(j["pending_tasks_error"], "cannot list /proc: Permission denied");
	EXPECT_EQ(j["remedies"].size(), 3u);
	EXPECT_EQ(line_count(host.err()), 1u);
}

TEST(UnloadLivepatch, ATransitionEndingWhileTasksAreListedStillUnloads)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_loaded({false, true, false});
	EXPECT_CALL(host.livepatch, pending_tasks(_)).WillOnce([&host](int) {
		ON_CALL(host.livepatch, state(_))
			.WillByDefault(Return(Result<PatchState>(Error{ErrorCode::NotFound, "gone"})));
		return Result<std::vector<PendingTask>>(std::vector<PendingTask>{});
	});
	EXPECT_CALL(host.loader, remove("txqguard_lp")).WillOnce(Return(Result<void>()));
	EXPECT_EQ(host.run({"unload", "--timeout", "1"}), kExitOk) << host.err();
	EXPECT_EQ(host.out(), "unloaded txqguard_lp (live patch disabled)\n");
}

TEST(UnloadLivepatch, APatchAlreadyFreedLeavesOnlyTheModule)
{
	FakeHost host;
	host.livepatch_loaded();
	ON_CALL(host.livepatch, state(_))
		.WillByDefault(Return(Result<PatchState>(Error{ErrorCode::NotFound, "no live patch"})));
	EXPECT_CALL(host.livepatch, set_enabled(_, _)).Times(0);
	EXPECT_CALL(host.loader, remove("txqguard_lp")).WillOnce(Return(Result<void>()));
	EXPECT_EQ(host.run({"unload", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["unloaded"], true);
	EXPECT_EQ(j["module"], "txqguard_lp");
	EXPECT_TRUE(j["transition_seconds"].is_null());
}

TEST(UnloadLivepatch, StillBusyAfterTwoSecondsIsAFailure)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_loaded({false, false, false});
	EXPECT_CALL(host.loader, remove("txqguard_lp"))
		.Times(21)
		.WillRepeatedly(Return(Result<void>(Error{ErrorCode::Busy,
							  "cannot unload txqguard_lp: it is in use"})));
	EXPECT_EQ(host.run({"unload"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot unload txqguard_lp: it is in use; its live patch "
			      "is already disabled, so the txhash guard is off until unload succeeds "
			      "and load runs again\n");
}

TEST(UnloadLivepatch, AHazardWindowHoldingTheModuleLeavesThePatchEnabled)
{
	FakeHost host;	// StrictMock loader: remove() must not be called
	host.fake_clock();
	host.livepatch_loaded({true, false, false}, with_hold(kStatsLivepatch, 4000));
	ON_CALL(host.params, refcount()).WillByDefault(Return(Result<unsigned>(2u)));
	EXPECT_CALL(host.livepatch, set_enabled(_, _)).Times(0);
	EXPECT_EQ(host.run({"unload", "--timeout", "5"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard_lp is still in use after 5.0 s (1 reference "
			      "besides its live patch's): a lethal hazard holds it for 4.0 s more, "
			      "unless another comes (unload_hold_s after the last); its live patch "
			      "stays enabled, nothing was changed\n");
	EXPECT_GE(host.slept, std::chrono::milliseconds(5000));
}

TEST(UnloadLivepatch, AHazardAfterTheTransitionIsReportedWithThePatchGone)
{
	FakeHost host;	// StrictMock loader: remove() must not be called
	host.fake_clock();
	host.livepatch_loaded({false, false, false}, with_hold(kStatsLivepatch, 9000));
	ON_CALL(host.params, refcount()).WillByDefault(Return(Result<unsigned>(1u)));
	EXPECT_EQ(host.run({"unload", "--timeout", "1"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard_lp is still in use after 1.0 s (1 reference): "
			      "a lethal hazard holds it for 9.0 s more, unless another comes "
			      "(unload_hold_s after the last); its live patch is already disabled, so "
			      "the txhash guard is off until unload succeeds and load runs again\n");
}

TEST(UnloadKprobe, WaitsForAHazardWindowToClose)
{
	FakeHost host;
	host.fake_clock();
	host.module_loaded();
	EXPECT_CALL(host.params, refcount())
		.WillOnce(Return(Result<unsigned>(1u)))
		.WillOnce(Return(Result<unsigned>(1u)))
		.WillRepeatedly(Return(Result<unsigned>(0u)));
	EXPECT_CALL(host.loader, remove("txqguard")).WillOnce(Return(Result<void>()));
	EXPECT_EQ(host.run({"unload"}), kExitOk) << host.err();
	EXPECT_EQ(host.sleeps, 2);
}

TEST(UnloadKprobe, AWindowThatStaysOpenRemovesNothing)
{
	FakeHost host;	// StrictMock loader: remove() must not be called
	host.fake_clock();
	host.module_loaded(with_hold(kStatsText, 2500));
	ON_CALL(host.params, refcount()).WillByDefault(Return(Result<unsigned>(1u)));
	EXPECT_EQ(host.run({"unload", "--timeout", "0.5"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is still in use after 0.5 s (1 reference): a "
			      "lethal hazard holds it for 2.5 s more, unless another comes "
			      "(unload_hold_s after the last); nothing was changed\n");
}

// The module's hold is closed, yet something holds a reference: an open
// debugfs file (the selftest writer's, say) is no hazard window.
TEST(UnloadKprobe, AReferenceThatIsNotTheHoldIsNotCalledOne)
{
	FakeHost host;	// StrictMock loader: remove() must not be called
	host.fake_clock();
	host.module_loaded();
	ON_CALL(host.params, refcount()).WillByDefault(Return(Result<unsigned>(1u)));
	EXPECT_EQ(host.run({"unload", "--timeout", "0.5"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is still in use after 0.5 s (1 reference): not "
			      "its unload hold, which is closed: something else holds a reference (an "
			      "open file of /sys/kernel/debug/txqguard?); nothing was changed\n");
}

TEST(UnloadKprobe, AModuleThatDoesNotReportItsHoldGetsTheGeneralReason)
{
	FakeHost host;	// StrictMock loader: remove() must not be called
	host.fake_clock();
	std::string stats = kStatsText;
	stats.erase(stats.find("hold_ms 0\n"), 10);
	host.module_loaded(stats);
	ON_CALL(host.params, refcount()).WillByDefault(Return(Result<unsigned>(1u)));
	EXPECT_EQ(host.run({"unload", "--timeout", "0.5"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is still in use after 0.5 s (1 reference): a "
			      "lethal-hazard window holds it until no lethal hazard was seen for "
			      "unload_hold_s seconds; nothing was changed\n");
}

TEST(UnloadLivepatch, AMomentaryReferenceIsWaitedOut)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_loaded();
	EXPECT_CALL(host.params, refcount())
		.WillOnce(Return(Result<unsigned>(2u)))	// someone reads debugfs
		.WillOnce(Return(Result<unsigned>(1u)))	// the live-patch core's
		.WillRepeatedly(Return(Result<unsigned>(0u)));	// the patch freed
	EXPECT_CALL(host.livepatch, set_enabled(_, false)).WillOnce([&host](std::string_view, bool) {
		ON_CALL(host.livepatch, state(_))
			.WillByDefault(Return(Result<PatchState>(Error{ErrorCode::NotFound, "gone"})));
		return Result<void>();
	});
	EXPECT_CALL(host.loader, remove("txqguard_lp")).WillOnce(Return(Result<void>()));
	EXPECT_EQ(host.run({"unload"}), kExitOk) << host.err();
}

TEST(UnloadLivepatch, ReenabledMeanwhileIsAFailure)
{
	FakeHost host;
	host.fake_clock();
	host.livepatch_loaded({false, true, false});
	EXPECT_CALL(host.livepatch, state(_))
		.WillOnce(Return(patch(false, true)))
		.WillRepeatedly(Return(patch(true, true)));
	EXPECT_EQ(host.run({"unload"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard_lp was enabled again while waiting for its "
			      "transition\n");
}

TEST(UnloadLivepatch, CannotDisableIsAFailure)
{
	FakeHost host;
	host.livepatch_loaded();
	EXPECT_CALL(host.livepatch, set_enabled(_, false))
		.WillOnce(Return(Result<void>(Error{ErrorCode::PermissionDenied,
						    "cannot write /sys/kernel/livepatch/txqguard_lp/"
						    "enabled: permission denied (run as root)"})));
	EXPECT_EQ(host.run({"unload"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot disable txqguard_lp's live patch: cannot write "
			      "/sys/kernel/livepatch/txqguard_lp/enabled: permission denied (run as "
			      "root)\n");
}

TEST(UnloadLivepatch, KprobeFormIsRemovedAtOnce)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_CALL(host.livepatch, set_enabled(_, _)).Times(0);
	EXPECT_CALL(host.loader, remove("txqguard")).WillOnce(Return(Result<void>()));
	EXPECT_EQ(host.run({"unload", "--timeout", "5"}), kExitOk);
	EXPECT_EQ(host.out(), "unloaded txqguard\n");
}

TEST(UnloadLivepatch, BadTimeoutIsAUsageError)
{
	FakeHost host;
	EXPECT_EQ(host.run({"unload", "--timeout", "0"}), kExitUsage);
	EXPECT_EQ(host.run({"unload", "--timeout", "nan"}), kExitUsage);
}

TEST(LivepatchStatus, ShowsTheFormBackendAndPatchState)
{
	FakeHost host;
	host.livepatch_loaded();
	host.openvswitch(true);
	EXPECT_EQ(host.run({"status"}), kExitOk);
	const std::string out = host.out();
	EXPECT_NE(out.find("txqguard       loaded as txqguard_lp, version 0.1.0, mode enforce, "
			   "backend livepatch\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("  livepatch    enabled 1, transition 0\n"), std::string::npos) << out;
	EXPECT_NE(out.find("  txhash       armed on netdev_core_pick_tx+0x0/0xc0 (livepatch)\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("hooks          none but txqguard's on netdev_core_pick_tx "
			   "netdev_pick_tx ovs_vport_send\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("verdict        protected"), std::string::npos);
}

TEST(LivepatchStatus, Json)
{
	FakeHost host;
	host.livepatch_loaded({true, true, false});
	EXPECT_EQ(host.run({"status", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["module"]["name"], "txqguard_lp");
	EXPECT_EQ(j["module"]["backend"], "livepatch");
	EXPECT_EQ(j["module"]["livepatch"]["enabled"], true);
	EXPECT_EQ(j["module"]["livepatch"]["transition"], true);
	EXPECT_TRUE(j["foreign_hooks"]["hooks"].empty());
	EXPECT_TRUE(j["foreign_hooks"]["unchecked"].empty());
}

TEST(LivepatchStatus, ADisabledPatchDoesNotGuard)
{
	FakeHost host;
	host.livepatch_loaded({false, true, false});
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find("  livepatch    enabled 0, transition 1\n"), std::string::npos);
}

TEST(LivepatchStatus, WithoutRootTheBackendComesFromTheModuleName)
{
	FakeHost host;
	host.livepatch_loaded();
	host.debugfs_fails(ErrorCode::PermissionDenied, "cannot read stats: permission denied");
	ON_CALL(host.hook_lists, kprobes_list())
		.WillByDefault(Return(Result<std::string>(Error{ErrorCode::PermissionDenied, "no"})));
	EXPECT_EQ(host.run({"status", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["module"]["backend"], "livepatch");
	EXPECT_EQ(j["guarded"], true);
	EXPECT_EQ(j["foreign_hooks"]["unchecked"][0],
		  "kprobes and ftrace: txqguard's own probes are unknown");
}

TEST(LivepatchStatus, ForeignHooksAreWarnings)
{
	FakeHost host;
	host.module_loaded();
	ON_CALL(host.livepatch, supported()).WillByDefault(Return(true));
	ON_CALL(host.livepatch, patched_functions()).WillByDefault(Return(foreign_patch()));
	ON_CALL(host.hook_lists, enabled_functions())
		.WillByDefault(Return(Result<std::string>(std::string("garbage\n"))));
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("warning        live patch kpatch_net_fix replaces "
				  "netdev_core_pick_tx (vmlinux, sympos 1)\n"),
		  std::string::npos)
		<< host.out();
	EXPECT_NE(host.out().find("  not checked  ftrace: malformed enabled_functions line 1"),
		  std::string::npos)
		<< host.out();
	EXPECT_EQ(host.out().find("hooks          none"), std::string::npos);
}

TEST(LivepatchMetrics, BackendLabelTransitionAndForeignHooks)
{
	FakeHost host;
	host.livepatch_loaded({true, true, false});
	ON_CALL(host.hook_lists, kprobes_list())
		.WillByDefault(Return(Result<std::string>(
			"ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]\n")));
	EXPECT_EQ(host.run({"metrics"}), kExitOk) << host.err();
	const std::string out = host.out();
	EXPECT_NE(out.find("txqguard_info{version=\"0.1.0\",mode=\"enforce\",backend=\"livepatch\","
			   "kernel=\"5.10.0-32-amd64\",srcversion=\"3D5C8F2E1A7B9C0D4E6F812\","
			   "kernel_build=\"#1 SMP Debian 5.10.223-1 (2024-08-10)\"} 1\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("\ntxqguard_livepatch_enabled 1\n"), std::string::npos);
	EXPECT_NE(out.find("\ntxqguard_livepatch_transition 1\n"), std::string::npos);
	EXPECT_NE(out.find("\ntxqguard_module_loaded 1\n"), std::string::npos);
	EXPECT_NE(out.find("txqguard_foreign_hooks{function=\"netdev_pick_tx\"} 1\n"),
		  std::string::npos);
	EXPECT_NE(out.find("txqguard_foreign_hooks{function=\"netdev_core_pick_tx\"} 0\n"),
		  std::string::npos);
}

TEST(LivepatchMetrics, TheKprobeFormHasNoLivepatchGauges)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"metrics"}), kExitOk);
	EXPECT_EQ(host.out().find("txqguard_livepatch_"), std::string::npos);
}

TEST(LivepatchCommands, SetModeStatsAndEventsSeeTheLivePatchForm)
{
	FakeHost host;
	host.livepatch_loaded();
	EXPECT_CALL(host.params, set_mode(std::string_view("detect")))
		.WillOnce([&host](std::string_view) {
			ON_CALL(host.params, mode()).WillByDefault(Return(Result<std::string>("detect")));
			return Result<void>();
		});
	EXPECT_EQ(host.run({"set-mode", "detect"}), kExitOk) << host.err();
	EXPECT_EQ(host.run({"stats"}), kExitOk) << host.err();
	EXPECT_NE(host.out().find("backend                      livepatch\n"), std::string::npos)
		<< host.out();
	EXPECT_EQ(host.run({"events"}), kExitOk) << host.err();
}

}  // namespace
}  // namespace txqg::testing
