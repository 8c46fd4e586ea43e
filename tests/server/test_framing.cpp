// server/http/framing: where the connection front finds the end of a head and of a chunked
// body, and which headers it reads (the way cpp-httplib 0.11.4 reads them).

#include <doctest/doctest.h>

#include <string>

#include "server/http/framing.hpp"

using stockbell::server::ChunkedBody;
using stockbell::server::find_head_end;
using stockbell::server::parse_head;

TEST_CASE("the head ends at the first line that is exactly CRLF after the request line") {
  struct Row {
    const char* bytes;
    size_t end;
  };
  for (const Row& r : {Row{"GET / HTTP/1.1\r\n\r\n", 18}, Row{"GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY", 27},
                       Row{"GET / HTTP/1.1\r\nHost: x\r\n", 0}, Row{"GET / HTTP/1.1", 0},
                       Row{"GET / HTTP/1.1\nHost: x\n\n", 0},  // LF-only lines never end it
                       Row{"\r\n\r\n\r\n", 4},                  // an empty request line
                       Row{"GET / HTTP/1.1\n\r\n", 17}}) {
    INFO(r.bytes);
    size_t scan = 0;
    CHECK(find_head_end(r.bytes, scan) == r.end);
  }
}

TEST_CASE("the search resumes where it stopped, byte by byte") {
  const std::string head = "POST /x HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
  size_t scan = 0;
  for (size_t n = 1; n < head.size(); ++n) CHECK(find_head_end(head.substr(0, n), scan) == 0);
  CHECK(find_head_end(head, scan) == head.size());
}

TEST_CASE("headers as httplib reads them: trimmed values, LF-only lines skipped, names as sent") {
  const std::string bytes =
      "POST /api/v1/back-in-stock?x=1 HTTP/1.1\r\nHost: h\r\ncontent-length:  12 \t\r\n"
      "X-Lf-Only: 1\nNoColon\r\nContent-Length : 5\r\nA:\r\n\r\n";
  size_t scan = 0;
  const size_t end = find_head_end(bytes, scan);
  REQUIRE(end == bytes.size());
  const auto head = parse_head(bytes, end);
  CHECK(head.method == "POST");
  CHECK(head.target == "/api/v1/back-in-stock?x=1");
  const auto lengths = head.all("Content-Length");
  REQUIRE(lengths.size() == 1);  // "Content-Length " (a space before ':') is another name
  CHECK(*lengths[0] == "12");
  CHECK(head.all("X-Lf-Only").empty());
  CHECK(head.all("Content-Length ").size() == 1);
  CHECK(head.all("a").size() == 1);
}

TEST_CASE("chunked bodies: sizes in hex, extensions, no trailers, across reads") {
  const std::string body = "4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\nNEXT";
  ChunkedBody whole(0);
  CHECK(whole.read(body, 1024) == ChunkedBody::Step::done);
  CHECK(whole.end() == body.size() - 4);
  CHECK(whole.decoded() == 23);
  ChunkedBody pieces(0);
  for (size_t n = 0; n + 4 < body.size(); ++n)
    CHECK(pieces.read(std::string_view(body).substr(0, n), 1024) == ChunkedBody::Step::more);
  CHECK(pieces.read(body, 1024) == ChunkedBody::Step::done);
  CHECK(pieces.end() == whole.end());
}

TEST_CASE("chunked framing that httplib would read otherwise, or not at all, is malformed") {
  for (const char* body : {"zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}}}}}\r\n0\r\n\r\n", " 2\r\n{}\r\n0\r\n\r\n",
                           "0x2\r\n{}\r\n0\r\n\r\n", "2\n{}\r\n0\r\n\r\n", "+2\r\n{}\r\n0\r\n\r\n",
                           "123456789\r\n", "0\r\nTrailer: x\r\n\r\n", "\r\n"}) {
    INFO(body);
    ChunkedBody chunked(0);
    CHECK(chunked.read(body, 1 << 20) == ChunkedBody::Step::malformed);
  }
}

TEST_CASE("chunked bodies over the limit are too large, counting data and framing") {
  ChunkedBody data(0);
  CHECK(data.read("11\r\n", 16) == ChunkedBody::Step::too_large);  // 17 bytes announced
  std::string tiny;
  for (int i = 0; i < 40; ++i) tiny += "1;" + std::string(30, 'e') + "\r\nx\r\n";
  ChunkedBody framing(0);
  CHECK(framing.read(tiny, 8) == ChunkedBody::Step::too_large);  // 8 bytes of data, ~1.4 KB of framing
}
