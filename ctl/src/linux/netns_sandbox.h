// Sandbox in a fresh network namespace entered by a worker thread (netns.h).
#pragma once

#include <functional>

#include "sandbox.h"

namespace txqg {

class NetnsSandbox : public Sandbox {
public:
	Result<void> run(const std::function<void(Lab &)> &body) override;
};

}  // namespace txqg
