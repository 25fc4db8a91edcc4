#include "frames.h"

#include <cstddef>

namespace txqg {
namespace {

void put16(std::vector<std::uint8_t> &f, std::size_t at, std::uint16_t v)
{
	f[at] = static_cast<std::uint8_t>(v >> 8);
	f[at + 1] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::uint16_t ipv4_checksum(const std::uint8_t *data, std::size_t len)
{
	std::uint32_t sum = 0;
	for (std::size_t i = 0; i + 1 < len; i += 2)
		sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
	if (len & 1)
		sum += static_cast<std::uint32_t>(data[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<std::uint16_t>(~sum);
}

std::vector<std::uint8_t> test_frame(std::uint16_t source_port)
{
	constexpr std::size_t kPayload = 18, kIp = 14, kUdp = kIp + 20;
	std::vector<std::uint8_t> f(kUdp + 8 + kPayload, 0);
	const std::uint8_t dst[6] = {0x02, 0, 0, 0, 0, 0x02};
	const std::uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x01};
	for (int i = 0; i < 6; i++) {
		f[i] = dst[i];
		f[6 + i] = src[i];
	}
	put16(f, 12, 0x0800);
	f[kIp] = 0x45;
	put16(f, kIp + 2, 20 + 8 + kPayload);
	f[kIp + 8] = 64;
	f[kIp + 9] = 17;	// UDP
	const std::uint8_t saddr[4] = {10, 0, 0, 1}, daddr[4] = {10, 0, 0, 2};
	for (int i = 0; i < 4; i++) {
		f[kIp + 12 + i] = saddr[i];
		f[kIp + 16 + i] = daddr[i];
	}
	put16(f, kIp + 10, ipv4_checksum(&f[kIp], 20));
	put16(f, kUdp, source_port);
	put16(f, kUdp + 2, 9);	// discard
	put16(f, kUdp + 4, 8 + kPayload);
	for (std::size_t i = kUdp + 8; i < f.size(); i++)
		f[i] = 0xab;
	return f;
}

}  // namespace txqg
