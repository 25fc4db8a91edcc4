#include "livepatch_transition.h"

#include <cmath>
#include <cstdio>

#include "module_form.h"

namespace txqg {
namespace {

// The core retries a stuck transition once a second; polling faster only
// shortens the wait for the common case of an immediate switch.
constexpr std::chrono::milliseconds kPoll{50};

}  // namespace

std::chrono::milliseconds seconds_to_ms(double seconds)
{
	return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

Result<std::chrono::milliseconds> wait_for_transition(Env &env, bool enabled,
						      std::chrono::milliseconds timeout)
{
	using namespace std::chrono;
	const auto start = env.now();
	for (;;) {
		auto st = env.livepatch->state(kLivepatchName);
		if (!st) {
			if (st.error().code == ErrorCode::NotFound && !enabled)
				break;
			return st.error();
		}
		if (st->enabled != enabled)
			return Error{ErrorCode::Invalid,
				     std::string(kLivepatchName) + " was " +
					     (st->enabled ? "enabled" : "disabled") +
					     " again while waiting for its transition"};
		if (!st->transition)
			break;
		if (env.now() - start >= timeout)
			return Error{ErrorCode::Timeout, "transition still pending"};
		if (!env.sleep(kPoll))
			return Error{ErrorCode::Interrupted, "interrupted"};
	}
	return duration_cast<milliseconds>(env.now() - start);
}

std::string seconds_text(std::chrono::milliseconds d)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(d.count()) / 1000);
	return buf;
}

std::string describe_task(const PendingTask &t)
{
	std::string s = "pid " + std::to_string(t.pid);
	if (t.tid != t.pid)
		s += " tid " + std::to_string(t.tid);
	s += " (" + (t.comm.empty() ? std::string("?") : t.comm) + ")";
	if (!t.frame.empty())
		s += ": " + t.frame;
	return s;
}

Json to_json(const PendingTask &t)
{
	return {{"pid", t.pid},
		{"tid", t.tid},
		{"comm", t.comm},
		{"patch_state", t.patch_state},
		{"frame", t.frame.empty() ? Json(nullptr) : Json(t.frame)}};
}

std::vector<std::string> disable_remedies(const PatchState &state)
{
	const std::string dir = "/sys/kernel/livepatch/" + std::string(kLivepatchName);
	std::vector<std::string> r;
	r.push_back("wait, then run txqguardctl unload again: the kernel retries the transition "
		    "every second" +
		    std::string(state.signal_file ? "" : " and signals the remaining tasks every 15 s"));
	if (state.signal_file)
		r.push_back("echo 1 > " + dir + "/signal: signal the remaining tasks now");
	r.push_back("echo 1 > " + dir + "/enabled: reverse the transition and keep the guard");
	r.push_back("echo 1 > " + dir + "/force: finish at once, unsafe for tasks still inside "
		    "the copy; the module can then not be removed until reboot");
	return r;
}

}  // namespace txqg
