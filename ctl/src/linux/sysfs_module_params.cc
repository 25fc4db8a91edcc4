#include "sysfs_module_params.h"

#include <utility>

#include "contract.h"
#include "file_io.h"
#include "module_form.h"
#include "parse_util.h"

namespace txqg {
namespace {

std::string trim_newline(std::string s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
		s.pop_back();
	return s;
}

}  // namespace

SysfsModuleParams::SysfsModuleParams(std::string sysfs_module_root)
	: root_(std::move(sysfs_module_root))
{
}

// Both forms have the same parameters; the loaded one answers.
std::string SysfsModuleParams::path(const std::string &relative) const
{
	std::string dir = root_ + "/" + std::string(kLivepatchModuleName);
	if (!path_exists(dir))
		dir = root_ + "/" + std::string(kModuleName);
	return dir + "/" + relative;
}

bool SysfsModuleParams::loaded(std::string_view module)
{
	return path_exists(root_ + "/" + std::string(module));
}

Result<std::string> SysfsModuleParams::read_value(const std::string &relative)
{
	auto text = read_text_file(path(relative));
	if (!text)
		return text.error();
	return trim_newline(std::move(*text));
}

Result<std::string> SysfsModuleParams::version()
{
	return read_value("version");
}

Result<std::string> SysfsModuleParams::mode()
{
	return read_value("parameters/mode");
}

Result<bool> SysfsModuleParams::selftest()
{
	auto v = read_value("parameters/selftest");
	if (!v)
		return v.error();
	if (*v != "Y" && *v != "N")
		return Error{ErrorCode::Parse, path("parameters/selftest") + ": expected Y or N"};
	return *v == "Y";
}

Result<std::string> SysfsModuleParams::srcversion()
{
	return read_value("srcversion");
}

Result<unsigned> SysfsModuleParams::refcount()
{
	auto v = read_value("refcnt");
	if (!v)
		return v.error();
	auto n = parse_int<unsigned>(*v);
	if (!n)
		return Error{ErrorCode::Parse, path("refcnt") + ": expected a count"};
	return *n;
}

Result<void> SysfsModuleParams::set_mode(std::string_view mode)
{
	const std::string file = path("parameters/mode");
	auto r = write_existing_file(file, mode);
	if (r)
		return r;
	switch (r.error().code) {
	case ErrorCode::PermissionDenied:
		return Error{ErrorCode::PermissionDenied,
			     "cannot write " + file + ": permission denied (run as root)"};
	case ErrorCode::Invalid:
		return Error{ErrorCode::Invalid,
			     "txqguard rejected mode '" + std::string(mode) + "'"};
	case ErrorCode::NotFound:
		return Error{ErrorCode::NotLoaded, "txqguard is not loaded"};
	default:
		return r;
	}
}

}  // namespace txqg
