#pragma once
// The files the server hands to browsers: the widget (`/widget/stockbell.js`, the core, the
// language files) and the demo storefront. Loaded into memory at start (they are small), each
// with its MIME type, a strong ETag per encoding, and the precompressed copies the build made
// beside it (`FILE.br`, `FILE.gz`; web/build.mjs), so an answer costs no compression and a
// revalidation one 304.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace stockbell::server {

/// How a file's bytes go on the wire.
enum class ContentCoding { identity, br, gzip };

struct StaticFile {
  struct Body {
    std::string bytes;
    std::string etag;  ///< `"<hash>"`, `"<hash>.br"`, `"<hash>.gz"`: strong, one per coding
  };
  Body identity;
  std::optional<Body> br, gzip;
  std::string content_type;
  /// The first 12 hex digits of the SHA-256 of the file: the `?v=` of its versioned URL (the
  /// widget's loader names the core and language files that way; web/build.mjs computes the same).
  std::string version;

  /// The body for `coding`, or nullptr when there is no such copy.
  const Body* body(ContentCoding coding) const;
};

class StaticFiles {
 public:
  /// Loads every regular file under `root` (recursively); URL paths are `/` + the relative path.
  /// `X.br` and `X.gz` next to a file `X` are its compressed copies, not files of their own.
  /// A missing root leaves the set empty (the API works without a web root).
  static StaticFiles load(const std::string& root);

  const StaticFile* find(const std::string& url_path) const;
  bool empty() const { return files_.empty(); }
  /// Replaces every occurrence of `placeholder` in one file (the demo page's key); its compressed
  /// copies, now stale, are dropped.
  void substitute(const std::string& url_path, const std::string& placeholder,
                  const std::string& value);

 private:
  std::map<std::string, StaticFile> files_;
};

/// `application/wasm` for `.wasm`, `text/javascript; charset=utf-8` for `.js`, ...
std::string mime_type_for(const std::string& path);

/// The coding to answer a request's `Accept-Encoding` with, among those the file has: brotli,
/// else gzip, when the client accepts it with a q-value above 0; else identity.
ContentCoding choose_coding(std::string_view accept_encoding, bool has_br, bool has_gzip);

/// Whether an `If-None-Match` value (`*`, or a list of tags, weak ones included) names `etag`.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace stockbell::server
