// Where the last verify result is kept for status: /run, so it lasts as
// long as the boot it describes.
#pragma once

#include <optional>
#include <string>

#include "json.h"
#include "result.h"

namespace txqg {

class VerifyStore {
public:
	virtual ~VerifyStore() = default;
	virtual Result<void> save(const Json &record) = 0;
	// The last record saved during this boot, if any.
	virtual std::optional<Json> load() = 0;
};

class FileVerifyStore : public VerifyStore {
public:
	explicit FileVerifyStore(std::string path = "/run/txqguard/verify.json",
				 std::string boot_id_path = "/proc/sys/kernel/random/boot_id");
	Result<void> save(const Json &record) override;
	std::optional<Json> load() override;

private:
	std::string boot_id() const;

	std::string path_;
	std::string boot_id_path_;
};

}  // namespace txqg
