#include "frames.h"

// The traffic tools' builder (tests/tools/frame.h), so the guests' floods and verify's canaries
// are the same frame.
#include "frame.h"

namespace txqg {

std::uint16_t ipv4_checksum(const std::uint8_t *data, std::size_t len)
{
	return frame_csum(data, len);
}

std::vector<std::uint8_t> test_frame(std::uint16_t source_port)
{
	std::vector<std::uint8_t> f(TEST_FRAME_LEN);
	build_frame(f.data(), source_port);
	return f;
}

}  // namespace txqg
