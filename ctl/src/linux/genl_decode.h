// Decoding the txqguard family's replies (layout in uapi/linux/txqguard.h)
// into the same views the debugfs parsers produce.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <vector>

#include "guard_control.h"
#include "probes.h"
#include "result.h"
#include "stats.h"

namespace txqg {

Result<Stats> decode_genl_stats(const nlmsghdr *nlh);
Result<std::vector<Probe>> decode_genl_probes(const nlmsghdr *nlh);
Result<EventBatch> decode_genl_events(const nlmsghdr *nlh);
// TXQGUARD_CMD_NEW_EVENTS: the running total of lethal events recorded.
Result<std::uint64_t> decode_genl_events_total(const nlmsghdr *nlh);

}  // namespace txqg
