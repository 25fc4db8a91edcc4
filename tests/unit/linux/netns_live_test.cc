// NetNamespace against the running kernel: an anonymous namespace made and
// dropped, never entered by the test's own thread. Unprivileged, creation
// must be refused with a permission error instead.
#include <gtest/gtest.h>

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns.h"
#include "rtnl_links.h"

namespace txqg::testing {
namespace {

ino_t own_netns()
{
	struct stat st {};
	::stat("/proc/thread-self/ns/net", &st);
	return st.st_ino;
}

// 0 when creation is refused as it must be unprivileged, else which check failed.
int refused_unprivileged()
{
	auto ns = NetNamespace::create();
	if (ns)
		return 1;
	if (ns.error().code != ErrorCode::PermissionDenied)
		return 2;
	return ns.error().message.find("cannot create a network namespace") == std::string::npos ? 3 : 0;
}

// As root (CI) the check runs in a child that became nobody, which drops every capability.
TEST(LiveNetns, CreateNeedsPrivilege)
{
	if (::geteuid() != 0) {
		EXPECT_EQ(refused_unprivileged(), 0);
		return;
	}
	const pid_t child = ::fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (::setgroups(0, nullptr) || ::setresgid(65534, 65534, 65534) ||
		    ::setresuid(65534, 65534, 65534))
			::_exit(10);
		::_exit(refused_unprivileged());
	}
	int status = 0;
	ASSERT_EQ(::waitpid(child, &status, 0), child);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0)
		<< "1: created, 2: another error kind, 3: another message, 10: could not drop root";
}

TEST(LiveNetns, RunsInsideWithoutMovingTheCaller)
{
	const ino_t before = own_netns();
	auto ns = NetNamespace::create();
	if (!ns)
		GTEST_SKIP() << ns.error().message;
	EXPECT_NE(ns->inode(), before);
	EXPECT_EQ(own_netns(), before);

	auto inside = ns->run([]() -> Result<ino_t> { return own_netns(); });
	ASSERT_TRUE(inside) << inside.error().message;
	EXPECT_EQ(*inside, ns->inode());
	EXPECT_EQ(own_netns(), before);

	// A socket opened in there keeps answering for the namespace.
	auto links = ns->run([] { return RtnlLinks::open(); });
	ASSERT_TRUE(links) << links.error().message;
	auto idx = (*links)->ifindex("lo");
	ASSERT_TRUE(idx) << idx.error().message;
	EXPECT_EQ(*idx, 1);
}

TEST(LiveNetns, ClosedNamespaceCannotBeEntered)
{
	auto ns = NetNamespace::create();
	if (!ns)
		GTEST_SKIP() << ns.error().message;
	ns->close();
	EXPECT_FALSE(*ns);
	auto r = ns->run([]() -> Result<void> { return {}; });
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().code, ErrorCode::Invalid);
}

TEST(LiveNetns, VethPeerLandsInTheOtherNamespace)
{
	auto a = NetNamespace::create();
	auto b = NetNamespace::create();
	if (!a || !b)
		GTEST_SKIP() << "no private namespaces here";
	auto in_a = a->run([] { return RtnlLinks::open(); });
	auto in_b = b->run([] { return RtnlLinks::open(); });
	ASSERT_TRUE(in_a && in_b);
	auto r = (*in_a)->create_veth_pair(
		"tq-a", "tq-b", VethOptions{.tx_queues = 2, .up = true, .peer_netns_fd = b->fd()});
	if (!r)
		GTEST_SKIP() << "no veth here: " << r.error().message;
	EXPECT_TRUE((*in_a)->ifindex("tq-a"));
	EXPECT_FALSE((*in_a)->ifindex("tq-b"));
	EXPECT_TRUE((*in_b)->ifindex("tq-b"));
	// The peer comes up from its own namespace.
	EXPECT_TRUE((*in_b)->set_up("tq-b", true));
}

TEST(LiveRtnl, VethPairBadNamesNeverReachTheKernel)
{
	auto links = RtnlLinks::open();
	if (!links)
		GTEST_SKIP() << "no rtnetlink here";
	auto r = (*links)->create_veth_pair("ok0", "a-name-far-too-long", VethOptions{});
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().code, ErrorCode::Invalid);
	EXPECT_EQ(r.error().message, "bad interface name 'a-name-far-too-long'");
}

}  // namespace
}  // namespace txqg::testing
