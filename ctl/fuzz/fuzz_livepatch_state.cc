// The live-patch core's sysfs and procfs texts: a patch flag, a task's
// patch_state, a task's stack.
#include "fuzz_support.h"
#include "livepatch_state.h"
#include "sys_livepatch_state.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	std::string_view text = fuzz::as_text(data, size);
	if (auto flag = parse_patch_flag(text, "enabled"); !flag)
		TXQG_FUZZ_CHECK(!flag.error().message.empty());
	if (auto st = parse_task_patch_state(text))
		TXQG_FUZZ_CHECK(*st >= -1 && *st <= 1);
	std::string frame = first_stack_frame(text);
	TXQG_FUZZ_CHECK(frame.size() <= text.size());
	TXQG_FUZZ_CHECK(frame.find('\n') == std::string::npos);
	return 0;
}
