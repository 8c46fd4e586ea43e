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
};

std::string_view id_prefix(IdKind kind);

/// `row` > 0; `key` is the database's id key (random, set once when the database is created).
std::string format_id(IdKind kind, uint64_t row, uint64_t key);
/// The row id of a public id of that kind, or nullopt for anything else.
std::optional<uint64_t> parse_id(IdKind kind, std::string_view id, uint64_t key);

}  // namespace stockbell
