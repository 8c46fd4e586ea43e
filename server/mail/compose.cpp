#include "server/mail/compose.hpp"

#include <stdexcept>

#include "core/currency.hpp"
#include "core/mime.hpp"
#include "core/url.hpp"
#include "server/mail/tokens.hpp"

namespace stockbell::server {
namespace {

std::string host_of(const std::string& url) {
  std::optional<UrlParts> parts = split_http_url(url);
  return parts ? parts->host : std::string("localhost");
}

}  // namespace

std::string link_url(const MailServerSetup& server, char kind, const std::string& token,
                     const std::string& locale) {
  return server.public_url + "/" + std::string(1, kind) + "/" + token + "?lang=" + locale;
}

Mailbox sender_of(const MailSetup& setup, const MailServerSetup& server) {
  Mailbox from = setup.from   ? *setup.from
                 : server.from ? *server.from
                               : Mailbox{std::nullopt, "noreply@" + host_of(server.public_url)};
  if (!from.display_name) from.display_name = setup.store_name;
  return from;
}

MailValues mail_values(const OutgoingMessage& m, const MailSetup& setup,
                       const ChosenTemplate& chosen, const MailServerSetup& server) {
  MailValues v;
  v.locale = chosen.locale;
  v.store_name = setup.store_name;
  v.product_title = m.request_product_title   ? *m.request_product_title
                    : m.snapshot.product_title ? *m.snapshot.product_title
                                               : m.product_id;
  v.variant_title = m.request_variant_title ? m.request_variant_title : m.snapshot.variant_title;
  v.first_name = m.first_name;
  // The price as the mail's language writes it: the shopper's own locale when the mail is in
  // its language (de-CH for a German mail), else the template's (a French mail for pt-BR).
  const std::string shopper = m.locale.value_or("");
  const bool same_language = shopper.substr(0, shopper.find('-')) ==
                             chosen.locale.substr(0, chosen.locale.find('-'));
  if (m.snapshot.price_cents && m.snapshot.currency)
    v.price = format_price(*m.snapshot.price_cents, *m.snapshot.currency,
                           same_language ? shopper : chosen.locale);
  v.image_url = m.snapshot.image_url;
  v.product_url = m.snapshot.url;
  if (m.kind == MailKind::back_in_stock) {
    v.unsubscribe_url = link_url(
        server, 'u',
        make_link_token(m.mail_key, LinkPurpose::unsubscribe, m.store_id, m.subscriber_id,
                        m.email, m.created_at),
        chosen.locale);
  } else {
    v.confirm_url = link_url(
        server, 'c',
        make_link_token(m.mail_key, LinkPurpose::confirm, m.store_id, m.subscriber_id, m.email,
                        m.created_at),
        chosen.locale);
  }
  return v;
}

ComposedMail compose_mail(const OutgoingMessage& m, const MailServerSetup& server,
                          const IdCodec& ids, ParsedTemplates* parsed) {
  std::optional<MailSetup> setup = mail_setup_from_json(m.setup);
  if (!setup) throw std::runtime_error("the message's stored setup is unreadable");
  const ChosenTemplate chosen =
      choose_template(m.kind, m.locale.value_or(""), setup->default_locale, setup->templates);
  const MailValues values = mail_values(m, *setup, chosen, server);
  const RenderedMail rendered = render_mail(*chosen.parts, values, parsed);
  OutgoingMail mail;
  mail.from = sender_of(*setup, server);
  mail.reply_to = setup->reply_to;
  mail.to = m.email;
  mail.subject = rendered.subject;
  mail.text = rendered.text;
  mail.html = rendered.html;
  mail.message_id = ids.format(IdKind::message, m.id) + "@" + host_of(server.public_url);
  mail.date_ms = m.created_at;
  mail.unsubscribe_url = values.unsubscribe_url;
  ComposedMail out;
  out.envelope_from = addr_spec(mail.from.address);
  out.rcpt = addr_spec(m.email);
  out.bytes = mime_message(mail);
  out.subject = rendered.subject;
  return out;
}

}  // namespace stockbell::server
