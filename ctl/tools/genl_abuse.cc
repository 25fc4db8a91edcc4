// txqg-genl-abuse: sends txqguard's generic-netlink family what a broken or
// hostile client would: unknown commands, missing, out-of-range, mistyped,
// oversized and nested-garbage attributes, truncated messages, bursts, a
// receive-buffer overrun. Each must get a clear refusal (errno and, where the
// kernel gives one, its extended-ack message) and the mode must not move.
//
//   txqg-genl-abuse                 as root
//   txqg-genl-abuse --unprivileged  without CAP_NET_ADMIN: every command EPERM
//
// Prints "ok N - ..." / "not ok N - ..." lines and "genl-abuse: X of Y checks
// passed"; exit 0 only if all passed.
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "contract.h"
#include "file_io.h"
#include "genl_socket.h"
#include "raw_genl.h"

namespace {

using namespace txqg;
using namespace std::chrono_literals;

constexpr std::uint16_t kRequest = NLM_F_REQUEST | NLM_F_ACK;

struct Expect {
	int error = 0;  // negative errno; 0 = ACK
	bool reply = false;  // a family message before the ACK
	std::string extack;  // must appear in the kernel's message
	bool silence = false;  // the kernel must not answer at all
};

Expect acked()
{
	return Expect{};
}

Expect answered()
{
	Expect e;
	e.reply = true;
	return e;
}

Expect refused(int err, std::string extack = {})
{
	Expect e;
	e.error = -err;
	e.extack = std::move(extack);
	return e;
}

Expect ignored()
{
	Expect e;
	e.silence = true;
	return e;
}

std::string describe(const Answer &a)
{
	if (!a.acked)
		return a.replied ? "a reply but no acknowledgement" : "no answer";
	std::string s = a.error ? std::strerror(-a.error) : "acknowledged";
	if (a.replied)
		s += " after a reply";
	if (!a.extack.empty())
		s += " (kernel: " + a.extack + ")";
	return s;
}

class Checks {
public:
	Checks(RawGenl &sock, int family) : sock_(sock), family_(family) {}

	// A request of the family, the message left open for attributes.
	NlBuilder request(std::uint32_t seq, std::uint8_t cmd, std::uint16_t flags = kRequest) const
	{
		NlBuilder b;
		b.message(static_cast<std::uint16_t>(family_), flags, seq).genl(cmd);
		return b;
	}

	void check(const std::string &what, bool passed, const std::string &detail)
	{
		n_++;
		if (!passed)
			failed_++;
		std::cout << (passed ? "ok " : "not ok ") << n_ << " - " << what << ": " << detail
			  << std::endl;
	}

	// Sends one datagram that carries request seq and judges its answer.
	Answer expect(const std::string &what, NlBuilder b, std::uint32_t seq, const Expect &e)
	{
		if (auto r = sock_.send(b.bytes()); !r) {
			check(what, false, r.error().message);
			return {};
		}
		// Silence is only told from slowness by waiting a while.
		auto got = sock_.collect({seq}, e.silence ? 500ms : 5000ms);
		if (!got) {
			check(what, false, got.error().message);
			return {};
		}
		Answer a = (*got)[seq];
		if (e.silence) {
			check(what, !a.acked && !a.replied,
			      a.acked || a.replied ? "answered: " + describe(a)
						   : "dropped without an answer");
			return a;
		}
		bool ok = a.acked && a.error == e.error && a.replied == e.reply &&
			  a.extack.find(e.extack) != std::string::npos;
		std::string detail = describe(a);
		if (!ok) {
			detail += "; expected " +
				  std::string(e.error ? std::strerror(-e.error) : "an ACK");
			if (e.reply)
				detail += " after a reply";
			if (!e.extack.empty())
				detail += " with '" + e.extack + "'";
		}
		check(what, ok, detail);
		return a;
	}

	std::uint32_t seq() { return sock_.next_seq(); }
	int family() const { return family_; }
	RawGenl &sock() { return sock_; }

	int finish() const
	{
		std::cout << "genl-abuse: " << n_ - failed_ << " of " << n_ << " checks passed"
			  << std::endl;
		return failed_ ? 1 : 0;
	}

private:
	RawGenl &sock_;
	int family_;
	unsigned n_ = 0, failed_ = 0;
};

std::optional<std::uint32_t> mode_now(Checks &c)
{
	std::uint32_t s = c.seq();
	auto a = c.expect("GET_STATS answers with the mode", c.request(s, TXQGUARD_CMD_GET_STATS),
			  s, answered());
	return a.mode;
}

std::string mode_name(std::uint32_t m)
{
	return m < kModeNames.size() ? std::string(kModeNames[m]) : "mode " + std::to_string(m);
}

std::string mode_param()
{
	auto m = read_text_file("/sys/module/txqguard/parameters/mode");
	return m ? m->substr(0, m->find('\n')) : "?";
}

void unprivileged(Checks &c)
{
	const Expect eperm = refused(EPERM);
	for (auto [cmd, name] : {std::pair{TXQGUARD_CMD_GET_STATS, "GET_STATS"},
				 std::pair{TXQGUARD_CMD_GET_PROBES, "GET_PROBES"},
				 std::pair{TXQGUARD_CMD_GET_EVENTS, "GET_EVENTS"}}) {
		std::uint32_t s = c.seq();
		c.expect(std::string(name) + " is refused", c.request(s, cmd), s, eperm);
	}
	std::uint32_t s = c.seq();
	c.expect("SET_MODE off is refused",
		 c.request(s, TXQGUARD_CMD_SET_MODE).u32(TXQGUARD_A_MODE, TXQGUARD_MODE_OFF), s,
		 eperm);
	s = c.seq();
	c.expect("SET_MODE with mode 7 is refused before its attributes are read",
		 c.request(s, TXQGUARD_CMD_SET_MODE).u32(TXQGUARD_A_MODE, 7), s, eperm);
	s = c.seq();
	c.expect("GET_STATS as a dump is refused",
		 c.request(s, TXQGUARD_CMD_GET_STATS, kRequest | NLM_F_DUMP), s, eperm);
}

void malformed(Checks &c, std::uint32_t current)
{
	// Every bogus SET_MODE names a real mode other than the current one: had
	// the kernel taken any of them, the final mode check would show it.
	const std::uint32_t other =
		current == TXQGUARD_MODE_OFF ? TXQGUARD_MODE_DETECT : TXQGUARD_MODE_OFF;
	const Expect einval = refused(EINVAL);
	const Expect unsupported = refused(EOPNOTSUPP);
	auto set_mode = [&](std::uint32_t s) {
		return c.request(s, TXQGUARD_CMD_SET_MODE);
	};
	std::uint32_t s;

	s = c.seq();
	c.expect("SET_MODE to the current mode is acknowledged (the control)",
		 set_mode(s).u32(TXQGUARD_A_MODE, current), s, acked());
	for (auto [cmd, name] : {std::pair{TXQGUARD_CMD_GET_PROBES, "GET_PROBES"},
				 std::pair{TXQGUARD_CMD_GET_EVENTS, "GET_EVENTS"}}) {
		s = c.seq();
		c.expect(std::string(name) + " answers (the control)", c.request(s, cmd), s,
			 answered());
	}

	for (std::uint8_t cmd :
	     {std::uint8_t{TXQGUARD_CMD_UNSPEC}, std::uint8_t{TXQGUARD_CMD_NEW_EVENTS},
	      std::uint8_t{__TXQGUARD_CMD_MAX}, std::uint8_t{255}}) {
		s = c.seq();
		c.expect("unknown command " + std::to_string(cmd),
			 c.request(s, cmd).u32(TXQGUARD_A_MODE, other), s, unsupported);
	}
	s = c.seq();
	c.expect("GET_STATS as a dump (no dumpit)",
		 c.request(s, TXQGUARD_CMD_GET_STATS, kRequest | NLM_F_DUMP), s, unsupported);
	s = c.seq();
	c.expect("SET_MODE as a dump (no dumpit)",
		 c.request(s, TXQGUARD_CMD_SET_MODE, kRequest | NLM_F_DUMP)
			 .u32(TXQGUARD_A_MODE, other),
		 s, unsupported);

	s = c.seq();
	c.expect("SET_MODE without TXQGUARD_A_MODE", set_mode(s), s,
		 refused(EINVAL, "TXQGUARD_A_MODE is required"));
	for (std::uint32_t bad : {3u, 7u, 0x80000000u, 0xffffffffu}) {
		s = c.seq();
		c.expect("SET_MODE with mode " + std::to_string(bad),
			 set_mode(s).u32(TXQGUARD_A_MODE, bad), s, refused(ERANGE, "out of range"));
	}
	// "off" is four bytes with its NUL: the length of a u32, the value of none.
	s = c.seq();
	c.expect("SET_MODE with the string \"off\" as mode",
		 set_mode(s).attr(TXQGUARD_A_MODE, "off", 4), s, refused(ERANGE, "out of range"));
	const std::uint8_t zeros[8] = {};
	for (std::size_t len : {0u, 1u, 2u, 3u, 5u, 8u}) {
		s = c.seq();
		c.expect("SET_MODE with a " + std::to_string(len) + "-byte mode",
			 set_mode(s).attr(TXQGUARD_A_MODE, zeros, len), s,
			 refused(EINVAL, "attribute length"));
	}
	s = c.seq();
	c.expect("SET_MODE with the string \"enforce\" as mode",
		 set_mode(s).attr(TXQGUARD_A_MODE, "enforce", 8), s,
		 refused(EINVAL, "attribute length"));
	s = c.seq();
	c.expect("SET_MODE with a nest where the mode belongs",
		 set_mode(s).nest_begin(TXQGUARD_A_MODE).u32(1, other).nest_end(), s,
		 refused(EINVAL, "attribute length"));
	s = c.seq();
	c.expect("SET_MODE with a u32 mode flagged NLA_F_NESTED",
		 set_mode(s).u32(TXQGUARD_A_MODE | NLA_F_NESTED, other), s,
		 refused(EINVAL, "NLA_F_NESTED"));

	// Attributes the policy does not accept, next to a valid mode.
	s = c.seq();
	c.expect("SET_MODE with an attribute type past TXQGUARD_A_MAX",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).u32(TXQGUARD_A_MAX + 1, 0), s,
		 refused(EINVAL, "Unknown attribute type"));
	s = c.seq();
	c.expect("SET_MODE with attribute type 0",
		 set_mode(s).u32(0, 0).u32(TXQGUARD_A_MODE, other), s,
		 refused(EINVAL, "Unknown attribute type"));
	s = c.seq();
	c.expect("SET_MODE with a reply-only attribute (VERSION)",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).attr(TXQGUARD_A_VERSION, "0.1.0", 6), s,
		 refused(EINVAL, "Unsupported attribute"));
	s = c.seq();
	c.expect("GET_STATS with a reply-only attribute (EVENTS_TOTAL)",
		 c.request(s, TXQGUARD_CMD_GET_STATS).attr(TXQGUARD_A_EVENTS_TOTAL, zeros, 8), s,
		 refused(EINVAL, "Unsupported attribute"));
	const std::uint8_t junk[] = {0xff, 0xff, 0x00, 0x00, 0xde, 0xad,
				     0xbe, 0xef, 0x03, 0x00, 0x01};
	s = c.seq();
	c.expect("SET_MODE with garbage nested in COUNTERS",
		 set_mode(s)
			 .u32(TXQGUARD_A_MODE, other)
			 .nest_begin(TXQGUARD_A_COUNTERS)
			 .raw(junk, 8)
			 .nest_end(),
		 s, refused(EINVAL, "Unsupported attribute"));
	s = c.seq();
	c.expect("SET_MODE with the mode nested in an EVENT",
		 set_mode(s).nest_begin(TXQGUARD_A_EVENT).u32(TXQGUARD_A_MODE, other).nest_end(), s,
		 refused(EINVAL, "Unsupported attribute"));

	// Sizes: a long mode, a 64000-byte attribute, one whose length wraps.
	const std::string big(64000, 'x');
	s = c.seq();
	c.expect("SET_MODE with a 4000-byte mode",
		 set_mode(s).attr(TXQGUARD_A_MODE, big.data(), 4000), s,
		 refused(EINVAL, "attribute length"));
	s = c.seq();
	c.expect("SET_MODE with a 64000-byte attribute",
		 set_mode(s)
			 .u32(TXQGUARD_A_MODE, other)
			 .attr(TXQGUARD_A_COUNTERS, big.data(), 64000),
		 s, refused(EINVAL, "Unsupported attribute"));
	s = c.seq();
	c.expect("SET_MODE with a 65535-byte attribute of an unknown type",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).attr(200, big.data(), 65535 - NLA_HDRLEN),
		 s, refused(EINVAL, "Unknown attribute type"));
	s = c.seq();
	c.expect("SET_MODE whose second attribute's length wraps past 64 KiB",
		 set_mode(s)
			 .u32(TXQGUARD_A_MODE, other)
			 .attr(TXQGUARD_A_COUNTERS, big.data(), 65536),
		 s, einval);

	// Broken framing.
	const nlattr short_attr{2, TXQGUARD_A_MODE};
	s = c.seq();
	c.expect("SET_MODE with an attribute shorter than its header",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).raw(&short_attr, sizeof(short_attr)), s,
		 refused(EINVAL, "leftover"));
	const nlattr long_attr{200, TXQGUARD_A_MODE};
	s = c.seq();
	c.expect("SET_MODE with an attribute longer than the message",
		 set_mode(s)
			 .u32(TXQGUARD_A_MODE, other)
			 .raw(&long_attr, sizeof(long_attr))
			 .u32(0, 0),
		 s, refused(EINVAL, "leftover"));
	s = c.seq();
	c.expect("SET_MODE with two stray bytes after its attributes",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).raw(zeros, 2), s,
		 refused(EINVAL, "leftover"));
	s = c.seq();
	c.expect("a message cut inside the generic header",
		 c.request(s, TXQGUARD_CMD_SET_MODE)
			 .claim_length(NLMSG_HDRLEN + 2)
			 .cut(NLMSG_HDRLEN + 2),
		 s, einval);
	s = c.seq();
	c.expect("a message that ends with its netlink header",
		 c.request(s, TXQGUARD_CMD_SET_MODE).claim_length(NLMSG_HDRLEN).cut(NLMSG_HDRLEN),
		 s, einval);
	s = c.seq();
	c.expect("SET_MODE whose nlmsg_len cuts its mode attribute in half",
		 set_mode(s)
			 .u32(TXQGUARD_A_MODE, other)
			 .claim_length(NLMSG_HDRLEN + GENL_HDRLEN + 6),
		 s, refused(EINVAL, "leftover"));
	// netlink_rcv_skb() drops these without a word; the socket must still work after.
	s = c.seq();
	c.expect("a message longer than its datagram is dropped",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).claim_length(256), s, ignored());
	s = c.seq();
	c.expect("a datagram shorter than a netlink header is dropped",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).cut(10), s, ignored());
	s = c.seq();
	c.expect("nlmsg_len below the header size is dropped",
		 set_mode(s).u32(TXQGUARD_A_MODE, other).claim_length(8), s, ignored());
	s = c.seq();
	c.expect("SET_MODE without NLM_F_REQUEST is not executed",
		 c.request(s, TXQGUARD_CMD_SET_MODE, NLM_F_ACK).u32(TXQGUARD_A_MODE, other), s,
		 acked());

	// Two requests in one datagram: each gets its own answer.
	std::uint32_t s1 = c.seq(), s2 = c.seq();
	NlBuilder two = set_mode(s1);
	two.message(static_cast<std::uint16_t>(c.family()), kRequest, s2)
		.genl(TXQGUARD_CMD_GET_STATS);
	c.expect("two requests in one datagram, the first without a mode", two, s1,
		 refused(EINVAL, "TXQGUARD_A_MODE is required"));
	auto rest = c.sock().collect({s2}, 5000ms);
	c.check("the second request of that datagram is answered",
		rest && (*rest)[s2].acked && !(*rest)[s2].error && (*rest)[s2].replied,
		rest ? describe((*rest)[s2]) : rest.error().message);
}

// 1000 requests without reading, then every answer: nothing lost, nothing mixed up.
void burst(Checks &c, std::uint32_t current)
{
	const std::uint32_t other =
		current == TXQGUARD_MODE_OFF ? TXQGUARD_MODE_DETECT : TXQGUARD_MODE_OFF;
	if (auto r = c.sock().set_receive_buffer(16 << 20); !r) {
		c.check("burst", false, r.error().message);
		return;
	}
	struct Sent {
		std::uint32_t seq;
		int error;
		bool reply;
	};
	std::vector<Sent> sent;
	std::vector<std::uint32_t> seqs;
	for (unsigned i = 0; i < 1000; i++) {
		std::uint32_t s = c.seq();
		NlBuilder b;
		switch (i % 4) {
		case 0:
			b = c.request(s, TXQGUARD_CMD_GET_STATS);
			sent.push_back({s, 0, true});
			break;
		case 1:
			b = c.request(s, TXQGUARD_CMD_SET_MODE).u32(TXQGUARD_A_MODE, 9);
			sent.push_back({s, -ERANGE, false});
			break;
		case 2:
			b = c.request(s, TXQGUARD_CMD_SET_MODE);
			sent.push_back({s, -EINVAL, false});
			break;
		default:
			b = c.request(s, 99).u32(TXQGUARD_A_MODE, other);
			sent.push_back({s, -EOPNOTSUPP, false});
			break;
		}
		if (auto r = c.sock().send(b.bytes()); !r) {
			c.check("burst of 1000 requests", false,
				"send " + std::to_string(i) + ": " + r.error().message);
			return;
		}
		seqs.push_back(s);
	}
	auto got = c.sock().collect(seqs, 60000ms);
	if (!got) {
		c.check("burst of 1000 requests", false, got.error().message);
		return;
	}
	unsigned right = 0, replies = 0;
	std::string first_wrong;
	for (const Sent &x : sent) {
		const Answer &a = (*got)[x.seq];
		replies += a.replied;
		if (a.acked && a.error == x.error && a.replied == x.reply)
			right++;
		else if (first_wrong.empty())
			first_wrong = "; seq " + std::to_string(x.seq) + ": " + describe(a);
	}
	c.check("burst of 1000 requests, read afterwards",
		right == sent.size() && !c.sock().overruns(),
		std::to_string(right) + " answered as expected (" + std::to_string(replies) +
			" stats replies, " + std::to_string(c.sock().overruns()) + " overruns)" +
			first_wrong);
}

// A reader too slow for its requests loses answers (ENOBUFS), and nothing else.
void overrun(Checks &c)
{
	auto sock = RawGenl::open();
	if (!sock) {
		c.check("overrun", false, sock.error().message);
		return;
	}
	Checks o(*sock, c.family());
	if (auto r = sock->set_receive_buffer(4096); !r) {
		c.check("overrun", false, r.error().message);
		return;
	}
	for (unsigned i = 0; i < 64; i++)
		if (auto r =
			    sock->send(o.request(sock->next_seq(), TXQGUARD_CMD_GET_STATS).bytes());
		    !r) {
			c.check("overrun", false, r.error().message);
			return;
		}
	auto drained = sock->collect({}, 500ms);
	c.check("64 stats requests into a 4 KiB receive buffer overrun it",
		drained && sock->overruns() > 0,
		drained ? std::to_string(sock->overruns()) + " ENOBUFS, " +
				  std::to_string(drained->size()) + " requests answered"
			: drained.error().message);
	std::uint32_t s = sock->next_seq();
	auto a = sock->send(o.request(s, TXQGUARD_CMD_GET_STATS).bytes());
	auto got = sock->collect({s}, 5000ms);
	c.check("the overrun socket is answered again",
		a && got && (*got)[s].acked && (*got)[s].replied,
		got ? describe((*got)[s]) : got.error().message);
}

}  // namespace

int main(int argc, char **argv)
{
	const bool as_unprivileged = argc == 2 && std::string(argv[1]) == "--unprivileged";
	if (argc > 2 || (argc == 2 && !as_unprivileged)) {
		std::cerr << "usage: txqg-genl-abuse [--unprivileged]\n";
		return 2;
	}
	auto resolver = GenlSocket::open();
	if (!resolver) {
		std::cerr << "txqg-genl-abuse: " << resolver.error().message << "\n";
		return 1;
	}
	auto family = resolver->resolve_family(TXQGUARD_GENL_NAME);
	if (!family) {
		std::cerr << "txqg-genl-abuse: " << family.error().message << "\n";
		return 1;
	}
	auto sock = RawGenl::open();
	if (!sock) {
		std::cerr << "txqg-genl-abuse: " << sock.error().message << "\n";
		return 1;
	}
	std::cout << "# family " << TXQGUARD_GENL_NAME << " id " << *family << ", mode "
		  << mode_param() << std::endl;
	Checks c(*sock, *family);

	if (as_unprivileged) {
		unprivileged(c);
		// On 5.10 a multicast group cannot ask for a capability: say what we see.
		auto group =
			resolver->resolve_group(TXQGUARD_GENL_NAME, TXQGUARD_GENL_MCGRP_EVENTS);
		auto listener = RawGenl::open();
		if (group && listener) {
			auto joined = listener->join_group(static_cast<unsigned>(*group));
			std::cout << "# note: joining the events group unprivileged: "
				  << (joined ? "allowed" : joined.error().message) << std::endl;
		}
		std::cout << "# mode " << mode_param() << std::endl;
		return c.finish();
	}

	const std::string param_before = mode_param();
	auto before = mode_now(c);
	if (!before)
		return c.finish();
	malformed(c, *before);
	burst(c, *before);
	overrun(c);
	auto after = mode_now(c);
	c.check("the mode is unchanged over generic netlink", after && *after == *before,
		after ? mode_name(*before) + " -> " + mode_name(*after)
		      : std::string("no mode in the reply"));
	const std::string param_after = mode_param();
	c.check("the mode parameter is unchanged", param_after == param_before,
		param_before + " -> " + param_after);
	return c.finish();
}
