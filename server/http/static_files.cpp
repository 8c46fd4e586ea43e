#include "server/http/static_files.hpp"

#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace stockbell::server {
namespace {

std::string etag_of(const std::string& body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  static const char* hex = "0123456789abcdef";
  std::string tag = "\"";
  for (int i = 0; i < 10; ++i) {
    tag += hex[digest[i] >> 4];
    tag += hex[digest[i] & 15];
  }
  return tag + "\"";
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string mime_type_for(const std::string& path) {
  if (ends_with(path, ".wasm")) return "application/wasm";
  if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with(path, ".json")) return "application/json; charset=utf-8";
  if (ends_with(path, ".svg")) return "image/svg+xml";
  if (ends_with(path, ".png")) return "image/png";
  if (ends_with(path, ".ico")) return "image/x-icon";
  return "application/octet-stream";
}

StaticFiles StaticFiles::load(const std::string& root) {
  namespace fs = std::filesystem;
  StaticFiles files;
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return files;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string url = "/" + fs::relative(it->path(), root, ec).generic_string();
    files.files_[url] = StaticFile{body, mime_type_for(url), etag_of(body)};
  }
  return files;
}

const StaticFile* StaticFiles::find(const std::string& url_path) const {
  auto it = files_.find(url_path);
  return it == files_.end() ? nullptr : &it->second;
}

void StaticFiles::substitute(const std::string& url_path, const std::string& placeholder,
                             const std::string& value) {
  auto it = files_.find(url_path);
  if (it == files_.end()) return;
  std::string& body = it->second.body;
  for (size_t at = body.find(placeholder); at != std::string::npos;
       at = body.find(placeholder, at + value.size()))
    body.replace(at, placeholder.size(), value);
  it->second.etag = etag_of(body);
}

}  // namespace stockbell::server
