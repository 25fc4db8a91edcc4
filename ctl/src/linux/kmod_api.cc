#include "kmod_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace txqg {
namespace {

// The soname libkmod2 has shipped since its first release.
constexpr const char *kSoname = "libkmod.so.2";

struct Loaded {
	KmodApi api{};
	std::string error;
};

template <typename Fn>
bool bind(void *lib, const char *name, Fn &slot, std::string &error)
{
	void *sym = ::dlsym(lib, name);
	if (!sym) {
		error = std::string("libkmod has no ") + name;
		return false;
	}
	slot = reinterpret_cast<Fn>(sym);
	return true;
}

Loaded load()
{
	Loaded out;
	// Never closed: the table must outlive every caller, and the process ends soon after.
	void *lib = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *why = ::dlerror();
		out.error = std::string("cannot load ") + kSoname + " (is kmod installed?): " +
			    (why ? why : "unknown error");
		return out;
	}
	KmodApi &a = out.api;
	std::string &e = out.error;
	bool ok = bind(lib, "kmod_new", a.new_ctx, e) && bind(lib, "kmod_unref", a.unref, e) &&
		  bind(lib, "kmod_set_log_fn", a.set_log_fn, e) &&
		  bind(lib, "kmod_module_new_from_lookup", a.module_new_from_lookup, e) &&
		  bind(lib, "kmod_module_new_from_path", a.module_new_from_path, e) &&
		  bind(lib, "kmod_module_new_from_name", a.module_new_from_name, e) &&
		  bind(lib, "kmod_module_get_module", a.module_get_module, e) &&
		  bind(lib, "kmod_module_probe_insert_module", a.module_probe_insert_module, e) &&
		  bind(lib, "kmod_module_insert_module", a.module_insert_module, e) &&
		  bind(lib, "kmod_module_remove_module", a.module_remove_module, e) &&
		  bind(lib, "kmod_module_unref", a.module_unref, e) &&
		  bind(lib, "kmod_module_unref_list", a.module_unref_list, e);
	if (!ok)
		::dlclose(lib);
	return out;
}

}  // namespace

Result<const KmodApi *> kmod_api()
{
	static std::once_flag once;
	static Loaded loaded;
	std::call_once(once, [] { loaded = load(); });
	if (!loaded.error.empty())
		return Error{ErrorCode::NotFound, loaded.error};
	return &loaded.api;
}

}  // namespace txqg
