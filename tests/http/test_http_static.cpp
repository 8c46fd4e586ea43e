// The widget's files as browsers get them (README: Performance; server/http/static_files.hpp):
// the copy the build compressed (brotli, else gzip, else the file) chosen by Accept-Encoding and
// never compressed again, Vary: Accept-Encoding, a strong ETag per coding and 304 on it, a year
// of immutable caching only for the URL that names the file's content (`?v=<its hash>`), five
// minutes for the loader's own URL; the compressed copies are not URLs of their own.

#include <openssl/sha.h>

#include <brotli/encode.h>
#include <zlib.h>

#include <fstream>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string gzip(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string brotli(const std::string& text) {
  std::string out(BrotliEncoderMaxCompressedSize(text.size()), '\0');
  size_t size = out.size();
  REQUIRE(BrotliEncoderCompress(11, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, text.size(),
                                reinterpret_cast<const uint8_t*>(text.data()), &size,
                                reinterpret_cast<uint8_t*>(out.data())) == BROTLI_TRUE);
  out.resize(size);
  return out;
}

// A web root with a loader that has brotli and gzip copies, and a core file with only a gzip
// copy, as web/build.mjs makes them. The test client decodes what it gets, so a body compressed
// twice would not come out as the file.
struct WebRoot {
  TempDir dir;
  std::string loader = "/* loader */ " + std::string(4000, 'a') + " console.log('stockbell');\n";
  std::string core = "var core = 1;\n" + std::string(3000, 'b');

  WebRoot() {
    std::filesystem::create_directories(dir.file("widget"));
    write(dir.file("widget/stockbell.js"), loader);
    write(dir.file("widget/stockbell.js.br"), brotli(loader));
    write(dir.file("widget/stockbell.js.gz"), gzip(loader));
    write(dir.file("widget/stockbell-core.js"), core);
    write(dir.file("widget/stockbell-core.js.gz"), gzip(core));
    write(dir.file("widget/orphan.js.gz"), gzip("no file of its own"));
  }
};

std::string version_of(const std::string& bytes) { return sha256_hex(bytes).substr(0, 12); }

}  // namespace

TEST_CASE("the precompressed copy a client accepts, never compressed again, with Vary") {
  WebRoot root;
  TempDir data;
  ServerProcess server(ServerProcess::Options{
      {"--db", data.file("s.db"), "--port", "0", "--web-root", root.dir.path()}, {}, data.file("log")});
  const Api api(server.host(), server.port());

  const HttpResponse br = api.get("/widget/stockbell.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  CHECK(br.status == 200);
  CHECK(br.header("Content-Encoding") == "br");
  CHECK(br.body == root.loader);
  CHECK(br.header("Vary") == "Accept-Encoding");
  // A file with a gzip copy only answers gzip to a client that would take brotli.
  const HttpResponse core = api.get("/widget/stockbell-core.js", {{"Accept-Encoding", "br, gzip"}});
  CHECK(core.header("Content-Encoding") == "gzip");
  CHECK(core.body == root.core);

  const HttpResponse gz = api.get("/widget/stockbell.js", {{"Accept-Encoding", "gzip, deflate"}});
  CHECK(gz.status == 200);
  CHECK(gz.header("Content-Encoding") == "gzip");
  CHECK(gz.body == root.loader);  // decoded once by the client: exactly the file
  CHECK(gz.header("Vary") == "Accept-Encoding");
  CHECK(gz.media_type() == "text/javascript");
  CHECK(gz.header("Access-Control-Allow-Origin") == "*");

  for (const char* refuses : {"identity", "gzip;q=0, br;q=0", "", "deflate"}) {
    INFO(refuses);
    const HttpResponse plain = api.get("/widget/stockbell.js", {{"Accept-Encoding", refuses}});
    CHECK(plain.status == 200);
    CHECK_FALSE(plain.has_header("Content-Encoding"));
    CHECK(plain.body == root.loader);
    CHECK(plain.header("Vary") == "Accept-Encoding");
  }
  // Upper case and a q-value above 0 accept; `*` accepts whatever there is.
  for (const char* accepts : {"GZIP;q=0.5", "br;q=0, gzip;q=1.0", "br;q=0.000, gzip"}) {
    INFO(accepts);
    CHECK(api.get("/widget/stockbell.js", {{"Accept-Encoding", accepts}}).header("Content-Encoding") ==
          "gzip");
  }
  CHECK(api.get("/widget/stockbell.js", {{"Accept-Encoding", "*"}}).header("Content-Encoding") == "br");
  // The copies are not files of their own.
  CHECK(api.get("/widget/stockbell.js.gz").status == 404);
  CHECK(api.get("/widget/orphan.js.gz").status == 404);
  CHECK(api.get("/widget/orphan.js").status == 404);
}

TEST_CASE("a strong ETag per coding; If-None-Match with it answers 304") {
  WebRoot root;
  TempDir data;
  ServerProcess server(ServerProcess::Options{
      {"--db", data.file("s.db"), "--port", "0", "--web-root", root.dir.path()}, {}, data.file("log")});
  const Api api(server.host(), server.port());
  const HttpResponse gz = api.get("/widget/stockbell.js", {{"Accept-Encoding", "gzip"}});
  const HttpResponse plain = api.get("/widget/stockbell.js", {{"Accept-Encoding", "identity"}});
  const std::string hash = sha256_hex(root.loader).substr(0, 20);
  CHECK(plain.header("ETag") == "\"" + hash + "\"");
  CHECK(gz.header("ETag") == "\"" + hash + ".gz\"");
  CHECK(api.get("/widget/stockbell.js", {{"Accept-Encoding", "br"}}).header("ETag") ==
        "\"" + hash + ".br\"");

  CHECK(api.get("/widget/stockbell.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.header("ETag")}})
            .status == 304);
  CHECK(api.get("/widget/stockbell.js",
                {{"Accept-Encoding", "gzip"}, {"If-None-Match", "\"x\", W/" + gz.header("ETag")}})
            .status == 304);
  // The identity tag does not revalidate the gzip copy (another representation).
  const HttpResponse other = api.get(
      "/widget/stockbell.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", plain.header("ETag")}});
  CHECK(other.status == 200);
  CHECK(other.body == root.loader);
}

TEST_CASE("immutable for a year only at the URL naming the content; the loader five minutes") {
  WebRoot root;
  TempDir data;
  ServerProcess server(ServerProcess::Options{
      {"--db", data.file("s.db"), "--port", "0", "--web-root", root.dir.path()}, {}, data.file("log")});
  const Api api(server.host(), server.port());
  const std::string year = "public, max-age=31536000, immutable";
  const std::string short_lived = "public, max-age=300, stale-while-revalidate=86400";
  CHECK(api.get("/widget/stockbell-core.js?v=" + version_of(root.core)).header("Cache-Control") == year);
  // Another version (an old loader asking after a deploy) must not pin this content for a year.
  CHECK(api.get("/widget/stockbell-core.js?v=0123456789ab").header("Cache-Control") == short_lived);
  CHECK(api.get("/widget/stockbell-core.js").header("Cache-Control") == short_lived);
  CHECK(api.get("/widget/stockbell.js").header("Cache-Control") == short_lived);
}
