#include "server/mail/mail_service.hpp"

#include <algorithm>

#include "core/locale.hpp"
#include "server/app/clock.hpp"

namespace stockbell::server {
namespace {

constexpr const char* kSampleLinkBase = "https://stockbell.example";

Result<MailKind> kind_of(const std::string& name) {
  if (std::optional<MailKind> kind = parse_mail_kind(name)) return *kind;
  return not_found(Resource::mail_template);
}

Result<std::string> locale_of(const std::string& locale) {
  if (std::optional<std::string> normal = normalize_locale(locale)) return *normal;
  Problems problems;
  problems.add("locale", FieldCode::invalid_locale);
  return validation_error(problems);
}

MailService::TemplateEntry entry_of(MailKind kind, const ChosenTemplate& chosen) {
  return MailService::TemplateEntry{kind, chosen.locale, *chosen.parts, chosen.custom};
}

// "Linen shirt – M": the request's own titles, else the catalog's, else the product id.
std::string item_of(ReadTx& tx, int64_t store_id, const RequestRecord& r) {
  std::optional<std::string> product = r.product_title;
  std::optional<std::string> variant = r.variant_title;
  if (!product || !variant) {
    if (std::optional<ProductRecord> stored = tx.find_product(store_id, r.product_id)) {
      const ProductSnapshot snapshot = snapshot_of(&stored->product, r.variant_id);
      if (!product) product = snapshot.product_title;
      if (!variant) variant = snapshot.variant_title;
    }
  }
  std::string item = product.value_or(r.product_id);
  if (variant && *variant != item) item += " – " + *variant;
  return item;
}

}  // namespace

// ---- templates --------------------------------------------------------------------------------

std::vector<MailService::TemplateEntry> MailService::list_templates(int64_t store_id) {
  const std::vector<StoreTemplate> own =
      storage_.read([&](ReadTx& tx) { return tx.list_mail_templates(store_id); });
  std::vector<TemplateEntry> out;
  for (MailKind kind : kMailKinds) {
    std::vector<std::string> locales = default_mail_locales();
    for (const StoreTemplate& t : own)
      if (t.kind == kind && std::find(locales.begin(), locales.end(), t.locale) == locales.end())
        locales.push_back(t.locale);
    std::sort(locales.begin(), locales.end());
    for (const std::string& locale : locales) {
      auto mine = std::find_if(own.begin(), own.end(), [&](const StoreTemplate& t) {
        return t.kind == kind && t.locale == locale;
      });
      if (mine != own.end())
        out.push_back(TemplateEntry{kind, locale, mine->parts, true});
      else
        out.push_back(TemplateEntry{kind, locale, *default_mail_template(kind, locale), false});
    }
  }
  return out;
}

Result<MailService::TemplateEntry> MailService::put_template(int64_t store_id,
                                                             const std::string& name,
                                                             const std::string& locale,
                                                             std::string_view body) {
  Result<MailKind> kind = kind_of(name);
  if (!kind.ok()) return kind.error();
  Result<std::string> tag = locale_of(locale);
  if (!tag.ok()) return tag.error();
  Result<MailTemplate> parts = parse_mail_template(kind.value(), body);
  if (!parts.ok()) return parts.error();
  const StoreTemplate saved{kind.value(), tag.value(), parts.value()};
  storage_.write([&](WriteTx& tx) { tx.save_mail_template(store_id, saved, now_ms()); });
  return TemplateEntry{saved.kind, saved.locale, saved.parts, true};
}

Result<MailService::TemplateEntry> MailService::delete_template(int64_t store_id,
                                                                const std::string& name,
                                                                const std::string& locale) {
  Result<MailKind> kind = kind_of(name);
  if (!kind.ok()) return kind.error();
  Result<std::string> tag = locale_of(locale);
  if (!tag.ok()) return tag.error();
  return storage_.write([&](WriteTx& tx) {
    tx.delete_mail_template(store_id, kind.value(), tag.value());
    const std::vector<StoreTemplate> own = tx.list_mail_templates(store_id);
    const ChosenTemplate chosen = choose_template(
        kind.value(), tag.value(), tx.store_settings(store_id).email.default_locale, own);
    return entry_of(kind.value(), chosen);
  });
}

Result<MailService::Preview> MailService::preview(int64_t store_id, const std::string& name,
                                                  const std::string& locale,
                                                  std::string_view body) {
  Result<MailKind> kind = kind_of(name);
  if (!kind.ok()) return kind.error();
  Result<std::string> tag = locale_of(locale);
  if (!tag.ok()) return tag.error();
  Result<PreviewRequest> request = parse_preview_request(kind.value(), body);
  if (!request.ok()) return request.error();
  return storage_.read([&](ReadTx& tx) -> Result<Preview> {
    const StoreSettings settings = tx.store_settings(store_id);
    const std::vector<StoreTemplate> own = tx.list_mail_templates(store_id);
    const ChosenTemplate chosen =
        choose_template(kind.value(), tag.value(), settings.email.default_locale, own);
    MailTemplate parts = *chosen.parts;
    const PreviewRequest& draft = request.value();
    if (draft.subject) parts.subject = *draft.subject;
    if (draft.text) parts.text = *draft.text;
    if (draft.html) parts.html = *draft.html;
    MailValues values = sample_mail_values(
        kind.value(), chosen.locale,
        settings.store_name ? *settings.store_name : tx.store_name(store_id),
        server_.public_url.empty() ? kSampleLinkBase : server_.public_url);
    apply_preview_data(values, draft.data);
    return Preview{chosen.locale, render_mail(parts, values)};
  });
}

// ---- messages and subscribers -----------------------------------------------------------------

MailService::MessagePage MailService::list_messages(int64_t store_id,
                                                    const MessageListQuery& query) {
  return storage_.read([&](ReadTx& tx) {
    return MessagePage{tx.list_messages(store_id, query), tx.count_messages(store_id, query)};
  });
}

Result<MailService::SubscriberView> MailService::subscriber(int64_t store_id,
                                                            const std::string& subscriber_id) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::subscriber, subscriber_id);
  if (!row) return not_found(Resource::subscriber);
  return storage_.read([&](ReadTx& tx) -> Result<SubscriberView> {
    std::optional<SubscriberRecord> subscriber = tx.find_subscriber_by_id(store_id, *row);
    if (!subscriber) return not_found(Resource::subscriber);
    return SubscriberView{std::move(*subscriber), tx.subscriber_requests(*row),
                          tx.subscriber_messages(*row), tx.subscriber_events(*row)};
  });
}

Result<std::string> MailService::erase_subscriber(int64_t store_id,
                                                  const std::string& subscriber_id) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::subscriber, subscriber_id);
  if (!row) return not_found(Resource::subscriber);
  const bool erased = storage_.write([&](WriteTx& tx) { return tx.erase_subscriber(store_id, *row); });
  if (!erased) return not_found(Resource::subscriber);
  return storage_.ids().format(IdKind::subscriber, *row);
}

// ---- the shopper's pages ----------------------------------------------------------------------

std::optional<MailService::Link> MailService::verify(ReadTx& tx, const std::string& token,
                                                     LinkPurpose purpose, int64_t now) {
  std::optional<LinkToken> claims = read_link_token(token);
  if (!claims || claims->purpose != purpose) return std::nullopt;
  if (purpose == LinkPurpose::confirm && now - claims->issued_ms > kConfirmLinkTtlMs)
    return std::nullopt;
  std::optional<KeyHash> key = tx.find_mail_key(claims->store_id);
  if (!key) return std::nullopt;
  std::optional<SubscriberRecord> subscriber =
      tx.find_subscriber_by_id(claims->store_id, claims->subscriber_id);
  if (!subscriber || !verify_link_token(token, *key, subscriber->email)) return std::nullopt;
  return Link{*claims, std::move(*subscriber), *key};
}

ShopperPage MailService::page_of(ReadTx& tx, const Link& link, ShopperPageKind kind,
                                 const std::string& lang,
                                 const std::vector<RequestRecord>& requests) {
  const int64_t store_id = link.token.store_id;
  const StoreSettings settings = tx.store_settings(store_id);
  ShopperPage page;
  page.kind = kind;
  page.store_default_locale = settings.email.default_locale;
  page.store = settings.store_name ? *settings.store_name : tx.store_name(store_id);
  page.email = link.subscriber.email;
  // The mail's language (the link carries it), else the newest request's.
  page.locale = normalize_locale(lang).value_or("");
  if (page.locale.empty() && !requests.empty()) page.locale = requests.front().locale.value_or("");
  std::string items;
  for (size_t i = 0; i < requests.size() && i < 3; ++i)
    items += (i ? ", " : "") + item_of(tx, store_id, requests[i]);
  if (requests.size() > 3) items += ", …";
  page.item = items;
  return page;
}

MailService::PageAnswer MailService::unsubscribe_page(const std::string& token,
                                                      const std::string& lang, bool act) {
  const int64_t now = now_ms();
  const auto invalid = [&] {
    return PageAnswer{404, shopper_page_html(ShopperPage{ShopperPageKind::invalid_link,
                                                         normalize_locale(lang).value_or("en")})};
  };
  if (!act) {
    return storage_.read([&](ReadTx& tx) {
      std::optional<Link> link = verify(tx, token, LinkPurpose::unsubscribe, now);
      if (!link) return invalid();
      return PageAnswer{200, shopper_page_html(page_of(tx, *link, ShopperPageKind::unsubscribe,
                                                       lang, {}))};
    });
  }
  return storage_.write([&](WriteTx& tx) {
    std::optional<Link> link = verify(tx, token, LinkPurpose::unsubscribe, now);
    if (!link) return invalid();
    const SubscriberRecord& s = link->subscriber;
    tx.cancel_open_requests(s.id, now);
    tx.suppress_queued_messages(s.id);
    tx.set_subscriber_mail_state(s.id, s.confirmed_at, s.suppressed_at.value_or(now));
    tx.add_suppression(link->token.store_id, email_hash(link->key, s.email), now);
    return PageAnswer{200, shopper_page_html(page_of(tx, *link, ShopperPageKind::unsubscribed,
                                                     lang, {}))};
  });
}

MailService::PageAnswer MailService::confirm_page(const std::string& token,
                                                  const std::string& lang, bool act) {
  const int64_t now = now_ms();
  const auto invalid = [&] {
    return PageAnswer{404, shopper_page_html(ShopperPage{ShopperPageKind::invalid_link,
                                                         normalize_locale(lang).value_or("en")})};
  };
  const auto pending_of = [](ReadTx& tx, int64_t subscriber_id) {
    std::vector<RequestRecord> pending;
    for (RequestRecord& r : tx.subscriber_requests(subscriber_id))
      if (r.status == RequestStatus::pending) pending.push_back(std::move(r));
    return pending;
  };
  if (!act) {
    return storage_.read([&](ReadTx& tx) {
      std::optional<Link> link = verify(tx, token, LinkPurpose::confirm, now);
      if (!link) return invalid();
      std::vector<RequestRecord> pending = pending_of(tx, link->subscriber.id);
      if (!pending.empty())
        return PageAnswer{200, shopper_page_html(page_of(tx, *link, ShopperPageKind::confirm,
                                                         lang, pending))};
      // Confirmed already (a second click): say so; nothing left to confirm: expired.
      if (!link->subscriber.confirmed_at) return invalid();
      return PageAnswer{200, shopper_page_html(page_of(tx, *link, ShopperPageKind::confirmed,
                                                       lang, tx.subscriber_requests(link->subscriber.id)))};
    });
  }
  return storage_.write([&](WriteTx& tx) {
    std::optional<Link> link = verify(tx, token, LinkPurpose::confirm, now);
    if (!link) return invalid();
    const SubscriberRecord& s = link->subscriber;
    std::vector<RequestRecord> confirmed = tx.confirm_pending_requests(s.id, now);
    if (confirmed.empty() && !s.confirmed_at) return invalid();
    tx.set_subscriber_mail_state(s.id, s.confirmed_at && confirmed.empty() ? s.confirmed_at : now,
                                 std::nullopt);
    tx.remove_suppression(link->token.store_id, email_hash(link->key, s.email));
    notify_confirmed(tx, link->token.store_id, confirmed, now, mail_);
    return PageAnswer{200, shopper_page_html(page_of(
                               tx, *link, ShopperPageKind::confirmed, lang,
                               confirmed.empty() ? tx.subscriber_requests(s.id) : confirmed))};
  });
}

}  // namespace stockbell::server
