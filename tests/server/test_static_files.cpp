// server/http/static_files: the widget and demo files served under `/widget/` and `/`, held in
// memory with a MIME type, a strong ETag per coding (a revalidation is one 304), the build's
// precompressed copies, and the content version of versioned URLs.

#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "server/http/static_files.hpp"
#include "support.hpp"

using stockbell::server::choose_coding;
using stockbell::server::ContentCoding;
using stockbell::server::etag_matches;
using stockbell::server::mime_type_for;
using stockbell::server::StaticFile;
using stockbell::server::StaticFiles;
using stockbell::testing::TempDir;
using stockbell::testing::write_file;

namespace {

const StaticFile& found(const StaticFiles& files, const std::string& url) {
  const StaticFile* file = files.find(url);
  INFO(url);
  REQUIRE(file != nullptr);
  return *file;
}

}  // namespace

TEST_CASE("every file under the root, nested too, is served at / + its relative path") {
  TempDir dir;
  write_file(dir.file("web/index.html"), "<!doctype html><p>demo</p>");
  write_file(dir.file("web/widget/stockbell.js"), "export const x = 1;\n");
  write_file(dir.file("web/widget/stockbell.wasm"), std::string("\0asm\x01\0\0\0", 8));
  write_file(dir.file("web/a/b/c/deep.css"), "p{}");
  const StaticFiles files = StaticFiles::load(dir.file("web"));

  CHECK_FALSE(files.empty());
  CHECK(found(files, "/index.html").identity.bytes == "<!doctype html><p>demo</p>");
  CHECK(found(files, "/widget/stockbell.js").identity.bytes == "export const x = 1;\n");
  CHECK(found(files, "/widget/stockbell.wasm").identity.bytes == std::string("\0asm\x01\0\0\0", 8));
  CHECK(found(files, "/a/b/c/deep.css").identity.bytes == "p{}");

  CHECK(files.find("/missing.js") == nullptr);
  CHECK(files.find("index.html") == nullptr);  // URL paths start with `/`
  CHECK(files.find("/widget") == nullptr);     // folders are not files
  CHECK(files.find("/") == nullptr);
}

TEST_CASE("each file has the MIME type of its extension") {
  TempDir dir;
  for (const char* name : {"a.html", "a.js", "a.wasm", "a.css", "a.json", "a.svg", "a.png", "a.ico",
                           "a.mjs", "a.txt", "README"})
    write_file(dir.file(name), name);
  const StaticFiles files = StaticFiles::load(dir.path());
  CHECK(found(files, "/a.html").content_type == "text/html; charset=utf-8");
  CHECK(found(files, "/a.js").content_type == "text/javascript; charset=utf-8");
  CHECK(found(files, "/a.mjs").content_type == "text/javascript; charset=utf-8");
  CHECK(found(files, "/a.wasm").content_type == "application/wasm");
  CHECK(found(files, "/a.css").content_type == "text/css; charset=utf-8");
  CHECK(found(files, "/a.json").content_type == "application/json; charset=utf-8");
  CHECK(found(files, "/a.svg").content_type == "image/svg+xml");
  CHECK(found(files, "/a.png").content_type == "image/png");
  CHECK(found(files, "/a.ico").content_type == "image/x-icon");
  CHECK(found(files, "/a.txt").content_type == "application/octet-stream");
  CHECK(found(files, "/README").content_type == "application/octet-stream");
}

TEST_CASE("mime_type_for looks at the end of the name only") {
  CHECK(mime_type_for("/widget/stockbell.js") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("/x.js.map") == "application/octet-stream");
  CHECK(mime_type_for("/x.wasm.js") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("/js") == "application/octet-stream");
  CHECK(mime_type_for("") == "application/octet-stream");
}

TEST_CASE("the ETag is a quoted hash of the content: stable, and new when the content changes") {
  TempDir dir;
  write_file(dir.file("a.js"), "one");
  write_file(dir.file("same.js"), "one");
  write_file(dir.file("b.js"), "two");
  const StaticFiles first = StaticFiles::load(dir.path());
  const std::string etag = found(first, "/a.js").identity.etag;
  CHECK(std::regex_match(etag, std::regex("\"[0-9a-f]{20}\"")));
  CHECK(found(first, "/same.js").identity.etag == etag);
  CHECK(found(first, "/b.js").identity.etag != etag);
  CHECK(found(StaticFiles::load(dir.path()), "/a.js").identity.etag == etag);  // across restarts

  write_file(dir.file("a.js"), "one!");
  CHECK(found(StaticFiles::load(dir.path()), "/a.js").identity.etag != etag);
}

TEST_CASE("substitute replaces every occurrence and gives the file its new ETag") {
  TempDir dir;
  write_file(dir.file("index.html"), "key=__KEY__; again: __KEY__; __KEY____KEY__");
  write_file(dir.file("expected.html"), "key=pk_1; again: pk_1; pk_1pk_1");
  write_file(dir.file("other.html"), "__KEY__");
  StaticFiles files = StaticFiles::load(dir.path());
  const std::string before = found(files, "/index.html").identity.etag;

  files.substitute("/index.html", "__KEY__", "pk_1");
  const StaticFile& page = found(files, "/index.html");
  CHECK(page.identity.bytes == "key=pk_1; again: pk_1; pk_1pk_1");
  CHECK(page.identity.etag != before);
  CHECK(page.identity.etag == found(files, "/expected.html").identity.etag);  // the ETag of what is served
  CHECK(found(files, "/other.html").identity.bytes == "__KEY__");     // one file only
}

TEST_CASE("substitute with a value that contains the placeholder replaces each one once") {
  TempDir dir;
  write_file(dir.file("a.txt"), "X-X");
  StaticFiles files = StaticFiles::load(dir.path());
  files.substitute("/a.txt", "X", "XX");
  CHECK(found(files, "/a.txt").identity.bytes == "XX-XX");
}

TEST_CASE("substitute on a file that isn't there changes nothing") {
  TempDir dir;
  write_file(dir.file("a.txt"), "__KEY__");
  StaticFiles files = StaticFiles::load(dir.path());
  files.substitute("/missing.txt", "__KEY__", "pk_1");
  CHECK(found(files, "/a.txt").identity.bytes == "__KEY__");
  CHECK(files.find("/missing.txt") == nullptr);
}

TEST_CASE("a missing, empty or non-directory root serves nothing") {
  TempDir dir;
  CHECK(StaticFiles::load(dir.file("no-such-dir")).empty());
  CHECK(StaticFiles::load("").empty());
  CHECK(StaticFiles::load(dir.path()).empty());  // exists, but holds no file
  write_file(dir.file("plain-file"), "x");
  CHECK(StaticFiles::load(dir.file("plain-file")).empty());
  CHECK(StaticFiles::load(dir.file("plain-file")).find("/") == nullptr);
}

TEST_CASE("FILE.br and FILE.gz are FILE's compressed copies, each with its own ETag") {
  TempDir dir;
  write_file(dir.file("w/a.js"), "the file");
  write_file(dir.file("w/a.js.br"), "brotli bytes");
  write_file(dir.file("w/a.js.gz"), "gzip bytes");
  write_file(dir.file("w/b.js"), "no copies");
  write_file(dir.file("w/stray.js.gz"), "a copy of nothing");
  const StaticFiles files = StaticFiles::load(dir.path());
  const StaticFile& a = found(files, "/w/a.js");
  REQUIRE(a.br.has_value());
  REQUIRE(a.gzip.has_value());
  CHECK(a.br->bytes == "brotli bytes");
  CHECK(a.gzip->bytes == "gzip bytes");
  CHECK(a.body(ContentCoding::br) == &*a.br);
  CHECK(a.body(ContentCoding::identity) == &a.identity);
  const std::string hash = a.identity.etag.substr(1, 20);
  CHECK(a.br->etag == "\"" + hash + ".br\"");
  CHECK(a.gzip->etag == "\"" + hash + ".gz\"");
  CHECK(a.version == hash.substr(0, 12));
  CHECK_FALSE(found(files, "/w/b.js").br.has_value());
  CHECK(found(files, "/w/b.js").body(ContentCoding::gzip) == nullptr);
  // Copies are not files of their own, and a copy of nothing is not served.
  CHECK(files.find("/w/a.js.br") == nullptr);
  CHECK(files.find("/w/stray.js.gz") == nullptr);
  CHECK(files.find("/w/stray.js") == nullptr);
}

TEST_CASE("the version is the first 12 hex digits of the file's SHA-256, as web/build.mjs writes it") {
  TempDir dir;
  write_file(dir.file("a.txt"), "abc");
  // printf abc | sha256sum
  CHECK(found(StaticFiles::load(dir.path()), "/a.txt").version == "ba7816bf8f01");
}

TEST_CASE("substitute drops the compressed copies, which no longer match") {
  TempDir dir;
  write_file(dir.file("index.html"), "__KEY__");
  write_file(dir.file("index.html.gz"), "stale");
  StaticFiles files = StaticFiles::load(dir.path());
  REQUIRE(found(files, "/index.html").gzip.has_value());
  files.substitute("/index.html", "__KEY__", "pk_1");
  CHECK_FALSE(found(files, "/index.html").gzip.has_value());
}

TEST_CASE("choose_coding: brotli, else gzip, as accepted with a q-value above 0") {
  CHECK(choose_coding("gzip, deflate, br", true, true) == ContentCoding::br);
  CHECK(choose_coding("gzip, deflate, br", false, true) == ContentCoding::gzip);
  CHECK(choose_coding("gzip, deflate, br", false, false) == ContentCoding::identity);
  CHECK(choose_coding("gzip", true, true) == ContentCoding::gzip);
  CHECK(choose_coding("br;q=0, gzip", true, true) == ContentCoding::gzip);
  CHECK(choose_coding("br;q=0.0, gzip;q=0.000", true, true) == ContentCoding::identity);
  CHECK(choose_coding("BR;Q=0.5", true, true) == ContentCoding::br);
  CHECK(choose_coding(" br ; q=1 ", true, true) == ContentCoding::br);
  CHECK(choose_coding("*", true, true) == ContentCoding::br);
  CHECK(choose_coding("*;q=0", true, true) == ContentCoding::identity);
  CHECK(choose_coding("x-gzip", true, true) == ContentCoding::gzip);
  CHECK(choose_coding("", true, true) == ContentCoding::identity);
  CHECK(choose_coding("identity", true, true) == ContentCoding::identity);
  CHECK(choose_coding("brotli, gzipped", true, true) == ContentCoding::identity);
}

TEST_CASE("etag_matches: a list of tags, weak ones compared weakly, and *") {
  CHECK(etag_matches("\"abc\"", "\"abc\""));
  CHECK(etag_matches("\"x\", \"abc\"", "\"abc\""));
  CHECK(etag_matches("W/\"abc\"", "\"abc\""));
  CHECK(etag_matches("*", "\"abc\""));
  CHECK_FALSE(etag_matches("", "\"abc\""));
  CHECK_FALSE(etag_matches("\"abc.gz\"", "\"abc\""));
  CHECK_FALSE(etag_matches("abc", "\"abc\""));
}
