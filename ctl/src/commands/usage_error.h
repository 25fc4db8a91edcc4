// Thrown for a command line that asks for something impossible (an unknown
// mode, say); run_cli() turns it into a one-line message and exit code 2
// before anything on the host has been touched.
#pragma once

#include <stdexcept>

namespace txqg {

class UsageError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

}  // namespace txqg
