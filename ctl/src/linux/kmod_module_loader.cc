#include "kmod_module_loader.h"

#include "kmod_api.h"

#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <memory>

namespace txqg {
namespace {

// Reached only once kmod_api() has succeeded (open_kmod comes first on every path).
const KmodApi &api()
{
	return **kmod_api();
}

struct KmodCtxDeleter {
	void operator()(kmod_ctx *ctx) const { api().unref(ctx); }
};
struct KmodModuleDeleter {
	void operator()(kmod_module *mod) const { api().module_unref(mod); }
};
struct KmodListDeleter {
	void operator()(kmod_list *list) const { api().module_unref_list(list); }
};
using KmodCtx = std::unique_ptr<kmod_ctx, KmodCtxDeleter>;
using KmodModule = std::unique_ptr<kmod_module, KmodModuleDeleter>;
using KmodList = std::unique_ptr<kmod_list, KmodListDeleter>;

// libkmod logs multi-line diagnostics to stderr; the caller reports one line.
void silent_log(void *, int, const char *, int, const char *, const char *, va_list) {}

Result<KmodCtx> open_kmod()
{
	auto lib = kmod_api();
	if (!lib)
		return lib.error();
	KmodCtx ctx((*lib)->new_ctx(nullptr, nullptr));
	if (!ctx)
		return Error{ErrorCode::Io, "cannot initialise libkmod"};
	(*lib)->set_log_fn(ctx.get(), silent_log, nullptr);
	return ctx;
}

Error load_error(int err, const std::string &what)
{
	std::string context = "cannot load " + what;
	switch (err) {
	case EPERM:
	case EACCES:
		if (::geteuid() != 0)
			return contextual_error(ErrorCode::PermissionDenied, context,
						"permission denied (run as root)", err);
		return contextual_error(ErrorCode::PermissionDenied, context,
					"operation not permitted (Secure Boot/lockdown refusing an "
					"unsigned module?)", err);
	case EEXIST:
		return contextual_error(ErrorCode::Exists, context, "it is already loaded", err);
	case ENOEXEC:
		return contextual_error(ErrorCode::Invalid, context,
					"invalid module format (built for another kernel?)", err);
	case EKEYREJECTED:
		return contextual_error(ErrorCode::PermissionDenied, context,
					"module signature rejected", err);
	default:
		return with_kernel_log(
			contextual_error(ErrorCode::Io, context, std::strerror(err), err));
	}
}

}  // namespace

Result<void> KmodModuleLoader::load_by_name(const std::string &name, const std::string &options)
{
	auto ctx = open_kmod();
	if (!ctx)
		return ctx.error();
	kmod_list *raw = nullptr;
	int err = api().module_new_from_lookup(ctx->get(), name.c_str(), &raw);
	KmodList list(raw);
	if (err < 0)
		return load_error(-err, name);
	if (!list)
		return contextual_error(ErrorCode::NotFound, "cannot load " + name,
					"not installed for this kernel");
	KmodModule mod(api().module_get_module(list.get()));
	err = api().module_probe_insert_module(mod.get(), KMOD_PROBE_FAIL_ON_LOADED,
					      options.c_str(), nullptr, nullptr, nullptr);
	if (err < 0)
		return load_error(-err, name);
	if (err > 0)
		return contextual_error(ErrorCode::Invalid, "cannot load " + name, "blacklisted");
	return {};
}

Result<void> KmodModuleLoader::load_from_path(const std::string &path, const std::string &options)
{
	auto ctx = open_kmod();
	if (!ctx)
		return ctx.error();
	kmod_module *raw = nullptr;
	int err = api().module_new_from_path(ctx->get(), path.c_str(), &raw);
	KmodModule mod(raw);
	if (err < 0)
		return Error{err == -ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
			     "cannot open " + path + ": " + std::strerror(-err)};
	err = api().module_insert_module(mod.get(), 0, options.c_str());
	if (err < 0)
		return load_error(-err, path);
	return {};
}

Result<void> KmodModuleLoader::remove(const std::string &name)
{
	auto ctx = open_kmod();
	if (!ctx)
		return ctx.error();
	kmod_module *raw = nullptr;
	int err = api().module_new_from_name(ctx->get(), name.c_str(), &raw);
	KmodModule mod(raw);
	if (err < 0)
		return Error{ErrorCode::Io, "cannot look up " + name + ": " + std::strerror(-err)};
	err = api().module_remove_module(mod.get(), 0);
	if (err == 0)
		return {};
	std::string msg = "cannot unload " + name + ": ";
	switch (-err) {
	case EPERM:
	case EACCES:
		return Error{ErrorCode::PermissionDenied, msg + "permission denied (run as root)"};
	case EBUSY:
	case EAGAIN:	// O_NONBLOCK and references left: in use, not failing
		return Error{ErrorCode::Busy, msg + "it is in use"};
	case ENOENT:
		return Error{ErrorCode::NotLoaded, msg + "it is not loaded"};
	default:
		return Error{ErrorCode::Io, msg + std::strerror(-err)};
	}
}

}  // namespace txqg
