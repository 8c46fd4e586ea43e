#pragma once
// The e-mail use cases (README "E-mail"): a store's templates and their preview, the message
// list, the privacy routes of a subscriber, and the pages a shopper opens from an e-mail
// (unsubscribe, confirm). Writes are one storage transaction each.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/mail_template.hpp"
#include "core/message.hpp"
#include "core/query.hpp"
#include "core/shopper_page.hpp"
#include "core/subscriber.hpp"
#include "server/app/notify.hpp"
#include "server/mail/compose.hpp"
#include "server/mail/tokens.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class MailService {
 public:
  /// `server`: where links point (`--public-url`); the preview's links use it, or
  /// `https://stockbell.example` without one. `mail`: whether this server sends e-mail.
  MailService(Storage& storage, MailServerSetup server, Mail mail)
      : storage_(storage), server_(std::move(server)), mail_(mail) {}

  // ---- templates (secret key) -----------------------------------------------------------------
  struct TemplateEntry {
    MailKind kind;
    std::string locale;
    MailTemplate parts;
    bool custom = false;
  };
  /// The shipped templates and the store's own, by kind and locale (its own replace a shipped
  /// one of the same locale).
  std::vector<TemplateEntry> list_templates(int64_t store_id);
  /// Saves the store's template of `name` for `locale`; `not_found` for an unknown name,
  /// `validation_failed` for a locale that is no language tag or a template that breaks a rule.
  Result<TemplateEntry> put_template(int64_t store_id, const std::string& name,
                                     const std::string& locale, std::string_view body);
  /// Removes the store's own template; answers the one that now applies to that locale.
  Result<TemplateEntry> delete_template(int64_t store_id, const std::string& name,
                                        const std::string& locale);
  struct Preview {
    std::string locale;  ///< of the template rendered
    RenderedMail mail;
  };
  /// Renders the template that applies to `locale` (or the draft in the body) with sample data
  /// (or the body's `data`).
  Result<Preview> preview(int64_t store_id, const std::string& name, const std::string& locale,
                          std::string_view body);

  // ---- messages and subscribers (secret key) -------------------------------------------------
  struct MessagePage {
    std::vector<MessageRecord> rows;
    int64_t total = 0;
  };
  MessagePage list_messages(int64_t store_id, const MessageListQuery& query);

  /// Everything stored about a subscriber.
  struct SubscriberView {
    SubscriberRecord subscriber;
    std::vector<RequestRecord> requests;
    std::vector<MessageRecord> messages;
    std::vector<EventRecord> events;
  };
  Result<SubscriberView> subscriber(int64_t store_id, const std::string& subscriber_id);
  /// Erases a subscriber, their requests, messages and events (and the events' deliveries). An
  /// address that unsubscribed stays suppressed (as a keyed hash, not the address).
  Result<std::string> erase_subscriber(int64_t store_id, const std::string& subscriber_id);

  // ---- the pages a shopper opens from an e-mail (no key: the token is the key) ---------------
  struct PageAnswer {
    int status = 200;
    std::string html;
  };
  /// GET (act false) shows what would happen and changes nothing; POST acts: unsubscribing
  /// cancels every open request of the address in the store, suppresses mail to it (also what
  /// is queued) and remembers that; confirming makes its pending requests waiting (notified at
  /// once when in stock). A forged, altered, expired or foreign token: 404, nothing changes.
  PageAnswer unsubscribe_page(const std::string& token, const std::string& lang, bool act);
  PageAnswer confirm_page(const std::string& token, const std::string& lang, bool act);

 private:
  struct Link {
    LinkToken token;
    SubscriberRecord subscriber;
    KeyHash key{};
  };
  /// The token's subscriber, if the token is genuine and for `purpose`.
  std::optional<Link> verify(ReadTx& tx, const std::string& token, LinkPurpose purpose,
                             int64_t now);
  ShopperPage page_of(ReadTx& tx, const Link& link, ShopperPageKind kind,
                      const std::string& lang, const std::vector<RequestRecord>& requests);

  Storage& storage_;
  MailServerSetup server_;
  Mail mail_;
};

}  // namespace stockbell::server
