#include "sys_livepatch_state.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "file_io.h"
#include "parse_util.h"

namespace txqg {
namespace {

namespace fs = std::filesystem;

std::string_view trim(std::string_view s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	return s;
}

// Subdirectory names, sorted; a directory that vanished meanwhile is empty.
Result<std::vector<std::string>> subdirectories(const std::string &dir)
{
	std::error_code ec;
	fs::directory_iterator it(dir, ec);
	if (ec)
		return errno_error(ec.value(), "cannot list " + dir);
	std::vector<std::string> names;
	for (; it != fs::directory_iterator(); it.increment(ec)) {
		if (ec)
			return errno_error(ec.value(), "cannot list " + dir);
		std::error_code type_ec;
		if (it->is_directory(type_ec) && !it->is_symlink(type_ec))
			names.push_back(it->path().filename().string());
	}
	std::sort(names.begin(), names.end());
	return names;
}

}  // namespace

Result<bool> parse_patch_flag(std::string_view text, std::string_view file)
{
	std::string_view v = trim(text);
	if (v == "0" || v == "1")
		return v == "1";
	return Error{ErrorCode::Parse, std::string(file) + ": expected 0 or 1"};
}

std::optional<std::pair<std::string, unsigned>> parse_function_dir(std::string_view name)
{
	auto comma = name.rfind(',');
	if (comma == std::string_view::npos || comma == 0)
		return std::nullopt;
	auto sympos = parse_int<unsigned>(name.substr(comma + 1));
	if (!sympos)
		return std::nullopt;
	return std::pair{std::string(name.substr(0, comma)), *sympos};
}

std::optional<int> parse_task_patch_state(std::string_view text)
{
	auto v = parse_int<int>(trim(text));
	if (!v || *v < -1 || *v > 1)
		return std::nullopt;
	return v;
}

std::string first_stack_frame(std::string_view stack)
{
	auto lines = split_lines(stack);
	if (lines.empty())
		return {};
	std::string_view line = trim(lines.front());
	// "[<address>] symbol+off/size": the address is hashed or zero anyway.
	if (line.starts_with("[<"))
		if (auto close = line.find("] "); close != std::string_view::npos)
			line = trim(line.substr(close + 2));
	return std::string(line);
}

SysLivepatchState::SysLivepatchState(std::string sysfs_root, std::string proc_root)
	: sysfs_(std::move(sysfs_root)), proc_(std::move(proc_root))
{
}

bool SysLivepatchState::supported()
{
	return path_exists(sysfs_);
}

Result<PatchState> SysLivepatchState::state(std::string_view patch)
{
	const std::string dir = sysfs_ + "/" + std::string(patch);
	if (!path_exists(dir))
		return Error{ErrorCode::NotFound, "no live patch " + std::string(patch)};
	PatchState st;
	for (auto [name, flag] : {std::pair{"enabled", &st.enabled},
				  std::pair{"transition", &st.transition}}) {
		const std::string file = dir + "/" + name;
		auto text = read_text_file(file);
		if (!text) {
			// Freed between the two reads, or between open and read (kernfs
			// then says ENODEV): the disable finished.
			if (text.error().code == ErrorCode::NotFound ||
			    text.error().sys_errno == ENODEV)
				return Error{ErrorCode::NotFound, "no live patch " + std::string(patch)};
			return text.error();
		}
		auto v = parse_patch_flag(*text, file);
		if (!v)
			return v.error();
		*flag = *v;
	}
	st.signal_file = path_exists(dir + "/signal");
	return st;
}

Result<void> SysLivepatchState::set_enabled(std::string_view patch, bool enabled)
{
	const std::string file = sysfs_ + "/" + std::string(patch) + "/enabled";
	auto r = write_existing_file(file, enabled ? "1" : "0");
	if (r)
		return r;
	switch (r.error().code) {
	case ErrorCode::PermissionDenied:
		return Error{ErrorCode::PermissionDenied,
			     "cannot write " + file + ": permission denied (run as root)"};
	case ErrorCode::NotFound:
		return Error{ErrorCode::NotFound, "no live patch " + std::string(patch)};
	case ErrorCode::Invalid:
		// The core refuses a write that would not change anything, and
		// re-enabling a patch whose disable already completed.
		return Error{ErrorCode::Invalid, "the live-patch core refused to " +
			     std::string(enabled ? "enable " : "disable ") + std::string(patch)};
	default:
		return r;
	}
}

Result<std::vector<PatchedFunction>> SysLivepatchState::patched_functions()
{
	auto patches = subdirectories(sysfs_);
	if (!patches)
		return patches.error();
	std::vector<PatchedFunction> funcs;
	for (const auto &patch : *patches) {
		auto objects = subdirectories(sysfs_ + "/" + patch);
		if (!objects) {
			if (objects.error().code == ErrorCode::NotFound)
				continue;	// freed while we looked
			return objects.error();
		}
		for (const auto &object : *objects) {
			auto entries = subdirectories(sysfs_ + "/" + patch + "/" + object);
			if (!entries) {
				if (entries.error().code == ErrorCode::NotFound)
					continue;
				return entries.error();
			}
			for (const auto &entry : *entries)
				if (auto f = parse_function_dir(entry))
					funcs.push_back({patch, object, f->first, f->second});
		}
	}
	return funcs;
}

Result<std::vector<PendingTask>> SysLivepatchState::pending_tasks(int target)
{
	auto pids = subdirectories(proc_);
	if (!pids)
		return pids.error();
	std::vector<PendingTask> tasks;
	for (const auto &pid : *pids) {
		auto pid_n = parse_int<int>(pid);
		if (!pid_n)
			continue;
		const std::string task_dir = proc_ + "/" + pid + "/task";
		auto tids = subdirectories(task_dir);
		if (!tids)
			continue;	// exited
		for (const auto &tid : *tids) {
			auto tid_n = parse_int<int>(tid);
			if (!tid_n)
				continue;
			const std::string dir = task_dir + "/" + tid;
			auto text = read_text_file(dir + "/patch_state");
			if (!text)
				continue;	// exited, or no live-patch support
			auto st = parse_task_patch_state(*text);
			if (!st || *st == -1 || *st == target)
				continue;
			PendingTask t;
			t.pid = *pid_n;
			t.tid = *tid_n;
			t.patch_state = *st;
			if (auto comm = read_text_file(dir + "/comm"))
				t.comm = trim(*comm);
			if (auto stack = read_text_file(dir + "/stack"))
				t.frame = first_stack_frame(*stack);
			tasks.push_back(std::move(t));
		}
	}
	std::sort(tasks.begin(), tasks.end(), [](const PendingTask &a, const PendingTask &b) {
		return a.pid != b.pid ? a.pid < b.pid : a.tid < b.tid;
	});
	return tasks;
}

}  // namespace txqg
