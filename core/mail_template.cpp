#include "core/mail_template.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "core/currency.hpp"
#include "core/fields.hpp"
#include "core/locale.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace stockbell {
namespace {

struct DefaultTemplate {
  MailKind kind;
  std::string_view locale;
  std::string_view subject;
  std::string_view text;
  std::string_view html;
};

// Generated from core/mail_templates/<name>/<locale>.<part>.mustache by
// core/mail_templates/generate.cmake.
constexpr DefaultTemplate kDefaults[] = {
#include "mail_templates.inc"
};

// ---- the tag scanner ------------------------------------------------------------------------
// Walks a template the way kainjow's parser does (default delimiters), but refuses what a
// store's template may not hold and says where, in lines and characters.

struct Position {
  int64_t line = 1;
  int64_t column = 1;
};

Position position_of(std::string_view text, size_t offset) {
  Position p;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

std::string_view trim_ascii(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

class TagChecker {
 public:
  TagChecker(MailKind kind, std::string field, std::string_view text, Problems& problems)
      : kind_(kind), field_(std::move(field)), text_(text), problems_(problems) {}

  /// False after a syntax error (the first one ends the walk: what follows is ambiguous).
  bool run() {
    const std::vector<std::string_view>& known = mail_variables(kind_);
    size_t tags = 0;
    for (size_t at = text_.find("{{"); at != std::string_view::npos; at = text_.find("{{", at)) {
      const bool triple = at + 2 < text_.size() && text_[at + 2] == '{';
      const std::string_view close = triple ? "}}}" : "}}";
      const size_t inner = at + (triple ? 3 : 2);
      const size_t end = text_.find(close, inner);
      if (end == std::string_view::npos)
        return fail(at, std::string("the tag is never closed (no ") + std::string(close) + ")");
      if (++tags > kMaxTemplateTags)
        return fail(at, "more than " + std::to_string(kMaxTemplateTags) + " tags");
      std::string_view content = trim_ascii(text_.substr(inner, end - inner));
      char sigil = triple ? '&' : '\0';
      if (!triple && !content.empty() && std::string_view("#^/&!>=").find(content[0]) !=
                                             std::string_view::npos) {
        sigil = content[0];
        content = trim_ascii(content.substr(1));
      }
      const size_t next = end + close.size();
      if (sigil == '!') {  // a comment
        at = next;
        continue;
      }
      if (sigil == '>') return fail(at, "partials ({{>name}}) are not supported");
      if (sigil == '=') return fail(at, "changing the delimiters ({{=<% %>=}}) is not supported");
      if (content.empty()) return fail(at, "an empty tag");
      if (sigil == '#' || sigil == '^') {
        if (open_.size() >= kMaxTemplateDepth)
          return fail(at, "sections nested more than " + std::to_string(kMaxTemplateDepth) +
                              " deep");
        open_.push_back({std::string(content), at});
      } else if (sigil == '/') {
        if (open_.empty())
          return fail(at, "{{/" + shown(content) + "}} closes no open section");
        if (open_.back().name != content)
          return fail(at, "{{/" + shown(content) + "}} where {{/" + shown(open_.back().name) +
                              "}} was expected");
        open_.pop_back();
      }
      if (sigil != '/' && std::find(known.begin(), known.end(), content) == known.end())
        unknown(content, at);
      at = next;
    }
    if (!open_.empty())
      return fail(open_.back().at, "the section \"" + shown(open_.back().name) +
                                       "\" is never closed");
    return true;
  }

 private:
  struct Open {
    std::string name;
    size_t at;
  };

  static std::string shown(std::string_view name) { return truncate_chars(name, 64); }

  bool fail(size_t at, const std::string& what) {
    const Position p = position_of(text_, at);
    problems_.add(template_syntax_error(field_, p.line, p.column, what));
    return false;
  }

  void unknown(std::string_view name, size_t at) {
    const std::string key(name);
    if (std::find(reported_.begin(), reported_.end(), key) != reported_.end()) return;
    reported_.push_back(key);
    const Position p = position_of(text_, at);
    problems_.add(FieldError{field_, FieldCode::unknown_variable,
                             field_message(FieldCode::unknown_variable, std::nullopt,
                                           quote(shown(name))),
                             std::nullopt, p.line, p.column});
  }

  MailKind kind_;
  std::string field_;
  std::string_view text_;
  Problems& problems_;
  std::vector<Open> open_;
  std::vector<std::string> reported_;
};

// kainjow reports "Unclosed tag at 12" (a byte offset); the scanner refuses everything it does
// first, so this only guards against the two ever disagreeing.
void check_with_kainjow(const std::string& field, std::string_view text, Problems& problems) {
  kainjow::mustache::mustache parsed{std::string(text)};
  if (parsed.is_valid()) return;
  const std::string& message = parsed.error_message();
  const size_t at = message.rfind(" at ");
  size_t offset = 0;
  if (at != std::string::npos) offset = std::strtoull(message.c_str() + at + 4, nullptr, 10);
  const Position p = position_of(text, offset);
  problems.add(template_syntax_error(field, p.line, p.column,
                                     at == std::string::npos ? message : message.substr(0, at)));
}

size_t max_chars_of(std::string_view part) {
  if (part == "subject") return kMaxTemplateSubjectChars;
  if (part == "text") return kMaxTemplateTextChars;
  return kMaxTemplateHtmlChars;
}

std::string identity(const std::string& text) { return text; }

// Control characters (CR and LF among them) become spaces; the ends are trimmed.
std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += ' ';  // a C1 control (U+0080..U+009F)
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return std::string(trim(out));
}

kainjow::mustache::data values_data(const MailValues& v) {
  kainjow::mustache::data d{kainjow::mustache::data::type::object};
  d.set("locale", v.locale);
  d.set("storeName", v.store_name);
  d.set("productTitle", v.product_title);
  const std::pair<const char*, const std::optional<std::string>*> optional[] = {
      {"variantTitle", &v.variant_title}, {"firstName", &v.first_name},
      {"price", &v.price},                {"imageUrl", &v.image_url},
      {"productUrl", &v.product_url},     {"unsubscribeUrl", &v.unsubscribe_url},
      {"confirmUrl", &v.confirm_url},
  };
  for (const auto& [name, value] : optional)
    if (*value && !(*value)->empty()) d.set(name, **value);
  return d;
}

std::string render_part(kainjow::mustache::mustache& tmpl, const kainjow::mustache::data& data) {
  if (!tmpl.is_valid()) return {};
  std::string out = tmpl.render(data);
  return tmpl.is_valid() ? out : std::string();
}

kainjow::mustache::mustache parse_part(const std::string& text, bool html) {
  kainjow::mustache::mustache tmpl{text};
  if (!html) tmpl.set_custom_escape(identity);
  return tmpl;
}

Json nullable_mailbox(const std::optional<Mailbox>& mailbox) {
  return mailbox ? Json(mailbox_text(*mailbox)) : Json(nullptr);
}

std::optional<Mailbox> read_mailbox(const Json* value) {
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return parse_mailbox(value->as_string());
}

}  // namespace

// Rendering a kainjow template with string values only (no lambdas, no partials: a checked
// template holds none) changes nothing in it, so a parsed template renders again and again.
struct ParsedTemplates::Impl {
  // By text, separately for HTML (escaping) and for the other parts (not escaping).
  std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>> parts[2];
  size_t chars = 0;
};

struct ParsedTemplatesAccess {
  static kainjow::mustache::mustache& get(ParsedTemplates& cache, const std::string& text,
                                          bool html) {
    ParsedTemplates::Impl& impl = *cache.impl_;
    auto& mine = impl.parts[html ? 1 : 0];
    auto it = mine.find(text);
    if (it != mine.end()) return *it->second;
    if (impl.chars + text.size() > kMaxParsedTemplateChars) {
      impl.parts[0].clear();
      impl.parts[1].clear();
      impl.chars = 0;
    }
    impl.chars += text.size();
    return *mine.emplace(text, std::make_unique<kainjow::mustache::mustache>(parse_part(text, html)))
                .first->second;
  }
};

ParsedTemplates::ParsedTemplates() : impl_(std::make_unique<Impl>()) {}
ParsedTemplates::~ParsedTemplates() = default;
size_t ParsedTemplates::size() const { return impl_->parts[0].size() + impl_->parts[1].size(); }

const std::vector<std::string_view>& mail_variables(MailKind kind) {
  static const std::vector<std::string_view> back_in_stock = {
      "locale", "storeName", "productTitle", "variantTitle",  "firstName",
      "price",  "imageUrl",  "productUrl",   "unsubscribeUrl"};
  static const std::vector<std::string_view> confirm_request = {
      "locale", "storeName", "productTitle", "variantTitle", "firstName",
      "price",  "imageUrl",  "productUrl",   "confirmUrl"};
  return kind == MailKind::confirm_request ? confirm_request : back_in_stock;
}

void check_template_part(MailKind kind, std::string_view part, std::string_view text,
                         Problems& problems) {
  const std::string field(part);
  const size_t limit = max_chars_of(part);
  if (char_count(text) > limit) {
    problems.add(field, FieldCode::too_long, static_cast<int64_t>(limit));
    return;
  }
  if (has_control_chars(text, part != "subject")) {
    problems.add(field, FieldCode::control_character);
    return;
  }
  const size_t before = problems.size();
  if (!TagChecker(kind, field, text, problems).run()) return;
  if (problems.size() == before) check_with_kainjow(field, text, problems);
}

Result<MailTemplate> parse_mail_template(MailKind kind, std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  Problems problems;
  if (!expect_object(document.value(), "", problems)) return validation_error(problems);
  ObjectReader reader(document.value(), "", problems);
  MailTemplate out;
  for (auto [part, target] : {std::pair<const char*, std::string*>{"subject", &out.subject},
                              {"text", &out.text},
                              {"html", &out.html}}) {
    const Json* value = reader.member(part);
    if (value == nullptr || value->is_null()) {
      problems.add(part, FieldCode::required);
    } else if (!value->is_string()) {
      problems.add(part, FieldCode::invalid_type, std::nullopt, "a string");
    } else if (trim(value->as_string()).empty()) {
      problems.add(part, FieldCode::empty);
    } else {
      *target = value->as_string();
      check_template_part(kind, part, *target, problems);
    }
  }
  reader.reject_unknown();
  if (!problems.empty()) return validation_error(problems);
  return out;
}

const std::vector<std::string>& default_mail_locales() {
  static const std::vector<std::string> locales = [] {
    std::vector<std::string> out;
    for (const DefaultTemplate& d : kDefaults)
      if (std::find(out.begin(), out.end(), d.locale) == out.end()) out.emplace_back(d.locale);
    return out;
  }();
  return locales;
}

const MailTemplate* default_mail_template(MailKind kind, std::string_view language) {
  static const std::vector<std::pair<const DefaultTemplate*, MailTemplate>> loaded = [] {
    std::vector<std::pair<const DefaultTemplate*, MailTemplate>> out;
    for (const DefaultTemplate& d : kDefaults)
      out.emplace_back(&d, MailTemplate{std::string(d.subject), std::string(d.text),
                                        std::string(d.html)});
    return out;
  }();
  for (const auto& [d, parts] : loaded)
    if (d->kind == kind && d->locale == language) return &parts;
  return nullptr;
}

ChosenTemplate choose_template(MailKind kind, std::string_view locale,
                               std::string_view store_default,
                               const std::vector<StoreTemplate>& store_templates) {
  for (const std::string& candidate : locale_candidates(locale, store_default)) {
    for (const StoreTemplate& t : store_templates)
      if (t.kind == kind && t.locale == candidate) return ChosenTemplate{&t.parts, candidate, true};
    if (const MailTemplate* d = default_mail_template(kind, candidate))
      return ChosenTemplate{d, candidate, false};
  }
  return ChosenTemplate{default_mail_template(kind, "en"), "en", false};
}

RenderedMail render_mail(const MailTemplate& tmpl, const MailValues& values,
                         ParsedTemplates* parsed) {
  const kainjow::mustache::data data = values_data(values);
  const auto part = [&](const std::string& text, bool html) {
    if (parsed != nullptr) return render_part(ParsedTemplatesAccess::get(*parsed, text, html), data);
    kainjow::mustache::mustache once = parse_part(text, html);
    return render_part(once, data);
  };
  RenderedMail out;
  out.subject = one_line(part(tmpl.subject, false));
  out.text = part(tmpl.text, false);
  out.html = part(tmpl.html, true);
  return out;
}

MailValues sample_mail_values(MailKind kind, std::string_view locale, std::string_view store_name,
                              std::string_view link_base) {
  MailValues v;
  v.locale = std::string(locale);
  v.store_name = std::string(store_name);
  v.product_title = "Linen shirt";
  v.variant_title = "M";
  v.first_name = "Anna";
  v.price = format_price(4900, "EUR", locale);
  v.product_url = "https://shop.example/products/linen-shirt";
  const std::string link = std::string(link_base) + (kind == MailKind::back_in_stock ? "/u/" : "/c/") +
                           "preview?lang=" + std::string(locale);
  if (kind == MailKind::back_in_stock)
    v.unsubscribe_url = link;
  else
    v.confirm_url = link;
  return v;
}

Result<PreviewRequest> parse_preview_request(MailKind kind, std::string_view body) {
  PreviewRequest out;
  if (trim(body).empty()) return out;
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  Problems problems;
  if (!expect_object(document.value(), "", problems)) return validation_error(problems);
  ObjectReader reader(document.value(), "", problems);
  for (auto [part, target] :
       {std::pair<const char*, std::optional<std::string>*>{"subject", &out.subject},
        {"text", &out.text},
        {"html", &out.html}}) {
    const Json* value = reader.member(part);
    if (value == nullptr || value->is_null()) continue;
    if (!value->is_string()) {
      problems.add(part, FieldCode::invalid_type, std::nullopt, "a string");
      continue;
    }
    *target = value->as_string();
    check_template_part(kind, part, **target, problems);
  }
  if (const Json* data = reader.member("data"); data != nullptr && !data->is_null()) {
    if (expect_object(*data, "data", problems)) {
      const std::vector<std::string_view>& known = mail_variables(kind);
      for (const auto& [name, value] : data->members()) {
        const std::string path = join_path("data", name);
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          problems.add(path, FieldCode::unknown_variable, std::nullopt, quote(truncate_chars(name, 64)));
        } else if (value.is_null()) {
          out.data.emplace_back(name, std::nullopt);
        } else if (!value.is_string()) {
          problems.add(path, FieldCode::invalid_type, std::nullopt, "a string or null");
        } else if (check_text(value.as_string(), TextRule{kMaxUrlChars}, path, problems)) {
          const bool url = name.size() > 3 && name.compare(name.size() - 3, 3, "Url") == 0;
          if (url && !is_valid_http_url(value.as_string()))
            problems.add(path, FieldCode::invalid_url);
          else
            out.data.emplace_back(name, value.as_string());
        }
      }
    }
  }
  reader.reject_unknown();
  if (!problems.empty()) return validation_error(problems);
  return out;
}

void apply_preview_data(MailValues& v,
                        const std::vector<std::pair<std::string, std::optional<std::string>>>& data) {
  for (const auto& [name, value] : data) {
    if (name == "locale" || name == "storeName" || name == "productTitle") {
      std::string& target =
          name == "locale" ? v.locale : name == "storeName" ? v.store_name : v.product_title;
      target = value.value_or("");
      continue;
    }
    std::optional<std::string>* target =
        name == "variantTitle"     ? &v.variant_title
        : name == "firstName"      ? &v.first_name
        : name == "price"          ? &v.price
        : name == "imageUrl"       ? &v.image_url
        : name == "productUrl"     ? &v.product_url
        : name == "unsubscribeUrl" ? &v.unsubscribe_url
        : name == "confirmUrl"     ? &v.confirm_url
                                   : nullptr;
    if (target != nullptr) *target = value;
  }
}

bool MailSetup::operator==(const MailSetup& o) const {
  if (!(store_name == o.store_name && from == o.from && reply_to == o.reply_to &&
        default_locale == o.default_locale && templates.size() == o.templates.size()))
    return false;
  for (size_t i = 0; i < templates.size(); ++i)
    if (!(templates[i].kind == o.templates[i].kind &&
          templates[i].locale == o.templates[i].locale &&
          templates[i].parts == o.templates[i].parts))
      return false;
  return true;
}

Json mail_setup_json(const MailSetup& setup) {
  Json templates = Json::array();
  for (const StoreTemplate& t : setup.templates) {
    Json item;
    item["name"] = mail_kind_name(t.kind);
    item["locale"] = t.locale;
    item["subject"] = t.parts.subject;
    item["text"] = t.parts.text;
    item["html"] = t.parts.html;
    templates.push_back(std::move(item));
  }
  Json out;
  out["storeName"] = setup.store_name;
  out["from"] = nullable_mailbox(setup.from);
  out["replyTo"] = nullable_mailbox(setup.reply_to);
  out["defaultLocale"] = setup.default_locale;
  out["templates"] = std::move(templates);
  return out;
}

std::optional<MailSetup> mail_setup_from_json(std::string_view text) {
  JsonParseFailure failure;
  std::optional<Json> doc = parse_json(text, failure);
  if (!doc || !doc->is_object()) return std::nullopt;
  MailSetup setup;
  const Json* name = doc->find("storeName");
  const Json* locale = doc->find("defaultLocale");
  const Json* templates = doc->find("templates");
  if (name == nullptr || !name->is_string() || locale == nullptr || !locale->is_string() ||
      templates == nullptr || !templates->is_array())
    return std::nullopt;
  setup.store_name = name->as_string();
  setup.default_locale = locale->as_string();
  setup.from = read_mailbox(doc->find("from"));
  setup.reply_to = read_mailbox(doc->find("replyTo"));
  for (const Json& item : templates->items()) {
    const Json* kind = item.find("name");
    const Json* loc = item.find("locale");
    const Json* subject = item.find("subject");
    const Json* body = item.find("text");
    const Json* html = item.find("html");
    for (const Json* v : {kind, loc, subject, body, html})
      if (v == nullptr || !v->is_string()) return std::nullopt;
    std::optional<MailKind> k = parse_mail_kind(kind->as_string());
    if (!k) return std::nullopt;
    setup.templates.push_back(StoreTemplate{
        *k, loc->as_string(), MailTemplate{subject->as_string(), body->as_string(), html->as_string()}});
  }
  return setup;
}

Json mail_template_json(MailKind kind, std::string_view locale, const MailTemplate& tmpl,
                        bool custom) {
  Json out;
  out["name"] = mail_kind_name(kind);
  out["locale"] = locale;
  out["custom"] = custom;
  out["subject"] = tmpl.subject;
  out["text"] = tmpl.text;
  out["html"] = tmpl.html;
  return out;
}

}  // namespace stockbell
