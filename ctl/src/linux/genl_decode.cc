#include "genl_decode.h"

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <string>

#include "contract.h"

namespace txqg {
namespace {

Error bad(const std::string &why)
{
	return Error{ErrorCode::Parse, "malformed txqguard netlink reply: " + why};
}

nlmsghdr *mutable_hdr(const nlmsghdr *nlh)
{
	// libnl's parsers take non-const pointers but do not write.
	return const_cast<nlmsghdr *>(nlh);
}

template <size_t N>
Result<void> parse_top(const nlmsghdr *nlh, nlattr *(&tb)[N], nla_policy *policy)
{
	if (!nlh)
		return bad("no message");
	if (!genlmsg_valid_hdr(mutable_hdr(nlh), 0))
		return bad("short generic netlink header");
	if (genlmsg_parse(mutable_hdr(nlh), 0, tb, N - 1, policy) < 0)
		return bad("attributes do not match the contract");
	return {};
}

template <typename Fn>
void each_top_attr(const nlmsghdr *nlh, int type, Fn fn)
{
	auto *g = static_cast<genlmsghdr *>(nlmsg_data(mutable_hdr(nlh)));
	nlattr *a;
	int rem;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem)
		if (nla_type(a) == type)
			fn(a);
}

std::string string_attr(nlattr *a)
{
	return std::string(static_cast<const char *>(nla_data(a)),
			   strnlen(static_cast<const char *>(nla_data(a)), nla_len(a)));
}

}  // namespace

Result<Stats> decode_genl_stats(const nlmsghdr *nlh)
{
	nla_policy policy[TXQGUARD_A_MAX + 1] = {};
	policy[TXQGUARD_A_VERSION].type = NLA_STRING;
	policy[TXQGUARD_A_MODE].type = NLA_U32;
	policy[TXQGUARD_A_BACKEND].type = NLA_STRING;
	policy[TXQGUARD_A_EVENTS_TOTAL].type = NLA_U64;
	policy[TXQGUARD_A_COUNTERS].type = NLA_NESTED;
	policy[TXQGUARD_A_HOLD_MS].type = NLA_U32;
	nlattr *tb[TXQGUARD_A_MAX + 1] = {};
	if (auto r = parse_top(nlh, tb, policy); !r)
		return r.error();
	for (int need : {TXQGUARD_A_VERSION, TXQGUARD_A_MODE, TXQGUARD_A_BACKEND,
			 TXQGUARD_A_COUNTERS})
		if (!tb[need])
			return bad("stats without attribute " + std::to_string(need));

	Stats s;
	s.version = string_attr(tb[TXQGUARD_A_VERSION]);
	std::uint32_t mode = nla_get_u32(tb[TXQGUARD_A_MODE]);
	if (mode >= kModeNames.size())
		return bad("unknown mode " + std::to_string(mode));
	s.mode = kModeNames[mode];
	s.backend = string_attr(tb[TXQGUARD_A_BACKEND]);

	std::vector<bool> seen(kCounterNames.size());
	nlattr *c;
	int rem;
	nla_for_each_nested(c, tb[TXQGUARD_A_COUNTERS], rem) {
		if (nla_type(c) != 0 && nla_len(c) != sizeof(std::uint64_t))
			return bad("counter " + std::to_string(nla_type(c)) + " is not a u64");
		const int idx = nla_type(c) - 1;
		if (idx < 0)
			continue;	// alignment padding
		// A newer module's extra counters keep a stable, valid name.
		std::string name = static_cast<size_t>(idx) < kCounterNames.size()
			? std::string(kCounterNames[idx])
			: "counter_" + std::to_string(idx);
		if (static_cast<size_t>(idx) < seen.size())
			seen[idx] = true;
		s.counters.emplace_back(std::move(name), nla_get_u64(c));
	}
	for (size_t i = 0; i < seen.size(); i++)
		if (!seen[i])
			return bad("no '" + std::string(kCounterNames[i]) + "' counter");
	if (tb[TXQGUARD_A_EVENTS_TOTAL])
		s.counters.emplace_back("events_total", nla_get_u64(tb[TXQGUARD_A_EVENTS_TOTAL]));
	if (tb[TXQGUARD_A_HOLD_MS])
		s.hold_ms = nla_get_u32(tb[TXQGUARD_A_HOLD_MS]);
	return s;
}

Result<std::vector<Probe>> decode_genl_probes(const nlmsghdr *nlh)
{
	nla_policy top[TXQGUARD_A_MAX + 1] = {};
	top[TXQGUARD_A_PROBE].type = NLA_NESTED;
	nlattr *tb[TXQGUARD_A_MAX + 1] = {};
	if (auto r = parse_top(nlh, tb, top); !r)
		return r.error();

	nla_policy policy[TXQGUARD_PROBE_A_MAX + 1] = {};
	policy[TXQGUARD_PROBE_A_GUARD].type = NLA_U32;
	policy[TXQGUARD_PROBE_A_SYMBOL].type = NLA_STRING;
	policy[TXQGUARD_PROBE_A_STATE].type = NLA_U32;
	policy[TXQGUARD_PROBE_A_FTRACE].type = NLA_FLAG;
	policy[TXQGUARD_PROBE_A_ERROR].type = NLA_U32;
	policy[TXQGUARD_PROBE_A_KIND].type = NLA_STRING;

	std::vector<Probe> probes;
	std::optional<Error> error;
	each_top_attr(nlh, TXQGUARD_A_PROBE, [&](nlattr *nest) {
		if (error)
			return;
		nlattr *pb[TXQGUARD_PROBE_A_MAX + 1] = {};
		if (nla_parse_nested(pb, TXQGUARD_PROBE_A_MAX, nest, policy) < 0 ||
		    !pb[TXQGUARD_PROBE_A_GUARD] || !pb[TXQGUARD_PROBE_A_STATE]) {
			error = bad("probe without guard or state");
			return;
		}
		std::uint32_t guard = nla_get_u32(pb[TXQGUARD_PROBE_A_GUARD]);
		std::uint32_t state = nla_get_u32(pb[TXQGUARD_PROBE_A_STATE]);
		if (guard >= kGuardNames.size() || state >= kProbeStateNames.size()) {
			error = bad("probe with unknown guard or state");
			return;
		}
		Probe p;
		p.guard = kGuardNames[guard];
		p.state = static_cast<txqguard_probe_state>(state);
		if (pb[TXQGUARD_PROBE_A_SYMBOL])
			p.symbol = string_attr(pb[TXQGUARD_PROBE_A_SYMBOL]);
		if (p.state == TXQGUARD_PROBE_ARMED) {
			if (pb[TXQGUARD_PROBE_A_KIND])
				p.kind = string_attr(pb[TXQGUARD_PROBE_A_KIND]);
			else
				p.kind = pb[TXQGUARD_PROBE_A_FTRACE] ? "ftrace" : "kprobe";
		}
		if (pb[TXQGUARD_PROBE_A_ERROR])
			p.err = static_cast<std::int32_t>(nla_get_u32(pb[TXQGUARD_PROBE_A_ERROR]));
		if (find_probe(probes, p.guard)) {
			error = bad("duplicate guard " + p.guard);
			return;
		}
		probes.push_back(std::move(p));
	});
	if (error)
		return *error;
	return probes;
}

Result<EventBatch> decode_genl_events(const nlmsghdr *nlh)
{
	nla_policy top[TXQGUARD_A_MAX + 1] = {};
	top[TXQGUARD_A_EVENTS_TOTAL].type = NLA_U64;
	top[TXQGUARD_A_EVENT].type = NLA_NESTED;
	nlattr *tb[TXQGUARD_A_MAX + 1] = {};
	if (auto r = parse_top(nlh, tb, top); !r)
		return r.error();
	if (!tb[TXQGUARD_A_EVENTS_TOTAL])
		return bad("events without a total");

	nla_policy policy[TXQGUARD_EVENT_A_MAX + 1] = {};
	policy[TXQGUARD_EVENT_A_TIME_NS].type = NLA_U64;
	policy[TXQGUARD_EVENT_A_CPU].type = NLA_U32;
	policy[TXQGUARD_EVENT_A_GUARD].type = NLA_U32;
	policy[TXQGUARD_EVENT_A_ACTION].type = NLA_U32;
	policy[TXQGUARD_EVENT_A_IFNAME].type = NLA_STRING;
	policy[TXQGUARD_EVENT_A_IFINDEX].type = NLA_U32;
	policy[TXQGUARD_EVENT_A_NETNS_INO].type = NLA_U32;
	policy[TXQGUARD_EVENT_A_REG_STATE].type = NLA_U8;
	policy[TXQGUARD_EVENT_A_RUNNING].type = NLA_U8;
	policy[TXQGUARD_EVENT_A_CARRIER].type = NLA_U8;
	policy[TXQGUARD_EVENT_A_REAL_NUM_TX_QUEUES].type = NLA_U32;

	EventBatch batch;
	batch.total = nla_get_u64(tb[TXQGUARD_A_EVENTS_TOTAL]);
	std::optional<Error> error;
	each_top_attr(nlh, TXQGUARD_A_EVENT, [&](nlattr *nest) {
		if (error)
			return;
		nlattr *eb[TXQGUARD_EVENT_A_MAX + 1] = {};
		if (nla_parse_nested(eb, TXQGUARD_EVENT_A_MAX, nest, policy) < 0) {
			error = bad("event attributes do not match the contract");
			return;
		}
		for (int need : {TXQGUARD_EVENT_A_TIME_NS, TXQGUARD_EVENT_A_GUARD,
				 TXQGUARD_EVENT_A_ACTION, TXQGUARD_EVENT_A_IFNAME}) {
			if (!eb[need]) {
				error = bad("event without attribute " + std::to_string(need));
				return;
			}
		}
		std::uint32_t guard = nla_get_u32(eb[TXQGUARD_EVENT_A_GUARD]);
		std::uint32_t action = nla_get_u32(eb[TXQGUARD_EVENT_A_ACTION]);
		if (guard >= kGuardNames.size() || action >= kActionNames.size()) {
			error = bad("event with unknown guard or action");
			return;
		}
		auto u32 = [&eb](int t) { return eb[t] ? nla_get_u32(eb[t]) : 0u; };
		auto u8 = [&eb](int t) { return eb[t] ? nla_get_u8(eb[t]) : std::uint8_t{0}; };
		Event ev;
		std::uint64_t ns = nla_get_u64(eb[TXQGUARD_EVENT_A_TIME_NS]);
		ev.time_sec = ns / 1000000000ull;
		ev.time_nsec = static_cast<std::uint32_t>(ns % 1000000000ull);
		ev.cpu = u32(TXQGUARD_EVENT_A_CPU);
		ev.guard = static_cast<txqguard_guard>(guard);
		ev.action = static_cast<txqguard_action>(action);
		ev.ifname = string_attr(eb[TXQGUARD_EVENT_A_IFNAME]);
		ev.ifindex = static_cast<std::int32_t>(u32(TXQGUARD_EVENT_A_IFINDEX));
		ev.netns = u32(TXQGUARD_EVENT_A_NETNS_INO);
		ev.reg_state = u8(TXQGUARD_EVENT_A_REG_STATE);
		ev.running = u8(TXQGUARD_EVENT_A_RUNNING) != 0;
		ev.carrier = u8(TXQGUARD_EVENT_A_CARRIER) != 0;
		ev.real_num_tx_queues = u32(TXQGUARD_EVENT_A_REAL_NUM_TX_QUEUES);
		batch.events.push_back(std::move(ev));
	});
	if (error)
		return *error;
	return batch;
}

Result<std::uint64_t> decode_genl_events_total(const nlmsghdr *nlh)
{
	nla_policy top[TXQGUARD_A_MAX + 1] = {};
	top[TXQGUARD_A_EVENTS_TOTAL].type = NLA_U64;
	nlattr *tb[TXQGUARD_A_MAX + 1] = {};
	if (auto r = parse_top(nlh, tb, top); !r)
		return r.error();
	if (!tb[TXQGUARD_A_EVENTS_TOTAL])
		return bad("notification without a total");
	return nla_get_u64(tb[TXQGUARD_A_EVENTS_TOTAL]);
}

}  // namespace txqg
