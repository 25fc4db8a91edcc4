#include "time_format.h"

#include <ctime>

namespace txqg {

std::string now_iso()
{
	std::time_t t = std::time(nullptr);
	std::tm tm{};
	char buf[32] = "";
	if (gmtime_r(&t, &tm))
		std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

}  // namespace txqg
