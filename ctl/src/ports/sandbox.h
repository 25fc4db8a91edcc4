// A private network namespace for verify's test bed: built in a thread of
// its own, so the process's (and the host's) namespaces are never entered
// or changed, and torn down by the kernel with everything left in it once
// that thread and its sockets are gone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "links.h"
#include "ovs_datapath.h"
#include "result.h"

namespace txqg {

struct Lab {
	Links &links;
	OvsDatapath &ovs;
	std::uint32_t netns_ino;	// as txqguard's events report it
	// A second link socket in the namespace, for a call that blocks while
	// the first one is still needed (deleting a device whose references
	// are held).
	std::function<Result<std::unique_ptr<Links>>()> open_links;
};

class Sandbox {
public:
	virtual ~Sandbox() = default;
	// Runs body inside the namespace; threads body starts are in it too.
	virtual Result<void> run(const std::function<void(Lab &)> &body) = 0;
};

}  // namespace txqg
