#include <gtest/gtest.h>

#include "fix_table.h"
#include "kernel_version.h"

namespace txqg {
namespace {

struct FixCase {
	const char *release;
	const char *proc_version;
	FixStatus expected;
	const char *upstream;	// nullptr: not mappable
};

std::ostream &operator<<(std::ostream &os, const FixCase &c)
{
	return os << c.release << " / " << c.proc_version;
}

constexpr const char *kDebian510 =
	"Linux version 5.10.0-32-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian "
	"10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP Debian "
	"5.10.223-1 (2024-08-10)";
constexpr const char *kDebian61 =
	"Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
	"12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP "
	"PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)";
constexpr const char *kDebian61Bpo =
	"Linux version 6.1.0-0.deb11.31-amd64 (debian-kernel@lists.debian.org) (gcc-10 "
	"(Debian 10.2.1-6) 10.2.1 20210110) #1 SMP PREEMPT_DYNAMIC Debian "
	"6.1.128-1~deb11u1 (2025-02-14)";

class FixTable : public ::testing::TestWithParam<FixCase> {};

TEST_P(FixTable, Classifies)
{
	const FixCase &c = GetParam();
	FixAssessment a = assess_fix(c.release, c.proc_version);
	EXPECT_EQ(fix_status_name(a.status), fix_status_name(c.expected)) << a.reason;
	if (c.upstream) {
		ASSERT_TRUE(a.upstream.has_value()) << a.reason;
		EXPECT_EQ(a.upstream->version.str(), c.upstream);
	} else {
		EXPECT_FALSE(a.upstream.has_value());
	}
	EXPECT_FALSE(a.reason.empty());
}

INSTANTIATE_TEST_SUITE_P(
	Kernels, FixTable,
	::testing::Values(
		FixCase{"5.10.223", "", FixStatus::Vulnerable, "5.10.223"},
		FixCase{"5.10.236", "", FixStatus::Vulnerable, "5.10.236"},
		FixCase{"5.10.237", "", FixStatus::Fixed, "5.10.237"},
		FixCase{"5.10.240+", "", FixStatus::Fixed, "5.10.240"},
		FixCase{"5.10.94", "", FixStatus::Vulnerable, "5.10.94"},
		FixCase{"5.10.93", "", FixStatus::Unknown, "5.10.93"},
		FixCase{"5.4.280", "", FixStatus::Unknown, "5.4.280"},
		FixCase{"5.10.0-32-amd64", kDebian510, FixStatus::Vulnerable, "5.10.223"},
		FixCase{"6.1.0-56-amd64", kDebian61, FixStatus::Fixed, "6.1.158"},
		FixCase{"6.1.0-0.deb11.31-amd64", kDebian61Bpo, FixStatus::Vulnerable, "6.1.128"},
		FixCase{"6.1.0-56-amd64", "Linux version 6.1.0-56-amd64 #1 SMP", FixStatus::Unknown,
			nullptr},
		FixCase{"6.1.100", "", FixStatus::Vulnerable, "6.1.100"},
		FixCase{"6.1.129", "", FixStatus::Fixed, "6.1.129"},
		FixCase{"6.6.73", "", FixStatus::Vulnerable, "6.6.73"},
		FixCase{"6.6.74", "", FixStatus::Fixed, "6.6.74"},
		FixCase{"6.12.10", "", FixStatus::Vulnerable, "6.12.10"},
		FixCase{"6.12.11", "", FixStatus::Fixed, "6.12.11"},
		FixCase{"6.8.12", "", FixStatus::Vulnerable, "6.8.12"},
		FixCase{"6.13", "", FixStatus::Fixed, "6.13.0"},
		FixCase{"6.13.0-rc3", "", FixStatus::Unknown, "6.13.0"},
		FixCase{"6.14.2", "", FixStatus::Fixed, "6.14.2"},
		FixCase{"5.15.170", "", FixStatus::Unknown, "5.15.170"},
		FixCase{"5.10.0-136.12.0.86.oe2203sp1.aarch64", "", FixStatus::Unknown, nullptr},
		FixCase{"5.15.0-91-generic",
			"Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu "
			"11.4.0-1ubuntu1~22.04) 11.4.0) #101-Ubuntu SMP",
			FixStatus::Unknown, nullptr},
		FixCase{"6.5.6-300.fc39.x86_64", "", FixStatus::Unknown, nullptr},
		FixCase{"99999999999.1", "", FixStatus::Unknown, nullptr},
		FixCase{"", "", FixStatus::Unknown, nullptr},
		// A Debian string of another series must not be borrowed.
		FixCase{"5.10.0-32-amd64", kDebian61, FixStatus::Unknown, nullptr}));

TEST(KernelVersion, DebianVersionIsTheLastOnTheLine)
{
	auto v = resolve_upstream_version("5.10.0-32-amd64", kDebian510);
	ASSERT_TRUE(v.ok());
	EXPECT_EQ(v->version, (KernelVersion{5, 10, 223}));
	EXPECT_EQ(v->origin, "debian");
}

TEST(KernelVersion, Ordering)
{
	EXPECT_LT((KernelVersion{5, 10, 236}), (KernelVersion{5, 10, 237}));
	EXPECT_LT((KernelVersion{5, 10, 999}), (KernelVersion{6, 1, 0}));
	EXPECT_GT((KernelVersion{6, 13, 0}), (KernelVersion{6, 12, 99}));
}

// openEuler 22.03 and its derivatives carry a 5.10 base whose backports
// the release string does not tell: verify decides by behaviour.
TEST(FixTable, OpenEulerFamilyIsNamedAndLeftToVerify)
{
	for (const char *release :
	     {"5.10.0-136.12.0.86.oe2203sp1.x86_64", "5.10.0-136.12.0.86.oe2203sp1.aarch64",
	      "5.10.0-136.12.0.88.ctl3.aarch64", "5.10.0-136.44.0.125.oe2203sp3.x86_64",
	      "5.10.0-136.12.0.88.ctl3.x86_64"}) {
		FixAssessment a = assess_fix(release, "Linux version ...");
		EXPECT_EQ(a.status, FixStatus::Unknown) << release;
		EXPECT_EQ(a.reason, "vendor 5.10 build (openEuler 22.03 family): the release string "
				    "says nothing about the fix; verify decides by behaviour")
			<< release;
	}
	// Other vendors stay "cannot map".
	for (const char *release : {"5.10.0-60.18.0.50.oe2203.x86_64", "6.6.0-28.0.0.34.oe2403.x86_64",
				    "4.19.90-2102.2.0.0062.ctl2.x86_64"})
		EXPECT_NE(assess_fix(release, "").reason.find("cannot map vendor kernel release"),
			  std::string::npos)
			<< release;
}

TEST(FixTable, VulnerableNamesTheFirstFixedRelease)
{
	FixAssessment a = assess_fix("6.6.50", "");
	ASSERT_TRUE(a.fixed_in.has_value());
	EXPECT_EQ(a.fixed_in->str(), "6.6.74");
	EXPECT_NE(a.reason.find("6.6.74"), std::string::npos);
}

}  // namespace
}  // namespace txqg
