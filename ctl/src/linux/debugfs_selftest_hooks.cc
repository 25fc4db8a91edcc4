#include "debugfs_selftest_hooks.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <thread>

#include "contract.h"
#include "file_io.h"

namespace txqg {
namespace {

constexpr std::string_view kHoldMessage = "txqguard: selftest: holding ovs_lock";

}  // namespace

DebugfsSelftestHooks::DebugfsSelftestHooks(std::string debugfs_root, std::string kmsg)
	: hold_path_(debugfs_root + "/" + std::string(kModuleName) + "/selftest/hold_ovs_lock_ms"),
	  kmsg_path_(std::move(kmsg))
{
}

Result<void> DebugfsSelftestHooks::watch_kernel_log()
{
	UniqueFd fd(::open(kmsg_path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	if (!fd)
		return errno_error(errno, "cannot read the kernel log (" + kmsg_path_ + ")");
	if (::lseek(fd.get(), 0, SEEK_END) < 0)
		return errno_error(errno, "cannot seek " + kmsg_path_);
	kmsg_ = std::move(fd);
	return {};
}

Result<void> DebugfsSelftestHooks::hold_ovs_lock(std::chrono::milliseconds hold)
{
	auto r = write_existing_file(hold_path_, std::to_string(hold.count()));
	if (r)
		return r;
	switch (r.error().code) {
	case ErrorCode::NotFound:
		return Error{ErrorCode::NotFound,
			     hold_path_ + " is missing: load txqguard with selftest=1 "
			     "(and debugfs mounted)"};
	default:
		return Error{r.error().code, "cannot hold ovs_lock: " + r.error().message};
	}
}

Result<void> DebugfsSelftestHooks::wait_hold_taken(std::chrono::milliseconds timeout)
{
	if (!kmsg_)
		return Error{ErrorCode::Invalid, "the kernel log is not being watched"};
	const auto deadline = std::chrono::steady_clock::now() + timeout;
	char buf[8192];
	while (std::chrono::steady_clock::now() < deadline) {
		ssize_t n = ::read(kmsg_.get(), buf, sizeof(buf) - 1);
		if (n > 0) {
			// One record per read: "prio,seq,usec,flags;message".
			std::string_view rec(buf, static_cast<size_t>(n));
			auto semi = rec.find(';');
			if (semi != std::string_view::npos &&
			    rec.substr(semi + 1).starts_with(kHoldMessage))
				return {};
			continue;
		}
		if (n < 0 && errno == EPIPE)
			continue;	// records were overwritten under us
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return errno_error(errno, "cannot read " + kmsg_path_);
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return Error{ErrorCode::Timeout, "txqguard never reported holding ovs_lock"};
}

}  // namespace txqg
