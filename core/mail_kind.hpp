#pragma once
// The two e-mails Stockbell sends shoppers itself (README "E-mail").

#include <optional>
#include <string_view>

namespace stockbell {

enum class MailKind {
  back_in_stock,    ///< the item a shopper waits for is back (`ecommerce.back_in_stock`)
  confirm_request,  ///< double opt-in: "confirm that you asked for this alert"
};

/// `back_in_stock`, `confirm_request`: the template names of the API.
constexpr std::string_view mail_kind_name(MailKind kind) {
  return kind == MailKind::confirm_request ? "confirm_request" : "back_in_stock";
}
constexpr std::optional<MailKind> parse_mail_kind(std::string_view name) {
  if (name == "back_in_stock") return MailKind::back_in_stock;
  if (name == "confirm_request") return MailKind::confirm_request;
  return std::nullopt;
}
constexpr MailKind kMailKinds[] = {MailKind::back_in_stock, MailKind::confirm_request};

}  // namespace stockbell
