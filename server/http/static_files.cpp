#include "server/http/static_files.hpp"

#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace stockbell::server {
namespace {

std::string sha256_hex(const std::string& bytes, size_t hex_digits) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; out.size() < hex_digits; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  out.resize(hex_digits);
  return out;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::vector<std::string_view> split(std::string_view list, char by) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t at = list.find(by);
    parts.push_back(trim(list.substr(0, at)));
    if (at == std::string_view::npos) return parts;
    list.remove_prefix(at + 1);
  }
}

// The file itself, identified by its content.
void identify(StaticFile& file) {
  const std::string hash = sha256_hex(file.identity.bytes, 20);
  file.identity.etag = "\"" + hash + "\"";
  file.version = hash.substr(0, 12);
  if (file.br) file.br->etag = "\"" + hash + ".br\"";
  if (file.gzip) file.gzip->etag = "\"" + hash + ".gz\"";
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

const StaticFile::Body* StaticFile::body(ContentCoding coding) const {
  switch (coding) {
    case ContentCoding::identity: return &identity;
    case ContentCoding::br: return br ? &*br : nullptr;
    case ContentCoding::gzip: return gzip ? &*gzip : nullptr;
  }
  return nullptr;
}

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
  std::map<std::string, fs::path> compressed;  // "/x.js.br" → its path
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string url = "/" + fs::relative(it->path(), root, ec).generic_string();
    if (ends_with(url, ".br") || ends_with(url, ".gz")) {
      compressed[url] = it->path();
      continue;
    }
    StaticFile file;
    file.identity.bytes = read_all(it->path());
    file.content_type = mime_type_for(url);
    files.files_[url] = std::move(file);
  }
  for (const auto& [url, path] : compressed) {
    auto it = files.files_.find(url.substr(0, url.size() - 3));
    if (it == files.files_.end()) continue;  // a stray archive is not served
    (ends_with(url, ".br") ? it->second.br : it->second.gzip) = StaticFile::Body{read_all(path), {}};
  }
  for (auto& [url, file] : files.files_) identify(file);
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
  std::string& body = it->second.identity.bytes;
  for (size_t at = body.find(placeholder); at != std::string::npos;
       at = body.find(placeholder, at + value.size()))
    body.replace(at, placeholder.size(), value);
  it->second.br.reset();
  it->second.gzip.reset();
  identify(it->second);
}

ContentCoding choose_coding(std::string_view accept_encoding, bool has_br, bool has_gzip) {
  bool br = false, gzip = false;
  for (std::string_view item : split(accept_encoding, ',')) {
    std::vector<std::string_view> params = split(item, ';');
    bool acceptable = true;
    for (size_t i = 1; i < params.size(); ++i) {
      std::string_view p = params[i];
      if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
        // q=0, 0.0, 0.000: refused; any other value accepts.
        std::string_view q = trim(p.substr(2));
        acceptable = q.find_first_not_of("0.") != std::string_view::npos;
      }
    }
    if (iequals(params[0], "br") || iequals(params[0], "*")) br = br || acceptable;
    if (iequals(params[0], "gzip") || iequals(params[0], "x-gzip") || iequals(params[0], "*"))
      gzip = gzip || acceptable;
  }
  if (br && has_br) return ContentCoding::br;
  if (gzip && has_gzip) return ContentCoding::gzip;
  return ContentCoding::identity;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (trim(if_none_match) == "*") return true;
  for (std::string_view tag : split(if_none_match, ',')) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);  // If-None-Match compares weakly
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace stockbell::server
