// The connection front's framing (server/http/framing.cpp) on arbitrary bytes: the end of the
// head (searched again as the bytes arrive in three parts), its headers, and a chunked body
// after it. Any crash, out-of-range read (ASan) or broken invariant is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/http/framing.hpp"

using namespace stockbell::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  // The bytes arrive in three reads, cut where the first two bytes say.
  const size_t cut1 = size > 0 ? data[0] % (size + 1) : 0;
  const size_t cut2 = size > 1 ? cut1 + data[1] % (size - cut1 + 1) : cut1;
  size_t scan = 0;
  size_t end = 0;
  for (size_t have : {cut1, cut2, size}) {
    end = find_head_end(all.substr(0, have), scan);
    if (end != 0) {
      if (end > have) std::abort();
      break;
    }
  }
  if (end == 0) return 0;
  const RequestHead head = parse_head(all, end);
  if (head.length != end) std::abort();
  (void)head.all("Content-Length");
  ChunkedBody body(end);
  for (size_t have : {cut1, cut2, size}) {
    if (have < end) continue;
    const ChunkedBody::Step step = body.read(all.substr(0, have), 4096);
    if (body.end() > have || body.end() < end || body.decoded() > size_t{4096} + size_t{0xFFFFFFFF}) std::abort();
    if (step == ChunkedBody::Step::done && body.end() > size) std::abort();
    if (step != ChunkedBody::Step::more) break;
  }
  return 0;
}
