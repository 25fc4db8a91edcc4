// The frames verify writes into its tap: Ethernet/IPv4/UDP between two
// addresses that exist only inside the private namespace, built by the
// traffic tools' own builder (tests/tools/frame.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace txqg {

std::vector<std::uint8_t> test_frame(std::uint16_t source_port);

// RFC 1071 ones'-complement sum, as it goes into the IPv4 header.
std::uint16_t ipv4_checksum(const std::uint8_t *data, std::size_t len);

}  // namespace txqg
