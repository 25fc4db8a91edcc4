// The record verify leaves behind, and what status and metrics may take
// from it: the kernel-fix verdict belongs to a kernel build (any boot of
// it), guard liveness to the boot it was measured in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json.h"
#include "kernel_info.h"

namespace txqg {

enum class KernelFix { Fixed, NotFixed, Unknown };
std::string_view kernel_fix_name(KernelFix fix);
std::optional<KernelFix> kernel_fix_from_name(std::string_view name);

struct VerifyRecord {
	std::string time;		// ISO 8601, UTC
	std::int64_t epoch_seconds = 0;
	std::string boot_id;
	std::string kernel;		// uname -r
	std::string kernel_build;	// uname -v
	bool passed = false;		// both guards live
	KernelFix fix = KernelFix::Unknown;
	std::string fix_detail;
	Json json;			// as saved
};

// nullopt when j lacks a field status and metrics rely on (a record of an
// older txqguardctl, or a damaged file).
std::optional<VerifyRecord> parse_verify_record(const Json &j);

// The record, when it was made on the running kernel build: release and
// uname -v both match. this_boot: the boot ids match too.
struct ApplicableVerify {
	VerifyRecord record;
	bool this_boot = false;
};
std::optional<ApplicableVerify> applicable_verify(const Json &j, const Uname &running,
						  std::string_view boot_id);

}  // namespace txqg
