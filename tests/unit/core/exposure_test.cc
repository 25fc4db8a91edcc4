// Exposure by behaviour: the last verify on this kernel build against the
// version table, in status and metrics.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_host.h"
#include "host_state.h"
#include "prometheus.h"
#include "verify_store.h"

namespace txqg::testing {
namespace {

constexpr const char *kOpenEuler = "5.10.0-136.12.0.88.ctl3.aarch64";
constexpr const char *kOpenEulerBuild = "#1 SMP Fri Jun 14 12:00:00 CST 2024";

class MemoryVerifyStore : public VerifyStore {
public:
	std::optional<Json> saved;
	Result<void> save(const Json &record) override
	{
		saved = record;
		return {};
	}
	std::optional<Json> load() override { return saved; }
};

Json record(const std::string &kernel, const std::string &build, const std::string &fix,
	    const std::string &boot_id = "b1", bool passed = true)
{
	return {{"time", "2026-11-22T07:13:55Z"},
		{"epoch_seconds", 1795331635},
		{"boot_id", boot_id},
		{"kernel", kernel},
		{"kernel_build", build},
		{"passed", passed},
		{"kernel_fix", fix},
		{"kernel_fix_detail", "what the canaries did"},
		{"checks", Json::array({Json{{"guard", "txhash"}, {"live", passed}},
					Json{{"guard", "ovs_output"}, {"live", true}}})}};
}

struct Exposure : ::testing::Test {
	FakeHost host;
	MemoryVerifyStore store;

	Exposure()
	{
		host.env.verify_store = &store;
		host.kernel(kOpenEuler, "Linux version " + std::string(kOpenEuler), "aarch64",
			    kOpenEulerBuild);
	}

	std::string metrics()
	{
		host.out_stream.str("");
		EXPECT_EQ(host.run({"metrics"}), kExitOk) << host.err();
		return host.out();
	}
};

TEST_F(Exposure, VendorKernelWithoutVerifyIsNotKnownExposed)
{
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(metrics().find("\ntxqguard_exposed 0\n"), std::string::npos);
}

TEST_F(Exposure, VendorKernelThatBehavedUnfixedIsExposedWithoutAGuard)
{
	store.saved = record(kOpenEuler, kOpenEulerBuild, "not fixed");
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find("verdict        EXPOSED: this kernel build behaved unfixed (verify) "
				  "and no txqguard guard is enforcing\n"),
		  std::string::npos)
		<< host.out();
	// Not a disagreement: the table has no verdict here.
	EXPECT_EQ(host.out().find("behaviour wins"), std::string::npos) << host.out();
	const std::string m = metrics();
	EXPECT_NE(m.find("\ntxqguard_exposed 1\n"), std::string::npos) << m;
	EXPECT_NE(m.find("\ntxqguard_verify_kernel_fix{verdict=\"not fixed\"} 1\n"),
		  std::string::npos)
		<< m;
}

TEST_F(Exposure, AnEnforcingGuardProtectsAKernelThatBehavedUnfixed)
{
	store.saved = record(kOpenEuler, kOpenEulerBuild, "not fixed");
	host.module_loaded();
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("verdict        protected"), std::string::npos) << host.out();
}

TEST_F(Exposure, BehaviourFixedOverridesATableThatSaysVulnerable)
{
	host.kernel(kDebian510Release, kDebian510ProcVersion, "x86_64", kDebian510Build);
	store.saved = record(kDebian510Release, kDebian510Build, "fixed");
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("  note         the version table says vulnerable, verify's "
				  "behaviour on this kernel build says fixed: behaviour wins\n"),
		  std::string::npos)
		<< host.out();
	EXPECT_NE(host.out().find("verdict        not exposed: this kernel build behaved fixed"),
		  std::string::npos)
		<< host.out();
	host.out_stream.str("");
	host.run({"status", "--json"});
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["kernel"]["fix"]["status"], "vulnerable");
	EXPECT_EQ(j["exposure"]["fix"], "fixed");
	EXPECT_EQ(j["exposure"]["by"], "behaviour");
	EXPECT_EQ(j["exposure"]["table_disagrees"], true);
	EXPECT_EQ(j["exposed"], false);
}

TEST_F(Exposure, BehaviourNotFixedOverridesATableThatSaysFixed)
{
	host.kernel("6.1.130", "Linux version 6.1.130", "x86_64", "#1 SMP");
	store.saved = record("6.1.130", "#1 SMP", "not fixed");
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find("the version table says fixed, verify's behaviour on this kernel "
				  "build says not fixed: behaviour wins"),
		  std::string::npos)
		<< host.out();
}

TEST_F(Exposure, UnknownBehaviourLeavesItToTheTable)
{
	host.kernel(kDebian510Release, kDebian510ProcVersion, "x86_64", kDebian510Build);
	store.saved = record(kDebian510Release, kDebian510Build, "unknown", "b1", false);
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find("EXPOSED: known vulnerable kernel"), std::string::npos)
		<< host.out();
	EXPECT_EQ(host.out().find("behaviour wins"), std::string::npos) << host.out();
}

TEST_F(Exposure, AnotherBuildOfTheSameReleaseDoesNotCount)
{
	store.saved = record(kOpenEuler, "#2 SMP Mon Jul 1 09:00:00 CST 2024", "not fixed");
	EXPECT_EQ(host.run({"status"}), kExitOk);
	const std::string m = metrics();
	EXPECT_NE(m.find("\ntxqguard_exposed 0\n"), std::string::npos) << m;
	EXPECT_EQ(m.find("txqguard_verify_"), std::string::npos) << m;
}

TEST_F(Exposure, AnEarlierBootCountsForTheKernelButNotForTheGuards)
{
	store.saved = record(kOpenEuler, kOpenEulerBuild, "not fixed", "b0", false);
	host.module_loaded();
	const std::string m = metrics();
	EXPECT_NE(m.find("\ntxqguard_verify_kernel_fix{verdict=\"not fixed\"} 1\n"),
		  std::string::npos)
		<< m;
	// Its failed guard check was another boot's: nothing to alert on now,
	// but no fresh verify either.
	EXPECT_EQ(m.find("txqguard_verify_passed"), std::string::npos) << m;
	EXPECT_EQ(m.find("txqguard_verify_timestamp_seconds"), std::string::npos) << m;
}

TEST_F(Exposure, ThisBootsVerifyGivesItsTimeAndResult)
{
	store.saved = record(kOpenEuler, kOpenEulerBuild, "fixed", "b1", false);
	host.module_loaded();
	const std::string m = metrics();
	EXPECT_NE(m.find("\ntxqguard_verify_timestamp_seconds 1795331635\n"), std::string::npos) << m;
	EXPECT_NE(m.find("\ntxqguard_verify_passed 0\n"), std::string::npos) << m;
	EXPECT_NE(m.find("\ntxqguard_verify_kernel_fix{verdict=\"fixed\"} 1\n"), std::string::npos)
		<< m;
	EXPECT_NE(m.find("\ntxqguard_verify_kernel_fix{verdict=\"not fixed\"} 0\n"),
		  std::string::npos)
		<< m;
}

TEST(VerifyRecord, AppliesToTheSameReleaseAndBuildOnly)
{
	const Json j = record(kOpenEuler, kOpenEulerBuild, "not fixed", "b1");
	auto same = applicable_verify(j, Uname{kOpenEuler, "aarch64", kOpenEulerBuild}, "b1");
	ASSERT_TRUE(same);
	EXPECT_TRUE(same->this_boot);
	EXPECT_EQ(same->record.fix, KernelFix::NotFixed);
	EXPECT_EQ(same->record.epoch_seconds, 1795331635);
	auto later = applicable_verify(j, Uname{kOpenEuler, "aarch64", kOpenEulerBuild}, "b2");
	ASSERT_TRUE(later);
	EXPECT_FALSE(later->this_boot);
	EXPECT_FALSE(applicable_verify(j, Uname{"5.10.0-136.12.0.89.ctl3.aarch64", "aarch64",
						kOpenEulerBuild},
				       "b1"));
	// A build that cannot be read matches nothing, not everything.
	EXPECT_FALSE(applicable_verify(j, Uname{kOpenEuler, "aarch64", ""}, "b1"));
	Json no_build = j;
	no_build["kernel_build"] = "";
	EXPECT_FALSE(applicable_verify(no_build, Uname{kOpenEuler, "aarch64", ""}, "b1"));
}

TEST(VerifyRecord, IncompleteRecordsAreNotRecords)
{
	const Json good = record(kOpenEuler, kOpenEulerBuild, "fixed");
	EXPECT_TRUE(parse_verify_record(good));
	for (const char *key : {"time", "epoch_seconds", "boot_id", "kernel", "kernel_build",
				"passed", "kernel_fix"}) {
		Json j = good;
		j.erase(key);
		EXPECT_FALSE(parse_verify_record(j)) << key;
	}
	Json bad_fix = good;
	bad_fix["kernel_fix"] = "mostly";
	EXPECT_FALSE(parse_verify_record(bad_fix));
	EXPECT_FALSE(parse_verify_record(Json::array()));
}

TEST(JudgeExposure, TheTableDecidesWithoutBehaviourAndBehaviourWinsWithIt)
{
	struct Case {
		FixStatus table;
		std::optional<KernelFix> behaviour;
		bool guarded;
		bool exposed;
		bool disagrees;
	};
	const Case cases[] = {
		{FixStatus::Vulnerable, std::nullopt, false, true, false},
		{FixStatus::Vulnerable, std::nullopt, true, false, false},
		{FixStatus::Unknown, std::nullopt, false, false, false},
		{FixStatus::Unknown, KernelFix::NotFixed, false, true, false},
		{FixStatus::Unknown, KernelFix::NotFixed, true, false, false},
		{FixStatus::Unknown, KernelFix::Fixed, false, false, false},
		{FixStatus::Vulnerable, KernelFix::Fixed, false, false, true},
		{FixStatus::Fixed, KernelFix::NotFixed, false, true, true},
		{FixStatus::Vulnerable, KernelFix::Unknown, false, true, false},
		{FixStatus::Fixed, KernelFix::Unknown, false, false, false},
	};
	for (const Case &c : cases) {
		HostState h;
		h.fix.status = c.table;
		h.guarded = c.guarded;
		if (c.behaviour) {
			h.verify = VerifyRecord{};
			h.verify->fix = *c.behaviour;
		}
		judge_exposure(h);
		const std::string what = std::string(fix_status_name(c.table)) + " / " +
					 (c.behaviour ? std::string(kernel_fix_name(*c.behaviour)) : "-") +
					 (c.guarded ? " / guarded" : "");
		EXPECT_EQ(h.exposed, c.exposed) << what;
		EXPECT_EQ(h.table_disagrees(), c.disagrees) << what;
	}
}

}  // namespace
}  // namespace txqg::testing
