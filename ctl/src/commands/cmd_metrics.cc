#include "commands.h"
#include "host_state.h"
#include "json_convert.h"
#include "prometheus.h"
#include "textfile.h"

namespace txqg {

int cmd_metrics(Env &env, const MetricsOptions &opts)
{
	HostState h = collect_host_state(env);
	// Zeroed counters would read as a reset; better no file than a wrong one.
	if (h.module.loaded && (!h.module.stats || !h.module.probes))
		return fail(env, h.module.debugfs_error ? h.module.debugfs_error->message
						       : "cannot read txqguard's counters");
	auto families = build_metrics(h);

	if (opts.textfile) {
		if (auto r = write_file_atomic(*opts.textfile, render_prometheus(families)); !r)
			return fail(env, r.error().message);
		if (opts.json)
			env.out << dump_json({{"textfile", *opts.textfile},
					      {"metrics", metrics_to_json(families)}},
					     2)
				<< "\n";
		return kExitOk;
	}
	if (opts.json)
		env.out << dump_json(metrics_to_json(families), 2) << "\n";
	else
		env.out << render_prometheus(families);
	return kExitOk;
}

}  // namespace txqg
