// Result<T>: the value of an operation that can fail in expected ways
// (missing files, permissions, malformed kernel output). Fatal user errors
// are exceptions instead (see usage_error.h).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace txqg {

enum class ErrorCode {
	Io,
	NotFound,
	PermissionDenied,
	NotMounted,
	NotLoaded,
	Parse,
	Invalid,
	Busy,
	Exists,
	Interrupted,
	Timeout,
};

struct Error {
	Error(ErrorCode code, std::string message) : code(code), message(std::move(message)) {}

	ErrorCode code;
	std::string message;	// the whole line for the user
	// The parts of message a caller may word its own way, so no one parses
	// it: what was attempted, why it failed, the errno behind that, and
	// whether the kernel log says more.
	std::string context;
	std::string reason;
	int sys_errno = 0;
	bool see_kernel_log = false;
};

// "<context>: <reason>", with both kept apart as well.
inline Error contextual_error(ErrorCode code, std::string context, std::string reason,
			      int sys_errno = 0)
{
	Error e(code, context + ": " + reason);
	e.context = std::move(context);
	e.reason = std::move(reason);
	e.sys_errno = sys_errno;
	return e;
}

// e, for a failure whose cause only the kernel log names.
inline Error with_kernel_log(Error e)
{
	e.message += " (see dmesg)";
	e.see_kernel_log = true;
	return e;
}

template <typename T>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::move(value)) {}
	Result(Error error) : v_(std::move(error)) {}

	bool ok() const { return v_.index() == 0; }
	explicit operator bool() const { return ok(); }

	T &value() & { return std::get<0>(v_); }
	const T &value() const & { return std::get<0>(v_); }
	T &&value() && { return std::get<0>(std::move(v_)); }
	T &operator*() & { return value(); }
	const T &operator*() const & { return value(); }
	T *operator->() { return &value(); }
	const T *operator->() const { return &value(); }

	const Error &error() const { return std::get<1>(v_); }

private:
	std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
	Result() = default;
	Result(Error error) : error_(std::move(error)) {}

	bool ok() const { return !error_; }
	explicit operator bool() const { return ok(); }
	const Error &error() const { return *error_; }

private:
	std::optional<Error> error_;
};

}  // namespace txqg

// In a function returning Result<...>: hands back the error of a failed
// Result expression, so a sequence of steps reads as one.
#define TXQG_TRY(expr)                     \
	do {                               \
		if (auto r_ = (expr); !r_) \
			return r_.error(); \
	} while (0)

