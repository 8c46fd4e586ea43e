#pragma once
// How the connection front (connection.cpp) frames a request from the bytes it has read: where
// the head ends, what its headers say, and where a chunked body ends. No I/O, no httplib: pure
// functions over a buffer, resumable as more bytes arrive, so they are fuzzed on their own
// (tests/fuzz/fuzz_http_framing.cpp) and unit-tested (tests/server/test_framing.cpp).
//
// Header lines are read the way cpp-httplib 0.11.4 reads them (a line ending in LF alone is
// skipped; the name is everything before the first ':'; the value is trimmed of spaces and
// tabs), so the front and httplib agree on every header that decides the framing.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stockbell::server {

/// ASCII case-insensitive equality (header names, `chunked`, `identity`).
bool iequals(std::string_view a, std::string_view b);

/// Where a request's head ends in `bytes` (just past its blank line), or 0 while it hasn't.
/// httplib reads the request line up to its LF, then header lines until one that is exactly
/// CRLF. `scan` carries where the search resumes between calls (start it at 0 per request).
size_t find_head_end(std::string_view bytes, size_t& scan);

struct RequestHead {
  size_t length = 0;  ///< bytes, blank line included
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  ///< in order

  /// Every value of a header, in order (names compare case-insensitively).
  std::vector<const std::string*> all(std::string_view name) const;
};

/// The head in `bytes[0, length)` (length from find_head_end).
RequestHead parse_head(std::string_view bytes, size_t length);

/// A chunked body (RFC 9112 §7.1) as httplib reads it: `1*HEXDIG [";" ext] CRLF data CRLF`,
/// at most 8 hex digits a size, ended by a `0` chunk and a bare CRLF (no trailers).
class ChunkedBody {
 public:
  enum class Step { more, done, malformed, too_large };

  /// The body starts at `start` in the buffer.
  explicit ChunkedBody(size_t start) : start_(start), at_(start) {}
  /// Reads on from where the last call stopped in `bytes` (the same buffer, grown). `done`: the
  /// body ends at end(); `too_large`: more than `max_body` bytes of data, or framing past
  /// 2 × max_body + 64 KiB; `malformed`: not chunked framing.
  Step read(std::string_view bytes, size_t max_body);
  size_t end() const { return at_; }
  size_t decoded() const { return decoded_; }

 private:
  enum class State { size, data, data_end, last };
  State state_ = State::size;
  size_t start_;
  size_t at_;             ///< the next unparsed byte (absolute)
  size_t remaining_ = 0;  ///< of the current chunk
  size_t decoded_ = 0;    ///< body bytes so far
};

}  // namespace stockbell::server
