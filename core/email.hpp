#pragma once
// E-mail addresses: the WHATWG HTML "valid e-mail address" grammar, the one browsers apply to
// <input type=email>, so a shopper's browser and Stockbell accept exactly the same addresses.

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

}  // namespace stockbell
