// VerifyStore as a JSON file, replaced atomically.
#pragma once

#include <optional>
#include <string>

#include "verify_store.h"

namespace txqg {

class FileVerifyStore : public VerifyStore {
public:
	explicit FileVerifyStore(std::string path = kVerifyStorePath);
	Result<void> save(const Json &record) override;
	std::optional<Json> load() override;

private:
	std::string path_;
};

}  // namespace txqg
