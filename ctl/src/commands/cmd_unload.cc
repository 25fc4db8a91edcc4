// unload: txqguard.ko goes once no lethal hazard holds it; txqguard_lp.ko
// only once its patch is disabled and every task has left the replacement,
// which the live-patch core checks task by task (its consistency model).
#include <optional>

#include "commands.h"
#include "json_convert.h"
#include "livepatch_transition.h"
#include "module_form.h"

namespace txqg {
namespace {

using std::chrono::milliseconds;

// The live-patch core drops its reference on the module from a work item
// right after the transition, so delete_module can still say EBUSY briefly.
constexpr milliseconds kBusyRetry{2000};
constexpr milliseconds kBusyPoll{100};

Result<void> remove_retrying_busy(Env &env, const std::string &name)
{
	const auto start = env.now();
	for (;;) {
		auto r = env.loader.remove(name);
		if (r || r.error().code != ErrorCode::Busy || env.now() - start >= kBusyRetry)
			return r;
		if (!env.sleep(kBusyPoll))
			return r;
	}
}

std::string plural_tasks(size_t n)
{
	return std::to_string(n) + (n == 1 ? " task" : " tasks");
}

// The transition did not end in time: who holds it up, and what the admin
// can do. The patch stays disabled and the kernel keeps trying.
int report_pending(Env &env, const UnloadOptions &opts, const PatchState &state,
		   const Result<std::vector<PendingTask>> &tasks)
{
	const std::string name(kLivepatchModuleName);
	const std::string waited = seconds_text(seconds_to_ms(opts.timeout_seconds));
	const auto remedies = disable_remedies(state);
	std::string summary = name + "'s live patch is disabled, but its transition did not end in " +
			      waited;
	if (tasks)
		summary += " (" + plural_tasks(tasks->size()) + " still inside its copy of " +
			   std::string(kLivepatchTarget) + ")";
	summary += "; nothing was removed";

	if (opts.json) {
		Json list = Json::array();
		if (tasks)
			for (const auto &t : *tasks)
				list.push_back(to_json(t));
		Json j = {{"unloaded", false},
			  {"module", name},
			  {"error", summary},
			  {"pending_tasks", tasks ? list : Json(nullptr)},
			  {"remedies", remedies}};
		if (!tasks)
			j["pending_tasks_error"] = tasks.error().message;
		env.out << dump_json(j, 2) << "\n";
	} else {
		env.out << name << ": tasks the live-patch transition is waiting for (after "
			<< waited << "):\n";
		if (!tasks)
			env.out << "  cannot list them: " << tasks.error().message << "\n";
		else if (tasks->empty())
			env.out << "  none in /proc: an idle or exiting task is (they switch when "
				   "their CPU idles or they exit)\n";
		else
			for (const auto &t : *tasks)
				env.out << "  " << describe_task(t) << "\n";
		env.out << "The module stays loaded with its patch disabled. Options:\n";
		for (const auto &r : remedies)
			env.out << "  - " << r << "\n";
	}
	return fail(env, summary);
}

// While lethal hazards keep arriving the module holds a reference on itself
// (kmod/hold.c, unload_hold_s) and the kernel refuses to remove it; a reader
// of the debugfs files holds it for a moment too. Waiting for that to end
// respects the hold. nullopt once released (or when the count is unknown).
struct Held {
	unsigned extra;	// references beyond the expected ones
	milliseconds waited;
};

std::optional<Held> wait_for_release(Env &env, unsigned expected, milliseconds timeout)
{
	const auto start = env.now();
	for (;;) {
		auto refs = env.params.refcount();
		if (!refs || *refs <= expected)
			return std::nullopt;
		if (env.now() - start >= timeout || !env.sleep(kBusyPoll))
			return Held{*refs - expected,
				    std::chrono::duration_cast<milliseconds>(env.now() - start)};
	}
}

// Whose reference it is, as far as the module says (its hold_ms): its own
// hold ends unload_hold_s after the last lethal hazard; any other has no
// end the module knows of.
std::string holder(Env &env)
{
	auto stats = env.source.stats();
	if (!stats || !stats->hold_ms)
		return "a lethal-hazard window holds it until no lethal hazard was seen for "
		       "unload_hold_s seconds";
	if (*stats->hold_ms == 0)
		return "not its unload hold, which is closed: something else holds a reference "
		       "(an open file of /sys/kernel/debug/txqguard?)";
	return "a lethal hazard holds it for " + seconds_text(milliseconds(*stats->hold_ms)) +
	       " more, unless another comes (unload_hold_s after the last)";
}

std::string held_message(Env &env, const std::string &name, const Held &held,
			 std::string_view whose, std::string_view outcome)
{
	return name + " is still in use after " + seconds_text(held.waited) + " (" +
	       std::to_string(held.extra) + (held.extra == 1 ? " reference" : " references") +
	       std::string(whose) + "): " + holder(env) + "; " + std::string(outcome);
}

bool transition_over(const Result<PatchState> &st)
{
	if (!st)
		return st.error().code == ErrorCode::NotFound;
	return !st->enabled && !st->transition;
}

int unload_livepatch(Env &env, const UnloadOptions &opts)
{
	const std::string name(kLivepatchModuleName);
	if (!env.livepatch)
		return fail(env, "cannot unload " + name + ": this build cannot reach the live-patch core");
	std::optional<milliseconds> waited;
	auto st = env.livepatch->state(kLivepatchName);
	if (st) {
		// Skipped when disabled already (an earlier unload timed out, or the
		// admin did it). The hold is waited out first: a disabled patch cannot
		// be enabled again, and would leave the pick unguarded for a removal
		// the kernel refuses.
		if (st->enabled) {
			constexpr unsigned kPatchRef = 1;	// the live-patch core's
			if (auto held = wait_for_release(env, kPatchRef,
							 seconds_to_ms(opts.timeout_seconds)))
				return fail(env, held_message(env, name, *held, " besides its live patch's",
							      "its live patch stays enabled, nothing was "
							      "changed"));
			if (auto r = env.livepatch->set_enabled(kLivepatchName, false); !r)
				return fail(env, "cannot disable " + name + "'s live patch: " +
					    r.error().message);
		}
		auto w = wait_for_transition(env, false, seconds_to_ms(opts.timeout_seconds));
		if (!w && w.error().code == ErrorCode::Timeout) {
			auto tasks = env.livepatch->pending_tasks(kTaskUnpatched);
			// It may have ended while the tasks were listed.
			auto now = env.livepatch->state(kLivepatchName);
			if (!transition_over(now))
				return report_pending(env, opts, now ? *now : *st, tasks);
		} else if (!w && w.error().code == ErrorCode::Interrupted) {
			return fail(env, "interrupted: " + name + "'s live patch stays disabled and its "
				    "transition goes on in the kernel (run unload again to remove it)");
		} else if (!w) {
			return fail(env, w.error().message);
		} else {
			waited = *w;
		}
	} else if (st.error().code != ErrorCode::NotFound) {
		return fail(env, "cannot read " + name + "'s live patch: " + st.error().message);
	}
	// NotFound: the patch was disabled and freed before; only the module is left.

	// The core drops its reference just after the transition; a lethal hazard
	// since then holds the module, with the patch already gone for good.
	const std::string patch_gone = "its live patch is already disabled, so the txhash guard "
				       "is off until unload succeeds and load runs again";
	if (auto held = wait_for_release(env, 0, seconds_to_ms(opts.timeout_seconds)))
		return fail(env, held_message(env, name, *held, "", patch_gone));
	if (auto r = remove_retrying_busy(env, name); !r) {
		if (r.error().code != ErrorCode::Busy)
			return fail(env, r.error().message);
		return fail(env, r.error().message + "; " + patch_gone);
	}
	if (opts.json) {
		env.out << dump_json({{"unloaded", true},
				      {"module", name},
				      {"transition_seconds",
				       waited ? Json(static_cast<double>(waited->count()) / 1000)
					      : Json(nullptr)}})
			<< "\n";
	} else {
		env.out << "unloaded " << name << " (live patch disabled";
		if (waited)
			env.out << ", transition " << seconds_text(*waited);
		env.out << ")\n";
	}
	return kExitOk;
}

}  // namespace

int cmd_unload(Env &env, const UnloadOptions &opts)
{
	auto form = loaded_form(env.params);
	if (!form)
		return fail(env, "txqguard is not loaded");
	if (*form == ModuleForm::Livepatch)
		return unload_livepatch(env, opts);
	if (auto held = wait_for_release(env, 0, seconds_to_ms(opts.timeout_seconds)))
		return fail(env, held_message(env, std::string(kModuleName), *held, "",
					      "nothing was changed"));
	if (auto r = env.loader.remove(std::string(kModuleName)); !r)
		return fail(env, r.error().message);
	if (opts.json)
		env.out << dump_json({{"unloaded", true}, {"module", std::string(kModuleName)}}) << "\n";
	else
		env.out << "unloaded txqguard\n";
	return kExitOk;
}

}  // namespace txqg
