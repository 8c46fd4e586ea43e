// server/http/static_files: the widget and demo files served under `/widget/` and `/`, held in
// memory with a MIME type and a strong ETag (a revalidation is one 304).

#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "server/http/static_files.hpp"
#include "support.hpp"

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
  CHECK(found(files, "/index.html").body == "<!doctype html><p>demo</p>");
  CHECK(found(files, "/widget/stockbell.js").body == "export const x = 1;\n");
  CHECK(found(files, "/widget/stockbell.wasm").body == std::string("\0asm\x01\0\0\0", 8));
  CHECK(found(files, "/a/b/c/deep.css").body == "p{}");

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
  const std::string etag = found(first, "/a.js").etag;
  CHECK(std::regex_match(etag, std::regex("\"[0-9a-f]{20}\"")));
  CHECK(found(first, "/same.js").etag == etag);
  CHECK(found(first, "/b.js").etag != etag);
  CHECK(found(StaticFiles::load(dir.path()), "/a.js").etag == etag);  // across restarts

  write_file(dir.file("a.js"), "one!");
  CHECK(found(StaticFiles::load(dir.path()), "/a.js").etag != etag);
}

TEST_CASE("substitute replaces every occurrence and gives the file its new ETag") {
  TempDir dir;
  write_file(dir.file("index.html"), "key=__KEY__; again: __KEY__; __KEY____KEY__");
  write_file(dir.file("expected.html"), "key=pk_1; again: pk_1; pk_1pk_1");
  write_file(dir.file("other.html"), "__KEY__");
  StaticFiles files = StaticFiles::load(dir.path());
  const std::string before = found(files, "/index.html").etag;

  files.substitute("/index.html", "__KEY__", "pk_1");
  const StaticFile& page = found(files, "/index.html");
  CHECK(page.body == "key=pk_1; again: pk_1; pk_1pk_1");
  CHECK(page.etag != before);
  CHECK(page.etag == found(files, "/expected.html").etag);  // the ETag of what is served
  CHECK(found(files, "/other.html").body == "__KEY__");     // one file only
}

TEST_CASE("substitute with a value that contains the placeholder replaces each one once") {
  TempDir dir;
  write_file(dir.file("a.txt"), "X-X");
  StaticFiles files = StaticFiles::load(dir.path());
  files.substitute("/a.txt", "X", "XX");
  CHECK(found(files, "/a.txt").body == "XX-XX");
}

TEST_CASE("substitute on a file that isn't there changes nothing") {
  TempDir dir;
  write_file(dir.file("a.txt"), "__KEY__");
  StaticFiles files = StaticFiles::load(dir.path());
  files.substitute("/missing.txt", "__KEY__", "pk_1");
  CHECK(found(files, "/a.txt").body == "__KEY__");
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
