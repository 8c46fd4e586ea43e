#pragma once
// Public ids: a type prefix and 13 base32 characters, like `bisr_0kz3x9q1m2v7d`. They map one to
// one onto the database's integer row ids through a keyed permutation, so ids stay compact in
// storage, yet don't reveal how many requests a store has. Ids are opaque, not secrets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockbell {

enum class IdKind {
  subscriber,  ///< `sub_...`
  request,     ///< `bisr_...` (back-in-stock request)
  product,     ///< `prod_...`
  event,       ///< `evt_...`
  webhook,     ///< `we_...` (webhook endpoint)
  delivery,    ///< `whd_...` (webhook delivery)
  message,     ///< `msg_...` (an e-mail to a shopper)
};

std::string_view id_prefix(IdKind kind);

/// `row` > 0; `key` is the database's id key (random, set once when the database is created).
std::string format_id(IdKind kind, uint64_t row, uint64_t key);
/// The row id of a public id of that kind, or nullopt for anything else.
std::optional<uint64_t> parse_id(IdKind kind, std::string_view id, uint64_t key);

/// The public ids of one database: row ids in, `bisr_...` out, and back. Stored records carry row
/// ids; the JSON builders format them with the codec, so nothing copies a record only to swap
/// its ids.
class IdCodec {
 public:
  explicit IdCodec(uint64_t key = 0) : key_(key) {}
  std::string format(IdKind kind, int64_t row) const {
    return format_id(kind, static_cast<uint64_t>(row), key_);
  }
  /// The row of `id`, or nullopt when it is not an id of that kind (or past INT64_MAX).
  std::optional<int64_t> parse(IdKind kind, std::string_view id) const;
  uint64_t key() const { return key_; }

 private:
  uint64_t key_;
};

}  // namespace stockbell
