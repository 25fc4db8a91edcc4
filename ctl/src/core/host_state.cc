#include "host_state.h"

#include "contract.h"
#include "verify_store.h"

namespace txqg {

ModuleState collect_module_state(ModuleParams &params, StatsSource &source,
				 LivepatchState *livepatch)
{
	ModuleState m;
	m.form = loaded_form(params);
	m.loaded = m.form.has_value();
	if (!m.loaded)
		return m;
	if (*m.form == ModuleForm::Livepatch) {
		m.backend = std::string(kLivepatchBackend);
		auto st = livepatch ? livepatch->state(kLivepatchName)
				    : Result<PatchState>(Error{ErrorCode::NotFound,
							       "live-patch state not available"});
		if (st)
			m.livepatch = *st;
		else
			m.livepatch_error = st.error();
	}
	if (auto v = params.version())
		m.version = *v;
	if (auto mode = params.mode())
		m.mode = *mode;
	if (auto selftest = params.selftest())
		m.selftest = *selftest;
	if (auto src = params.srcversion())
		m.srcversion = *src;
	if (auto stats = source.stats())
		m.stats = std::move(*stats);
	else
		m.debugfs_error = stats.error();
	if (auto probes = source.probes())
		m.probes = std::move(*probes);
	else if (!m.debugfs_error)
		m.debugfs_error = probes.error();
	// Stats carry the mode too; prefer it when sysfs could not be read.
	if (!m.mode && m.stats)
		m.mode = m.stats->mode;
	if (!m.version && m.stats)
		m.version = m.stats->version;
	if (m.stats)
		m.backend = m.stats->backend;
	return m;
}

bool is_guarded(const ModuleState &module)
{
	if (!module.loaded || module.mode != kEnforceMode)
		return false;
	if (module.livepatch && !module.livepatch->enabled)
		return false;
	if (!module.probes)
		return true;
	const Probe *txhash = find_probe(*module.probes, kTxhashGuard);
	return txhash && txhash->state == TXQGUARD_PROBE_ARMED;
}

void judge_exposure(HostState &h)
{
	h.fix_by_behaviour = h.verify && h.verify->fix != KernelFix::Unknown;
	if (h.fix_by_behaviour)
		h.effective_fix = h.verify->fix == KernelFix::Fixed ? FixStatus::Fixed
								     : FixStatus::Vulnerable;
	else
		h.effective_fix = h.fix.status;
	h.exposed = h.effective_fix == FixStatus::Vulnerable && !h.guarded;
}

HostState collect_host_state(Env &env)
{
	HostState h;
	if (auto u = env.kernel.uname())
		h.uname = *u;
	auto proc_version = env.kernel.proc_version();
	h.fix = assess_fix(h.uname.release, proc_version ? *proc_version : std::string());
	h.openvswitch_loaded = env.params.loaded(kOvsModuleName);
	h.module = collect_module_state(env.params, env.source, env.livepatch);
	h.guarded = is_guarded(h.module);
	if (env.verify_store) {
		if (auto saved = env.verify_store->load()) {
			auto boot_id = env.kernel.boot_id();
			if (auto v = applicable_verify(*saved, h.uname, boot_id ? *boot_id : "")) {
				h.verify = std::move(v->record);
				h.verify_this_boot = v->this_boot;
			}
		}
	}
	judge_exposure(h);
	if (env.livepatch || env.hook_lists) {
		static const std::vector<Probe> none;
		const std::vector<Probe> *ours = !h.module.loaded ? &none
			: h.module.probes ? &*h.module.probes : nullptr;
		h.foreign_hooks = check_foreign_hooks(env.livepatch, env.hook_lists, ours);
	}
	return h;
}

}  // namespace txqg
