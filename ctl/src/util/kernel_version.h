// The upstream version behind a kernel release string.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "result.h"

namespace txqg {

struct KernelVersion {
	int major = 0;
	int minor = 0;
	int patch = 0;

	friend auto operator<=>(const KernelVersion &, const KernelVersion &) = default;
	std::string str() const;
};

struct UpstreamVersion {
	KernelVersion version;
	bool prerelease = false;	// -rcN: somewhere before version
	std::string origin;		// "release" or "debian"
};

// A plain upstream release ("6.13", "6.1.100", "6.14.0-rc2") is taken as
// is. A Debian ABI release ("5.10.0-32-amd64") says nothing about the
// upstream patch level; Debian puts that in /proc/version ("... Debian
// 5.10.223-1 ..."). Any other vendor string cannot be mapped: NotFound,
// whose message names the openEuler 22.03 family (5.10.0-136.*.oe2203*,
// *.ctl3.*) as such: their 5.10 base says nothing about their backports.
Result<UpstreamVersion> resolve_upstream_version(std::string_view release,
						 std::string_view proc_version);

}  // namespace txqg
