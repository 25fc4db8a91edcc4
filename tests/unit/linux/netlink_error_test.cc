#include <gtest/gtest.h>

#include <unistd.h>

#include <climits>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "netlink_error.h"

namespace txqg::testing {
namespace {

// An NLMSG_ERROR as the kernel's netlink_ack() lays it out.
class AckBuilder {
public:
	AckBuilder(int error, bool capped, std::vector<unsigned char> request_payload = {})
	{
		nlmsghdr orig{};
		orig.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + request_payload.size());
		orig.nlmsg_type = 0x1d;
		orig.nlmsg_seq = 42;
		nlmsgerr e{};
		e.error = error;
		e.msg = orig;
		put(&e, sizeof(e));
		if (!capped)
			put(request_payload.data(), request_payload.size());
		align();
		flags_ = capped ? NLM_F_CAPPED : 0;
	}

	AckBuilder &tlv(std::uint16_t type, const void *data, size_t len)
	{
		nlattr a{static_cast<std::uint16_t>(NLA_HDRLEN + len), type};
		put(&a, sizeof(a));
		put(data, len);
		align();
		flags_ |= NLM_F_ACK_TLVS;
		return *this;
	}

	AckBuilder &msg(const char *text) { return tlv(NLMSGERR_ATTR_MSG, text, std::strlen(text) + 1); }

	std::vector<unsigned char> build() const
	{
		nlmsghdr h{};
		h.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + body_.size());
		h.nlmsg_type = NLMSG_ERROR;
		h.nlmsg_flags = flags_;
		std::vector<unsigned char> out(reinterpret_cast<unsigned char *>(&h),
					       reinterpret_cast<unsigned char *>(&h) + sizeof(h));
		out.insert(out.end(), body_.begin(), body_.end());
		return out;
	}

private:
	void put(const void *p, size_t n)
	{
		auto *c = static_cast<const unsigned char *>(p);
		body_.insert(body_.end(), c, c + n);
	}
	void align() { body_.resize((body_.size() + 3) & ~size_t{3}); }

	std::vector<unsigned char> body_;
	std::uint16_t flags_ = 0;
};

const nlmsghdr *hdr(const std::vector<unsigned char> &buf)
{
	return reinterpret_cast<const nlmsghdr *>(buf.data());
}

// Decodes buf whole, as the sockets hand a received message over, and checks what came out.
void expect_ack(const std::vector<unsigned char> &buf, int error, const std::string &message,
		std::optional<std::uint32_t> offset = std::nullopt)
{
	auto ack = decode_netlink_ack(hdr(buf), buf.size());
	ASSERT_TRUE(ack);
	EXPECT_EQ(ack->error, error);
	EXPECT_EQ(ack->message, message);
	EXPECT_EQ(ack->bad_attr_offset, offset);
}

TEST(NetlinkAck, CappedErrorWithMessageAndOffset)
{
	std::uint32_t off = 20;
	auto buf = AckBuilder(-EINVAL, true).msg("integer out of range").tlv(NLMSGERR_ATTR_OFFS, &off, 4).build();
	auto ack = decode_netlink_ack(hdr(buf), buf.size());
	ASSERT_TRUE(ack);
	EXPECT_EQ(ack->error, -EINVAL);
	EXPECT_EQ(ack->message, "integer out of range");
	ASSERT_TRUE(ack->bad_attr_offset);
	EXPECT_EQ(*ack->bad_attr_offset, 20u);
}

TEST(NetlinkAck, UncappedErrorSkipsTheEchoedRequest)
{
	// An odd-sized echo: the TLVs start at the next 4-byte boundary.
	std::vector<unsigned char> request(13, 0xee);
	auto buf = AckBuilder(-EOPNOTSUPP, false, request).msg("Unknown device type").build();
	auto ack = decode_netlink_ack(hdr(buf), buf.size());
	ASSERT_TRUE(ack);
	EXPECT_EQ(ack->error, -EOPNOTSUPP);
	EXPECT_EQ(ack->message, "Unknown device type");
	EXPECT_FALSE(ack->bad_attr_offset);
}

TEST(NetlinkAck, PlainAckHasNoMessage)
{
	auto buf = AckBuilder(0, true).build();
	auto ack = decode_netlink_ack(hdr(buf), buf.size());
	ASSERT_TRUE(ack);
	EXPECT_EQ(ack->error, 0);
	EXPECT_EQ(ack->message, "");
}

TEST(NetlinkAck, TruncatedTlvKeepsTheErrno)
{
	auto buf = AckBuilder(-EPERM, true).msg("not allowed here").build();
	buf.resize(buf.size() - 8);	// cut into the message attribute
	auto ack = decode_netlink_ack(hdr(buf), buf.size());
	ASSERT_TRUE(ack);
	EXPECT_EQ(ack->error, -EPERM);
	EXPECT_EQ(ack->message, "");
}

TEST(NetlinkAck, UnterminatedMessageIsBoundedByTheAttribute)
{
	const char text[4] = {'a', 'b', 'c', 'd'};
	std::uint32_t off = 7;
	auto buf = AckBuilder(-EINVAL, true).tlv(NLMSGERR_ATTR_MSG, text, 4).tlv(NLMSGERR_ATTR_OFFS, &off, 4).build();
	auto ack = decode_netlink_ack(hdr(buf), buf.size());
	ASSERT_TRUE(ack);
	EXPECT_EQ(ack->message, "abcd");
	EXPECT_EQ(ack->bad_attr_offset.value_or(0), 7u);
}

TEST(NetlinkAck, NotAnErrorMessage)
{
	auto buf = AckBuilder(-EINVAL, true).build();
	reinterpret_cast<nlmsghdr *>(buf.data())->nlmsg_type = NLMSG_DONE;
	EXPECT_FALSE(decode_netlink_ack(hdr(buf), buf.size()));
	EXPECT_FALSE(decode_netlink_ack(hdr(buf), 8));
}

TEST(NetlinkAck, OffsetWithoutMessage)
{
	std::uint32_t off = 36;
	expect_ack(AckBuilder(-ERANGE, true).tlv(NLMSGERR_ATTR_OFFS, &off, 4).build(), -ERANGE, "", 36);
}

TEST(NetlinkAck, CookieAndUnknownAttributesAreSkipped)
{
	const unsigned char cookie[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	const unsigned char odd[3] = {9, 9, 9};	// unaligned: the next TLV starts after padding
	std::uint32_t off = 24;
	auto buf = AckBuilder(-EINVAL, true)
			   .tlv(NLMSGERR_ATTR_COOKIE, cookie, sizeof(cookie))
			   .tlv(0x7ff0, odd, sizeof(odd))
			   .msg("bad cookie")
			   .tlv(NLMSGERR_ATTR_OFFS, &off, 4)
			   .build();
	expect_ack(buf, -EINVAL, "bad cookie", 24);
}

TEST(NetlinkAck, TypeFlagBitsAreMasked)
{
	const char text[] = "flagged";
	auto buf = AckBuilder(-EINVAL, true)
			   .tlv(NLMSGERR_ATTR_MSG | NLA_F_NET_BYTEORDER, text, sizeof(text))
			   .build();
	expect_ack(buf, -EINVAL, "flagged");
}

TEST(NetlinkAck, MalformedAttributeEndsTheWalkKeepingWhatCameBefore)
{
	std::uint32_t off = 12;
	auto buf = AckBuilder(-EINVAL, true).msg("first").tlv(NLMSGERR_ATTR_OFFS, &off, 4).build();
	// The offset attribute claims less than its own header.
	const size_t offs_at = buf.size() - NLA_HDRLEN - 4;
	nlattr bad{2, NLMSGERR_ATTR_OFFS};
	std::memcpy(buf.data() + offs_at, &bad, sizeof(bad));
	expect_ack(buf, -EINVAL, "first");
}

TEST(NetlinkAck, ShortOffsetIsIgnored)
{
	const std::uint16_t off = 5;
	expect_ack(AckBuilder(-EINVAL, true).tlv(NLMSGERR_ATTR_OFFS, &off, sizeof(off)).build(),
		   -EINVAL, "");
}

TEST(NetlinkAck, AttributesPastTheHeadersLengthAreNotRead)
{
	// A buffer holding more than the message (the next one of a batch).
	auto buf = AckBuilder(-EINVAL, true).msg("beyond").build();
	auto *h = reinterpret_cast<nlmsghdr *>(buf.data());
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(nlmsgerr);
	expect_ack(buf, -EINVAL, "");
}

TEST(NetlinkAck, EchoLongerThanTheMessageKeepsTheErrno)
{
	// An uncapped ack whose echoed request claims more than was received. The request's
	// own attributes are not the kernel's answer, however well formed.
	const nlattr inner{NLA_HDRLEN + 4, NLMSGERR_ATTR_MSG};
	std::vector<unsigned char> request(sizeof(inner) + 4, 0);
	std::memcpy(request.data(), &inner, sizeof(inner));
	std::memcpy(request.data() + sizeof(inner), "req", 4);
	auto buf = AckBuilder(-ENOBUFS, false, request).msg("echo").build();
	auto *e = reinterpret_cast<nlmsgerr *>(buf.data() + NLMSG_HDRLEN);
	e->msg.nlmsg_len = 4096;
	expect_ack(buf, -ENOBUFS, "");
}

TEST(NetlinkAck, TooShortForTheErrorIsNotAnAck)
{
	auto buf = AckBuilder(-EINVAL, true).build();
	EXPECT_FALSE(decode_netlink_ack(hdr(buf), NLMSG_HDRLEN + sizeof(nlmsgerr) - 1));
	reinterpret_cast<nlmsghdr *>(buf.data())->nlmsg_len = NLMSG_HDRLEN + 4;
	EXPECT_FALSE(decode_netlink_ack(hdr(buf), buf.size()));
}

TEST(NetlinkError, MessageCarriesTheKernelsWords)
{
	Error e = netlink_error("cannot create dummy tqv-down",
				NetlinkAck{-EOPNOTSUPP, "Unknown device type", {}});
	EXPECT_EQ(e.message, "cannot create dummy tqv-down: Operation not supported "
			     "(kernel: Unknown device type)");
	EXPECT_EQ(e.code, ErrorCode::Io);
}

TEST(NetlinkError, PermissionErrorsSayRunAsRoot)
{
	Error e = netlink_error("cannot read txqguard's counters", NetlinkAck{-EPERM, "", {}});
	EXPECT_EQ(e.code, ErrorCode::PermissionDenied);
	const bool hinted = e.message.find("(run as root)") != std::string::npos;
	EXPECT_EQ(hinted, ::geteuid() != 0) << e.message;
	EXPECT_EQ(e.message.rfind("cannot read txqguard's counters: Operation not permitted", 0), 0u);
}

TEST(NetlinkError, ErrorFieldOfIntMinStillNamesAPositiveErrno)
{
	// The field is a plain int from the wire, and INT_MIN has no negation.
	Error e = netlink_error("cannot set the mode", NetlinkAck{INT_MIN, "", {}});
	EXPECT_EQ(e.code, ErrorCode::Io);
	EXPECT_EQ(e.message.find('-'), std::string::npos) << e.message;
}

}  // namespace
}  // namespace txqg::testing
