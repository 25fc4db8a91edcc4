// The command line: parses args (without argv[0]) and runs one command.
#pragma once

#include <string>
#include <vector>

#include "env.h"

namespace txqg {

int run_cli(const std::vector<std::string> &args, Env &env);

}  // namespace txqg
