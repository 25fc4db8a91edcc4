// debugfs "probes": "guard symbol state [location [[module]] address kind] [err=N]".
#include "contract.h"
#include "fuzz_support.h"
#include "json_convert.h"
#include "probes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	auto probes = parse_probes(fuzz::as_text(data, size));
	if (!probes)
		return 0;
	for (const Probe &p : *probes) {
		// state_name() indexes the name table with it.
		TXQG_FUZZ_CHECK(static_cast<std::size_t>(p.state) < kProbeStateNames.size());
		TXQG_FUZZ_CHECK(find_probe(*probes, p.guard) == &p);
		if (p.state == TXQGUARD_PROBE_ARMED)
			TXQG_FUZZ_CHECK(!p.kind.empty() && !p.address.empty());
	}
	(void)dump_json(to_json(*probes));
	return 0;
}
