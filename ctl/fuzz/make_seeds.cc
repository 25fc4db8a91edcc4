// Writes the binary seeds of fuzz_genl_decode and fuzz_netlink_error,
// built the way the module and the kernel lay them out (libnl, as the unit
// tests do):  make_seeds <corpus-dir>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "uapi/linux/txqguard.h"

namespace {

struct MsgFree {
	void operator()(nl_msg *m) const { nlmsg_free(m); }
};
using Msg = std::unique_ptr<nl_msg, MsgFree>;

std::filesystem::path g_root;

void write(const std::string &target, const std::string &name, const void *data, std::size_t len)
{
	std::filesystem::create_directories(g_root / target);
	std::ofstream f(g_root / target / name, std::ios::binary | std::ios::trunc);
	f.write(static_cast<const char *>(data), static_cast<std::streamsize>(len));
}

Msg reply(std::uint8_t cmd)
{
	Msg m(nlmsg_alloc());
	genlmsg_put(m.get(), 0, 0, 0x1f, 0, 0, cmd, TXQGUARD_GENL_VERSION);
	return m;
}

// fuzz_genl_decode takes what follows the netlink header.
void write_genl(const std::string &name, const Msg &m)
{
	const nlmsghdr *nlh = nlmsg_hdr(m.get());
	write("genl_decode", name, nlmsg_data(nlh), nlh->nlmsg_len - NLMSG_HDRLEN);
}

void stats()
{
	Msg m = reply(TXQGUARD_CMD_GET_STATS);
	nla_put_string(m.get(), TXQGUARD_A_VERSION, TXQGUARD_VERSION);
	nla_put_u32(m.get(), TXQGUARD_A_MODE, TXQGUARD_MODE_ENFORCE);
	nla_put_string(m.get(), TXQGUARD_A_BACKEND, "ftrace");
	nla_put_u64(m.get(), TXQGUARD_A_EVENTS_TOTAL, 4096);
	nla_put_u32(m.get(), TXQGUARD_A_HOLD_MS, 3500);
	nlattr *nest = nla_nest_start(m.get(), TXQGUARD_A_COUNTERS);
	const std::uint64_t values[] = {5120, 2, 2, 1184309, 279096, 279096, 5120, 5120};
	static_assert(std::size(values) == __TXQGUARD_CTR_MAX);
	for (int i = 0; i < __TXQGUARD_CTR_MAX; i++)
		nla_put_u64(m.get(), i + 1, values[i]);
	nla_nest_end(m.get(), nest);
	write_genl("stats", m);
}

void probe(nl_msg *m, std::uint32_t guard, const char *symbol, std::uint32_t state,
	   const char *kind, std::int32_t err)
{
	nlattr *p = nla_nest_start(m, TXQGUARD_A_PROBE);
	nla_put_u32(m, TXQGUARD_PROBE_A_GUARD, guard);
	nla_put_string(m, TXQGUARD_PROBE_A_SYMBOL, symbol);
	nla_put_u32(m, TXQGUARD_PROBE_A_STATE, state);
	if (kind) {
		nla_put_string(m, TXQGUARD_PROBE_A_KIND, kind);
		nla_put_flag(m, TXQGUARD_PROBE_A_FTRACE);
	}
	if (err)
		nla_put_u32(m, TXQGUARD_PROBE_A_ERROR, static_cast<std::uint32_t>(err));
	nla_nest_end(m, p);
}

void probes()
{
	Msg armed = reply(TXQGUARD_CMD_GET_PROBES);
	probe(armed.get(), TXQGUARD_GUARD_TXHASH, "netdev_pick_tx", TXQGUARD_PROBE_ARMED,
	      "ftrace-ops", 0);
	probe(armed.get(), TXQGUARD_GUARD_OVS_OUTPUT, "ovs_vport_send", TXQGUARD_PROBE_ARMED,
	      "kprobe-ftrace", 0);
	write_genl("probes-armed", armed);

	Msg waiting = reply(TXQGUARD_CMD_GET_PROBES);
	probe(waiting.get(), TXQGUARD_GUARD_TXHASH, "netdev_pick_tx", TXQGUARD_PROBE_ARMED,
	      "breakpoint", 0);
	probe(waiting.get(), TXQGUARD_GUARD_OVS_OUTPUT, "ovs_vport_send", TXQGUARD_PROBE_FAILED,
	      nullptr, -ENOENT);
	write_genl("probes-failed", waiting);
}

void event(nl_msg *m, std::uint64_t ns, const char *ifname, std::uint32_t guard,
	   std::uint32_t action)
{
	nlattr *e = nla_nest_start(m, TXQGUARD_A_EVENT);
	nla_put_u64(m, TXQGUARD_EVENT_A_TIME_NS, ns);
	nla_put_u32(m, TXQGUARD_EVENT_A_CPU, 1);
	nla_put_u32(m, TXQGUARD_EVENT_A_GUARD, guard);
	nla_put_u32(m, TXQGUARD_EVENT_A_ACTION, action);
	nla_put_string(m, TXQGUARD_EVENT_A_IFNAME, ifname);
	nla_put_u32(m, TXQGUARD_EVENT_A_IFINDEX, 6);
	nla_put_u32(m, TXQGUARD_EVENT_A_NETNS_INO, 4026531992u);
	nla_put_u8(m, TXQGUARD_EVENT_A_REG_STATE, 2);
	nla_put_u8(m, TXQGUARD_EVENT_A_RUNNING, 0);
	nla_put_u8(m, TXQGUARD_EVENT_A_CARRIER, 0);
	nla_put_u32(m, TXQGUARD_EVENT_A_REAL_NUM_TX_QUEUES, 0);
	nla_nest_end(m, e);
}

void events()
{
	Msg m = reply(TXQGUARD_CMD_GET_EVENTS);
	nla_put_u64(m.get(), TXQGUARD_A_EVENTS_TOTAL, 2);
	event(m.get(), 1795412345123456789ull, "vdie", TXQGUARD_GUARD_OVS_OUTPUT,
	      TXQGUARD_ACTION_DROPPED);
	event(m.get(), 1795412346000000001ull, "we\x01ird", TXQGUARD_GUARD_TXHASH,
	      TXQGUARD_ACTION_RXQ_CLEARED);
	write_genl("events", m);

	Msg total = reply(TXQGUARD_CMD_NEW_EVENTS);
	nla_put_u64(total.get(), TXQGUARD_A_EVENTS_TOTAL, 279098);
	write_genl("new-events", total);
}

// An NLMSG_ERROR as netlink_ack() builds it.
void ack(const std::string &name, int error, bool capped, std::size_t echoed,
	 const char *msg, bool offset)
{
	std::vector<unsigned char> b(NLMSG_HDRLEN);
	auto put = [&b](const void *p, std::size_t n) {
		auto *c = static_cast<const unsigned char *>(p);
		b.insert(b.end(), c, c + n);
		b.resize((b.size() + 3) & ~std::size_t{3});
	};
	nlmsgerr e{};
	e.error = error;
	e.msg.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + echoed);
	e.msg.nlmsg_type = 0x1f;
	e.msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	e.msg.nlmsg_seq = 42;
	b.insert(b.end(), reinterpret_cast<unsigned char *>(&e),
		 reinterpret_cast<unsigned char *>(&e) + sizeof(e));
	if (!capped) {
		std::vector<unsigned char> request(echoed, 0xee);
		put(request.data(), request.size());
	}
	std::uint16_t flags = capped ? NLM_F_CAPPED : 0;
	auto tlv = [&](std::uint16_t type, const void *data, std::size_t len) {
		nlattr a{static_cast<std::uint16_t>(NLA_HDRLEN + len), type};
		b.insert(b.end(), reinterpret_cast<unsigned char *>(&a),
			 reinterpret_cast<unsigned char *>(&a) + sizeof(a));
		put(data, len);
		flags |= NLM_F_ACK_TLVS;
	};
	if (msg)
		tlv(NLMSGERR_ATTR_MSG, msg, std::strlen(msg) + 1);
	if (offset) {
		std::uint32_t off = 20;
		tlv(NLMSGERR_ATTR_OFFS, &off, sizeof(off));
	}
	nlmsghdr h{};
	h.nlmsg_len = static_cast<std::uint32_t>(b.size());
	h.nlmsg_type = NLMSG_ERROR;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = 42;
	std::memcpy(b.data(), &h, sizeof(h));
	write("netlink_error", name, b.data(), b.size());
}

}  // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
		return 2;
	}
	g_root = argv[1];
	stats();
	probes();
	events();
	ack("plain-ack", 0, true, 0, nullptr, false);
	ack("capped-extack", -EINVAL, true, 24, "integer out of range", true);
	ack("uncapped-echo", -EOPNOTSUPP, false, 13, "Unknown device type", false);
	ack("eperm", -EPERM, true, 20, nullptr, false);
	return 0;
}
