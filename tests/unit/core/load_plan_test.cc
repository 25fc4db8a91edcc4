// Which form load tries, from where, in which order.
#include <gtest/gtest.h>

#include "load_plan.h"

namespace txqg {
namespace {

constexpr auto kp = ModuleForm::Kprobe;
constexpr auto lp = ModuleForm::Livepatch;

// "lp:/b/txqguard_lp.ko!" ("!": named), "kp:-" (by name): one plan at a glance.
std::string show(const std::vector<LoadCandidate> &plan)
{
	std::string s;
	for (const auto &c : plan) {
		if (!s.empty())
			s += " ";
		s += (c.form == lp ? "lp:" : "kp:") + c.path.value_or("-") + (c.named ? "!" : "");
	}
	return s;
}

TEST(LoadPlan, BackendNames)
{
	EXPECT_EQ(backend_from_name("auto"), Backend::Auto);
	EXPECT_EQ(backend_from_name("livepatch"), Backend::Livepatch);
	EXPECT_EQ(backend_from_name("kprobe"), Backend::Kprobe);
	EXPECT_FALSE(backend_from_name("ftrace"));
	EXPECT_FALSE(backend_from_name(""));
}

TEST(LoadPlan, FormOfAFileIsItsName)
{
	EXPECT_EQ(form_of_file("/b/txqguard.ko"), kp);
	EXPECT_EQ(form_of_file("txqguard_lp.ko"), lp);
	EXPECT_EQ(form_of_file("/lib/modules/x/updates/txqguard_lp.ko.xz"), lp);
	EXPECT_FALSE(form_of_file("/b/guard.ko"));
	EXPECT_FALSE(form_of_file("/b/txqguard.kobj"));
	EXPECT_FALSE(form_of_file("/b/txqguard"));
	EXPECT_FALSE(form_of_file("/b.ko/txqguard"));
}

TEST(LoadPlan, ByName)
{
	EXPECT_EQ(show(plan_load(Backend::Auto, std::nullopt, false, true)), "lp:- kp:-");
	EXPECT_EQ(show(plan_load(Backend::Auto, std::nullopt, false, false)), "kp:-");
	EXPECT_EQ(show(plan_load(Backend::Livepatch, std::nullopt, false, true)), "lp:-");
	EXPECT_EQ(show(plan_load(Backend::Kprobe, std::nullopt, false, true)), "kp:-");
}

TEST(LoadPlan, ADirectoryOffersBothForms)
{
	EXPECT_EQ(show(plan_load(Backend::Auto, "/b/5.10", true, true)),
		  "lp:/b/5.10/txqguard_lp.ko kp:/b/5.10/txqguard.ko!");
	EXPECT_EQ(show(plan_load(Backend::Auto, "/b/5.10/", true, false)), "kp:/b/5.10/txqguard.ko!");
	EXPECT_EQ(show(plan_load(Backend::Livepatch, "/b", true, true)), "lp:/b/txqguard_lp.ko!");
	EXPECT_EQ(show(plan_load(Backend::Kprobe, "/b", true, true)), "kp:/b/txqguard.ko!");
}

TEST(LoadPlan, AutoLoadsANamedKprobeFileAsIs)
{
	EXPECT_EQ(show(plan_load(Backend::Auto, "/b/txqguard.ko", false, true)), "kp:/b/txqguard.ko!");
}

TEST(LoadPlan, AutoFallsBackFromANamedLivePatchToTheFileBesideIt)
{
	EXPECT_EQ(show(plan_load(Backend::Auto, "/b/txqguard_lp.ko", false, true)),
		  "lp:/b/txqguard_lp.ko! kp:/b/txqguard.ko!");
	EXPECT_EQ(show(plan_load(Backend::Auto, "/b/txqguard_lp.ko", false, false)),
		  "kp:/b/txqguard.ko!");
}

TEST(LoadPlan, AnExplicitBackendTakesTheOtherFormBeside)
{
	EXPECT_EQ(show(plan_load(Backend::Livepatch, "/b/txqguard.ko.xz", false, true)),
		  "lp:/b/txqguard_lp.ko.xz!");
	EXPECT_EQ(show(plan_load(Backend::Kprobe, "txqguard_lp.ko", false, true)), "kp:txqguard.ko!");
	EXPECT_EQ(show(plan_load(Backend::Livepatch, "/b/txqguard_lp.ko", false, true)),
		  "lp:/b/txqguard_lp.ko!");
}

TEST(LoadPlan, OtherFileNamesAreLoadedAsTheBackendSays)
{
	EXPECT_EQ(show(plan_load(Backend::Livepatch, "/tmp/guard.ko", false, true)),
		  "lp:/tmp/guard.ko!");
	EXPECT_EQ(show(plan_load(Backend::Auto, "/tmp/guard.ko", false, true)), "kp:/tmp/guard.ko!");
}

}  // namespace
}  // namespace txqg
