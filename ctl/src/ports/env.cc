#include "env.h"

namespace txqg {

int fail(Env &env, std::string_view message)
{
	env.err << "txqguardctl: " << message << "\n";
	return kExitFailure;
}

}  // namespace txqg
