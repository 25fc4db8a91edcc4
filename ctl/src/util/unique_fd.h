// Owns a file descriptor; closes it on destruction.
#pragma once

#include <unistd.h>

#include <utility>

namespace txqg {

class UniqueFd {
public:
	UniqueFd() = default;
	explicit UniqueFd(int fd) : fd_(fd) {}
	~UniqueFd() { reset(); }

	UniqueFd(const UniqueFd &) = delete;
	UniqueFd &operator=(const UniqueFd &) = delete;
	UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
	UniqueFd &operator=(UniqueFd &&other) noexcept
	{
		if (this != &other)
			reset(other.release());
		return *this;
	}

	int get() const { return fd_; }
	explicit operator bool() const { return fd_ >= 0; }

	int release() { return std::exchange(fd_, -1); }

	void reset(int fd = -1)
	{
		if (fd_ >= 0)
			::close(fd_);
		fd_ = fd;
	}

	// For writers: close(2) can report a failed write-back.
	int close_checked()
	{
		int fd = release();
		return fd >= 0 ? ::close(fd) : 0;
	}

private:
	int fd_ = -1;
};

}  // namespace txqg
