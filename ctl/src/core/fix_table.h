// Which kernels carry the upstream fix for the OVS/tx-queue lockup.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kernel_version.h"

namespace txqg {

enum class FixStatus { Fixed, Vulnerable, Unknown };

std::string_view fix_status_name(FixStatus status);

struct FixAssessment {
	FixStatus status = FixStatus::Unknown;
	std::optional<UpstreamVersion> upstream;
	std::optional<KernelVersion> fixed_in;	// first fixed release of the series
	std::string reason;
};

FixAssessment assess_fix(const UpstreamVersion &upstream);
FixAssessment assess_fix(std::string_view release, std::string_view proc_version);

}  // namespace txqg
