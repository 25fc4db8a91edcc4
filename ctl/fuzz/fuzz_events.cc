// debugfs "events": key=value lines with a %pE-escaped ifname.
#include "contract.h"
#include "events.h"
#include "fuzz_support.h"
#include "ifname.h"
#include "json_convert.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	auto events = parse_events(fuzz::as_text(data, size));
	if (!events)
		return 0;
	for (const Event &ev : *events) {
		// to_json and the text output index the name tables with these.
		TXQG_FUZZ_CHECK(static_cast<std::size_t>(ev.guard) < kGuardNames.size());
		TXQG_FUZZ_CHECK(static_cast<std::size_t>(ev.action) < kActionNames.size());
		TXQG_FUZZ_CHECK(!ev.ifname.empty() && ev.ifname.size() < 16);
		TXQG_FUZZ_CHECK(ev.time_nsec < 1000000000u);
		(void)dump_json(to_json(ev));
		(void)event_time_iso(ev);
	}
	return 0;
}
