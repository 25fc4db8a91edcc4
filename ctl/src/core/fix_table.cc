#include "fix_table.h"

#include <array>

namespace txqg {
namespace {

// First release of each stable series with the full fix (netif_running and
// carrier checks before OVS outputs to a port).
constexpr std::array<KernelVersion, 4> kStableFixes = {{
	{5, 10, 237},
	{6, 1, 129},
	{6, 6, 74},
	{6, 12, 11},
}};
constexpr KernelVersion kMainlineFix{6, 13, 0};

// Before this 5.10.y release an unregistering device kept its
// real_num_tx_queues, so skb_tx_hash() had nothing to spin on.
constexpr KernelVersion kFirstAffected510{5, 10, 94};
// Series between 5.10 and the mainline change that 5.10.94 backported.
constexpr KernelVersion kFirstAffectedMainline{5, 17, 0};

bool same_series(const KernelVersion &a, const KernelVersion &b)
{
	return a.major == b.major && a.minor == b.minor;
}

}  // namespace

std::string_view fix_status_name(FixStatus status)
{
	switch (status) {
	case FixStatus::Fixed: return "fixed";
	case FixStatus::Vulnerable: return "vulnerable";
	case FixStatus::Unknown: break;
	}
	return "unknown";
}

FixAssessment assess_fix(const UpstreamVersion &upstream)
{
	const KernelVersion &v = upstream.version;
	FixAssessment a;
	a.upstream = upstream;

	if (v >= kMainlineFix) {
		if (upstream.prerelease && same_series(v, kMainlineFix)) {
			a.reason = "a " + std::to_string(v.major) + "." + std::to_string(v.minor) +
				   " release candidate may predate the fix";
			return a;
		}
		a.status = FixStatus::Fixed;
		a.fixed_in = kMainlineFix;
		a.reason = "mainline carries the fix since 6.13";
		return a;
	}
	for (const KernelVersion &fix : kStableFixes) {
		if (!same_series(v, fix))
			continue;
		a.fixed_in = fix;
		if (!upstream.prerelease && v >= fix) {
			a.status = FixStatus::Fixed;
			a.reason = "fixed in " + fix.str();
		} else if (same_series(v, kFirstAffected510) && v < kFirstAffected510) {
			a.reason = "not affected by this path: real_num_tx_queues is not "
				   "zeroed before " + kFirstAffected510.str();
		} else {
			a.status = FixStatus::Vulnerable;
			a.reason = "fixed in " + fix.str();
		}
		return a;
	}
	if (v < kFirstAffected510) {
		a.reason = "not affected by this path: real_num_tx_queues is not zeroed "
			   "before " + kFirstAffected510.str();
	} else if (v < kFirstAffectedMainline) {
		a.reason = "no fix data for the " + std::to_string(v.major) + "." +
			   std::to_string(v.minor) + " series";
	} else {
		a.status = FixStatus::Vulnerable;
		a.fixed_in = kMainlineFix;
		a.reason = "this series never received the fix (mainline 6.13)";
	}
	return a;
}

FixAssessment assess_fix(std::string_view release, std::string_view proc_version)
{
	auto upstream = resolve_upstream_version(release, proc_version);
	if (!upstream)
		return FixAssessment{FixStatus::Unknown, std::nullopt, std::nullopt,
				     upstream.error().message};
	return assess_fix(*upstream);
}

}  // namespace txqg
