// Interface names: the kernel's %pE undone, and the escaping that makes any
// bytes safe to print.
#include "fuzz_support.h"
#include "ifname.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	const std::string_view in = fuzz::as_text(data, size);

	const std::string raw = unescape_kernel_string(in);
	TXQG_FUZZ_CHECK(raw.size() <= in.size());

	// Whatever the bytes, the output is printable ASCII and reversible.
	for (std::string_view bytes : {in, std::string_view(raw)}) {
		const std::string shown = escape_ifname(bytes);
		for (char c : shown)
			TXQG_FUZZ_CHECK(c > 0x20 && c < 0x7f);
		TXQG_FUZZ_CHECK(unescape_kernel_string(shown) == bytes);
	}
	return 0;
}
