// verify: proves on this very kernel that the guards sit on the live
// transmit path, and finds out by behaviour whether Open vSwitch already
// drops output to a port that is not running (upstream 47e55e4b410f).
// verify --reproduce: the deterministic race, for staging hosts.
//
// Everything here runs inside a Lab (a private network namespace); the
// functions build their test bed there and take it down again on every
// way out.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "env.h"
#include "sandbox.h"
#include "selftest_hooks.h"
#include "stats_source.h"
#include "verify_record.h"

namespace txqg {

// Test bed names; the namespace is private, so they clash with nothing.
inline constexpr const char *kVerifyDatapath = "txqg-verify";
inline constexpr const char *kVerifyTap = "tqv-tap";
inline constexpr const char *kVerifyVeth = "tqv-veth";
inline constexpr const char *kVerifyVethPeer = "tqv-veth-p";
inline constexpr const char *kVerifyDown = "tqv-down";
inline constexpr unsigned kVerifyVethQueues = 2;

inline constexpr const char *kReproDatapath = "txqg-repro";
inline constexpr const char *kReproTap = "tqr-tap";
inline constexpr const char *kReproDie = "tqr-die";
inline constexpr const char *kReproDiePeer = "tqr-die-p";
inline constexpr const char *kReproOk = "tqr-ok";
inline constexpr const char *kReproOkPeer = "tqr-ok-p";

// What the canaries did: counter increases over the run.
struct CanaryCounts {
	std::uint64_t sent = 0;
	std::uint64_t healthy_delivered = 0;	// received by the veth's peer
	std::uint64_t txhash_checked = 0;
	std::uint64_t ovs_output_checked = 0;
	// ovs_output_port_down: outputs that reached ovs_vport_send for a port
	// that is not running. A fixed do_output() drops them before, so on a
	// fixed kernel this counter never moves, whoever's traffic it is.
	std::uint64_t down_port_outputs = 0;
	// Lethal hazards anywhere on the host during the run. The canaries
	// never go to a dying device, so these are someone else's.
	std::uint64_t txhash_hazards = 0;
	std::uint64_t ovs_output_hazards = 0;

	std::uint64_t lethal_hazards() const { return txhash_hazards + ovs_output_hazards; }
};

struct Check {
	std::string name;
	bool passed = false;
	std::string detail;
};

struct VerifyVerdict {
	std::vector<Check> checks;
	KernelFix fix = KernelFix::Unknown;
	std::string fix_detail;

	bool guards_live() const;
};

VerifyVerdict judge_canaries(const CanaryCounts &counts);

struct LabContext {
	StatsSource &stats;
	Sleeper sleep;
	std::function<bool()> interrupted;
};

// Tap, 2-queue veth and admin-down dummy on a datapath with one flow
// tap -> veth, dummy; canaries written into the tap. Cleanup failures are
// appended to cleanup_errors.
Result<CanaryCounts> run_canaries(Lab &lab, LabContext &ctx, unsigned canaries,
				  std::vector<std::string> &cleanup_errors);

struct ReproduceOptions {
	std::chrono::milliseconds hold{3000};
	std::chrono::milliseconds flood_after{2000};
};

struct ReproduceCounts {
	std::uint64_t injected = 0;
	std::uint64_t healthy_before = 0;	// delivered before the window opened
	std::uint64_t healthy_window = 0;	// delivered while ovs_lock was held
	std::uint64_t ovs_output_hazards = 0;
	std::uint64_t txhash_hazards = 0;
	std::uint64_t neutralized = 0;		// dropped + rx queue cleared
	// Outputs to the port while it was down but still registered: upstream's
	// silent drop, not the lockup.
	std::uint64_t port_down = 0;

	std::uint64_t hazards() const { return ovs_output_hazards + txhash_hazards; }
};

// A tap flooded with frames whose rx queue is recorded, a veth deleted while
// ovs_lock is held, a second veth that must keep receiving.
Result<ReproduceCounts> run_reproduce(Lab &lab, LabContext &ctx, SelftestHooks &hooks,
				      const ReproduceOptions &opts,
				      std::vector<std::string> &cleanup_errors);

}  // namespace txqg
