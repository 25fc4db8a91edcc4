// A network namespace of our own, held by a file descriptor and by nothing
// else: no bind mount under /run/netns, no process inside. Closing it
// deletes the namespace once the sockets opened in it are closed too, and
// the kernel then unregisters its devices in one batch (cleanup_net).
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "result.h"
#include "unique_fd.h"

namespace txqg {

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
		using R = std::invoke_result_t<Fn &>;
		std::optional<R> out;
		std::exception_ptr thrown;
		std::thread worker([&] {
			try {
				if (auto r = enter(); !r)
					out.emplace(r.error());
				else
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

private:
	NetNamespace(UniqueFd fd, std::uint32_t inode) : fd_(std::move(fd)), inode_(inode) {}
	// Moves the calling thread into the namespace.
	Result<void> enter() const;

	UniqueFd fd_;
	std::uint32_t inode_ = 0;
};

}  // namespace txqg
