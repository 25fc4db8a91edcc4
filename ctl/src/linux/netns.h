// A network namespace of our own, held by a file descriptor and by nothing
// else: no bind mount under /run/netns, no process inside. Closing it
// deletes the namespace once the sockets opened in it are closed too, and
// the kernel then unregisters its devices in one batch (cleanup_net).
#pragma once

#include <sched.h>

#include <cerrno>
#include <cstdint>
#include <exception>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

#include "netlink_error.h"
#include "result.h"
#include "unique_fd.h"

namespace txqg {

// fn on a short-lived thread of its own, its result or exception handed
// back: namespace changes (unshare, setns) move only the calling thread, so
// the caller's own namespaces never change.
template <typename Fn>
std::invoke_result_t<Fn &> on_worker_thread(Fn &&fn)
{
	std::optional<std::invoke_result_t<Fn &>> out;
	std::exception_ptr thrown;
	std::thread worker([&] {
		try {
			out.emplace(fn());
		} catch (...) {
			thrown = std::current_exception();
		}
	});
	worker.join();
	if (thrown)
		std::rethrow_exception(thrown);
	return std::move(*out);
}

// fn (returning a Result) on a worker thread moved into a new network
// namespace, which goes with the thread unless fn keeps a reference.
template <typename Fn>
std::invoke_result_t<Fn &> in_new_netns(std::string_view what, Fn &&fn)
{
	return on_worker_thread([&]() -> std::invoke_result_t<Fn &> {
		if (::unshare(CLONE_NEWNET) != 0)
			return netlink_errno_error(what, errno);
		return fn();
	});
}

class NetNamespace {
public:
	// Needs CAP_SYS_ADMIN; the calling thread's own namespace is not changed.
	static Result<NetNamespace> create();

	int fd() const { return fd_.get(); }
	// As txqguard's events report it.
	std::uint32_t inode() const { return inode_; }
	explicit operator bool() const { return static_cast<bool>(fd_); }
	// Drops our reference: the namespace goes once nothing else holds it.
	void close() { fd_.reset(); }

	// Runs fn in a thread that joined the namespace and returns what fn
	// returns (a Result). Sockets fn opens stay bound to the namespace after
	// the thread is gone; the caller's thread never changes namespace.
	template <typename Fn>
	std::invoke_result_t<Fn &> run(Fn &&fn) const
	{
		return on_worker_thread([&]() -> std::invoke_result_t<Fn &> {
			if (auto r = enter(); !r)
				return r.error();
			return fn();
		});
	}

private:
	NetNamespace(UniqueFd fd, std::uint32_t inode) : fd_(std::move(fd)), inode_(inode) {}
	// Moves the calling thread into the namespace.
	Result<void> enter() const;

	UniqueFd fd_;
	std::uint32_t inode_ = 0;
};

}  // namespace txqg
