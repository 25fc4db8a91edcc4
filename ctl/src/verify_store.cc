#include "verify_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

#include "file_io.h"
#include "json_convert.h"
#include "textfile.h"

namespace txqg {

FileVerifyStore::FileVerifyStore(std::string path, std::string boot_id_path)
	: path_(std::move(path)), boot_id_path_(std::move(boot_id_path))
{
}

std::string FileVerifyStore::boot_id() const
{
	auto id = read_text_file(boot_id_path_);
	if (!id)
		return "";
	std::string s = *id;
	while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
		s.pop_back();
	return s;
}

Result<void> FileVerifyStore::save(const Json &record)
{
	Json j = record;
	j["boot_id"] = boot_id();
	std::error_code ec;
	auto dir = std::filesystem::path(path_).parent_path();
	std::filesystem::create_directories(dir, ec);
	if (ec)
		return Error{ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message()};
	return write_file_atomic(path_, dump_json(j, 2) + "\n");
}

std::optional<Json> FileVerifyStore::load()
{
	auto text = read_text_file(path_);
	if (!text)
		return std::nullopt;
	Json j = Json::parse(*text, nullptr, false);
	if (j.is_discarded() || !j.is_object())
		return std::nullopt;
	if (!j.contains("boot_id") || j["boot_id"] != boot_id())
		return std::nullopt;
	return j;
}

}  // namespace txqg
