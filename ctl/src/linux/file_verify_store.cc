#include "file_verify_store.h"

#include <filesystem>

#include "file_io.h"
#include "textfile.h"

namespace txqg {

FileVerifyStore::FileVerifyStore(std::string path) : path_(std::move(path)) {}

Result<void> FileVerifyStore::save(const Json &record)
{
	std::error_code ec;
	auto dir = std::filesystem::path(path_).parent_path();
	std::filesystem::create_directories(dir, ec);
	if (ec)
		return Error{ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message()};
	return write_file_atomic(path_, dump_json(record, 2) + "\n");
}

std::optional<Json> FileVerifyStore::load()
{
	auto text = read_text_file(path_);
	if (!text)
		return std::nullopt;
	Json j = Json::parse(*text, nullptr, false);
	if (j.is_discarded() || !j.is_object())
		return std::nullopt;
	return j;
}

}  // namespace txqg
