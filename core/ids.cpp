#include "core/ids.hpp"

namespace stockbell {
namespace {

constexpr std::string_view kPrefixes[] = {"sub_", "bisr_", "prod_", "evt_", "we_", "whd_",
                                           "msg_"};
constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford base32
constexpr size_t kDigits = 13;                                              // 65 bits ≥ 64

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xD6E8FEB86659FD93ull;

constexpr uint64_t inverse(uint64_t odd) {
  uint64_t x = odd;  // Newton's iteration doubles the correct low bits each round
  for (int i = 0; i < 6; ++i) x *= 2 - odd * x;
  return x;
}
static_assert(kMul1 * inverse(kMul1) == 1 && kMul2 * inverse(kMul2) == 1);

constexpr uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Each step is invertible: xor with a constant, multiplication by an odd number, x ^= x >> 32.
uint64_t permute(uint64_t x, uint64_t key) {
  x ^= key;
  x *= kMul1;
  x ^= x >> 32;
  x *= kMul2;
  x ^= x >> 32;
  return x ^ rotl(key, 23);
}

uint64_t unpermute(uint64_t x, uint64_t key) {
  x ^= rotl(key, 23);
  x ^= x >> 32;
  x *= inverse(kMul2);
  x ^= x >> 32;
  x *= inverse(kMul1);
  return x ^ key;
}

// Each kind gets its own permutation, so `sub_` and `bisr_` of row 1 don't share a suffix.
uint64_t kind_key(IdKind kind, uint64_t key) {
  return key ^ ((static_cast<uint64_t>(kind) + 1) * 0xA24BAED4963EE407ull);
}

}  // namespace

std::string_view id_prefix(IdKind kind) { return kPrefixes[static_cast<size_t>(kind)]; }

std::string format_id(IdKind kind, uint64_t row, uint64_t key) {
  uint64_t value = permute(row, kind_key(kind, key));
  std::string out(id_prefix(kind));
  char digits[kDigits];
  for (size_t i = kDigits; i-- > 0;) {
    digits[i] = kAlphabet[value & 31];
    value >>= 5;
  }
  out.append(digits, kDigits);
  return out;
}

std::optional<uint64_t> parse_id(IdKind kind, std::string_view id, uint64_t key) {
  const std::string_view prefix = id_prefix(kind);
  if (id.size() != prefix.size() + kDigits || id.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  uint64_t value = 0;
  for (size_t i = prefix.size(); i < id.size(); ++i) {
    const size_t digit = kAlphabet.find(id[i]);
    if (digit == std::string_view::npos) return std::nullopt;
    if (i == prefix.size() && digit > 15) return std::nullopt;  // would overflow 64 bits
    value = (value << 5) | digit;
  }
  const uint64_t row = unpermute(value, kind_key(kind, key));
  if (row == 0) return std::nullopt;
  return row;
}

std::optional<int64_t> IdCodec::parse(IdKind kind, std::string_view id) const {
  std::optional<uint64_t> row = parse_id(kind, id, key_);
  if (!row || *row > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*row);
}

}  // namespace stockbell
