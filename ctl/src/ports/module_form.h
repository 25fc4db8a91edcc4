// The two forms txqguard comes in, built from the same sources: txqguard.ko
// attaches its guards with kprobes or ftrace, txqguard_lp.ko replaces
// netdev_core_pick_tx through the live-patch core. Both register the same
// genl family and debugfs directory, so at most one is ever loaded.
#pragma once

#include <optional>
#include <string_view>

#include "contract.h"
#include "module_params.h"

namespace txqg {

enum class ModuleForm { Kprobe, Livepatch };

inline constexpr std::string_view kLivepatchModuleName = "txqguard_lp";
// The live-patch core names the patch after its module.
inline constexpr std::string_view kLivepatchName = kLivepatchModuleName;
inline constexpr std::string_view kLivepatchBackend = "livepatch";
// What the live-patch form replaces.
inline constexpr std::string_view kLivepatchTarget = "netdev_core_pick_tx";

inline std::string_view module_name(ModuleForm form)
{
	return form == ModuleForm::Livepatch ? kLivepatchModuleName : kModuleName;
}

// The live-patch form first: it is the one whose removal needs care.
inline std::optional<ModuleForm> loaded_form(ModuleParams &params)
{
	if (params.loaded(kLivepatchModuleName))
		return ModuleForm::Livepatch;
	if (params.loaded(kModuleName))
		return ModuleForm::Kprobe;
	return std::nullopt;
}

}  // namespace txqg
