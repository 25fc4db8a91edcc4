// Which form of txqguard load tries, from where, in which order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "module_form.h"

namespace txqg {

enum class Backend { Auto, Livepatch, Kprobe };

inline constexpr std::string_view kBackendNames[] = {"auto", "livepatch", "kprobe"};

std::optional<Backend> backend_from_name(std::string_view name);

struct LoadCandidate {
	ModuleForm form;
	std::optional<std::string> path;	// empty: by name through libkmod
	// The user named this file: its absence is an error, not a reason to
	// try the next form.
	bool named = false;
};

// "txqguard.ko" or "txqguard_lp.ko", compressed or not; nullopt for any
// other file name.
std::optional<ModuleForm> form_of_file(std::string_view path);

// --module PATH: a directory holds both forms; a file named after one form
// is that form, and the other form is looked for beside it only when
// --backend asks for it, or under auto when the live-patch form was named
// and then refused. A file of any other name is loaded as it is, as the form
// --backend names (auto: txqguard.ko).
std::vector<LoadCandidate> plan_load(Backend backend, const std::optional<std::string> &module_path,
				     bool path_is_directory, bool livepatch_supported);

}  // namespace txqg
