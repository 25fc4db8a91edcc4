// debugfs "stats": "name value" lines, then their JSON form as --json prints it.
#include "contract.h"
#include "fuzz_support.h"
#include "json_convert.h"
#include "stats.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	auto stats = parse_stats(fuzz::as_text(data, size));
	if (!stats)
		return 0;
	// Commands index the contract's counters without checking again.
	for (std::string_view name : kCounterNames)
		TXQG_FUZZ_CHECK(stats->counter(name));
	TXQG_FUZZ_CHECK(mode_from_name(stats->mode));
	(void)dump_json(to_json(*stats), 2);
	return 0;
}
