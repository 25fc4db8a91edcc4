#include <gtest/gtest.h>

#include <unistd.h>

#include <climits>
#include <cstring>
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
