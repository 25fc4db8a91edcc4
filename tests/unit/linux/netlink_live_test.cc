// The netlink clients against the running kernel, read-only: lookups any
// user may do in any network namespace, nothing created or changed.
#include <gtest/gtest.h>

#include <linux/genetlink.h>

#include "genl_socket.h"
#include "genl_stats_source.h"
#include "rtnl_links.h"

namespace txqg::testing {
namespace {

TEST(LiveGenl, ResolvesTheControllerFamily)
{
	auto sock = GenlSocket::open();
	if (!sock)
		GTEST_SKIP() << "no generic netlink here: " << sock.error().message;
	auto id = sock->resolve_family("nlctrl");
	ASSERT_TRUE(id) << id.error().message;
	EXPECT_EQ(*id, GENL_ID_CTRL);
}

TEST(LiveGenl, AbsentFamilyIsNotLoaded)
{
	auto sock = GenlSocket::open();
	if (!sock)
		GTEST_SKIP() << "no generic netlink here: " << sock.error().message;
	auto id = sock->resolve_family("txqg-nosuchfam");
	ASSERT_FALSE(id);
	EXPECT_EQ(id.error().code, ErrorCode::NotLoaded);
	auto grp = sock->resolve_group("nlctrl", "no-such-group");
	ASSERT_FALSE(grp);
	EXPECT_EQ(grp.error().code, ErrorCode::NotLoaded);
}

TEST(LiveGenl, SourceWithoutTheModuleSaysSo)
{
	auto sock = GenlSocket::open();
	if (!sock)
		GTEST_SKIP() << "no generic netlink here";
	if (sock->resolve_family(TXQGUARD_GENL_NAME))
		GTEST_SKIP() << "txqguard is loaded on this machine";
	GenlStatsSource source;
	auto s = source.stats();
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().code, ErrorCode::NotLoaded);	// what makes the fallback kick in
	auto m = source.set_mode(TXQGUARD_MODE_DETECT);
	ASSERT_FALSE(m);
	EXPECT_EQ(m.error().code, ErrorCode::NotLoaded);
}

TEST(LiveRtnl, LoopbackIsThere)
{
	auto links = RtnlLinks::open();
	if (!links)
		GTEST_SKIP() << "no rtnetlink here: " << links.error().message;
	auto idx = (*links)->ifindex("lo");
	ASSERT_TRUE(idx) << idx.error().message;
	EXPECT_EQ(*idx, 1);	// in every network namespace
	EXPECT_TRUE((*links)->stats("lo"));
}

TEST(LiveRtnl, MissingLinkIsTheKernelsNoSuchDevice)
{
	auto links = RtnlLinks::open();
	if (!links)
		GTEST_SKIP() << "no rtnetlink here";
	auto idx = (*links)->ifindex("txqg-nosuch0");
	ASSERT_FALSE(idx);
	EXPECT_EQ(idx.error().message, "cannot read link txqg-nosuch0: No such device");
	// The socket is still usable after an error.
	EXPECT_TRUE((*links)->ifindex("lo"));
}

TEST(LiveRtnl, BadNamesNeverReachTheKernel)
{
	auto links = RtnlLinks::open();
	if (!links)
		GTEST_SKIP() << "no rtnetlink here";
	auto r = (*links)->create_dummy("a-name-far-too-long");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().code, ErrorCode::Invalid);
	EXPECT_EQ(r.error().message, "bad interface name 'a-name-far-too-long'");
}

}  // namespace
}  // namespace txqg::testing
