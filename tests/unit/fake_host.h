// A host made of gmock fakes, with sample module output, for command tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "debugfs_stats_source.h"
#include "env.h"
#include "mocks.h"

namespace txqg::testing {

inline constexpr const char *kStatsText =
	"version 0.1.0\n"
	"mode enforce\n"
	"backend kprobe\n"
	"txhash_checked 0\n"
	"txhash_hazards 0\n"
	"txhash_neutralized 0\n"
	"ovs_output_checked 1184309\n"
	"ovs_output_hazards 279096\n"
	"ovs_output_dropped 279096\n"
	"ovs_output_port_down 5120\n"
	"ovs_output_port_down_dropped 5120\n"
	"events_total 279096\n"
	"hold_ms 0\n";

inline constexpr const char *kProbesArmed =
	"txhash netdev_pick_tx armed netdev_pick_tx+0x0/0x280 00000000d3ffde9f ftrace\n"
	"ovs_output ovs_vport_send armed ovs_vport_send+0x0/0x120 [openvswitch] "
	"000000005ad66506 ftrace\n";

inline constexpr const char *kProbesWaiting =
	"txhash netdev_pick_tx armed netdev_pick_tx+0x0/0x280 00000000d3ffde9f ftrace\n"
	"ovs_output ovs_vport_send waiting\n";

// txqguard_lp: the txhash guard is the live patch of netdev_core_pick_tx.
inline constexpr const char *kStatsLivepatch =
	"version 0.1.0\n"
	"mode enforce\n"
	"backend livepatch\n"
	"txhash_checked 12\n"
	"txhash_hazards 0\n"
	"txhash_neutralized 0\n"
	"ovs_output_checked 0\n"
	"ovs_output_hazards 0\n"
	"ovs_output_dropped 0\n"
	"ovs_output_port_down 0\n"
	"ovs_output_port_down_dropped 0\n"
	"events_total 0\n"
	"hold_ms 0\n";

inline constexpr const char *kProbesLivepatch =
	"txhash netdev_core_pick_tx armed netdev_core_pick_tx+0x0/0xc0 00000000d3ffde9f "
	"livepatch\n"
	"ovs_output ovs_vport_send armed ovs_vport_send+0x0/0x120 [openvswitch] "
	"000000005ad66506 kprobe-ftrace\n";

inline constexpr const char *kEventsText =
	"time=1795412345.123456789 cpu=0 guard=ovs_output ifname=vdie ifindex=6 "
	"netns=4026531992 reg_state=1 real_num_tx_queues=1 running=0 carrier=0 "
	"action=dropped\n";

inline constexpr const char *kDebian510Release = "5.10.0-32-amd64";
inline constexpr const char *kDebian510ProcVersion =
	"Linux version 5.10.0-32-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian "
	"10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP "
	"Debian 5.10.223-1 (2024-08-10)\n";
inline constexpr const char *kDebian510Build = "#1 SMP Debian 5.10.223-1 (2024-08-10)";
inline constexpr const char *kSrcversion = "3D5C8F2E1A7B9C0D4E6F812";

class FakeHost {
public:
	FakeHost();

	void kernel(const std::string &release, const std::string &proc_version,
		    const std::string &machine = "x86_64", const std::string &build = "#1 SMP");
	// A loaded txqguard whose debugfs files hold these texts.
	void module_loaded(const std::string &stats = kStatsText,
			   const std::string &probes = kProbesArmed,
			   const std::string &mode = "enforce", bool selftest = false);
	void module_absent();
	// txqguard_lp loaded, its patch in this state.
	void livepatch_loaded(PatchState state = {true, false, false},
			      const std::string &stats = kStatsLivepatch,
			      const std::string &probes = kProbesLivepatch);
	// The kernel has /sys/kernel/livepatch.
	void livepatch_supported(bool supported);
	// env.now() follows the sleeps instead of the wall clock.
	void fake_clock();
	void openvswitch(bool loaded);
	// debugfs answers every read with this error (not root, not mounted).
	void debugfs_fails(ErrorCode code, const std::string &message);

	int run(const std::vector<std::string> &args) { return run_cli(args, env); }
	std::string out() const { return out_stream.str(); }
	std::string err() const { return err_stream.str(); }

	::testing::NiceMock<MockKernelInfo> kernel_info;
	::testing::NiceMock<MockModuleParams> params;
	::testing::StrictMock<MockModuleLoader> loader;
	::testing::NiceMock<MockDebugfsReader> reader;
	::testing::NiceMock<MockLivepatchState> livepatch;
	::testing::NiceMock<MockHookLists> hook_lists;
	DebugfsStatsSource source{reader};
	bool txqguard_loaded = false;
	bool txqguard_lp_loaded = false;
	bool openvswitch_loaded = false;
	std::string boot_id = "b1";	// what kernel_info.boot_id() says
	int sleeps = 0;
	std::chrono::milliseconds slept{0};
	std::ostringstream out_stream, err_stream;
	Env env{kernel_info, params, loader, source, out_stream, err_stream,
		[this](std::chrono::milliseconds d) {
			++sleeps;
			slept += d;
			return true;
		}};
};

}  // namespace txqg::testing
