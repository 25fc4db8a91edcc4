// Where the last verify result is kept: /var/lib, so it outlives the boot.
// Which parts still count (this kernel build, this boot) is for the reader
// to decide (verify_record.h).
#pragma once

#include <optional>
#include <string>

#include "json.h"
#include "result.h"

namespace txqg {

inline constexpr const char *kVerifyStorePath = "/var/lib/txqguard/verify.json";

class VerifyStore {
public:
	virtual ~VerifyStore() = default;
	virtual Result<void> save(const Json &record) = 0;
	// The last record saved, of whatever boot or kernel; nullopt if none
	// can be read.
	virtual std::optional<Json> load() = 0;
};

}  // namespace txqg
