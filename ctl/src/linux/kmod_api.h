// libkmod, bound on first use instead of at process start.
//
// Why: Debian's libkmod pulls in libcrypto, liblzma and libzstd, and the dynamic loader's work on
// them was most of a `stats` or `metrics` run's start-up under emulation. Only load and unload need
// libkmod, so only they pay for it.
#pragma once

#include <libkmod.h>

#include "result.h"

namespace txqg {

struct KmodApi {
	decltype(&::kmod_new) new_ctx;
	decltype(&::kmod_unref) unref;
	decltype(&::kmod_set_log_fn) set_log_fn;
	decltype(&::kmod_module_new_from_lookup) module_new_from_lookup;
	decltype(&::kmod_module_new_from_path) module_new_from_path;
	decltype(&::kmod_module_new_from_name) module_new_from_name;
	decltype(&::kmod_module_get_module) module_get_module;
	decltype(&::kmod_module_probe_insert_module) module_probe_insert_module;
	decltype(&::kmod_module_insert_module) module_insert_module;
	decltype(&::kmod_module_remove_module) module_remove_module;
	decltype(&::kmod_module_unref) module_unref;
	decltype(&::kmod_module_unref_list) module_unref_list;
};

// The process-wide table; the library stays loaded until exit. Thread-safe.
Result<const KmodApi *> kmod_api();

}  // namespace txqg
