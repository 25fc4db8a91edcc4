#include "netlink_mocks.h"

namespace txqg::testing {

using ::testing::_;
using ::testing::Return;

FakeSandbox::FakeSandbox()
{
	ON_CALL(links, create_veth(_, _, _)).WillByDefault(Return(Result<void>()));
	ON_CALL(links, create_dummy(_)).WillByDefault(Return(Result<void>()));
	ON_CALL(links, create_tap(_)).WillByDefault([this](const std::string &) {
		auto tap = std::make_unique<::testing::NiceMock<MockTap>>();
		ON_CALL(*tap, write_frame(_)).WillByDefault(Return(Result<void>()));
		ON_CALL(*tap, destroyed()).WillByDefault([this] { taps_alive--; });
		taps_alive++;
		last_tap = tap.get();
		return Result<std::unique_ptr<Tap>>(std::unique_ptr<Tap>(std::move(tap)));
	});
	ON_CALL(links, set_up(_, _)).WillByDefault(Return(Result<void>()));
	ON_CALL(links, remove(_)).WillByDefault(Return(Result<void>()));
	ON_CALL(links, ifindex(_)).WillByDefault(Return(Result<int>(7)));
	ON_CALL(links, stats(_)).WillByDefault(Return(Result<LinkStats>(LinkStats{})));
	ON_CALL(*second_links, remove(_)).WillByDefault(Return(Result<void>()));
	ON_CALL(ovs, create(_)).WillByDefault(Return(Result<void>()));
	ON_CALL(ovs, add_port(_, _)).WillByDefault(Return(Result<void>()));
	ON_CALL(ovs, add_flow(_, _)).WillByDefault(Return(Result<void>()));
	ON_CALL(ovs, destroy()).WillByDefault(Return(Result<void>()));
}

Result<void> FakeSandbox::run(const std::function<void(Lab &)> &body)
{
	runs++;
	if (setup_error)
		return *setup_error;
	Lab lab{links, ovs, kNetnsIno, [this]() -> Result<std::unique_ptr<Links>> {
			if (!second_links)
				return Error{ErrorCode::Io, "second link socket already taken"};
			return std::unique_ptr<Links>(std::move(second_links));
		}};
	body(lab);
	return {};
}

}  // namespace txqg::testing
