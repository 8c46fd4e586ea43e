#pragma once
// The files the server hands to browsers: the widget (`/widget/stockbell.js`, `.wasm`) and the
// demo storefront. Loaded into memory at start (they are small), each with its MIME type and a
// strong ETag, so a revalidation costs one 304 and no disk access.

#include <map>
#include <optional>
#include <string>

namespace stockbell::server {

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string etag;  ///< `"<hash>"`
};

class StaticFiles {
 public:
  /// Loads every regular file under `root` (recursively); URL paths are `/` + the relative path.
  /// A missing root leaves the set empty (the API works without a web root).
  static StaticFiles load(const std::string& root);

  const StaticFile* find(const std::string& url_path) const;
  bool empty() const { return files_.empty(); }
  /// Replaces every occurrence of `placeholder` in one file (the demo page's key).
  void substitute(const std::string& url_path, const std::string& placeholder,
                  const std::string& value);

 private:
  std::map<std::string, StaticFile> files_;
};

/// `application/wasm` for `.wasm`, `text/javascript; charset=utf-8` for `.js`, ...
std::string mime_type_for(const std::string& path);

}  // namespace stockbell::server
