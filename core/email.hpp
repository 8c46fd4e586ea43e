#pragma once
// E-mail addresses: the WHATWG HTML "valid e-mail address" grammar, the one browsers apply to
// <input type=email>, so a shopper's browser and Stockbell accept exactly the same addresses.

#include <optional>
#include <string>
#include <string_view>

namespace stockbell {

constexpr size_t kMaxEmailLength = 254;

/// The grammar, on an already trimmed address:
///   1*( atext / "." ) "@" label *( "." label )
///   atext = ALPHA / DIGIT / one of !#$%&'*+/=?^_`{|}~-
///   label = 1..63 of ALPHA / DIGIT / "-", not starting or ending with "-"
/// So `a@b` and `.a..b.@c` are valid (browsers accept them); `a@b.` and `a@-b` are not.
/// Length is checked separately (kMaxEmailLength).
bool is_valid_email(std::string_view address);

/// The identity of an address: ASCII lower-cased (`Buyer@Example.COM` → `buyer@example.com`).
std::string email_identity(std::string_view address);

/// The mailbox an address delivers to, for limits that count deliveries to one person (never for
/// storage: the address stays as typed). The identity, then: a `+tag` dropped from the local part
/// (`ann+shoes@example.com` → `ann@example.com`; a local part that starts with `+` keeps it); for
/// providers known to ignore dots in the local part, dots dropped and one domain
/// (`a.n.n@googlemail.com` → `ann@gmail.com`).
std::string email_mailbox_key(std::string_view address);

constexpr size_t kMaxDisplayNameChars = 100;

/// A sender or reply-to mailbox: an address with an optional display name.
struct Mailbox {
  std::optional<std::string> display_name;
  std::string address;
  bool operator==(const Mailbox& o) const {
    return display_name == o.display_name && address == o.address;
  }
};

/// Reads `shop@example.com`, `Shop <shop@example.com>` or `"Shop, Inc." <shop@example.com>`
/// (trimmed). The address must be valid (is_valid_email, at most kMaxEmailLength); the display
/// name at most kMaxDisplayNameChars, without control characters (so no CR/LF can ever reach a
/// mail header), quotes or angle brackets. nullopt otherwise.
std::optional<Mailbox> parse_mailbox(std::string_view text);

/// `Shop <shop@example.com>`, or the bare address: what parse_mailbox reads back.
std::string mailbox_text(const Mailbox& mailbox);

}  // namespace stockbell
