// The command line: argv words are the input split on NUL bytes.
//
// run_cli() parses and runs in one call, so the words are run too, against
// an in-memory host. Only metrics --textfile writes outside that host (the
// file it names), so inputs that ask for it are skipped.
#include <algorithm>

#include "cli.h"
#include "fake_host.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	const auto args = fuzz::split_nul(data, size);
	if (std::any_of(args.begin(), args.end(),
			[](const std::string &a) { return a.starts_with("--textfile"); }))
		return 0;

	fuzz::FakeHost host;
	// main() returns it as is: it must survive as an exit status.
	const int rc = run_cli(args, host.env);
	TXQG_FUZZ_CHECK(rc >= 0 && rc <= 255);
	return 0;
}
