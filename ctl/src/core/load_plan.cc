#include "load_plan.h"

#include <iterator>

namespace txqg {
namespace {

struct SplitPath {
	std::string dir;	// with its trailing slash, or empty
	std::string name;	// the module name: file name up to ".ko"
	std::string suffix;	// ".ko", ".ko.xz", ...
};

std::optional<SplitPath> split_module_path(std::string_view path)
{
	auto slash = path.rfind('/');
	std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash + 1);
	std::string_view file = path.substr(dir.size());
	auto ko = file.find(".ko");
	if (ko == std::string_view::npos || ko == 0)
		return std::nullopt;
	std::string_view suffix = file.substr(ko);
	if (suffix != ".ko" && !suffix.starts_with(".ko."))
		return std::nullopt;
	return SplitPath{std::string(dir), std::string(file.substr(0, ko)), std::string(suffix)};
}

std::string sibling(const SplitPath &p, ModuleForm form)
{
	return p.dir + std::string(module_name(form)) + p.suffix;
}

std::string in_directory(std::string dir, ModuleForm form)
{
	if (!dir.ends_with('/'))
		dir += '/';
	return dir + std::string(module_name(form)) + ".ko";
}

}  // namespace

std::optional<Backend> backend_from_name(std::string_view name)
{
	for (size_t i = 0; i < std::size(kBackendNames); i++)
		if (kBackendNames[i] == name)
			return static_cast<Backend>(i);
	return std::nullopt;
}

std::optional<ModuleForm> form_of_file(std::string_view path)
{
	auto p = split_module_path(path);
	if (!p)
		return std::nullopt;
	for (ModuleForm form : {ModuleForm::Kprobe, ModuleForm::Livepatch})
		if (p->name == module_name(form))
			return form;
	return std::nullopt;
}

std::vector<LoadCandidate> plan_load(Backend backend, const std::optional<std::string> &module_path,
				     bool path_is_directory, bool livepatch_supported)
{
	constexpr auto kp = ModuleForm::Kprobe;
	constexpr auto lp = ModuleForm::Livepatch;
	const bool try_lp = backend == Backend::Livepatch ||
			    (backend == Backend::Auto && livepatch_supported);

	if (!module_path) {
		std::vector<LoadCandidate> plan;
		if (try_lp)
			plan.push_back({lp, std::nullopt, false});
		if (backend != Backend::Livepatch)
			plan.push_back({kp, std::nullopt, false});
		return plan;
	}
	const std::string &path = *module_path;

	if (path_is_directory) {
		std::vector<LoadCandidate> plan;
		if (try_lp)
			plan.push_back({lp, in_directory(path, lp), backend == Backend::Livepatch});
		if (backend != Backend::Livepatch)
			plan.push_back({kp, in_directory(path, kp), true});
		return plan;
	}

	auto split = split_module_path(path);
	auto form = form_of_file(path);
	if (!form) {
		// Named otherwise: trust the user (and the backend) on what it is.
		return {{backend == Backend::Livepatch ? lp : kp, path, true}};
	}
	switch (backend) {
	case Backend::Livepatch:
		return {{lp, *form == lp ? path : sibling(*split, lp), true}};
	case Backend::Kprobe:
		return {{kp, *form == kp ? path : sibling(*split, kp), true}};
	case Backend::Auto:
		break;
	}
	if (*form == kp)
		return {{kp, path, true}};
	if (!livepatch_supported)
		return {{kp, sibling(*split, kp), true}};
	return {{lp, path, true}, {kp, sibling(*split, kp), true}};
}

}  // namespace txqg
