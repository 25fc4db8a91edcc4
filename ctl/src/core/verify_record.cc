#include "verify_record.h"

namespace txqg {
namespace {

std::optional<std::string> string_field(const Json &j, const char *key)
{
	if (!j.contains(key) || !j[key].is_string())
		return std::nullopt;
	return j[key].get<std::string>();
}

}  // namespace

std::string_view kernel_fix_name(KernelFix fix)
{
	switch (fix) {
	case KernelFix::Fixed: return "fixed";
	case KernelFix::NotFixed: return "not fixed";
	case KernelFix::Unknown: break;
	}
	return "unknown";
}

std::optional<KernelFix> kernel_fix_from_name(std::string_view name)
{
	for (KernelFix f : {KernelFix::Fixed, KernelFix::NotFixed, KernelFix::Unknown})
		if (kernel_fix_name(f) == name)
			return f;
	return std::nullopt;
}

std::optional<VerifyRecord> parse_verify_record(const Json &j)
{
	if (!j.is_object())
		return std::nullopt;
	auto time = string_field(j, "time");
	auto boot_id = string_field(j, "boot_id");
	auto kernel = string_field(j, "kernel");
	auto build = string_field(j, "kernel_build");
	auto fix = string_field(j, "kernel_fix");
	auto fix_from_name = fix ? kernel_fix_from_name(*fix) : std::nullopt;
	if (!time || !boot_id || !kernel || !build || !fix_from_name)
		return std::nullopt;
	if (!j.contains("epoch_seconds") || !j["epoch_seconds"].is_number_integer() ||
	    !j.contains("passed") || !j["passed"].is_boolean())
		return std::nullopt;
	VerifyRecord r;
	r.time = *time;
	r.epoch_seconds = j["epoch_seconds"].get<std::int64_t>();
	r.boot_id = *boot_id;
	r.kernel = *kernel;
	r.kernel_build = *build;
	r.passed = j["passed"].get<bool>();
	r.fix = *fix_from_name;
	r.fix_detail = string_field(j, "kernel_fix_detail").value_or("");
	r.json = j;
	return r;
}

std::optional<ApplicableVerify> applicable_verify(const Json &j, const Uname &running,
						  std::string_view boot_id)
{
	auto r = parse_verify_record(j);
	// An unknown build matches nothing: the verdict would be a guess.
	if (!r || running.build.empty() || r->kernel != running.release ||
	    r->kernel_build != running.build)
		return std::nullopt;
	const bool this_boot = !boot_id.empty() && r->boot_id == boot_id;
	return ApplicableVerify{std::move(*r), this_boot};
}

}  // namespace txqg
