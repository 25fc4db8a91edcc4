// The txqguard family's replies: stats, probes, events and the event
// notification, each decoder on the same message.
#include <linux/netlink.h>

#include <cstring>
#include <vector>

#include "contract.h"
#include "fuzz_support.h"
#include "genl_decode.h"
#include "json_convert.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	// The input is the payload (generic netlink header and attributes). The
	// socket layer hands the decoders only messages whose nlmsg_len fits
	// what was received, so the header here tells the truth.
	const std::size_t len = NLMSG_HDRLEN + size;
	std::vector<std::uint32_t> buf((len + 3) / 4);
	auto *nlh = reinterpret_cast<nlmsghdr *>(buf.data());
	nlh->nlmsg_len = static_cast<std::uint32_t>(len);
	nlh->nlmsg_type = 0x1f;
	if (size)
		std::memcpy(reinterpret_cast<char *>(buf.data()) + NLMSG_HDRLEN, data, size);

	if (auto s = decode_genl_stats(nlh)) {
		TXQG_FUZZ_CHECK(mode_from_name(s->mode));
		for (std::string_view name : kCounterNames)
			TXQG_FUZZ_CHECK(s->counter(name));
		(void)dump_json(to_json(*s));
	}
	if (auto p = decode_genl_probes(nlh)) {
		for (const Probe &probe : *p)
			TXQG_FUZZ_CHECK(static_cast<std::size_t>(probe.state) < kProbeStateNames.size());
		(void)dump_json(to_json(*p));
	}
	if (auto b = decode_genl_events(nlh)) {
		for (const Event &ev : b->events) {
			TXQG_FUZZ_CHECK(static_cast<std::size_t>(ev.guard) < kGuardNames.size());
			TXQG_FUZZ_CHECK(static_cast<std::size_t>(ev.action) < kActionNames.size());
			(void)dump_json(to_json(ev));
		}
	}
	(void)decode_genl_events_total(nlh);
	return 0;
}
