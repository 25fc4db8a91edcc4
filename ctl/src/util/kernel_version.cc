#include "kernel_version.h"

#include <regex>

namespace txqg {

std::string KernelVersion::str() const
{
	return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

namespace {

int to_int(const std::ssub_match &m)
{
	return m.matched ? std::stoi(m.str()) : 0;
}

// The uploader's version follows "Debian"; the compiler's ("gcc-10 (Debian
// 10.2.1-6)") comes earlier in the line, so the last match is the kernel's.
std::optional<KernelVersion> debian_upstream(const std::string &proc_version)
{
	static const std::regex re(R"(Debian (\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?-)");
	std::optional<KernelVersion> last;
	for (auto it = std::sregex_iterator(proc_version.begin(), proc_version.end(), re);
	     it != std::sregex_iterator(); ++it)
		last = KernelVersion{to_int((*it)[1]), to_int((*it)[2]), to_int((*it)[3])};
	return last;
}

}  // namespace

Result<UpstreamVersion> resolve_upstream_version(std::string_view release_sv,
						 std::string_view proc_version)
{
	static const std::regex upstream_re(R"((\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(-rc\d+)?\+?)");
	// 5.10.0-32-amd64, 6.1.0-56-cloud-arm64, 5.10.0-0.deb10.30-amd64
	static const std::regex debian_abi_re(R"((\d{1,6})\.(\d{1,6})\.0-\d[0-9a-z.]*-[a-z0-9-]+)");
	// 5.10.0-136.12.0.86.oe2203sp1.x86_64, 5.10.0-136.12.0.88.ctl3.aarch64:
	// openEuler 22.03 and builds derived from it backport at their own pace.
	static const std::regex openeuler_re(
		R"(5\.10\.0-(?:136\.[0-9.]*oe2203[0-9a-z]*|[0-9][0-9.]*\.ctl3)\.[0-9a-z_.+-]+)");
	const std::string release(release_sv);
	std::smatch m;

	if (std::regex_match(release, openeuler_re))
		return Error{ErrorCode::NotFound,
			     "vendor 5.10 build (openEuler 22.03 family): the release string says "
			     "nothing about the fix; verify decides by behaviour"};

	if (std::regex_match(release, m, upstream_re))
		return UpstreamVersion{{to_int(m[1]), to_int(m[2]), to_int(m[3])},
				       m[4].matched, "release"};

	if (std::regex_match(release, m, debian_abi_re)) {
		auto v = debian_upstream(std::string(proc_version));
		if (v && v->major == to_int(m[1]) && v->minor == to_int(m[2]))
			return UpstreamVersion{*v, false, "debian"};
		return Error{ErrorCode::NotFound,
			     "release " + release + " looks like a Debian ABI name but "
			     "/proc/version carries no matching Debian version"};
	}
	return Error{ErrorCode::NotFound,
		     "cannot map vendor kernel release " + release + " to an upstream version"};
}

}  // namespace txqg
