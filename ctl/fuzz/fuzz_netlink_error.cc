// NLMSG_ERROR with extended-ack TLVs, as both netlink clients receive it.
#include <linux/netlink.h>

#include <cstring>
#include <vector>

#include "fuzz_support.h"
#include "netlink_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	// A receive buffer is aligned for nlmsghdr; the fuzzer's input is not.
	std::vector<std::uint32_t> buf((size + 3) / 4 + 1);
	if (size)
		std::memcpy(buf.data(), data, size);
	const auto *nlh = reinterpret_cast<const nlmsghdr *>(buf.data());

	auto ack = decode_netlink_ack(nlh, size);
	if (ack) {
		TXQG_FUZZ_CHECK(ack->message.size() < size);
		(void)netlink_error("fuzz", *ack);
	}
	// The sockets pass the header's own length once the library checked it.
	if (size >= NLMSG_HDRLEN && nlh->nlmsg_len <= size)
		(void)decode_netlink_ack(nlh, nlh->nlmsg_len);
	return 0;
}
