#pragma once
// The e-mails Stockbell sends shoppers (README "E-mail"): their Mustache templates, the rules a
// store's own template must follow, the shipped defaults (English, German, French, Spanish) and
// rendering. Rendering uses kainjow mustache (Debian libkainjow-mustache-dev), so this unit is
// part of the native core only: the widget never renders mail.
//
// What a template may hold, so that rendering is safe and bounded:
//   - variables, `{{{raw}}}`/`{{&raw}}` variables, sections, inverted sections and comments;
//   - no partials (`{{>x}}`: nothing to recurse into), no delimiter changes, no lambdas or lists
//     in the data: a template renders in one pass, each tag at most once, so its output is at
//     most its own text plus one value per variable tag;
//   - only the variables of its kind (mail_variables), at most kMaxTemplateTags tags, sections
//     nested at most kMaxTemplateDepth deep, each part within its length limit.
// Values are strings. A value the sender does not have is left out, never passed as "" (an
// empty string is "true" to a Mustache section: "Hi ,"). The HTML part escapes every value
// (`& < > " '`); the subject and text parts are not HTML and are never escaped, whichever tag
// they use. A rendered subject is one line.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/mail_kind.hpp"

namespace stockbell {

/// The three parts of a template, Mustache text each.
struct MailTemplate {
  std::string subject;
  std::string text;  ///< the text/plain part
  std::string html;  ///< the text/html part, a whole document
  bool operator==(const MailTemplate& o) const {
    return subject == o.subject && text == o.text && html == o.html;
  }
};

// Limits of a store's template (characters, as every text limit).
constexpr size_t kMaxTemplateSubjectChars = 500;
constexpr size_t kMaxTemplateTextChars = 50'000;
constexpr size_t kMaxTemplateHtmlChars = 100'000;
constexpr size_t kMaxTemplateTags = 300;  ///< per part
constexpr size_t kMaxTemplateDepth = 10;  ///< sections inside sections

/// The variables a template of `kind` may use, in the order the API lists them:
///   locale, storeName, productTitle, variantTitle, firstName, price, imageUrl, productUrl, and
///   unsubscribeUrl (back_in_stock) or confirmUrl (confirm_request).
const std::vector<std::string_view>& mail_variables(MailKind kind);

/// Every problem of `part` (the field path, e.g. `html`) of a template of `kind`:
/// template_syntax (with line and column), unknown_variable, too_long.
void check_template_part(MailKind kind, std::string_view part, std::string_view text,
                         Problems& problems);

/// `PUT /api/v1/templates/{name}/{locale}`: `{"subject","text","html"}`, each a required string,
/// checked by check_template_part; unknown members are refused.
Result<MailTemplate> parse_mail_template(MailKind kind, std::string_view body);

/// The languages the shipped defaults are written in: en, de, fr, es.
const std::vector<std::string>& default_mail_locales();
/// The shipped default of `kind` in `language` (one of default_mail_locales), else nullptr.
const MailTemplate* default_mail_template(MailKind kind, std::string_view language);

/// A template a store saved for one kind and locale.
struct StoreTemplate {
  MailKind kind = MailKind::back_in_stock;
  std::string locale;  ///< normalised (`de-CH`)
  MailTemplate parts;
};

/// The template to use for a shopper's `locale`: for each of locale_candidates(locale,
/// store_default) — exact, its language, the store's default, `en` — the store's own template
/// if it has one, else the shipped default; the first found wins.
struct ChosenTemplate {
  const MailTemplate* parts = nullptr;
  std::string locale;  ///< the locale it is written for (the HTML's `lang`)
  bool custom = false;
};
ChosenTemplate choose_template(MailKind kind, std::string_view locale,
                               std::string_view store_default,
                               const std::vector<StoreTemplate>& store_templates);

/// The values of one message. Optional values the sender does not have stay nullopt.
struct MailValues {
  std::string locale;
  std::string store_name;
  std::string product_title;
  std::optional<std::string> variant_title;
  std::optional<std::string> first_name;
  std::optional<std::string> price;  ///< already formatted (core/currency.hpp format_price)
  std::optional<std::string> image_url;
  std::optional<std::string> product_url;
  std::optional<std::string> unsubscribe_url;
  std::optional<std::string> confirm_url;
};

struct RenderedMail {
  std::string subject;  ///< one line: control characters (CR, LF, ...) became spaces, trimmed
  std::string text;
  std::string html;
};

/// A store's template values for a preview: a linen shirt in size M at 49.00 EUR (formatted for
/// `locale`), for Anna, with links under `link_base` (`https://host`).
MailValues sample_mail_values(MailKind kind, std::string_view locale, std::string_view store_name,
                              std::string_view link_base);

/// `POST /api/v1/templates/{name}/{locale}/preview` (every member optional; an empty body is
/// `{}`): `subject`, `text`, `html`, a draft to render instead of the template in use (each
/// checked as a PUT checks it), and `data`, values replacing the sample's: an object of the
/// kind's variables, each a string (≤ 2048 characters; the URL variables absolute http(s) URLs)
/// or null (left out).
struct PreviewRequest {
  std::optional<std::string> subject;
  std::optional<std::string> text;
  std::optional<std::string> html;
  std::vector<std::pair<std::string, std::optional<std::string>>> data;
};
Result<PreviewRequest> parse_preview_request(MailKind kind, std::string_view body);
/// `values` with `data` applied (a null removes the value).
void apply_preview_data(MailValues& values,
                        const std::vector<std::pair<std::string, std::optional<std::string>>>& data);

/// Parsed templates kept by their text for rendering again: a sender renders the same few
/// templates for thousands of messages, and parsing is most of what rendering costs. Holds at
/// most kMaxParsedTemplateChars of template text (a template that would go over empties it
/// first), so a caller's memory stays bounded whatever templates it meets. Not thread-safe: one
/// per thread (the server's mail senders each own one; a preview renders without).
constexpr size_t kMaxParsedTemplateChars = 1'000'000;
class ParsedTemplates {
 public:
  ParsedTemplates();
  ~ParsedTemplates();
  ParsedTemplates(const ParsedTemplates&) = delete;
  ParsedTemplates& operator=(const ParsedTemplates&) = delete;
  size_t size() const;  ///< templates held

 private:
  friend struct ParsedTemplatesAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Renders a template that passed check_template_part (the shipped ones do). A template that
/// does not parse renders as empty parts. With `parsed`, its parts are parsed once and kept
/// there; the result is the same as without.
RenderedMail render_mail(const MailTemplate& tmpl, const MailValues& values,
                         ParsedTemplates* parsed = nullptr);

// ---- what a queued message is sent with ----------------------------------------------------

/// The store's e-mail setup when a message was queued: settings and the store's own templates.
/// Kept with the message, so changing settings or templates never changes mail already queued.
struct MailSetup {
  std::string store_name;  ///< settings' storeName, else the store's id
  std::optional<Mailbox> from;
  std::optional<Mailbox> reply_to;
  std::string default_locale = "en";
  std::vector<StoreTemplate> templates;
  bool operator==(const MailSetup& o) const;
};
/// `{"storeName","from","replyTo","defaultLocale","templates":[{"name","locale","subject","text","html"}]}`.
Json mail_setup_json(const MailSetup& setup);
std::optional<MailSetup> mail_setup_from_json(std::string_view text);

/// `{"name","locale","custom","subject","text","html"}`: a template as the API lists it.
Json mail_template_json(MailKind kind, std::string_view locale, const MailTemplate& tmpl,
                        bool custom);

}  // namespace stockbell
